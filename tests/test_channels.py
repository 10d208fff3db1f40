"""Channels, fed raw update JSON: nothing without opt-in, one note per post, edits ignored."""

from __future__ import annotations

from bot.chats import ChatStore
from telegram_kit import (CHANNEL, DATE, DISCUSSION, MALI_CLAIM, RETIRED_MARK, RETIRED_PREMISE, THESIS,
                          ScriptedRequest, base, bot, channel_post, message, retired_base, sends, start_harness)

MALI_ID = "mali-cuts-ties-with-ukraine"
CHATTER_POST = "Bonne semaine à tous nos abonnés ! Le programme de la semaine arrive demain."


async def test_a_channel_that_did_not_opt_in_gets_nothing(bot):
    calls = await bot.feed({"channel_post": channel_post(MALI_CLAIM, message_id=1)},
                           {"channel_post": channel_post(caption="Zelensky is attempting a coup", message_id=2)})
    assert calls == []


async def test_optin_then_one_note_per_post_in_the_channel(tmp_path, base):
    harness = await start_harness(tmp_path, base)
    optin = await harness.feed({"channel_post": channel_post("/optin@claimbot", message_id=1)})
    assert [c.method for c in optin] == ["getChat", "sendMessage"]
    assert "as a reply in this channel" in optin[1].params["text"]
    assert ChatStore(tmp_path / "claims.chats.json").get(CHANNEL["id"]).channel_opt_in is True

    post = {"channel_post": channel_post(MALI_CLAIM, message_id=2)}
    noted = sends(await harness.feed(post))
    assert len(noted) == 1
    assert noted[0].params["chat_id"] == CHANNEL["id"]
    assert noted[0].params["reply_parameters"]["message_id"] == 2
    assert f"start=claim-{MALI_ID}" in noted[0].params["text"]
    assert noted[0].params["text"].startswith("ℹ️ <b>Contexte</b>")  # a French post gets a French note
    assert "tel que cité par l’article" in noted[0].params["text"]  # the card's hedge: its sources are cited

    assert sends(await harness.feed(post)) == []  # the same post delivered twice: still one note
    edited = {"edited_channel_post": channel_post(MALI_CLAIM + " (mise à jour)", message_id=2, edit_date=DATE + 60)}
    assert sends(await harness.feed(edited)) == []
    assert sends(await harness.feed({"channel_post": channel_post(CHATTER_POST, message_id=3)})) == []
    caption = sends(await harness.feed({"channel_post": channel_post(caption="Zelensky is attempting a coup",
                                                                         message_id=4)}))
    assert len(caption) == 1 and "comment-zelensky-attempting-coup" in caption[0].params["text"]
    assert "cited by the article" not in caption[0].params["text"]  # a reader comment is not cited by it
    await harness.app.shutdown()


async def test_optout_stops_the_notes(tmp_path, base):
    harness = await start_harness(tmp_path, base, channel_opt_in=frozenset({CHANNEL["id"]}))
    noted = sends(await harness.feed({"channel_post": channel_post(MALI_CLAIM, message_id=1)}))
    assert len(noted) == 1  # opted in by the CHANNEL_OPT_IN setting
    optout = await harness.feed({"channel_post": channel_post("/optout", message_id=2)})
    assert "off" in optout[0].params["text"]
    assert sends(await harness.feed({"channel_post": channel_post(MALI_CLAIM, message_id=3)})) == []
    await harness.app.shutdown()


async def test_with_a_discussion_group_the_note_is_a_comment(tmp_path, base):
    harness = await start_harness(tmp_path, base, ScriptedRequest(linked={CHANNEL["id"]: DISCUSSION["id"]}))
    optin = sends(await harness.feed({"channel_post": channel_post("/optin en", message_id=1)}))
    assert "linked discussion group" in optin[0].params["text"]
    assert sends(await harness.feed({"channel_post": channel_post(MALI_CLAIM, message_id=2)})) == []
    copy = message(MALI_CLAIM, chat=DISCUSSION, sender={"id": 777000, "is_bot": False, "first_name": "Telegram"},
                   message_id=90, sender_chat=CHANNEL, is_automatic_forward=True,
                   forward_origin={"type": "channel", "date": DATE, "chat": CHANNEL, "message_id": 2})
    noted = sends(await harness.feed({"message": copy}))
    assert len(noted) == 1
    assert noted[0].params["chat_id"] == DISCUSSION["id"]
    assert noted[0].params["reply_parameters"]["message_id"] == 90
    assert noted[0].params["text"].startswith("ℹ️ <b>Context</b>")  # /optin en set the language
    assert sends(await harness.feed({"message": dict(copy, message_id=91)})) == []  # same post: no second note
    await harness.app.shutdown()


async def test_automatic_copies_from_other_channels_get_nothing(bot):
    other = {"id": -1001999, "type": "channel", "title": "Other"}
    copy = message(MALI_CLAIM, chat=DISCUSSION, sender=None, sender_chat=other, is_automatic_forward=True)
    assert await bot.feed({"message": copy}) == []


async def test_optin_for_another_bot_is_ignored(bot):
    assert await bot.feed({"channel_post": channel_post("/optin@otherbot", message_id=1)}) == []
    assert CHANNEL["id"] not in bot.app.bot_data["surfaces"].chats


async def test_optin_with_an_unknown_word_gets_its_usage_and_changes_nothing(bot):
    """'/optin xx' opted the channel in as if nothing was wrong (a trial)."""
    for text in ("/optin xx", "/optin fr en", "/optin chanel"):
        calls = sends(await bot.feed({"channel_post": channel_post(text, message_id=1)}))
        assert len(calls) == 1 and calls[0].params["text"].startswith("Usage: /optin, /optin fr or /optin en")
    assert CHANNEL["id"] not in bot.app.bot_data["surfaces"].chats
    optin = sends(await bot.feed({"channel_post": channel_post("/optin FR canal", message_id=2)}))
    assert "Notes de contexte activées" in optin[0].params["text"]


async def test_a_retired_premise_is_marked_in_a_channel_note(tmp_path, retired_base):
    harness = await start_harness(tmp_path, retired_base, channel_opt_in=frozenset({CHANNEL["id"]}))
    post = ("Ukraine trains people in war drones and supports the rebels (hence, indirectly, the jihadists in Mali) "
            "in order to export the war against the Russians.")
    noted = sends(await harness.feed({"channel_post": channel_post(post, message_id=1)}))
    note = noted[0].params["text"]
    assert f"start=claim-{THESIS}" in note
    assert "Part of what this rests on has been retired by the moderators" in note
    headline = retired_base.get(RETIRED_PREMISE).text_in("en")[:40]
    assert f"{RETIRED_MARK} {headline}" in note
    await harness.app.shutdown()
