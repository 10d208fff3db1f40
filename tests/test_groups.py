"""Groups, fed raw update JSON: silent unless asked, stricter than private, admin settings, quirks."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from knowledge.base import ClaimBase
from knowledge.matcher import Thresholds
from knowledge.questions import QuestionLog

from bot.chats import ChatStore
from bot.handlers.groups import set_group_commands
from bot.surfaces import SurfaceSettings
from helpers.claims import import_without_article
from telegram_kit import (ADMIN, ALICE, ANONYMOUS_ADMIN_BOT, BRUNO, CLAIMBOT_USER, GROUP, MALI_CLAIM,
                          OLD_GROUP, RETIRED_MARK, RETIRED_PREMISE, THESIS, ScriptedRequest, base, bot, message,
                          premise_line, retired_base, sends, start_harness)

MALI_ID = "mali-cuts-ties-with-ukraine"
CHATTER = Path(__file__).parent / "data" / "group_chatter.jsonl"


def card_of(call) -> str:
    return call.params["text"]


def chatter_updates() -> list[dict]:
    return [{k: v for k, v in json.loads(line).items() if k != "update_id"}
            for line in CHATTER.read_text(encoding="utf-8").splitlines() if line.strip()]


async def test_check_reply_to_a_claim_gets_exactly_one_card(bot):
    stated = message(MALI_CLAIM, sender=BRUNO, message_id=10)
    calls = await bot.feed({"message": stated},
                           {"message": message("/check@claimbot", message_id=11, reply_to=stated)})
    assert len(calls) == 1 and calls[0].method == "sendMessage"
    assert calls[0].params["chat_id"] == GROUP["id"]
    assert f"<code>{MALI_ID}</code>" in card_of(calls[0])
    assert calls[0].params["reply_parameters"]["message_id"] == 11
    buttons = [b["callback_data"] for row in calls[0].params["reply_markup"]["inline_keyboard"] for b in row]
    assert [b[:5] for b in buttons] == ["fb:u:", "fb:d:"]  # every answer carries 👍 / 👎


async def test_check_reads_a_caption(bot):
    photo = message(caption=MALI_CLAIM, sender=BRUNO, message_id=20)
    calls = await bot.feed({"message": message("/check@claimbot", message_id=21, reply_to=photo)})
    assert len(calls) == 1 and MALI_ID in card_of(calls[0])


async def test_check_uses_the_quoted_part_only(bot):
    quoted = "Zelensky is attempting a coup"
    target = message(f"Bonjour à tous. {quoted}. Bonne soirée.", sender=BRUNO, message_id=30)
    check = message("/check@claimbot", message_id=31, reply_to=target,
                    quote={"text": quoted, "position": 16, "is_manual": True})
    calls = await bot.feed({"message": check})
    assert len(calls) == 1 and "comment-zelensky-attempting-coup" in card_of(calls[0])


async def test_check_a_forwarded_message(bot):
    forwarded = message(MALI_CLAIM, sender=BRUNO, message_id=40,
                        forward_origin={"type": "hidden_user", "date": 1722700000, "sender_user_name": "Someone"})
    calls = await bot.feed({"message": message("/check@claimbot", message_id=41, reply_to=forwarded)})
    assert len(calls) == 1 and MALI_ID in card_of(calls[0])


async def test_check_without_reply_or_text_gets_one_usage_line(bot):
    calls = await bot.feed({"message": message("/check@claimbot", message_id=50)})
    assert len(calls) == 1 and "/check@claimbot" in card_of(calls[0]) and "\n" not in card_of(calls[0])
    sticker = message(sender=BRUNO, message_id=51,
                      sticker={"file_id": "s", "file_unique_id": "s1", "type": "regular", "width": 512,
                               "height": 512, "is_animated": False, "is_video": False})
    calls = await bot.feed({"message": message("/check@claimbot", message_id=52, reply_to=sticker)})
    assert len(calls) == 1 and "no text" in card_of(calls[0])


async def test_commands_for_another_bot_are_ignored(bot):
    stated = message(MALI_CLAIM, sender=BRUNO, message_id=60)
    calls = await bot.feed(
        {"message": message("/ask@otherbot Did Mali cut ties with Ukraine?", message_id=61)},
        {"message": message("/check@otherbot", message_id=62, reply_to=stated)},
        {"message": message("/settings@otherbot", message_id=63)})
    assert calls == []


async def test_command_mention_is_case_insensitive(bot):
    calls = await bot.feed({"message": message("/ask@ClaimBot Did Mali cut diplomatic ties with Ukraine?")})
    assert len(calls) == 1 and MALI_ID in card_of(calls[0])


async def test_ask_off_topic_gets_one_short_line(bot):
    calls = await bot.feed({"message": message("/ask@claimbot What's the weather in Paris?")})
    assert len(calls) == 1
    assert card_of(calls[0]) == "No claim in the base matches this."


async def test_help_in_a_group_is_one_short_message(bot):
    calls = await bot.feed({"message": message("/help@claimbot")},
                           {"message": message("/start@claimbot", message_id=2)})
    assert len(calls) == 2 and all("/ask@claimbot" in card_of(c) for c in calls)


async def test_a_forwarded_4000_character_post_in_private_is_cut_and_answered(bot):
    claim = "Le 6 août 2024, le Niger a rompu ses relations diplomatiques avec l'Ukraine."
    line = "Revue de presse de la semaine, avec nos remerciements aux lecteurs. "
    post = line * -(-(3990 - len(claim)) // len(line)) + claim  # whole sentences, the claim last
    chat = {"id": ALICE["id"], "type": "private", "first_name": "Alice"}
    forwarded = message(post, chat=chat, forward_origin={"type": "channel", "date": DATE_EDIT, "message_id": 9,
                                                         "chat": {"id": -1009, "type": "channel", "title": "X"}})
    calls = await bot.feed({"message": forwarded})
    assert len(post) >= 3990 and len(calls) == 1
    assert "<code>niger-cuts-ties-with-ukraine</code>" in card_of(calls[0])


async def test_ask_without_question_gets_usage(bot):
    calls = await bot.feed({"message": message("/ask@claimbot")})
    assert len(calls) == 1 and "/ask@claimbot" in card_of(calls[0])


async def test_group_is_stricter_than_private(tmp_path, base):
    """The same question: a card in private, one suggestion line with a deep link in a group that needs 101."""
    harness = await start_harness(tmp_path, base,
                                  group_thresholds=Thresholds(answer=101.0, suggest=40.0, margin=6.0))
    question = "Did Mali cut diplomatic ties with Ukraine?"
    private_chat = {"id": ALICE["id"], "type": "private", "first_name": "Alice"}
    private = await harness.feed({"message": message(question, chat=private_chat)})
    assert len(private) == 1 and f"<code>{MALI_ID}</code>" in card_of(private[0])
    group = await harness.feed({"message": message(f"/ask@claimbot {question}", message_id=2)})
    assert len(group) == 1
    line = card_of(group[0])
    assert "\n" not in line and "reply_markup" not in group[0].params
    assert f'href="https://t.me/claimbot?start=claim-{MALI_ID}"' in line
    await harness.app.shutdown()


async def test_a_question_with_other_dates_gets_a_suggestion_saying_so(tmp_path, base):
    harness = await start_harness(tmp_path, base)
    calls = await harness.feed({"message": message("/ask@claimbot Did Niger break relations with Ukraine on August 4?")})
    assert len(calls) == 1
    assert calls[0].params["text"].startswith("🔎 Perhaps, with other dates or numbers: <i>")
    assert "start=claim-niger-cuts-ties-with-ukraine" in calls[0].params["text"]
    await harness.app.shutdown()


def test_default_group_thresholds_are_stricter_than_private():
    group, strong, private = SurfaceSettings().group_thresholds, SurfaceSettings().strong_thresholds, Thresholds()
    assert group.answer >= private.answer and group.suggest >= private.suggest
    assert (group.answer, group.suggest, group.margin) != (private.answer, private.suggest, private.margin)
    assert strong.answer >= group.answer


async def test_thirty_ordinary_messages_get_nothing_even_with_auto_check(tmp_path, base):
    updates = chatter_updates()
    assert len(updates) == 30
    harness = await start_harness(tmp_path, base)
    assert await harness.feed(*updates) == []
    harness.app.bot_data["surfaces"].chats.update(GROUP["id"], auto_check=True)
    assert await harness.feed(*updates) == []
    await harness.app.shutdown()


async def test_auto_check_is_off_by_default(bot):
    assert await bot.feed({"message": message(MALI_CLAIM)}) == []


async def test_auto_check_answers_a_strong_match_once_per_claim_per_period(tmp_path, base):
    harness = await start_harness(tmp_path, base)
    chats: ChatStore = harness.app.bot_data["surfaces"].chats
    now = [1_000_000.0]
    chats.clock = lambda: now[0]
    chats.update(GROUP["id"], auto_check=True, auto_hours=6.0)
    first = await harness.feed({"message": message(MALI_CLAIM, message_id=1)})
    assert len(first) == 1 and "Context" in card_of(first[0]) and f"start=claim-{MALI_ID}" in card_of(first[0])
    assert first[0].params["reply_parameters"]["message_id"] == 1
    assert await harness.feed({"message": message(MALI_CLAIM + " !!", message_id=2, sender=BRUNO)}) == []
    other = await harness.feed({"message": message("Zelensky is attempting a coup, says a reader", message_id=3)})
    assert len(other) == 1 and "comment-zelensky-attempting-coup" in card_of(other[0])
    now[0] += 6 * 3600 + 1
    again = await harness.feed({"message": message(MALI_CLAIM, message_id=4)})
    assert len(again) == 1
    await harness.app.shutdown()


async def test_auto_check_skips_cards_sent_through_inline_mode(tmp_path, base):
    harness = await start_harness(tmp_path, base)
    harness.app.bot_data["surfaces"].chats.update(GROUP["id"], auto_check=True)
    via_bot = message(MALI_CLAIM, via_bot=CLAIMBOT_USER)
    assert await harness.feed({"message": via_bot}) == []
    await harness.app.shutdown()


async def test_edited_messages_never_trigger(tmp_path, base):
    harness = await start_harness(tmp_path, base)
    harness.app.bot_data["surfaces"].chats.update(GROUP["id"], auto_check=True)
    stated = message(MALI_CLAIM, sender=BRUNO, message_id=10)
    edited_check = message("/check@claimbot", message_id=11, reply_to=stated, edit_date=DATE_EDIT)
    edited_claim = message(MALI_CLAIM, message_id=12, edit_date=DATE_EDIT)
    assert await harness.feed({"edited_message": edited_check}, {"edited_message": edited_claim}) == []
    await harness.app.shutdown()


DATE_EDIT = 1722800100


async def test_reply_to_the_bot_continues_the_conversation(tmp_path, base):
    harness = await start_harness(tmp_path, base,
                                  group_thresholds=Thresholds(answer=101.0, suggest=40.0, margin=6.0))
    calls = await harness.feed({"message": message("/ask@claimbot Did Mali cut diplomatic ties with Ukraine?")})
    suggestion = calls[0]
    bot_message = {"message_id": 500, "date": 1722800001, "chat": GROUP, "from": CLAIMBOT_USER,
                   "text": "🔎 Perhaps: Mali cuts ties · details in private",
                   "entities": [{"type": "text_link", "offset": 31, "length": 18,
                                 "url": f"https://t.me/claimbot?start=claim-{MALI_ID}"}]}
    assert "start=claim-" in suggestion.params["text"]
    yes = await harness.feed({"message": message("yes", message_id=501, reply_to=bot_message)})
    assert len(yes) == 1 and f"<code>{MALI_ID}</code>" in card_of(yes[0])
    thanks = await harness.feed({"message": message("thanks a lot", message_id=502, reply_to=bot_message)})
    assert thanks == []
    logged = [q.question for q in QuestionLog(tmp_path / "claims.questions.jsonl")]
    assert logged == ["Did Mali cut diplomatic ties with Ukraine?"]  # the /ask, not the "thanks"
    await harness.app.shutdown()


async def test_why_in_reply_to_an_inferred_card_shows_the_chain(bot):
    asked = await bot.feed({"message": message("/ask@claimbot Does Ukraine support jihadists in Mali?")})
    card = card_of(asked[0])
    claim_id = "article-thesis-ukraine-indirectly-aids-jihadists"
    assert f"<code>{claim_id}</code>" in card
    plain_text = "… 🆔 " + claim_id
    bot_message = {"message_id": 600, "date": 1722800001, "chat": GROUP, "from": CLAIMBOT_USER, "text": plain_text,
                   "entities": [{"type": "code", "offset": 5, "length": len(claim_id)}]}
    why = await bot.feed({"message": message("pourquoi ?", message_id=601, sender=BRUNO, reply_to=bot_message)})
    assert len(why) == 1
    assert why[0].params["text"].startswith("Pourquoi c'est inféré")


async def test_a_question_in_reply_to_the_bot_is_answered(bot):
    bot_message = {"message_id": 700, "date": 1722800001, "chat": GROUP, "from": CLAIMBOT_USER, "text": "…"}
    calls = await bot.feed({"message": message("And did Niger break off relations with Ukraine on 6 August?",
                                               message_id=701, reply_to=bot_message)})
    assert len(calls) == 1 and "niger-cuts-ties-with-ukraine" in card_of(calls[0])


async def test_mention_after_emoji_is_cut_by_utf16_offsets(bot, tmp_path):
    text = "🇲🇱🇺🇦 @claimbot Le Mali a-t-il rompu avec l'Ukraine ?"
    offset = len("🇲🇱🇺🇦 ".encode("utf-16-le")) // 2
    assert offset != len("🇲🇱🇺🇦 ")  # the point of the test: UTF-16 units are not Python characters
    calls = await bot.feed({"message": message(text, entities=[{"type": "mention", "offset": offset, "length": 9}])})
    assert len(calls) == 1
    asked = list(QuestionLog(tmp_path / "claims.questions.jsonl"))
    assert asked[-1].question == "🇲🇱🇺🇦 Le Mali a-t-il rompu avec l'Ukraine ?"


async def test_command_after_emoji_is_not_a_command(bot):
    text = "👍 /ask@claimbot Did Mali cut ties with Ukraine?"
    entities = [{"type": "bot_command", "offset": 3, "length": 13}]
    assert await bot.feed({"message": message(text, entities=entities)}) == []


async def test_emoji_in_the_question_after_a_command(bot):
    calls = await bot.feed({"message": message("/ask@claimbot 🇲🇱 Did Mali cut diplomatic ties with Ukraine? 🤔")})
    assert len(calls) == 1 and MALI_ID in card_of(calls[0])


async def test_question_throttle_is_polite_then_silent(tmp_path, base):
    harness = await start_harness(tmp_path, base, questions_per_minute=3)
    ask = {"message": message("/ask@claimbot Did Mali cut diplomatic ties with Ukraine?")}
    calls = [await harness.feed(ask) for _ in range(5)]
    assert [len(c) for c in calls] == [1, 1, 1, 1, 0]
    assert "wait a minute" in card_of(calls[3][0])
    other_user = await harness.feed({"message": message("/ask@claimbot Did Mali cut diplomatic ties with Ukraine?",
                                                        sender=BRUNO)})
    assert len(other_user) == 1 and MALI_ID in card_of(other_user[0])
    await harness.app.shutdown()


async def test_offline_runs_are_not_throttled_by_default(bot):
    ask = {"message": message("/ask@claimbot Did Mali cut diplomatic ties with Ukraine?")}
    calls = [await bot.feed(ask) for _ in range(25)]
    assert all(len(c) == 1 and MALI_ID in card_of(c[0]) for c in calls)


async def test_private_questions_are_throttled_too(tmp_path, base):
    harness = await start_harness(tmp_path, base, questions_per_minute=1)
    chat = {"id": ALICE["id"], "type": "private", "first_name": "Alice"}
    calls = [await harness.feed({"message": message("Did Mali cut ties with Ukraine?", chat=chat)})
             for _ in range(3)]
    assert [len(c) for c in calls] == [1, 1, 0]
    assert "wait a minute" in card_of(calls[1][0])
    await harness.app.shutdown()


async def test_in_a_forum_topic_the_topic_opening_is_not_a_reply(bot):
    opening = message(chat=GROUP, message_id=70, message_thread_id=70,
                      forum_topic_created={"name": "Mali", "icon_color": 7322096})
    check = message("/check@claimbot", message_id=71, reply_to=opening, message_thread_id=70, is_topic_message=True)
    calls = await bot.feed({"message": check})
    assert len(calls) == 1 and "Reply /check@claimbot" in card_of(calls[0])
    assert calls[0].params["message_thread_id"] == 70


async def test_forum_topic_replies_stay_in_the_topic(bot):
    calls = await bot.feed({"message": message("/ask@claimbot Did Mali cut diplomatic ties with Ukraine?",
                                               message_thread_id=77, is_topic_message=True)})
    assert calls[0].params["message_thread_id"] == 77


# --- settings -------------------------------------------------------------------------------------------

async def test_settings_refused_to_non_admins(bot):
    calls = await bot.feed({"message": message("/settings@claimbot")})
    assert [c.method for c in calls] == ["getChatMember", "sendMessage"]
    assert calls[0].params["user_id"] == ALICE["id"]
    assert "Only the group's admins" in calls[1].params["text"]
    assert GROUP["id"] not in bot.app.bot_data["surfaces"].chats


async def test_settings_panel_and_buttons_for_admins(tmp_path, base):
    harness = await start_harness(tmp_path, base, ScriptedRequest(admins={ADMIN["id"]}))
    calls = sends(await harness.feed({"message": message("/settings@claimbot", sender=ADMIN, message_id=5)}))
    assert len(calls) == 1
    keyboard = calls[0].params["reply_markup"]["inline_keyboard"]
    data = [b["callback_data"] for row in keyboard for b in row]
    assert "gs:auto:on" in data and "gs:lang:fr" in data and all(len(d.encode()) <= 64 for d in data)
    panel = {"message_id": 900, "date": DATE_EDIT, "chat": GROUP, "from": CLAIMBOT_USER, "text": "Settings"}

    def tap(user, data_):
        return {"callback_query": {"id": f"cb{user['id']}{data_}", "from": user, "chat_instance": "ci",
                                   "message": panel, "data": data_}}

    refused = await harness.feed(tap(BRUNO, "gs:auto:on"))
    assert [c.method for c in refused] == ["getChatMember", "answerCallbackQuery"]
    assert refused[1].params["show_alert"] is True
    assert harness.app.bot_data["surfaces"].chats.get(GROUP["id"]).auto_check is False

    done = sends(await harness.feed(tap(ADMIN, "gs:auto:on"), tap(ADMIN, "gs:lang:fr"), tap(ADMIN, "gs:hours:72")))
    assert [c.method for c in done].count("editMessageText") == 3
    stored = ChatStore(tmp_path / "claims.chats.json").get(GROUP["id"])  # persisted, read back from the file
    assert (stored.auto_check, stored.lang, stored.auto_hours) == (True, "fr", 72.0)
    assert "⚠️" in done[-2].params["text"]  # the bot is not an admin and privacy mode is on: it says so

    forged = await harness.feed(tap(ADMIN, "gs:hours:99999"))
    assert [c.method for c in sends(forged)] == ["answerCallbackQuery"]
    assert ChatStore(tmp_path / "claims.chats.json").get(GROUP["id"]).auto_hours == 72.0

    french = await harness.feed({"message": message("/ask@claimbot What's the weather in Paris?", message_id=6)})
    assert card_of(french[0]) == "Aucune affirmation de la base ne correspond."
    await harness.app.shutdown()


async def test_anonymous_admin_gets_the_panel_without_lookup(bot):
    calls = await bot.feed({"message": message("/settings@claimbot", sender=ANONYMOUS_ADMIN_BOT, sender_chat=GROUP)})
    assert [c.method for c in calls] == ["sendMessage"]
    assert "reply_markup" in calls[0].params


async def test_migrated_group_keeps_its_settings(tmp_path, base):
    harness = await start_harness(tmp_path, base)
    chats: ChatStore = harness.app.bot_data["surfaces"].chats
    chats.update(OLD_GROUP["id"], auto_check=True, lang="fr")
    to_new = message(chat=OLD_GROUP, migrate_to_chat_id=GROUP["id"])
    from_old = message(chat=GROUP, sender=ALICE, migrate_from_chat_id=OLD_GROUP["id"], message_id=2)
    assert await harness.feed({"message": to_new}, {"message": from_old}) == []
    reread = ChatStore(tmp_path / "claims.chats.json")
    assert OLD_GROUP["id"] not in reread
    assert (reread.get(GROUP["id"]).auto_check, reread.get(GROUP["id"]).lang) == (True, "fr")
    noted = await harness.feed({"message": message(MALI_CLAIM, message_id=3)})
    assert len(noted) == 1 and "Contexte" in card_of(noted[0])
    await harness.app.shutdown()




async def test_group_command_menus(bot):
    await set_group_commands(bot.app.bot)
    calls = bot.request.take()
    menus = {(c.params["scope"]["type"], c.params.get("language_code")): [x["command"] for x in c.params["commands"]]
             for c in calls}
    assert menus[("all_group_chats", None)] == ["ask", "check", "why", "claim", "help"]
    assert menus[("all_chat_administrators", "fr")] == ["ask", "check", "why", "claim", "help", "settings"]


async def test_reply_to_a_link_holding_a_digest_finds_the_claim(tmp_path, base):
    from dataclasses import replace

    from bot.render_surfaces import deep_link

    odd = replace(base.get(MALI_ID), id="mali:ties.2024")
    base.save(odd)
    harness = await start_harness(tmp_path, base)
    bot_message = {"message_id": 500, "date": 1722800001, "chat": GROUP, "from": CLAIMBOT_USER,
                   "text": "🔎 Perhaps: Mali cuts ties · details in private",
                   "entities": [{"type": "text_link", "offset": 31, "length": 18, "url": deep_link("claimbot", odd.id)}]}
    assert "start=cref-" in bot_message["entities"][0]["url"]
    yes = await harness.feed({"message": message("yes", message_id=501, reply_to=bot_message)})
    assert len(yes) == 1 and "<code>mali:ties.2024</code>" in card_of(yes[0])
    await harness.app.shutdown()


async def test_small_talk_in_a_group_is_quiet_and_not_logged(bot, tmp_path):
    bot_message = {"message_id": 800, "date": 1722800001, "chat": GROUP, "from": CLAIMBOT_USER, "text": "…"}
    mention = [{"type": "mention", "offset": 0, "length": 9}]
    calls = await bot.feed({"message": message("@claimbot thanks!", message_id=801, entities=mention)},
                           {"message": message("merci 🙏", message_id=802, reply_to=bot_message)},
                           {"message": message("hello", message_id=803)})
    assert calls == []
    usage = await bot.feed({"message": message("/ask@claimbot hello", message_id=804)})  # a command gets one line
    assert len(usage) == 1 and "/ask@claimbot" in card_of(usage[0])
    said = message("Thanks everyone!", sender=BRUNO, message_id=805)
    checked = await bot.feed({"message": message("/check@claimbot", message_id=806, reply_to=said)})
    assert len(checked) == 1 and card_of(checked[0]) == "No claim in the base matches this."
    assert list(QuestionLog(tmp_path / "claims.questions.jsonl")) == []


async def test_a_group_card_speaks_of_an_article_only_when_the_claim_records_one(tmp_path):

    harness = await start_harness(tmp_path, ClaimBase.open(import_without_article(tmp_path)))
    calls = await harness.feed({"message": message("/ask@claimbot Did Mali expel the French ambassador?")},
                               {"message": message(f"/ask@claimbot {MALI_CLAIM}", message_id=2)})
    bare, read = (card_of(c) for c in calls)
    assert "<code>plain-1</code>" in bare and "<b>Stated by</b>:\n• <b>Reuters</b>" in bare and "article" not in bare
    assert f"<code>{MALI_ID}</code>" in read and "(as cited by the article)" in read
    await harness.app.shutdown()


async def test_a_retired_premise_is_marked_on_the_group_card_and_its_chain(tmp_path, retired_base):
    harness = await start_harness(tmp_path, retired_base)
    asked = await harness.feed({"message": message("/ask@claimbot Does Ukraine support jihadists in Mali?")})
    card = card_of(asked[0])
    assert f"<code>{THESIS}</code>" in card
    assert "Part of what this rests on has been retired by the moderators" in card
    assert RETIRED_MARK in premise_line(card, RETIRED_PREMISE)
    bot_message = {"message_id": 600, "date": 1722800001, "chat": GROUP, "from": CLAIMBOT_USER,
                   "text": "… 🆔 " + THESIS, "entities": [{"type": "code", "offset": 5, "length": len(THESIS)}]}
    why = card_of((await harness.feed({"message": message("pourquoi ?", message_id=601, sender=BRUNO,
                                                             reply_to=bot_message)}))[0])
    assert "[retirée par les modérateurs]" in premise_line(why, RETIRED_PREMISE)
    await harness.app.shutdown()


# --- /why and /claim in a group -------------------------------------------------------------------

WHY_HEAD = "Why this is inferred, step by step:"


def card_message(card: str, message_id: int = 900) -> dict:
    """The bot's card as a group member's client holds it: plain text, the ids as code entities."""
    text, entities = "", []
    for piece in re.split(r"(<code>.*?</code>)", card):
        if piece.startswith("<code>"):
            value = html.unescape(piece[6:-7])
            entities.append({"type": "code", "offset": len(text.encode("utf-16-le")) // 2,
                             "length": len(value.encode("utf-16-le")) // 2})
            text += value
        else:
            text += html.unescape(re.sub(r"<[^>]+>", "", piece))
    return {"message_id": message_id, "date": 1722800001, "chat": GROUP, "from": CLAIMBOT_USER, "text": text,
            "entities": entities}


async def test_the_full_chain_command_a_group_card_names_works(bot):
    """A group card ends "Full chain: /why@<bot> <id>": sent as it reads, it gets the chain."""
    card = card_of((await bot.feed({"message": message("/ask@claimbot Does Ukraine support jihadists in Mali?")}))[0])
    hint = re.search(r"Full chain: (/why@claimbot) (\S+)$", card)
    assert hint is not None, card.splitlines()[-1]
    sent = f"{hint.group(1)} {hint.group(2)}"
    why = await bot.feed({"message": message(sent, message_id=2)})
    assert len(why) == 1 and card_of(why[0]).startswith(WHY_HEAD)
    assert f"<code>{THESIS}</code>" in card_of(why[0]) and why[0].params["reply_parameters"]["message_id"] == 2


async def test_why_and_claim_commands_in_reply_to_a_card_open_its_claim(bot):
    card = card_of((await bot.feed({"message": message("/ask@claimbot Does Ukraine support jihadists in Mali?")}))[0])
    on_card = card_message(card)
    why = await bot.feed({"message": message("/why@claimbot", message_id=3, sender=BRUNO, reply_to=on_card)})
    assert len(why) == 1 and card_of(why[0]).startswith("Pourquoi c'est inféré")
    claim = await bot.feed({"message": message("/claim@claimbot", message_id=4, reply_to=on_card)})
    assert len(claim) == 1 and card_of(claim[0]).endswith(f"Full chain: /why@claimbot {THESIS}")
    by_id = await bot.feed({"message": message(f"/claim@claimbot {MALI_ID}", message_id=5)})
    assert len(by_id) == 1 and f"🆔 <code>{MALI_ID}</code>" in card_of(by_id[0])
    explicit = await bot.feed({"message": message(f"/why@claimbot {MALI_ID}", message_id=6)})
    assert card_of(explicit[0]).startswith("This claim is explicit")


async def test_why_without_a_claim_gets_one_line_and_other_bots_nothing(bot):
    bare = await bot.feed({"message": message("/why@claimbot", message_id=10)})
    assert len(bare) == 1 and "/why@claimbot" in card_of(bare[0]) and "\n" not in card_of(bare[0])
    none_line = {"message_id": 11, "date": 1722800001, "chat": GROUP, "from": CLAIMBOT_USER,
                 "text": "No claim in the base matches this."}
    on_none = await bot.feed({"message": message("/why@claimbot", message_id=12, reply_to=none_line)})
    assert len(on_none) == 1 and card_of(on_none[0]) == card_of(bare[0])
    unknown = await bot.feed({"message": message("/claim@claimbot <no-such>", message_id=13)})
    assert len(unknown) == 1
    assert card_of(unknown[0]).startswith("There is no claim with the id &lt;no-such&gt;. To look a claim up: /ask@")
    others = await bot.feed({"message": message(f"/why@otherbot {THESIS}", message_id=14)},
                            {"message": message(f"/claim@otherbot {MALI_ID}", message_id=15)})
    assert others == []


async def test_why_in_a_group_counts_against_the_question_throttle(tmp_path, base):
    harness = await start_harness(tmp_path, base, questions_per_minute=2)
    why = {"message": message(f"/why@claimbot {THESIS}")}
    calls = [await harness.feed(why) for _ in range(4)]
    assert [len(c) for c in calls] == [1, 1, 1, 0]
    assert card_of(calls[0][0]).startswith(WHY_HEAD) and "wait a minute" in card_of(calls[2][0])
    await harness.app.shutdown()


async def test_group_help_names_the_why_command(bot):
    calls = await bot.feed({"message": message("/help@claimbot")},
                           {"message": message("/help@claimbot", message_id=2, sender=BRUNO)})
    assert "/why@claimbot followed by its id" in card_of(calls[0])
    assert "/why@claimbot suivi de son identifiant" in card_of(calls[1])
