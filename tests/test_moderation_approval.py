"""EXPLICIT_NEEDS_SECOND_MODERATOR through the bot: a change confirmed by its author that makes a claim stated by its
sources waits; another moderator approves it (✅ under /pending, tokened) or rejects it (✖, or /reject with a
reason); its author cannot approve it. Raw updates through Application.process_update, as in test_moderation, with
two moderator ids (and a member of the moderators' group)."""

from __future__ import annotations

import pytest
import yaml

from test_moderation import EXPLICIT_ID, GROUP, MEMBER, MOD, OTHER, buttons, harness, make_settings, texts

from helpers.telegram_html import check_telegram_html

SECOND = 444
INFERRED_ID = "yusov-words-read-as-implicit-admission"


@pytest.fixture
def settings(tmp_path):
    return make_settings(tmp_path, moderator_ids=frozenset({MOD, SECOND}), explicit_needs_second_moderator=True)


@pytest.fixture
async def bot(settings):
    async with harness(settings) as h:
        yield h


def alert(calls) -> str:
    (answer,) = [c for c in calls if c.method == "answerCallbackQuery"]
    assert answer.params.get("show_alert") is True
    return answer.params["text"]


def sent_to(calls, chat_id: int) -> str:
    return "\n".join(str(c.params.get("text")) for c in calls
                     if c.method == "sendMessage" and c.params.get("chat_id") == chat_id)


def pending_buttons(calls, number: int) -> tuple[str, str]:
    """The ✅ and ✖ data of pending change number, each within Telegram's 64 bytes."""
    (approve,) = [b for b in buttons(calls) if b.startswith(f"pa:y:{number}:")]
    (reject,) = [b for b in buttons(calls) if b.startswith(f"pa:n:{number}:")]
    assert max(len(approve.encode()), len(reject.encode())) <= 64
    assert approve.split(":")[3] == reject.split(":")[3] and len(approve.split(":")[3]) == 8  # its token
    return approve, reject


async def propose_explicit(bot, user: int = MOD) -> list:
    """/edit INFERRED_ID link explicit, confirmed by user on its card; the calls of the confirm."""
    card = await bot.send(f"/edit {INFERRED_ID} link explicit", user=user)
    assert "does not make it live: it goes to a second moderator" in texts(card)
    (save,) = [b for b in buttons(card) if b.startswith("ed:ok:")]
    return await bot.tap(save, user=user)


def claims_file(*ids: str, link: str = "explicit") -> bytes:
    return yaml.safe_dump({"claims": [{"id": i, "text": {"en": f"Uploaded claim {i}"}, "link": link,
                                       "sources": [{"name": "Tester", "kind": "press", "date": "2024"}]}
                                      for i in ids]}).encode()


async def test_a_claim_made_explicit_waits_and_readers_still_read_it_as_inferred(bot):
    before = bot.snapshot()[1], bot.base.get(INFERRED_ID)
    calls = await propose_explicit(bot)
    reply = sent_to(calls, MOD)
    assert "<b>Not live yet</b>: saved as pending change <b>P1</b>" in reply and "/pending 1" in reply
    assert "link: inferred → explicit" in reply
    check_telegram_html(reply)
    assert "Pending change <b>P1</b> by moderator 111 waits for a second moderator" in sent_to(calls, GROUP)
    assert (bot.store.audit_head(), bot.base.get(INFERRED_ID)) == before
    card = texts(await bot.send(f"/claim {INFERRED_ID}", user=OTHER))
    assert "Inferred" in card and "Explicit" not in card


async def test_another_moderator_approves_it_exactly_as_proposed_and_both_are_recorded(bot):
    await propose_explicit(bot)
    listing = await bot.send("/pending", user=SECOND)
    shown = texts(listing)
    assert "<b>Waiting for a second moderator</b> (1 change, oldest first)" in shown
    assert "<b>P1</b>" in shown and "moderator 111" in shown and "link: inferred → explicit" in shown
    check_telegram_html(shown)
    approve, _ = pending_buttons(listing, 1)
    calls = await bot.tap(approve, user=SECOND)
    done = sent_to(calls, SECOND)
    assert "Saved as change <b>#1</b>" in done and "Undo: /undo 1" in done
    assert "Proposed by moderator 111 as pending change P1; approved by moderator 444." in done
    assert any(c.method == "editMessageReplyMarkup" for c in calls)  # its buttons go; the others' stay
    assert "Your pending change <b>P1</b> was approved by moderator 444: live as change <b>#1</b>" in sent_to(calls, MOD)
    claim = bot.base.get(INFERRED_ID)
    assert claim.link == "explicit" and claim.rests_on == ()
    assert "No change is waiting" in texts(await bot.send("/pending", user=SECOND))
    history = texts(await bot.send(f"/history {INFERRED_ID}", user=SECOND))
    assert "moderator 111, approved by moderator 444 · edit link" in history
    assert "Saved as change <b>#2</b> (undo)" in texts(await bot.send("/undo 1", user=MOD))
    assert bot.base.get(INFERRED_ID).link == "inferred"


async def test_the_author_cannot_approve_their_own_change(bot):
    await propose_explicit(bot)
    approve, _ = pending_buttons(await bot.send("/pending"), 1)
    before = bot.snapshot()
    calls = await bot.tap(approve)
    assert "You proposed this change: another moderator approves it. Nothing was changed." == alert(calls)
    assert not any(c.method == "editMessageReplyMarkup" for c in calls) and bot.snapshot() == before
    assert bot.base.get(INFERRED_ID).link == "inferred"
    bot.language_codes[MOD] = "fr"
    assert "Vous avez proposé cette modification" in alert(await bot.tap(approve))
    assert "Saved as change" in texts(await bot.tap(approve, user=MEMBER, chat=GROUP))  # a group member may


async def test_a_claim_changed_meanwhile_is_not_overwritten(bot):
    await propose_explicit(bot)
    approve, _ = pending_buttons(await bot.send("/pending", user=SECOND), 1)
    assert "Saved" in texts(await bot.send(f"/edit {INFERRED_ID} title Yusov's words, read", user=MOD))
    listing = texts(await bot.send("/pending", user=SECOND))
    assert f"Changed since it was proposed: <code>{INFERRED_ID}</code>" in listing
    before = bot.snapshot()
    calls = await bot.tap(approve, user=SECOND)
    assert f"Not applied: <code>{INFERRED_ID}</code> changed since pending change <b>P1</b>" in texts(calls)
    assert bot.snapshot() == before and bot.base.get(INFERRED_ID).link == "inferred"
    assert bot.base.get(INFERRED_ID).title == "Yusov's words, read"


async def test_rejection_records_who_and_why_and_tells_the_author(bot):
    await propose_explicit(bot)
    before = bot.snapshot()[1], bot.base.get(INFERRED_ID)
    calls = await bot.send("/reject P1 Yusov <b>implies</b> it, he does not say it", user=SECOND)
    done = sent_to(calls, SECOND)
    assert ("Rejected pending change <b>P1</b> (proposed by moderator 111): « Yusov &lt;b&gt;implies&lt;/b&gt; it, "
            "he does not say it »") in done
    assert "Your pending change <b>P1</b> was rejected by moderator 444: « Yusov &lt;b&gt;implies" in sent_to(calls, MOD)
    check_telegram_html(done)
    assert (bot.store.audit_head(), bot.base.get(INFERRED_ID)) == before
    history = texts(await bot.send(f"/history {INFERRED_ID}", user=SECOND))
    assert f"No recorded change to <code>{INFERRED_ID}</code>" in history
    assert "<b>Proposed, not applied</b>:" in history and "<b>P1</b>" in history
    assert "Rejected by moderator 444 on" in history and "« Yusov &lt;b&gt;implies" in history
    one = texts(await bot.send("/pending 1", user=SECOND))
    assert "(rejected)" in one and "Rejected by moderator 444" in one
    assert "Pending change P1 is already rejected" in texts(await bot.send("/reject 1", user=SECOND))


async def test_the_reject_button_rejects_without_a_reason_and_a_second_tap_changes_nothing(bot):
    await propose_explicit(bot)
    approve, reject = pending_buttons(await bot.send("/pending", user=SECOND), 1)
    calls = await bot.tap(reject, user=SECOND)
    assert "Rejected pending change <b>P1</b> (proposed by moderator 111). The base is unchanged." in texts(calls)
    before = bot.snapshot()
    assert "Pending change P1 is already rejected. Nothing was changed." == alert(await bot.tap(approve, user=SECOND))
    assert bot.snapshot() == before and bot.base.get(INFERRED_ID).link == "inferred"


async def test_a_button_whose_token_is_not_the_proposals_changes_nothing(bot):
    await propose_explicit(bot)
    before = bot.snapshot()
    for data in ("pa:y:1:deadbeef", "pa:n:1:deadbeef"):
        assert "not this pending change's" in alert(await bot.tap(data, user=SECOND))
    assert "There is no pending change P7" in alert(await bot.tap("pa:y:7:deadbeef", user=SECOND))
    assert bot.snapshot() == before


async def test_a_new_explicit_claim_is_not_searchable_until_approved(bot):
    for step in ("/add", "/skip", "Zorblax signed the accord in Kidal."):
        await bot.send(step)
    await bot.tap("add:l:explicit")
    await bot.send("Tester")
    await bot.tap("add:k:0")
    for _ in range(3):
        await bot.send("/skip")
    await bot.tap("add:s:done")
    await bot.send("/skip")
    await bot.send("/skip")
    card = await bot.tap("add:id")
    assert "does not make it live: it goes to a second moderator" in texts(card)
    assert "second moderator" not in texts(await bot.tap("add:v:fr"))  # said once, not under each card
    card = await bot.tap("add:v:en")
    (save,) = [b for b in buttons(card) if b.startswith("add:ok:")]
    waiting = texts(await bot.tap(save))
    assert "saved as pending change <b>P1</b>" in waiting and "zorblax-signed-accord-kidal" in waiting
    assert "text.en: ∅ → Zorblax signed the accord in Kidal." in waiting
    assert bot.base.get("zorblax-signed-accord-kidal") is None
    question = "Zorblax signed the accord in Kidal?"
    assert "Zorblax" not in texts(await bot.send(question, user=OTHER))
    one = await bot.send("/pending 1", user=SECOND)
    assert "<b>Readers would see</b>:" in texts(one) and "Explicit means the stated source" in texts(one)
    approve, _ = pending_buttons(one, 1)
    assert "Saved as change <b>#1</b> (add)" in texts(await bot.tap(approve, user=SECOND))
    assert "Zorblax signed the accord in Kidal." in texts(await bot.send(question, user=OTHER))


async def test_an_import_that_states_claims_waits_whole_and_is_backed_up_when_approved(bot):
    document = bot.request.add_file("f1", claims_file("up-a", "up-b"), "claims.yaml")
    summary = await bot.send(document=document, caption="/import")
    assert "sends it whole to a second moderator" in texts(summary)
    (apply,) = [b for b in buttons(summary) if b.startswith("im:ok:")]
    waiting = texts(await bot.tap(apply))
    assert "pending change <b>P1</b>" in waiting and "import claims.yaml" in waiting
    assert bot.base.get("up-a") is None and not bot.settings.backups.exists()
    approve, _ = pending_buttons(await bot.send("/pending", user=SECOND), 1)
    calls = await bot.tap(approve, user=SECOND)
    assert "Saved as change <b>#1</b> (import)" in texts(calls)
    assert bot.base.get("up-a") is not None and bot.base.get("up-b") is not None
    assert len(list(bot.settings.backups.iterdir())) == 1


async def test_changes_that_state_nothing_new_are_not_held(bot):
    assert "Saved as change <b>#1</b>" in texts(await bot.send(f"/edit {EXPLICIT_ID} title Mali breaks with Kyiv"))
    document = bot.request.add_file("f1", claims_file("up-i", link="inferred").replace(
        b"link: inferred", b"link: inferred\n  rests_on: [mali-cuts-ties-with-ukraine]\n  reasoning: {en: x}"),
        "claims.yaml")
    summary = await bot.send(document=document, caption="/import")
    assert "A backup of the base is made before anything is written. Apply?" in texts(summary)
    (apply,) = [b for b in buttons(summary) if b.startswith("im:ok:")]
    assert "Imported" in texts(await bot.tap(apply)) and bot.base.get("up-i") is not None
    assert "No change is waiting" in texts(await bot.send("/pending"))


async def test_with_the_rule_off_a_lone_moderator_saves_at_once(tmp_path):
    async with harness(make_settings(tmp_path)) as bot:
        card = await bot.send(f"/edit {INFERRED_ID} link explicit")
        assert "second moderator" not in texts(card)
        (save,) = [b for b in buttons(card) if b.startswith("ed:ok:")]
        assert "Saved as change <b>#1</b>" in texts(await bot.tap(save))
        assert bot.base.get(INFERRED_ID).link == "explicit"
        help_text = texts(await bot.send("/modhelp"))
        assert "/pending: changes waiting for a second moderator (0 waiting)" in help_text
        assert "goes live only once another moderator approves it" not in help_text


async def test_stats_and_modhelp_count_the_changes_waiting(bot):
    assert "waiting for a second moderator: /pending" not in texts(await bot.send("/stats"))
    await propose_explicit(bot)
    assert "⏳ 1 change waiting for a second moderator: /pending" in texts(await bot.send("/stats", user=SECOND))
    help_text = texts(await bot.send("/modhelp", user=SECOND))
    assert "(1 waiting)" in help_text and "goes live only once another moderator approves it" in help_text
    bot.language_codes[SECOND] = "fr"
    assert "1 modification en attente d'un second modérateur" in texts(await bot.send("/stats", user=SECOND))


async def test_pending_changes_survive_a_restart(settings):
    async with harness(settings) as bot:
        await propose_explicit(bot)
    async with harness(settings) as bot:
        listing = await bot.send("/pending", user=SECOND)
        assert "<b>P1</b>" in texts(listing)
        approve, _ = pending_buttons(listing, 1)
        assert "Saved as change <b>#1</b>" in texts(await bot.tap(approve, user=SECOND))


@pytest.mark.parametrize("command", ["/pending", "/pending 1", "/reject 1 no"])
async def test_others_are_refused_pending_and_reject(bot, command):
    await propose_explicit(bot)
    before = bot.snapshot()
    assert "for the moderators" in texts(await bot.send(command, user=OTHER))
    assert bot.snapshot() == before


async def test_others_taps_on_approve_and_reject_are_refused(bot):
    await propose_explicit(bot)
    approve, reject = pending_buttons(await bot.send("/pending", user=SECOND), 1)
    before = bot.snapshot()
    for data in (approve, reject):
        assert "for the moderators" in alert(await bot.tap(data, user=OTHER))
    assert bot.snapshot() == before


@pytest.mark.parametrize("command", ["/pending x", "/pending 1 2", "/reject", "/reject abc"])
async def test_bad_arguments_get_the_usage(bot, command):
    assert "Usage: /" in texts(await bot.send(command, user=SECOND))


async def test_a_long_list_fits_one_message_in_both_languages(bot):
    long_quote = "« " + "a very long quote that goes on " * 30 + "»"
    for number in range(1, 13):  # more than /pending lists
        card = await bot.send(f"/edit {EXPLICIT_ID} sources.1.quote {long_quote} {number}")
        (save,) = [b for b in buttons(card) if b.startswith("ed:ok:")]
        await bot.tap(save)
    for lang in ("en", "fr"):
        bot.language_codes[SECOND] = lang
        calls = await bot.send("/pending", user=SECOND)
        (sent,) = [c for c in calls if c.method == "sendMessage"]
        check_telegram_html(sent.params["text"])  # ≤ 4096 characters, valid HTML
        assert len(sent.params["reply_markup"]["inline_keyboard"]) == 10
        assert ("… and 2 more" if lang == "en" else "… et 2 de plus") in sent.params["text"]
        one = [c for c in await bot.send("/pending 12", user=SECOND) if c.method == "sendMessage"]
        check_telegram_html(one[0].params["text"])


async def test_a_question_an_add_came_from_stays_in_review_until_the_add_is_approved(bot):
    await bot.send("zorblax treaty of Kidal", user=OTHER)
    listing = await bot.send("/unmatched")
    await bot.tap(next(b for b in buttons(listing) if b.startswith("un:n:")))
    await bot.send("/skip")
    await bot.send("The zorblax treaty was signed in Kidal.")
    await bot.tap("add:l:explicit")
    await bot.send("Tester")
    await bot.tap("add:k:5")
    for _ in range(3):
        await bot.send("/skip")
    await bot.tap("add:s:done")
    await bot.send("/skip")
    await bot.send("/skip")
    (save,) = [b for b in buttons(await bot.tap("add:id")) if b.startswith("add:ok:")]
    assert "pending change <b>P1</b>" in texts(await bot.tap(save))
    assert "zorblax treaty of Kidal" in texts(await bot.send("/unmatched"))  # not answered yet
    approve, _ = pending_buttons(await bot.send("/pending", user=SECOND), 1)
    assert "Saved as change <b>#1</b> (add)" in texts(await bot.tap(approve, user=SECOND))
    assert bot.base.get("zorblax-treaty-signed-kidal").aliases == ("zorblax treaty of Kidal",)
    assert "Nothing to review" in texts(await bot.send("/unmatched"))
