"""What a new moderator trying the bot ran into, through Application.process_update: the language of a
conversation, the words of refusals and prompts, files sent without /import, the review queue, /export, timeouts."""

from __future__ import annotations

import asyncio
import html
import re
import time

import pytest

from bot.offline import ApiCall
from test_moderation import EXPLICIT_ID, MOD, OTHER, Harness, buttons, confirm, harness, make_settings, texts


def labels(calls: list[ApiCall]) -> list[str]:
    return [b["text"] for c in calls for row in (c.params.get("reply_markup") or {}).get("inline_keyboard", [])
            for b in row]


def last_text(calls: list[ApiCall]) -> str:
    return [c for c in calls if c.method == "sendMessage"][-1].params["text"]


async def tap_on(bot: Harness, data: str, shown: str, *, user: int = MOD) -> list[ApiCall]:
    """A tap on a button under the bot's message shown (HTML), whose text Telegram gives without its tags: the
    language of a card decides a reader's."""
    number = next(bot.ids)
    shown = html.unescape(re.sub(r"<[^>]+>", "", shown))
    message = {"message_id": 5000 + number, "date": int(time.time()), "chat": bot.chat(user, None),
               "from": bot.request.bot_user, "text": shown,
               "reply_markup": {"inline_keyboard": [[{"text": "x", "callback_data": data}]]}}
    return await bot.run({"update_id": number, "callback_query": {
        "id": f"cq{number}", "from": bot.user(user), "chat_instance": "ci", "data": data, "message": message}})


def alerts(calls: list[ApiCall]) -> str:
    return "\n".join(str(c.params.get("text", "")) for c in calls if c.method == "answerCallbackQuery")


@pytest.fixture
async def bot(tmp_path):
    """The bot; its moderator's Telegram sends no language (as the console does)."""
    async with harness(make_settings(tmp_path)) as h:
        h.language_codes[MOD] = None
        yield h


async def add_up_to_the_card(bot: Harness, claim_id: str = "burkina-sweden-test") -> list[ApiCall]:
    await bot.send("/add")
    await bot.send("Le Burkina a rompu avec la Suède.")
    await bot.send("Burkina Faso cut ties with Sweden.")
    await bot.tap("add:l:explicit")
    await bot.send("Ministry of Foreign Affairs of Burkina Faso")
    await bot.tap("add:k:0")
    for _ in range(3):
        await bot.send("/skip")
    await bot.tap("add:s:done")
    await bot.send("/skip")
    await bot.send("/skip")
    return await bot.send(claim_id)


# --- 2. 👁 shows a reader's card; the conversation stays in the moderator's language ------------------

async def test_the_french_preview_does_not_switch_an_english_moderator_to_french(bot):
    english = await add_up_to_the_card(bot)
    assert "👁 as a French reader sees it" in labels(english)
    french = await tap_on(bot, "add:v:fr", last_text(english))
    card = last_text(french)
    assert "Affirmation" in card  # the card is as a French reader sees it
    assert labels(french)[:3] == ["✅ Save", "✖ Cancel", "👁 as an English reader sees it"]
    cancelled = await tap_on(bot, "add:no", card)
    assert "Cancelled. Nothing was changed." in texts(cancelled) and "Annulé" not in texts(cancelled)
    late = await tap_on(bot, confirm(french, "add:ok:"), card)
    assert "This step is over" in alerts(late)


async def test_save_under_the_french_preview_answers_in_english(bot):
    english = await add_up_to_the_card(bot)
    french = await tap_on(bot, "add:v:fr", last_text(english))
    saved = await tap_on(bot, confirm(french, "add:ok:"), last_text(french))
    assert "Saved as change <b>#1</b> (add)" in texts(saved) and "Enregistré" not in texts(saved)
    assert bot.base.get("burkina-sweden-test") is not None


# --- 1. /import retire-missing: its prompt, and the diff command its summary names -----------------------

async def test_import_retire_missing_says_it_retires_and_names_the_diff_that_shows_it(bot, tmp_path, capsys):
    from knowledge.cli import main
    from knowledge.io import dump_claims

    prompt = texts(await bot.send("/import retire-missing"))
    assert "<b>Claims the file does not hold will be retired</b>" in prompt and "are kept" not in prompt
    kept = bot.store.get(EXPLICIT_ID)
    content = dump_claims([kept], "yaml").encode()
    summary = texts(await bot.send(document=bot.request.add_file("one", content, "one.yaml")))
    retired = len(bot.store) - 1
    assert f"{retired} retired" in summary
    assert "<code>python -m knowledge diff FILE --retire-missing</code>" in summary
    (tmp_path / "one.yaml").write_bytes(content)
    capsys.readouterr()
    assert main(["diff", str(tmp_path / "one.yaml"), "--retire-missing", "--db", str(bot.store.path)]) == 0
    assert f"{retired} retired" in capsys.readouterr().out  # what the bot was about to do


async def test_a_plain_import_keeps_what_the_file_lacks_and_names_diff_without_the_option(bot):
    assert "Claims the file does not hold are kept" in texts(await bot.send("/import"))
    content = ("claims:\n" + "".join(f"- id: new-{i}\n  text: {{en: New claim {i} here}}\n  link: explicit\n"
                                     f"  sources: [{{name: Tester, kind: press}}]\n" for i in range(40))).encode()
    summary = texts(await bot.send(document=bot.request.add_file("new", content, "new.yaml")))
    assert "40 new" in summary and "0 retired" in summary
    assert "<code>python -m knowledge diff FILE</code>" in summary


# --- 3, 4. /edit's refusals name fields as moderators type them, and say what a claim needs -------------

async def test_a_refused_edit_names_the_source_as_typed_counted_from_one(bot):
    before = bot.snapshot()
    text = texts(await bot.send("/edit fla-ukrainian-drone-training sources.3.kind banana"))
    assert "field 'sources.3.kind': must be one of:" in text and "sources[2]" not in text
    text = texts(await bot.send(f"/edit {EXPLICIT_ID} sources.1.date 4 August 2024"))
    assert "field 'sources.1.date': must be YYYY" in text and "sources[0]" not in text
    assert bot.snapshot() == before


async def test_a_step_by_step_edit_names_the_field_as_typed_too(bot):
    await bot.send(f"/edit {EXPLICIT_ID} sources.1.url")
    text = texts(await bot.send("not a link"))
    assert "field 'sources.1.url': must be an http(s) address" in text and "sources[0]" not in text


async def test_clearing_a_claims_only_text_says_it_needs_a_french_or_english_text(bot):
    from knowledge.audit import Curator

    Curator(bot.base).edit(EXPLICIT_ID, "text.fr", "-", MOD)
    before = bot.snapshot()
    text = texts(await bot.send(f"/edit {EXPLICIT_ID} text.en -"))
    assert "a claim needs a French or English text, and text.en is its only one" in text
    assert "mapping of language" not in text and bot.snapshot() == before
    await bot.send(f"/edit {EXPLICIT_ID} text.fr Le Mali rompt avec l'Ukraine.")
    assert "Saved as change <b>#3</b>" in texts(await bot.send(f"/edit {EXPLICIT_ID} text.en -"))


# --- 6. /history of a claim an undo took out -------------------------------------------------------------

async def test_history_finds_a_claim_taken_out_by_an_undo_in_the_audit_log(bot):
    from knowledge.audit import Curator

    record = {"id": "gone-claim", "text": {"en": "A claim that will be undone"}, "link": "explicit",
              "sources": [{"name": "Tester", "kind": "press"}]}
    Curator(bot.base).add(record, MOD)
    assert "(undo)" in texts(await bot.send("/undo 1"))
    text = texts(await bot.send("/history gone-claim"))
    assert "There is no claim" not in text
    assert "<code>gone-claim</code> is no longer in the base: change <b>#2</b> took it out" in text
    assert "<b>#1</b>" in text and "<b>#2</b>" in text and "added" in text and "removed" in text
    assert "There is no claim with the id <code>never-was</code>" in texts(await bot.send("/history never-was"))


# --- 8. /undo's refusals -----------------------------------------------------------------------------------

async def test_undo_of_an_undone_change_says_by_which(bot):
    await bot.send(f"/alias {EXPLICIT_ID} first phrase")
    await bot.send("/undo 1")
    before = bot.snapshot()
    text = texts(await bot.send("/undo 1"))
    assert "change #1 was already undone by change #2" in text and "undo the later" not in text
    assert bot.snapshot() == before


async def test_undo_names_every_later_change_in_the_way_latest_first(bot):
    await bot.send(f"/alias {EXPLICIT_ID} first phrase")        # 1
    await bot.send(f"/alias {EXPLICIT_ID} second phrase")       # 2
    await bot.send(f"/edit {EXPLICIT_ID} title A test title")   # 3
    await bot.send(f"/alias {EXPLICIT_ID} fourth phrase")       # 4
    await bot.send(f"/alias {EXPLICIT_ID} fifth phrase")        # 5
    await bot.send("/undo 5")                                   # 6: #5 and its undo are not in the way
    before = bot.snapshot()
    text = texts(await bot.send("/undo 1"))
    assert "changed again by changes #4, #3 and #2; undo them first, the latest first" in text
    assert "#5" not in text and "#6" not in text and bot.snapshot() == before
    text = texts(await bot.send("/undo 3"))
    assert "changed again by change #4; undo it first" in text


async def test_undo_names_at_most_five_changes_in_the_way(bot):
    for n in range(8):
        await bot.send(f"/alias {EXPLICIT_ID} phrase number {n}")
    text = texts(await bot.send("/undo 1"))
    assert "by changes #8, #7, #6, #5, #4 and 2 more;" in text


async def test_undoing_the_add_of_a_claim_another_rests_on_says_so(bot):
    from knowledge.audit import Curator

    curator = Curator(bot.base)
    curator.add({"id": "test-claim", "text": {"en": "A premise"}, "link": "explicit",
                 "sources": [{"name": "Tester", "kind": "press"}]}, MOD)
    curator.add({"id": "resting-claim", "text": {"en": "An inference"}, "link": "inferred",
                 "rests_on": ["test-claim"], "reasoning": {"en": "The tester infers it."}}, MOD)
    before = bot.snapshot()
    text = texts(await bot.send("/undo 1"))
    assert "undoing #1 would remove test-claim, which resting-claim rests on" in text
    assert "not in the base" not in text and bot.snapshot() == before


# --- 5. a file sent without /import ----------------------------------------------------------------------

def question_log(bot: Harness) -> bytes:
    path = bot.settings.question_log
    return path.read_bytes() if path.exists() else b""


@pytest.mark.parametrize("caption", [None, "the new claims"])
async def test_a_moderators_file_without_import_gets_how_to_import_it(bot, caption):
    document = bot.request.add_file("f", b"claims: []\n", "claims.yaml")
    before, log = bot.snapshot(), question_log(bot)
    calls = await bot.send(document=document, caption=caption)
    assert "This file was not read. To import a claim file, send /import" in texts(calls)
    assert not any(c.method == "getFile" for c in calls)
    assert bot.snapshot() == before and question_log(bot) == log  # not a question either


async def test_a_readers_file_photo_or_captioned_file_gets_a_polite_line(bot):
    document = bot.request.add_file("f", b"hello", "notes.pdf")
    calls = await bot.send(document=document, user=OTHER)
    assert "I do not open files. Send your question as a text message." in texts(calls)
    assert not any(c.method == "getFile" for c in calls) and question_log(bot) == b""
    photo = await bot.run({"update_id": 999, "message": {
        "message_id": 999, "date": int(time.time()), "chat": bot.chat(OTHER, None), "from": bot.user(OTHER),
        "photo": [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]}})
    assert "I can only read text" in texts(photo)
    captioned = await bot.send(document=bot.request.add_file("g", b"x", "scan.pdf"), user=OTHER,
                               caption="Did Mali cut ties with Ukraine?")
    assert "Mali" in texts(captioned) and b"Did Mali cut ties" in question_log(bot)  # a caption is a question


# --- 7. a source kind typed in /add, as /edit takes it -------------------------------------------------------

async def add_up_to_the_kind(bot: Harness) -> None:
    await bot.send("/add")
    await bot.send("/skip")
    await bot.send("Burkina Faso cut ties with Sweden.")
    await bot.tap("add:l:explicit")
    await bot.send("Le Faso")


@pytest.mark.parametrize("typed", ["press", "Presse", "  PRESS "])
async def test_add_takes_a_typed_source_kind(bot, typed):
    await add_up_to_the_kind(bot)
    assert "Its date" in texts(await bot.send(typed))
    for _ in range(3):
        await bot.send("/skip")
    await bot.tap("add:s:done")
    await bot.send("/skip")
    await bot.send("/skip")
    card = await bot.send("typed-kind-test")
    await bot.tap(confirm(card, "add:ok:"))
    assert bot.base.get("typed-kind-test").sources[0].kind == "press"


async def test_add_answers_an_unknown_kind_with_the_kinds_and_buttons(bot):
    await add_up_to_the_kind(bot)
    calls = await bot.send("banana")
    assert "« banana » is not a kind of source" in texts(calls) and "research institute" in texts(calls)
    assert "add:k:0" in buttons(calls)
    assert "Its date" in texts(await bot.send("author of the article"))


async def test_step_by_step_edit_takes_a_kind_as_add_does(bot):
    await bot.send(f"/edit {EXPLICIT_ID} sources.1.kind")
    card = await bot.send("presse")
    await bot.tap(confirm(card, "ed:ok:"))
    assert bot.base.get(EXPLICIT_ID).sources[0].kind == "press"


# --- 9. 🗑 tapped twice ------------------------------------------------------------------------------------

def resolved_lines(bot: Harness) -> int:
    return question_log(bot).count(b'"resolved"')


async def test_dismiss_tapped_twice_writes_once_and_says_it_was_already_dismissed(bot):
    await bot.send("zorblax treaty of Kidal", user=OTHER)
    await bot.send("zorblax treaty of Kidal?", user=OTHER)
    dismiss = next(b for b in buttons(await bot.send("/unmatched")) if b.startswith("un:x:"))
    assert "🗑 Dismissed « zorblax treaty of Kidal" in texts(await bot.tap(dismiss))
    assert resolved_lines(bot) == 2
    again = texts(await bot.tap(dismiss))
    assert "was already dismissed. Nothing was written." in again and "Dismissed «" not in again
    assert resolved_lines(bot) == 2


async def test_dismiss_after_an_alias_says_how_the_question_left_the_list(bot):
    await bot.send("zorblax treaty of Kidal", user=OTHER)
    listing = await bot.send("/unmatched")
    await bot.send(f"/alias {EXPLICIT_ID} zorblax treaty of Kidal")
    dismiss = next(b for b in buttons(listing) if b.startswith("un:x:"))
    text = texts(await bot.tap(dismiss))
    assert f"it is an alias of <code>{EXPLICIT_ID}</code>. Nothing was written." in text
    assert resolved_lines(bot) == 1


# --- 10. /export ---------------------------------------------------------------------------------------------

async def test_export_names_its_file_to_the_second_and_sends_an_html_caption(bot):
    (doc,) = [c for c in await bot.send("/export") if c.method == "sendDocument"]
    ((name, _),) = doc.files.values()
    assert re.fullmatch(r"claims-\d{8}-\d{6}\.yaml", name)
    assert doc.params["parse_mode"] == "HTML"
    assert "<code>python -m knowledge diff FILE</code>" in doc.params["caption"] and "`" not in doc.params["caption"]


def test_the_console_says_why_a_saved_file_has_another_name(tmp_path):
    import io

    from bot.console import _write_calls

    call = ApiCall("sendDocument", {"caption": "<b>2</b> claims", "parse_mode": "HTML"},
                   {"document": ("claims-1.yaml", b"x")})
    out = io.StringIO()
    _write_calls([call, call], out, [], tmp_path)
    first, second = [line for line in out.getvalue().splitlines() if line.startswith("📎")]
    assert first == f"📎 claims-1.yaml (1 bytes), saved as {tmp_path / 'claims-1.yaml'}"
    assert second == f"📎 claims-1.yaml (1 bytes), saved as {tmp_path / 'claims-1-2.yaml'} (claims-1.yaml was there already)"
    assert "2 claims" in out.getvalue() and "<b>" not in out.getvalue()


# --- 11. a step that timed out ---------------------------------------------------------------------------------

async def test_a_timeout_under_a_minute_is_said_in_seconds_and_the_next_line_is_no_question(tmp_path):
    async with harness(make_settings(tmp_path, moderation_timeout=2)) as bot:
        await bot.send("/add")
        await wait_for_text(bot, "Stopped after")
        assert "⌛ Stopped after 2 idle seconds. Nothing was changed" in texts(bot.request.take())
        log = question_log(bot)
        calls = await bot.send("Wagner lost dozens of fighters near Tinzaouaten.")
        assert "Your /add had already stopped (idle) when this message came" in texts(calls)
        assert "No claim" not in texts(calls) and question_log(bot) == log
        assert "Nothing to review" in texts(await bot.send("/unmatched"))
        assert "No claim in the base matches" in texts(await bot.send("xqzv plorkk"))  # the one after: a question
        assert b"xqzv plorkk" in question_log(bot)


async def test_a_timeout_notice_is_for_that_moderator_in_that_chat_only(tmp_path):
    async with harness(make_settings(tmp_path, moderation_timeout=0.3)) as bot:
        await bot.send("/add")
        await wait_for_text(bot, "Stopped after")
        bot.request.take()
        other = await bot.send("xqzv plorkk", user=OTHER)  # a reader at the same moment: a question as ever
        assert "No claim in the base matches" in texts(other)


async def wait_for_text(bot: Harness, fragment: str, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not any(fragment in str(c.params.get("text")) for c in bot.request.calls):
        assert time.monotonic() < deadline, f"{fragment!r} not sent in time"
        await asyncio.sleep(0.05)


# --- 12. smaller: the id /add suggests, a bad id, the alias picker's labels, /stats' list ---------------------

async def test_add_suggests_an_id_from_the_text_as_readers_see_it_without_typed_tags(bot):
    await bot.send("/add")
    await bot.send("/skip")
    await bot.send("Wagner lost <b>dozens</b> of fighters &amp; trucks.")
    await bot.tap("add:l:explicit")
    await bot.send("Tester")
    await bot.tap("add:k:1")
    for _ in range(3):
        await bot.send("/skip")
    await bot.tap("add:s:done")
    await bot.send("/skip")
    calls = await bot.send("/skip")
    assert "<code>wagner-lost-dozens-fighters-trucks</code>" in texts(calls)


async def test_add_answers_a_taken_id_without_saying_not_changed(bot):
    await add_up_to_the_card(bot, claim_id="first-of-two")
    await bot.send("/cancel")
    text = texts(await add_up_to_the_card(bot, claim_id=EXPLICIT_ID))
    assert f"❌ the id '{EXPLICIT_ID}' is already used; choose another. Send another id." in text
    assert "Not changed" not in text


async def test_the_alias_picker_labels_each_claim_with_its_title_when_it_has_one_in_that_language(bot):
    ghulam = bot.base.get("ghulam-joined-jnim-mid-2024")
    calls = await bot.send("When did Hussein Ghulam join JNIM?", user=OTHER)
    vote = next(b for b in buttons(calls) if b.startswith("fb:d:"))
    await bot.tap(vote, user=OTHER)
    queue = await bot.send("/unmatched")
    picker = await bot.tap(next(b for b in buttons(queue) if b.startswith("un:a:")))
    shown = dict(zip(buttons(picker), labels(picker)))
    # its title, "Hussein Ghulam joined JNIM around mid-2024", is all names and numbers: English by its claim's text
    assert shown[next(b for b in shown if b.endswith(ghulam.id))] == ghulam.title
    assert all(bot.base.get(data.rsplit(":", 1)[-1]).title.startswith(label.removesuffix("…"))
               for data, label in shown.items() if data.startswith("un:s:"))  # every other one by its title too


async def test_a_french_moderator_gets_the_french_text_of_that_claim_not_its_english_title(bot):
    bot.language_codes[MOD] = "fr"
    ghulam = bot.base.get("ghulam-joined-jnim-mid-2024")
    calls = await bot.send("When did Hussein Ghulam join JNIM?", user=OTHER)
    await bot.tap(next(b for b in buttons(calls) if b.startswith("fb:d:")), user=OTHER)
    queue = await bot.send("/unmatched")
    picker = await bot.tap(next(b for b in buttons(queue) if b.startswith("un:a:")))
    shown = dict(zip(buttons(picker), labels(picker)))
    label = shown[next(b for b in shown if b.endswith(ghulam.id))]
    assert label != ghulam.title and ghulam.text["fr"].startswith(label.removesuffix("…"))


async def test_stats_names_its_list_for_what_it_holds_unanswered_or_downvoted(bot):
    calls = await bot.send("Did Mali cut ties with Ukraine?", user=OTHER)
    await bot.tap(next(b for b in buttons(calls) if b.startswith("fb:d:")), user=OTHER)
    text = texts(await bot.send("/stats"))
    assert "<b>Most asked to review</b> (no answer, or a 👎; /unmatched):" in text
    assert "Top unmatched" not in text and "Did Mali cut ties with Ukraine?" in text


async def test_an_import_summary_names_a_bad_field_as_edit_and_history_do(bot):
    content = ("claims:\n- id: up-1\n  text: {en: An uploaded claim}\n  link: explicit\n"
               "  sources: [{name: A, kind: press}, {name: B, kind: banana, date: 4 August 2024}]\n").encode()
    text = texts(await bot.send(document=bot.request.add_file("bad", content, "bad.yaml"), caption="/import"))
    assert "<code>up-1</code>, field <code>sources.2.kind</code>: must be one of" in text
    assert "field <code>sources.2.date</code>: must be YYYY" in text and "sources[1]" not in text
