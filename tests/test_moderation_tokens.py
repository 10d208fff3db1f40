"""The ✅ of /add and /import, like /edit's, names the moderator who asked and the preview it was shown under: a tap
by another moderator, on an older preview, or after the conversation ended is refused with an alert and changes
nothing. Raw updates through Application.process_update, as in test_moderation."""

from __future__ import annotations

import pytest
import yaml

from test_moderation import (GROUP, MEMBER, MOD, OTHER, buttons, confirm, fifty, harness, make_settings, texts,
                             wait_for)

BIG_ID = 2 ** 52 - 1  # Telegram user ids fit in 52 bits: the longest a confirm button can have to name


@pytest.fixture
async def bot(tmp_path):
    async with harness(make_settings(tmp_path, moderator_ids=frozenset({MOD, BIG_ID}))) as h:
        yield h


def alert(calls) -> str:
    (answer,) = [c for c in calls if c.method == "answerCallbackQuery"]
    assert answer.params.get("show_alert") is True
    return answer.params["text"]


def keyboard_taken(calls) -> bool:
    return any(c.method == "editMessageReplyMarkup" for c in calls)


async def add_preview(bot, text: str, *, user: int = MOD, chat: int | None = None) -> list:
    """An explicit claim /add'ed up to its card with ✅ Save; the card's calls."""
    for step in ("/add", "/skip", text):
        await bot.send(step, user=user, chat=chat)
    await bot.tap("add:l:explicit", user=user, chat=chat)
    await bot.send("Tester", user=user, chat=chat)
    await bot.tap("add:k:0", user=user, chat=chat)
    for _ in range(3):  # date, quote, url
        await bot.send("/skip", user=user, chat=chat)
    await bot.tap("add:s:done", user=user, chat=chat)
    await bot.send("/skip", user=user, chat=chat)  # stated_in
    await bot.send("/skip", user=user, chat=chat)  # aliases
    return await bot.tap("add:id", user=user, chat=chat)


def claims_file(*ids: str) -> bytes:
    return yaml.safe_dump({"claims": [{"id": i, "text": {"en": f"Uploaded claim {i}"}, "link": "explicit",
                                       "sources": [{"name": "Tester", "kind": "press", "date": "2024"}]}
                                      for i in ids]}).encode()


async def import_plan(bot, *ids: str, user: int = MOD, chat: int | None = None) -> list:
    document = bot.request.add_file("-".join(ids), claims_file(*ids), "claims.yaml")
    return await bot.send(document=document, caption="/import", user=user, chat=chat)


# --- /add ----------------------------------------------------------------------------------------------

async def test_another_moderators_tap_on_an_add_card_saves_nothing_and_leaves_the_card(bot):
    before = bot.snapshot()
    save = confirm(await add_preview(bot, "Zorblax signed in Kidal.", chat=GROUP), f"add:ok:{MOD}:")
    for someone in (MEMBER, OTHER):  # another moderator (a member of the moderators' group), then anyone
        calls = await bot.tap(save, user=someone, chat=GROUP)
        assert "Only the moderator who asked" in alert(calls) and not keyboard_taken(calls)
    # another moderator with an /add card of their own open in the same group: still not theirs, and their own
    # draft is not saved by it either
    own = confirm(await add_preview(bot, "Quokka signed in Gao.", user=MEMBER, chat=GROUP), f"add:ok:{MEMBER}:")
    calls = await bot.tap(save, user=MEMBER, chat=GROUP)
    assert "Only the moderator who asked" in alert(calls) and not keyboard_taken(calls)
    assert bot.snapshot() == before
    assert "Saved as change <b>#1</b>" in texts(await bot.tap(save, chat=GROUP))
    assert bot.base.get("zorblax-signed-kidal") is not None and bot.base.get("quokka-signed-gao") is None
    assert "Saved as change <b>#2</b>" in texts(await bot.tap(own, user=MEMBER, chat=GROUP))
    assert bot.base.get("quokka-signed-gao") is not None


async def test_the_save_of_an_older_add_card_does_not_save_the_newer_draft(bot):
    before = bot.snapshot()
    first = confirm(await add_preview(bot, "Zorblax signed in Kidal."), "add:ok:")
    await bot.send("/cancel")
    second = confirm(await add_preview(bot, "Quokka signed in Gao."), "add:ok:")
    assert first != second
    calls = await bot.tap(first)
    assert "out of date" in alert(calls) and keyboard_taken(calls)  # the asker's own old card loses its buttons
    assert bot.snapshot() == before
    # switching the card's language shows a newer card: the one before it is out of date too
    third = confirm(await bot.tap("add:v:fr"), "add:ok:")
    assert "out of date" in alert(await bot.tap(second)) and bot.snapshot() == before
    assert "Saved" in texts(await bot.tap(third))
    assert bot.base.get("quokka-signed-gao") is not None and bot.base.get("zorblax-signed-kidal") is None


async def test_an_add_card_after_its_conversation_ended_saves_nothing(tmp_path):
    async with harness(make_settings(tmp_path, moderation_timeout=0.3)) as bot:
        before = bot.snapshot()
        save = confirm(await add_preview(bot, "Zorblax signed in Kidal."), "add:ok:")
        await wait_for(lambda: any("Stopped after" in str(c.params.get("text")) for c in bot.request.calls))
        bot.request.take()
        assert "This step is over" in alert(await bot.tap(save))
        assert "Only the moderator who asked" in alert(await bot.tap(save, user=OTHER))
        save = confirm(await add_preview(bot, "Quokka signed in Gao."), "add:ok:")
        await bot.send("/cancel")
        assert "This step is over" in alert(await bot.tap(save))
        assert bot.snapshot() == before


# --- /import -------------------------------------------------------------------------------------------

async def test_another_moderators_tap_on_an_import_summary_applies_nothing(bot):
    before = bot.snapshot()
    apply = confirm(await import_plan(bot, "up-a", chat=GROUP), f"im:ok:{MOD}:")
    for someone in (MEMBER, OTHER):
        calls = await bot.tap(apply, user=someone, chat=GROUP)
        assert "Only the moderator who sent this file" in alert(calls) and not keyboard_taken(calls)
    own = confirm(await import_plan(bot, "up-b", user=MEMBER, chat=GROUP), f"im:ok:{MEMBER}:")
    calls = await bot.tap(apply, user=MEMBER, chat=GROUP)  # their own import open: not applied, nor is theirs
    assert "Only the moderator who sent this file" in alert(calls)
    assert bot.snapshot() == before and not bot.settings.backups.exists()
    assert "Imported" in texts(await bot.tap(apply, chat=GROUP))
    assert bot.base.get("up-a") is not None and bot.base.get("up-b") is None
    # theirs was planned before the base changed: it says so, rather than apply
    assert "The base changed since this summary" in texts(await bot.tap(own, user=MEMBER, chat=GROUP))
    assert bot.base.get("up-b") is None


async def test_the_apply_of_an_older_import_summary_does_not_apply_the_newer_file(bot):
    before = bot.snapshot()
    first = confirm(await import_plan(bot, "up-a"), "im:ok:")
    await bot.send("/cancel")
    second = confirm(await import_plan(bot, "up-b"), "im:ok:")
    assert first != second
    calls = await bot.tap(first)
    assert "This summary is out of date" in alert(calls) and keyboard_taken(calls)
    assert bot.snapshot() == before and not bot.settings.backups.exists()
    assert "Imported" in texts(await bot.tap(second))
    assert bot.base.get("up-b") is not None and bot.base.get("up-a") is None
    assert "This step is over" in alert(await bot.tap(second))  # once applied, a second tap does nothing
    assert bot.store.audit_head() == 1


async def test_an_import_summary_after_cancel_applies_nothing(bot):
    before = bot.snapshot()
    apply = confirm(await import_plan(bot, "up-a"), "im:ok:")
    assert "Cancelled" in texts(await bot.tap("im:no"))
    assert "This step is over" in alert(await bot.tap(apply))
    assert bot.snapshot() == before


@pytest.mark.parametrize("lang, stale, not_yours", [
    ("en", "This summary is out of date", "Only the moderator who sent this file"),
    ("fr", "Ce résumé est périmé", "Seul le modérateur qui a envoyé ce fichier")])
async def test_the_import_alerts_are_in_the_tappers_language(bot, lang, stale, not_yours):
    bot.language_codes[MOD] = bot.language_codes[MEMBER] = lang
    first = confirm(await import_plan(bot, "up-a", chat=GROUP), "im:ok:")
    assert not_yours in alert(await bot.tap(first, user=MEMBER, chat=GROUP))
    await bot.send("/cancel", chat=GROUP)
    await import_plan(bot, "up-b", chat=GROUP)
    assert stale in alert(await bot.tap(first, chat=GROUP))


async def test_confirm_buttons_of_the_longest_user_id_fit_telegrams_64_bytes(bot):
    add = confirm(await add_preview(bot, "Zorblax signed in Kidal.", user=BIG_ID), f"add:ok:{BIG_ID}:")
    await bot.send("/cancel", user=BIG_ID)
    apply = confirm(await import_plan(bot, "up-a", user=BIG_ID), f"im:ok:{BIG_ID}:")
    assert max(len(add.encode()), len(apply.encode())) <= 64  # confirm() checks each too
    assert "Imported" in texts(await bot.tap(apply, user=BIG_ID))
