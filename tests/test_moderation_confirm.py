"""A one-line /edit that makes a claim explicit, or changes the sources of an explicit claim, shows the card readers
will see and a one-line warning, and saves only on the ✅ of the moderator who asked (CLAIMS.md: explicit means the
stated source says the claim itself). Raw updates through Application.process_update, as in test_moderation."""

from __future__ import annotations

import pytest

from bot.render import render_claim
from test_moderation import EXPLICIT_ID, GROUP, MEMBER, MOD, OTHER, buttons, harness, make_settings, texts, wait_for

from helpers.telegram_html import check_telegram_html

INFERRED_ID = "yusov-words-read-as-implicit-admission"
MAKE_EXPLICIT = f"/edit {INFERRED_ID} link explicit"
WARNING = "Explicit means the stated source says this claim itself"


@pytest.fixture
async def bot(tmp_path):
    async with harness(make_settings(tmp_path)) as h:
        yield h


def alert(calls) -> str:
    (answer,) = [c for c in calls if c.method == "answerCallbackQuery"]
    assert answer.params.get("show_alert") is True
    return answer.params["text"]


def save_button(calls) -> str:
    (data,) = [b for b in buttons(calls) if b.startswith("ed:ok")]
    assert len(data.encode()) <= 64
    return data


async def test_making_an_inferred_claim_explicit_shows_the_card_and_saves_only_on_confirm(bot):
    before = bot.snapshot()
    calls = await bot.send(MAKE_EXPLICIT)
    assert bot.snapshot() == before and bot.base.get(INFERRED_ID).link == "inferred"
    sent = [c for c in calls if c.method == "sendMessage"]
    assert len(sent) == 2
    warning, card = (c.params["text"] for c in sent)
    head, dropped = warning.split("\n")
    assert WARNING in head
    rested_on = ", ".join(f"<code>{i}</code>" for i in bot.base.get(INFERRED_ID).rests_on)
    assert f"Saving also drops what it rests on ({rested_on}) and its reasoning" in dropped
    assert "✅ <b>Explicit</b>: stated directly by pgibertie." in card and "Inferred" not in card
    for text in (warning, card):
        check_telegram_html(text)
    assert buttons(sent[:1]) == [] and buttons(sent[1:]) == [save_button(calls), "ed:no"]
    saved = await bot.tap(save_button(calls))
    assert "Saved as change <b>#1</b>" in texts(saved)
    claim = bot.base.get(INFERRED_ID)
    assert claim.link == "explicit" and claim.rests_on == () and claim.reasoning == {}  # kept, it was never shown
    assert card == render_claim(bot.base, claim, "en").text  # exactly what readers now see
    assert "This step is over" in alert(await bot.tap(save_button(calls)))  # a second tap saves nothing more
    assert bot.store.audit_head() == 1


async def test_cancel_changes_nothing(bot):
    before = bot.snapshot()
    calls = await bot.send(MAKE_EXPLICIT)
    assert "Cancelled. Nothing was changed." in texts(await bot.tap("ed:no"))
    assert "This step is over" in alert(await bot.tap(save_button(calls)))
    assert bot.snapshot() == before
    calls = await bot.send(MAKE_EXPLICIT)
    assert "Cancelled" in texts(await bot.send("/cancel"))
    assert "This step is over" in alert(await bot.tap(save_button(calls)))
    assert bot.snapshot() == before


async def test_only_the_moderator_who_asked_can_confirm(bot):
    before = bot.snapshot()
    calls = await bot.send(MAKE_EXPLICIT, chat=GROUP)
    data = save_button(calls)
    for someone in (MEMBER, OTHER):  # another moderator (a member of the moderators' group), then anyone
        assert "Only the moderator who asked" in alert(await bot.tap(data, user=someone, chat=GROUP))
        assert bot.snapshot() == before
    # another moderator with an /edit card of their own open in the same group: still not theirs to confirm
    own = save_button(await bot.send(f"/edit {EXPLICIT_ID} sources.1.name Someone else", user=MEMBER, chat=GROUP))
    assert "Only the moderator who asked" in alert(await bot.tap(data, user=MEMBER, chat=GROUP))
    assert bot.snapshot() == before
    assert "Saved" in texts(await bot.tap(data, chat=GROUP))
    assert bot.base.get(INFERRED_ID).link == "explicit"
    assert "Saved" in texts(await bot.tap(own, user=MEMBER, chat=GROUP))


async def test_a_stale_confirm_is_refused_and_changes_nothing(bot):
    before = bot.snapshot()
    first = save_button(await bot.send(MAKE_EXPLICIT))
    await bot.send("/cancel")
    second = save_button(await bot.send(f"/edit {EXPLICIT_ID} sources.1.name Someone else"))
    assert first != second
    assert "out of date" in alert(await bot.tap(first))  # the Save of an older card does not save the newer one
    assert bot.snapshot() == before
    # the claim changes elsewhere (the moderators' group) after the preview: its Save writes nothing
    assert "Saved" in texts(await bot.send(f"/edit {EXPLICIT_ID} title Mali breaks with Kyiv", chat=GROUP))
    changed = bot.snapshot()
    reply = texts(await bot.tap(second))
    assert "changed since this preview" in reply and "Nothing was written" in reply
    assert bot.snapshot() == changed and bot.base.get(EXPLICIT_ID).sources[0].name != "Someone else"


async def test_an_expired_confirm_is_refused_and_changes_nothing(tmp_path):
    async with harness(make_settings(tmp_path, moderation_timeout=0.3)) as bot:
        before = bot.snapshot()
        data = save_button(await bot.send(MAKE_EXPLICIT))
        await wait_for(lambda: any("Stopped after" in str(c.params.get("text")) for c in bot.request.calls))
        bot.request.take()
        assert "This step is over" in alert(await bot.tap(data))
        assert bot.snapshot() == before


async def test_changing_the_sources_of_an_explicit_claim_asks_too(bot):
    before = bot.snapshot()
    calls = await bot.send(f"/edit {EXPLICIT_ID} sources.1.name Someone else")
    assert WARNING in texts(calls) and "stated directly by Someone else" in texts(calls)
    assert bot.snapshot() == before
    await bot.tap(save_button(calls))
    assert bot.base.get(EXPLICIT_ID).sources[0].name == "Someone else"


@pytest.mark.parametrize("command", [f"/edit {INFERRED_ID} title Yusov's words, read as an admission",
                                     f"/edit {INFERRED_ID} sources.1.date 2024",  # who infers, not who states
                                     f"/edit {EXPLICIT_ID} text.en Mali cut ties with Ukraine at once."])
async def test_other_one_line_edits_still_save_at_once(bot, command):
    calls = await bot.send(command)
    assert "Saved as change <b>#1</b>" in texts(calls) and not any(b.startswith("ed:ok") for b in buttons(calls))


async def test_a_refused_change_is_refused_at_once(bot):
    before = bot.snapshot()
    calls = await bot.send(f"/edit {EXPLICIT_ID} link explicit")  # already explicit
    assert "changes nothing" in texts(calls) and not buttons(calls)
    assert bot.snapshot() == before


async def test_the_warning_and_buttons_follow_the_moderators_language(bot):
    bot.language_codes[MOD] = "fr"
    calls = await bot.send(MAKE_EXPLICIT)
    text = texts(calls)
    assert "Explicite veut dire que la source nommée dit elle-même cette affirmation" in text
    assert "✅ <b>Explicite</b> : affirmé directement par pgibertie." in text and WARNING not in text
    labels = [b["text"] for c in calls for row in (c.params.get("reply_markup") or {}).get("inline_keyboard", [])
              for b in row]
    assert labels == ["✅ Enregistrer", "✖ Annuler"]


async def test_the_help_says_which_one_line_edits_ask_to_confirm(bot):
    assert "asks you to confirm" in texts(await bot.send("/modhelp"))
    bot.language_codes[MOD] = "fr"
    assert "demande confirmation" in texts(await bot.send("/modhelp"))


async def test_the_step_by_step_edit_warns_the_same_way(bot):
    await bot.send(f"/edit {INFERRED_ID} link")
    calls = await bot.tap("ed:v:explicit")
    assert WARNING in texts(calls) and "stated directly by pgibertie" in texts(calls)
    await bot.tap(save_button(calls))
    assert bot.base.get(INFERRED_ID).link == "explicit"
    await bot.send(f"/edit {INFERRED_ID} title")
    calls = await bot.send("Yusov's words")  # no change of who states it: the card alone
    assert WARNING not in texts(calls) and save_button(calls)
