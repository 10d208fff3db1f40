"""Every moderator command through Application.process_update with raw update JSON, as a moderator and as
someone else (refused, nothing changed, logged)."""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import re
import time
from pathlib import Path

import pytest
import yaml
from telegram import Update

from bot.app import build_application
from bot.offline import OFFLINE_TOKEN, ApiCall, RecordingRequest
from bot.render import render_claim
from bot.settings import Settings
from knowledge.io import dump_claims
from knowledge.store import ClaimStore

MOD, OTHER, MEMBER = 111, 222, 333
GROUP, RANDOM_GROUP = -100111, -100999
EXPLICIT_ID = "mali-cuts-ties-with-ukraine"


class Harness:
    """Drive the bot with raw updates; each call returns the Bot API calls the bot made."""

    def __init__(self, app, request: RecordingRequest, settings: Settings) -> None:
        self.app, self.request, self.settings = app, request, settings
        self.ids = itertools.count(1)
        self.language_codes: dict[int, str | None] = {}  # Telegram's language_code per user; "en" if not set

    @property
    def base(self):
        return self.app.bot_data["services"].base

    @property
    def store(self) -> ClaimStore:
        return self.base.store

    def user(self, user_id: int) -> dict:
        user = {"id": user_id, "is_bot": False, "first_name": f"U{user_id}", "username": "admin"}
        code = self.language_codes.get(user_id, "en")
        return {**user, "language_code": code} if code else user

    def chat(self, user_id: int, chat_id: int | None) -> dict:
        if chat_id is None or chat_id == user_id:
            return {"id": user_id, "type": "private", "first_name": f"U{user_id}"}
        return {"id": chat_id, "type": "supergroup", "title": "Group"}

    async def run(self, data: dict) -> list[ApiCall]:
        await self.app.process_update(Update.de_json(data, self.app.bot))
        return self.request.take()

    async def send(self, text: str | None = None, *, user: int = MOD, chat: int | None = None,
                   document: dict | None = None, caption: str | None = None) -> list[ApiCall]:
        number = next(self.ids)
        message = {"message_id": number, "date": int(time.time()), "chat": self.chat(user, chat),
                   "from": self.user(user)}
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        if document is not None:
            message["document"] = document
        if caption is not None:
            message["caption"] = caption
        return await self.run({"update_id": number, "message": message})

    async def tap(self, data: str, *, user: int = MOD, chat: int | None = None) -> list[ApiCall]:
        number = next(self.ids)
        message = {"message_id": 5000 + number, "date": int(time.time()), "chat": self.chat(user, chat),
                   "from": self.request.bot_user, "text": "…",
                   "reply_markup": {"inline_keyboard": [[{"text": "x", "callback_data": data}],
                                                        [{"text": "y", "callback_data": "c:other"}]]}}
        return await self.run({"update_id": number, "callback_query": {
            "id": f"cq{number}", "from": self.user(user), "chat_instance": "ci", "data": data, "message": message}})

    def snapshot(self) -> tuple[bytes, int]:
        return self.store.path.read_bytes(), self.store.audit_head()


def texts(calls: list[ApiCall]) -> str:
    return "\n".join(str(c.params.get("text", "")) for c in calls if c.method == "sendMessage")


def buttons(calls: list[ApiCall]) -> list[str]:
    return [b["callback_data"] for c in calls for row in (c.params.get("reply_markup") or {}).get(
        "inline_keyboard", []) for b in row]


def confirm(calls: list[ApiCall], prefix: str) -> str:
    """The data of the one confirm button (add:ok:, ed:ok:, im:ok:) the calls show: it names the moderator."""
    (data,) = [b for b in buttons(calls) if b.startswith(prefix)]
    assert len(data.encode()) <= 64
    return data


async def wait_for(predicate, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)


def make_settings(tmp_path: Path, **overrides) -> Settings:
    values = dict(db_path=tmp_path / "claims.json", questions_path=tmp_path / "questions.jsonl",
                  moderator_ids=frozenset({MOD}), moderator_chat_id=GROUP, rate_limit=False,
                  backup_dir=tmp_path / "backups")
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
async def bot(tmp_path):
    async with harness(make_settings(tmp_path)) as h:
        yield h


class harness:
    """An initialised and started Application (JobQueue running, for conversation timeouts)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def __aenter__(self) -> Harness:
        request = RecordingRequest()
        request.default_member_status = "left"
        request.member_status[(GROUP, MEMBER)] = "member"
        self.app = build_application(self.settings, request=request)
        await self.app.initialize()
        await self.app.start()
        request.take()
        return Harness(self.app, request, self.settings)

    async def __aexit__(self, *exc) -> None:
        await self.app.stop()
        await self.app.shutdown()


# --- rights ---------------------------------------------------------------------------------------

MOD_COMMANDS = [
    "/add", f"/edit {EXPLICIT_ID} text.en Changed", f"/edit {EXPLICIT_ID}", f"/alias {EXPLICIT_ID} a phrase",
    f"/link article-thesis-ukraine-indirectly-aids-jihadists {EXPLICIT_ID}", f"/retire {EXPLICIT_ID} wrong",
    f"/restore {EXPLICIT_ID}", f"/history {EXPLICIT_ID}", "/undo 1", "/export", "/export json", "/import",
    "/unmatched", "/stats", "/modhelp",
]


@pytest.mark.parametrize("command", MOD_COMMANDS)
async def test_every_command_is_refused_to_others_changes_nothing_and_is_logged(bot, command, caplog):
    before = bot.snapshot()
    log_before = bot.settings.question_log.read_bytes() if bot.settings.question_log.exists() else b""
    with caplog.at_level(logging.WARNING):
        calls = await bot.send(command, user=OTHER)
    assert [c.method for c in calls if c.method != "getChatMember"] == ["sendMessage"]
    assert "for the moderators" in texts(calls)
    assert bot.snapshot() == before
    assert (bot.settings.question_log.read_bytes() if bot.settings.question_log.exists() else b"") == log_before
    refused = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert refused == [f"moderation: refused {command.split()[0]} for user {OTHER} in chat {OTHER}"]
    assert OFFLINE_TOKEN not in caplog.text and "wrong" not in refused[0]
    # nothing was started: a following text is an ordinary question, not a step of a conversation
    follow = await bot.send("xqzv plorkk", user=OTHER)
    assert "No claim in the base matches" in texts(follow)


@pytest.mark.parametrize("data", ["un:a:abcdefghij", f"un:s:abcdefghij:{EXPLICIT_ID}", "un:x:abcdefghij",
                                  "un:n:abcdefghij"])
async def test_review_buttons_are_refused_to_others(bot, data, caplog):
    before = bot.snapshot()
    with caplog.at_level(logging.WARNING):
        calls = await bot.tap(data, user=OTHER)
    answers = [c for c in calls if c.method == "answerCallbackQuery"]
    assert len(answers) == 1 and "for the moderators" in answers[0].params["text"]
    assert bot.snapshot() == before
    assert f"for user {OTHER}" in caplog.text


async def test_an_uploaded_import_from_someone_else_is_refused(bot, caplog):
    document = bot.request.add_file("f1", dump_claims(bot.store.all(), "yaml").encode(), "claims.yaml")
    before = bot.snapshot()
    with caplog.at_level(logging.WARNING):
        calls = await bot.send(document=document, caption="/import", user=OTHER)
    assert "for the moderators" in texts(calls) and not any(c.method == "getFile" for c in calls)
    assert bot.snapshot() == before and "refused /import" in caplog.text


async def test_usernames_never_grant_rights_and_moderators_group_members_do(bot):
    # every test user is called @admin: only the numeric id and the group membership count
    assert "for the moderators" in texts(await bot.send("/stats", user=OTHER))
    calls = await bot.send("/stats", user=MEMBER)
    assert "Stats, last 14 days" in texts(calls)
    assert [c.params for c in calls if c.method == "getChatMember"] == [{"chat_id": GROUP, "user_id": MEMBER}]
    calls = await bot.send("/stats", user=MEMBER)
    assert not any(c.method == "getChatMember" for c in calls)  # answered from the short cache


async def test_moderator_commands_only_in_private_or_the_moderators_group(bot, caplog):
    assert "Stats, last 14 days" in texts(await bot.send("/stats", chat=GROUP))
    before = bot.snapshot()
    with caplog.at_level(logging.WARNING):
        calls = await bot.send(f"/retire {EXPLICIT_ID} nope", chat=RANDOM_GROUP)
    assert "private chat with me or in the moderators' group" in texts(calls)
    assert bot.snapshot() == before and f"in chat {RANDOM_GROUP}" in caplog.text


def test_settings_refuse_usernames_as_moderators():
    with pytest.raises(ValueError, match="numeric"):
        Settings.from_env({"MODERATOR_IDS": "123,@alice"})
    settings = Settings.from_env({"MODERATOR_IDS": "123, 456", "MODERATOR_CHAT_ID": "-100789",
                                  "CORRECTION_NOTICE_DAYS": "7"})
    assert settings.moderator_ids == {123, 456} and settings.moderator_chat_id == -100789
    assert settings.correction_notice_days == 7 and Settings.from_env({}).correction_notice_days == 0


# --- /add ---------------------------------------------------------------------------------------------

async def test_add_explicit_claim_step_by_step_with_exact_preview(bot):
    assert "Step 1" in texts(await bot.send("/add"))
    assert "Step 2" in texts(await bot.send("Le Burkina a rompu avec la Suède."))
    calls = await bot.send("Burkina Faso cut ties with Sweden.")
    assert buttons(calls) == ["add:l:explicit", "add:l:inferred"]
    assert "who states it" in texts(await bot.tap("add:l:explicit"))
    assert "needs the source that states it" in texts(await bot.send("/skip"))  # explicit: a source is a must
    calls = await bot.send("Ministry of Foreign Affairs of Burkina Faso")
    assert "add:k:0" in buttons(calls)
    assert "Its date" in texts(await bot.tap("add:k:0"))
    assert "must be YYYY" in texts(await bot.send("Aug 2024"))  # checked like a claim file
    assert "own words" in texts(await bot.send("2024-08"))
    await bot.send("/skip")
    calls = await bot.send("/skip")
    assert buttons(calls) == ["add:s:more", "add:s:done"]
    assert "Where was the claim read" in texts(await bot.tap("add:s:done"))
    assert "Other ways people may ask" in texts(await bot.send("A made-up test article | Tester"))
    calls = await bot.send("Burkina Sweden ties\nrupture Burkina Suède")
    assert "burkina-faso-cut-ties-sweden" in texts(calls) and buttons(calls) == ["add:id"]
    preview = await bot.tap("add:id")
    card = [c for c in preview if c.method == "sendMessage"][-1]
    assert buttons([card])[:2] == [confirm(preview, f"add:ok:{MOD}:"), "add:no"]
    before = bot.snapshot()
    saved = await bot.tap(confirm(preview, "add:ok:"))
    claim = bot.base.get("burkina-faso-cut-ties-sweden")
    assert claim is not None and bot.snapshot() != before
    assert card.params["text"] == render_claim(bot.base, claim, "en").text  # exactly what users will see
    assert claim.sources[0].to_dict() == {"name": "Ministry of Foreign Affairs of Burkina Faso",
                                          "kind": "official statement", "date": "2024-08"}
    assert claim.aliases == ("Burkina Sweden ties", "rupture Burkina Suède")
    assert claim.stated_in == {"title": "A made-up test article", "author": "Tester"}
    assert "Saved as change <b>#1</b>" in texts(saved)
    (entry_id, record), = bot.store.audit_entries()
    assert record["moderator"] == MOD and record["action"] == "add" and record["changes"][0]["before"] is None
    answer = await bot.send("Did Burkina Faso cut ties with Sweden?", user=OTHER)
    assert "Burkina Faso cut ties with Sweden." in texts(answer)


async def test_add_inferred_claim_and_french_preview(bot):
    await bot.send("/add")
    await bot.send("/skip")
    await bot.send("Mali and Niger broke with Kyiv for the same reason.")
    assert "who makes this inference" in texts(await bot.tap("add:l:inferred"))
    assert "Where was the claim read" in texts(await bot.send("/skip"))  # inferred: who infers may be skipped
    assert "rest on" in texts(await bot.send("/skip"))
    assert "records the claims it rests on" in texts(await bot.send("/skip"))  # CLAIMS.md: both are a must
    assert "No claim has the id(s): nope" in texts(await bot.send(f"{EXPLICIT_ID} nope"))
    assert "who infers what" in texts(await bot.send(f"{EXPLICIT_ID} niger-cuts-ties-with-ukraine"))
    assert "records, in one sentence, who infers what" in texts(await bot.send("/skip"))
    await bot.send("The tester infers a common cause from two breaks a few days apart.")
    await bot.send("/skip")
    await bot.send("same-reason-test")
    calls = await bot.tap("add:v:fr")
    assert "add:v:en" in buttons(calls)
    text = texts(calls)
    assert "Inféré" in text and "disponible seulement en anglais" in text
    await bot.tap(confirm(calls, "add:ok:"))
    saved = bot.base.get("same-reason-test")
    assert saved.rests_on == (EXPLICIT_ID, "niger-cuts-ties-with-ukraine") and saved.reasoning
    assert saved.link == "inferred" and saved.sources == ()


async def test_add_cancel_at_any_step_saves_nothing(bot):
    before = bot.snapshot()
    await bot.send("/add")
    await bot.send("Un texte")
    assert "middle of a step-by-step change" in texts(await bot.send("/stats"))
    assert "Cancelled" in texts(await bot.send("/cancel"))
    assert bot.snapshot() == before
    assert "Nothing to cancel" in texts(await bot.send("/cancel"))
    await bot.send("/add")
    await bot.send("/skip")
    await bot.send("A text")
    await bot.tap("add:l:explicit")
    assert "Cancelled" in texts(await bot.tap("add:no"))
    assert bot.snapshot() == before
    assert "This step is over" in (await bot.tap(f"add:ok:{MOD}:00000000"))[0].params["text"]


async def test_add_times_out_and_the_message_after_the_next_is_a_question_again(tmp_path):
    async with harness(make_settings(tmp_path, moderation_timeout=0.3)) as bot:
        before = bot.snapshot()
        await bot.send("/add")
        await wait_for(lambda: any("Stopped after" in str(c.params.get("text")) for c in bot.request.calls))
        bot.request.take()
        assert "Your /add had already stopped" in texts(await bot.send("Le Burkina a rompu avec la Suède."))
        calls = await bot.send("xqzv plorkk")
        assert "No claim in the base matches" in texts(calls)
        assert bot.snapshot() == before


async def test_add_from_the_review_queue_carries_the_question_and_resolves_it(bot):
    await bot.send("zorblax treaty of Kidal", user=OTHER)
    listing = await bot.send("/unmatched")
    assert "zorblax treaty of Kidal" in texts(listing)
    new = next(b for b in buttons(listing) if b.startswith("un:n:"))
    calls = await bot.tap(new)
    assert "becomes an alias" in texts(calls) and "Step 1" in texts(calls)
    await bot.send("/skip")
    await bot.send("The zorblax treaty was signed in Kidal.")
    await bot.tap("add:l:explicit")
    await bot.send("Tester")
    await bot.tap("add:k:5")
    for _ in range(3):
        await bot.send("/skip")
    await bot.tap("add:s:done")
    assert "Already: « zorblax treaty of Kidal »" in texts(await bot.send("/skip"))
    await bot.send("/skip")
    await bot.tap(confirm(await bot.tap("add:id"), "add:ok:"))
    claim = bot.base.get("zorblax-treaty-signed-kidal")
    assert claim is not None and claim.aliases == ("zorblax treaty of Kidal",)
    assert "Nothing to review" in texts(await bot.send("/unmatched"))


# --- one-step changes, history, undo ----------------------------------------------------------------

async def test_edit_at_once_and_refusal_with_reason(bot):
    calls = await bot.send(f"/edit {EXPLICIT_ID} sources.1.date 4 August 2024")
    before = bot.snapshot()
    assert "Not changed" in texts(calls) and "'sources.1.date'" in texts(calls)
    assert bot.snapshot() == before
    calls = await bot.send(f"/edit {EXPLICIT_ID} title Mali breaks with Kyiv")
    assert "Saved as change <b>#1</b>" in texts(calls) and "/undo 1" in texts(calls)
    assert bot.base.get(EXPLICIT_ID).title == "Mali breaks with Kyiv"
    assert "no claim with the id" in texts(await bot.send("/edit nope title x"))
    assert "Usage" in texts(await bot.send("/edit"))


async def test_guided_edit_previews_then_saves(bot):
    calls = await bot.send(f"/edit {EXPLICIT_ID}")
    assert "ed:f:text.en" in buttons(calls) and "ed:f:sources.1.date" in buttons(calls)
    assert all(len(b.encode()) <= 64 for b in buttons(calls))
    assert "is now" in texts(await bot.tap("ed:f:text.en"))
    calls = await bot.send("Mali cut diplomatic ties with Ukraine on 4 August 2024 (edited).")
    save, cancel = buttons(calls)
    assert "(edited)" in texts(calls) and save.startswith(f"ed:ok:{MOD}:") and cancel == "ed:no"
    assert bot.base.get(EXPLICIT_ID).text["en"].endswith("(edited).") is False
    await bot.tap(save)
    assert bot.base.get(EXPLICIT_ID).text["en"].endswith("(edited).")
    calls = await bot.send(f"/edit {EXPLICIT_ID} link")
    assert buttons(calls) == ["ed:v:explicit", "ed:v:inferred"]
    calls = await bot.tap("ed:v:inferred")
    assert "needs rests_on" in texts(calls) and "Send another value" in texts(calls)  # refused, asked again
    assert "Cancelled" in texts(await bot.send("/cancel"))
    assert bot.base.get(EXPLICIT_ID).link == "explicit"
    assert "unknown field 'colour'" in texts(await bot.send(f"/edit {EXPLICIT_ID} colour"))
    await bot.send(f"/edit {EXPLICIT_ID} title")
    assert "You are in the middle of /edit" in texts(await bot.send("/add"))
    assert "Cancelled" in texts(await bot.send("/cancel"))
    await bot.send("/import")
    assert "as a document (📎), or /cancel" in texts(await bot.send("plain text"))


async def test_link_on_an_explicit_claim_is_refused_with_the_reason_and_changes_nothing(bot):
    before = bot.snapshot()
    reply = texts(await bot.send(f"/link {EXPLICIT_ID} ghulam-joined-jnim-mid-2024"))
    assert reply.startswith(f"❌ Not changed: {EXPLICIT_ID} is explicit: its source states it, so it rests on no "
                            "other claim")
    reply = texts(await bot.send(f"/edit {EXPLICIT_ID} rests_on ghulam-joined-jnim-mid-2024"))
    assert "field 'rests_on': an explicit claim rests on no other claim" in reply
    assert bot.snapshot() == before


async def test_reasoning_on_an_explicit_claim_is_refused_with_the_reason_and_changes_nothing(bot):
    """A reasoning set on an explicit claim was saved and never shown (a trial): it belongs to inferred claims."""
    before = bot.snapshot()
    for command in (f"/edit {EXPLICIT_ID} reasoning.en new text", f"/edit {EXPLICIT_ID} reasoning.fr"):
        reply = texts(await bot.send(command))
        assert f"Not changed: claim '{EXPLICIT_ID}', field 'reasoning': an explicit claim has no reasoning" in reply
        assert "/export, change the claim in the file, /import it" in reply
    assert "Nothing to cancel" in texts(await bot.send("/cancel"))  # the guided edit did not start
    assert bot.snapshot() == before


async def test_making_an_explicit_claim_inferred_by_edit_says_how_to_do_it(bot):
    before = bot.snapshot()
    reply = texts(await bot.send(f"/edit {EXPLICIT_ID} link inferred"))
    assert "needs rests_on" in reply and "reasoning" in reply
    assert "/export, change the claim in the file, /import it" in reply
    await bot.send(f"/edit {EXPLICIT_ID} link")
    assert "/export, change the claim in the file, /import it" in texts(await bot.tap("ed:v:inferred"))
    assert bot.snapshot() == before


async def test_an_import_with_reasoning_on_an_explicit_claim_is_rejected_naming_claim_and_field(bot):
    before = bot.snapshot()
    claims = yaml.safe_load(fifty())["claims"][:3]
    claims[1]["reasoning"] = {"en": "Someone infers it."}
    document = bot.request.add_file("why", yaml.safe_dump({"claims": claims}).encode(), "claims.yaml")
    text = texts(await bot.send(document=document, caption="/import"))
    assert "Rejected" in text and "<code>up-1</code>, field <code>reasoning</code>: an explicit claim" in text
    assert bot.snapshot() == before


async def test_alias_link_retire_restore_history_undo(bot):
    original = bot.snapshot()[0]
    assert "Saved" in texts(await bot.send(f"/alias {EXPLICIT_ID} zebra quokka rupture"))
    assert bot.base.search("zebra quokka rupture").best.id == EXPLICIT_ID
    assert "already an alias" in texts(await bot.send(f"/alias {EXPLICIT_ID} zebra quokka rupture"))
    thesis = "article-thesis-ukraine-indirectly-aids-jihadists"
    if EXPLICIT_ID in bot.base.get(thesis).rests_on:
        assert "already rests on" in texts(await bot.send(f"/link {thesis} {EXPLICIT_ID}"))
    else:
        assert "Saved" in texts(await bot.send(f"/link {thesis} {EXPLICIT_ID}"))
    assert "cycle" in texts(await bot.send(f"/link ukraine-strategy-hunting-wagner-in-africa {thesis}"))
    assert "Usage" in texts(await bot.send(f"/retire {EXPLICIT_ID}"))
    calls = await bot.send(f"/retire {EXPLICIT_ID} duplicate of another claim")
    assert "Saved" in texts(calls)
    assert "changed again by change #3; undo it first" in texts(await bot.send("/undo 1"))
    assert bot.base.search("zebra quokka rupture").best is None or \
        bot.base.search("zebra quokka rupture").best.id != EXPLICIT_ID
    assert "retired by the moderators" in texts(await bot.send(f"/claim {EXPLICIT_ID}", user=OTHER))
    assert "Saved" in texts(await bot.send(f"/restore {EXPLICIT_ID}"))
    history = texts(await bot.send(f"/history {EXPLICIT_ID}"))
    assert "alias zebra quokka rupture" in history and "retire duplicate of another claim" in history
    assert f"moderator {MOD}" in history and "status: active → retired" in history
    head = bot.store.audit_head()
    for number in range(head, 0, -1):
        assert "Saved" in texts(await bot.send(f"/undo {number}"))
    assert [c.to_dict() for c in bot.store.all()] == [c.to_dict() for c in ClaimStore(
        bot.store.path.with_name("fresh.json")).all()]
    assert "there is no change #99" in texts(await bot.send("/undo 99"))
    assert "Usage" in texts(await bot.send("/undo x"))
    assert original != bot.snapshot()[0]  # the undo entries are in the audit log


# --- export / import ---------------------------------------------------------------------------------

async def test_export_yaml_and_json_documents(bot):
    calls = await bot.send("/export")
    (doc,) = [c for c in calls if c.method == "sendDocument"]
    name, content = doc.files["document"]
    assert name.endswith(".yaml")
    assert yaml.safe_load(content)["claims"] == [c.to_dict() for c in bot.store.all()]
    (doc,) = [c for c in await bot.send("/export json") if c.method == "sendDocument"]
    assert doc.files["document"][0].endswith(".json")
    assert len(json.loads(doc.files["document"][1])["claims"]) == len(bot.store)


def fifty(bad: int | None = None) -> bytes:
    claims = [{"id": f"up-{i}", "text": {"en": f"Uploaded claim {i}"}, "link": "explicit",
               "sources": [{"name": "Tester", "kind": "press", "date": "2024"}]} for i in range(50)]
    if bad is not None:
        claims[bad]["link"] = "implicit"
    return yaml.safe_dump({"claims": claims}).encode()


async def test_import_with_one_invalid_claim_among_50_is_rejected_whole(bot):
    before = bot.snapshot()
    document = bot.request.add_file("bad", fifty(bad=33), "claims.yaml")
    calls = await bot.send(document=document, caption="/import")
    assert [c.method for c in calls] == ["getFile", "sendMessage"]
    text = texts(calls)
    assert "Rejected" in text and "<code>up-33</code>, field <code>link</code>" in text
    assert "up-32" not in text and not buttons(calls)
    assert bot.snapshot() == before and not bot.settings.backups.exists()


async def test_import_summary_then_apply_after_a_backup(bot):
    exported = [c.to_dict() for c in bot.store.all()]
    exported[0]["aliases"] = exported[0]["aliases"] + ["yet another phrasing"]
    exported[1]["status"] = "retired"
    content = yaml.safe_dump({"claims": exported + yaml.safe_load(fifty())["claims"][:2]}).encode()
    before = bot.snapshot()
    assert "Send the claim file" in texts(await bot.send("/import"))
    calls = await bot.send(document=bot.request.add_file("good", content, "base.yaml"))
    text = texts(calls)
    assert "2 new, 1 changed, 1 retired, 0 restored" in text
    assert buttons(calls) == [confirm(calls, f"im:ok:{MOD}:"), "im:no"]
    assert bot.snapshot() == before  # nothing written before the confirmation
    calls = await bot.tap(confirm(calls, "im:ok:"))
    assert "Imported <b>base.yaml</b> as change <b>#1</b>" in texts(calls)
    (backup,) = bot.settings.backups.iterdir()
    assert backup.read_bytes() == before[0]
    assert bot.base.get("up-1") is not None and not bot.base.get(exported[1]["id"]).active
    assert "Saved" in texts(await bot.send("/undo 1"))
    assert bot.base.get("up-1") is None and bot.base.get(exported[1]["id"]).active


async def test_import_refuses_when_the_base_changed_and_bad_files(bot):
    await bot.send("/import")
    calls = await bot.send(document=bot.request.add_file("x", b"{not json", "base.json"))
    assert "not valid JSON" in texts(calls)
    calls = await bot.send(document=bot.request.add_file("y", b"claims: []", "notes.txt"))
    assert ".yaml, .yml, .json or .jsonl" in texts(calls)
    await bot.send(document=bot.request.add_file("z", fifty(), "base.yaml"))
    assert "Cancelled" in texts(await bot.send("/cancel"))
    await bot.send("/import")
    apply = confirm(await bot.send(document=bot.request.add_file("z2", fifty(), "base.yaml")), "im:ok:")
    # another moderator's change lands between the summary and the confirmation
    assert "Saved" in texts(await bot.send(f"/alias {EXPLICIT_ID} meanwhile", user=MEMBER))
    before = bot.snapshot()
    assert "The base changed since this summary" in texts(await bot.tap(apply))
    assert bot.snapshot() == before and bot.base.get("up-0") is None


@pytest.mark.parametrize("command", ["/import", "/import retire-missing"])
@pytest.mark.parametrize("content", [b"", b"claims: []\n", b"claims:\n", b"# nothing yet\n"])
async def test_an_import_file_without_claims_is_refused_and_changes_nothing(bot, command, content):
    """With retire-missing, an empty file offered to retire the whole base (a trial); the command line
    refuses it ("holds no claims"), and so does /import."""
    before = bot.snapshot()
    await bot.send(command)
    calls = await bot.send(document=bot.request.add_file("empty", content, "e.yaml"))
    assert "e.yaml holds no claims. Nothing was changed" in texts(calls) and not buttons(calls)
    assert "retired" not in texts(calls)
    assert bot.snapshot() == before and not bot.settings.backups.exists()
    one = yaml.safe_dump({"claims": yaml.safe_load(fifty())["claims"][:1]}).encode()
    calls = await bot.send(document=bot.request.add_file("one", one, "one.yaml"))
    assert "1 new" in texts(calls)  # still waiting for a file: the next one is read


# --- feedback, review queue, stats ------------------------------------------------------------------

async def test_feedback_buttons_on_answers_and_thumbs_down_goes_to_review(bot):
    await bot.send(f"/alias {EXPLICIT_ID} zebra quokka rupture")
    calls = await bot.send("zebra quokka rupture", user=OTHER)
    data = buttons(calls)
    assert len(data) == 2 and data[0].startswith("fb:u:") and data[1].startswith("fb:d:")
    assert all(len(d.encode()) <= 64 for d in data)
    assert "No claim" not in texts(calls)
    calls = await bot.tap(data[1], user=OTHER)
    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageReplyMarkup"]
    assert "moderators will review" in calls[0].params["text"]
    assert calls[1].params["reply_markup"] == {"inline_keyboard": [[{"text": "y", "callback_data": "c:other"}]]}
    listing = texts(await bot.send("/unmatched"))
    assert "zebra quokka rupture" in listing and "👎 1" in listing and EXPLICIT_ID in listing
    none = await bot.send("xqzv plorkk", user=OTHER)
    assert not buttons(none)  # a no-match is already in the queue


async def test_unmatched_groups_and_attaches_an_alias(bot):
    await bot.send(f"/alias {EXPLICIT_ID} zebra quokka rupture")
    answered = await bot.send("zebra quokka rupture please?", user=OTHER)
    await bot.tap(buttons(answered)[1], user=OTHER)  # 👎
    for question in ["Who blorped the zorblax quiggles?", "who blorped the zorblax quiggles",
                     "Who blorped zorblax quiggle?", "xqzv plorkk"]:
        await bot.send(question, user=OTHER)
    listing = await bot.send("/unmatched")
    text = texts(listing)
    assert text.count("<b>3×</b>") == 1 and text.count("<b>1×</b>") == 2
    assert text.index("zorblax") < text.index("<b>1×</b>")  # the biggest group first
    zorblax, down, _ = [b for b in buttons(listing) if b.startswith("un:a:")]
    calls = await bot.tap(zorblax)
    assert not [b for b in buttons(calls) if b.startswith("un:s:")]  # nothing in the base looks like it
    assert "Or send: /alias &lt;id&gt; " in texts(calls) and "zorblax" in texts(calls)
    calls = await bot.send(f"/alias {EXPLICIT_ID} who blorped the zorblax quiggles")
    assert "Saved" in texts(calls)
    calls = await bot.tap(down)
    choices = [b for b in buttons(calls) if b.startswith("un:s:")]
    assert f"{down.replace('un:a:', 'un:s:')}:{EXPLICIT_ID}" in choices
    assert all(len(b.encode()) <= 64 for b in choices)
    calls = await bot.tap(f"{down.replace('un:a:', 'un:s:')}:{EXPLICIT_ID}")
    assert "Saved" in texts(calls)
    assert "zebra quokka rupture please?" in bot.base.get(EXPLICIT_ID).aliases
    listing = await bot.send("/unmatched")
    assert "zorblax" not in texts(listing) and "zebra" not in texts(listing) and "xqzv plorkk" in texts(listing)
    dismiss = next(b for b in buttons(listing) if b.startswith("un:x:"))
    assert "Dismissed" in texts(await bot.tap(dismiss))
    assert "Nothing to review" in texts(await bot.send("/unmatched"))


async def test_stats(bot):
    await bot.send("xqzv plorkk", user=OTHER)
    await bot.send("Did Mali cut ties with Ukraine?", user=OTHER)
    text = texts(await bot.send("/stats 7"))
    assert "Stats, last 7 days" in text and "Questions: 2" in text
    assert "none 1 (50%)" in text and "xqzv plorkk" in text
    assert f"{len(bot.store.all(include_retired=False))} active claims" in text


async def test_the_question_log_is_pruned_at_start_and_stats_and_queue_say_how_long_it_keeps_questions(tmp_path):
    settings = make_settings(tmp_path, questions_keep_days=30)
    old = {"time": "2020-01-01T00:00:00+00:00", "question": "ancient zorblax", "outcome": "none", "matches": [],
           "user_id": OTHER, "chat_type": "private", "qid": "ancient001", "lang": "en", "chat_id": OTHER}
    marks = [{"time": "2020-01-02T00:00:00+00:00", "kind": "vote", "qid": "ancient001", "user_id": OTHER,
              "value": "down"},
             {"time": "2020-01-03T00:00:00+00:00", "kind": "resolved", "qid": "ancient001", "user_id": MOD,
              "value": "dismissed"}]
    settings.question_log.write_text("".join(json.dumps(r) + "\n" for r in [old, *marks]), encoding="utf-8")
    async with harness(settings) as bot:
        assert settings.question_log.read_text(encoding="utf-8") == ""  # pruned at start, marks with it
        await bot.send("xqzv plorkk", user=OTHER)
        listing = texts(await bot.send("/unmatched 3650"))
        assert "xqzv plorkk" in listing and "ancient" not in listing
        assert "🗓 Questions are kept 30 days, then deleted" in listing
        assert "kept" not in texts(await bot.send("/unmatched 30"))  # within the retention: nothing to add
        stats = texts(await bot.send("/stats"))
        assert "Questions: 1." in stats and stats.endswith(
            "🗓 Questions are kept 30 days, then deleted (CLAIMBOT_QUESTIONS_KEEP_DAYS).")
        bot.language_codes[MOD] = "fr"
        assert "🗓 Les questions sont conservées 30 jours, puis effacées" in texts(await bot.send("/stats"))
        [logged] = [json.loads(line) for line in settings.question_log.read_text(encoding="utf-8").splitlines()]
        assert logged["question"] == "xqzv plorkk"


async def test_stats_say_when_questions_are_kept_forever(tmp_path):
    async with harness(make_settings(tmp_path, questions_keep_days=None)) as bot:
        assert "🗓 Questions are kept without limit" in texts(await bot.send("/stats"))
        assert "Nothing to review" in texts(await bot.send("/unmatched 3650"))


async def test_stats_lists_only_the_days_with_questions(bot):
    import re
    from datetime import datetime, timezone

    text = texts(await bot.send("/stats"))
    assert "<b>Per day</b>: no questions in these days." in text and "<code>" not in text
    await bot.send("xqzv plorkk", user=OTHER)
    await bot.send("Did Mali cut ties with Ukraine?", user=OTHER)
    text = texts(await bot.send("/stats 30"))
    today = datetime.now(timezone.utc).date().isoformat()
    assert "<b>Per day</b> (days with questions):" in text
    assert re.findall(r"<code>(\d{4}-\d\d-\d\d) +(\d+) ", text) == [(today, "2")]


@pytest.mark.parametrize("lang", ["en", "fr"])
async def test_stats_over_years_of_daily_questions_list_the_latest_month_within_one_message(bot, lang):
    from datetime import date, timedelta

    from bot.render_mod import render_stats
    from knowledge.review import Stats

    from helpers.telegram_html import check_telegram_html

    first = date(2020, 1, 1)
    per_day = [((first + timedelta(days=n)).isoformat(), 1 + n % 7 if n % 3 else 0) for n in range(3650)]
    busy = [d for d, n in per_day if n]
    stats = Stats(3650, per_day, sum(n for _, n in per_day), {"answer": 1, "suggest": 0, "none": 0}, 0, 0, [], [])
    text = render_stats(stats, bot.base, 0, lang, keep_days=None).text
    check_telegram_html(text)  # within 4096 UTF-16 units
    listed = [line[6:16] for line in text.splitlines() if line.startswith("<code>")]
    assert listed == busy[-31:]
    earlier = {"en": f"… and {len(busy) - 31} earlier days with questions",
               "fr": f"… et {len(busy) - 31} jours plus anciens avec des questions"}[lang]
    assert earlier in text


async def test_modhelp_lists_commands(bot):
    text = texts(await bot.send("/modhelp"))
    for command in ("/add", "/edit", "/alias", "/link", "/retire", "/restore", "/history", "/undo", "/export",
                    "/import", "/unmatched", "/stats"):
        assert command in text


# --- correction notices ------------------------------------------------------------------------------

async def notice_calls(bot: Harness) -> list[ApiCall]:
    await asyncio.gather(*bot.app.bot_data.get("correction_notice_tasks", set()))
    return [c for c in bot.request.take() if c.method == "sendMessage"]


async def test_correction_notices_are_off_by_default(bot):
    await bot.send(f"/alias {EXPLICIT_ID} zebra quokka rupture")
    await bot.send("zebra quokka rupture", user=OTHER)
    calls = await bot.send(f"/edit {EXPLICIT_ID} text.en Mali cut ties with Ukraine (corrected).")
    assert "Telling" not in texts(calls) and await notice_calls(bot) == []


async def test_people_shown_a_claim_are_told_when_it_is_corrected_or_retired(tmp_path):
    async with harness(make_settings(tmp_path, correction_notice_days=7)) as bot:
        await bot.send(f"/alias {EXPLICIT_ID} zebra quokka rupture")
        await bot.send("zebra quokka rupture", user=OTHER)
        await bot.send("zebra quokka rupture", user=444)
        calls = await bot.send(f"/alias {EXPLICIT_ID} another phrasing")  # not a correction
        assert "Telling" not in texts(calls) and await notice_calls(bot) == []
        calls = await bot.send(f"/edit {EXPLICIT_ID} text.en Mali cut ties with Ukraine (corrected).")
        assert "Telling 2 people" in texts(calls)
        sent = await notice_calls(bot)
        assert sorted(c.params["chat_id"] for c in sent) == sorted([444, OTHER])
        assert all("has been corrected" in c.params["text"] and "(corrected)." in c.params["text"] for c in sent)
        await bot.send(f"/retire {EXPLICIT_ID} merged into another claim")
        sent = await notice_calls(bot)
        assert len(sent) == 2 and all("has been retired" in c.params["text"] for c in sent)


# --- the console as a moderator ----------------------------------------------------------------------

async def test_console_moderator_taps_buttons_and_uploads_files(tmp_path):
    import dataclasses
    import io

    from bot.console import CONSOLE_USER, console

    settings = dataclasses.replace(make_settings(tmp_path), moderator_ids=frozenset({CONSOLE_USER["id"]}))
    upload = tmp_path / "new.yaml"
    upload.write_bytes(yaml.safe_dump({"claims": yaml.safe_load(fifty())["claims"][:3]}).encode())
    lines = ["xqzv plorkk", "/unmatched", "#3", "/add", "/skip", "Console claim text.", "#1", "Console tester",
             "#4", "/skip", "/skip", "/skip", "#2", "/skip", "/skip", "console-claim", "#1", "/export",
             f"@{upload}", "/import", f"@{upload}", "#1", "#9"]
    out = io.StringIO()
    await console(settings, stdin=io.StringIO("\n".join(lines) + "\n"), stdout=out, echo=True)
    text = out.getvalue()
    assert "> xqzv plorkk" in text and "[1. 🗑 dismiss] #3" in text and "🗑 Dismissed « xqzv plorkk »" in text
    assert "✅ Saved as change #1 (add)" in text
    assert "📎 claims-" in text and ".yaml (" in text
    assert "This command is for the moderators" not in text
    assert "Importing would give: 3 new" in text and "Imported new.yaml as change #2" in text
    assert "(no button #9)" in text
    store = ClaimStore(settings.db_path)
    assert store.get("console-claim").sources[0].kind == "author" and store.get("up-2") is not None


async def test_moderator_command_menus_go_to_moderators_chats(bot):
    from bot.app import COMMANDS
    from bot.handlers.moderation import register_commands

    await register_commands(bot.app, COMMANDS)
    calls = [c for c in bot.request.take() if c.method == "setMyCommands"]
    assert [(c.params["scope"]["chat_id"], c.params.get("language_code")) for c in calls] == [
        (MOD, None), (MOD, "fr"), (GROUP, None), (GROUP, "fr")]
    english, french = ([command["command"] for command in call.params["commands"]] for call in calls[:2])
    assert english[:2] == ["ask", "claim"] and "add" in english and "unmatched" in english
    assert french == english
    described = {command["command"]: command["description"] for command in calls[1].params["commands"]}
    assert described["add"] == "Nouvelle affirmation, pas à pas" and described["ask"] == "Chercher une affirmation"


async def test_replay_shows_an_upload_by_name_and_size(tmp_path):
    import io

    from bot.console import replay

    update = {"update_id": 7, "message": {"message_id": 7, "date": 0, "text": "/export",
                                          "chat": {"id": MOD, "type": "private", "first_name": "M"},
                                          "from": {"id": MOD, "is_bot": False, "first_name": "M"},
                                          "entities": [{"type": "bot_command", "offset": 0, "length": 7}]}}
    out = io.StringIO()
    assert await replay(make_settings(tmp_path), io.StringIO(json.dumps(update) + "\n"), out) == 0
    (line,) = [json.loads(x) for x in out.getvalue().splitlines()]
    assert line["method"] == "sendDocument" and line["params"]["chat_id"] == MOD
    assert line["files"]["document"]["name"].endswith(".yaml") and line["files"]["document"]["bytes"] > 1000


@pytest.mark.parametrize("kind", ["yaml", "jsonl", "json"])
async def test_import_names_a_claim_without_id_by_its_position_and_line(bot, kind):
    """The command line gave the line, Telegram only the position (a trial); a JSON file's lines are unknown."""
    before = bot.snapshot()
    claims = yaml.safe_load(fifty())["claims"]
    del claims[4]["id"]
    if kind == "yaml":
        content = yaml.safe_dump({"claims": claims})
        starts = [number for number, line in enumerate(content.splitlines(), 1) if line.startswith("- ")]
        where = f"claim #5 (no id, line {starts[4]})"
    elif kind == "jsonl":
        content = "".join(json.dumps(c) + "\n" for c in claims)
        where = "claim #5 (no id, line 5)"
    else:
        content, where = json.dumps({"claims": claims}, indent=1), "claim #5 (no id)"
    document = bot.request.add_file("noid", content.encode(), f"claims.{kind}")
    text = texts(await bot.send(document=document, caption="/import"))
    assert "Rejected" in text and f"• {where}, field <code>id</code>: is required" in text
    assert bot.snapshot() == before


@pytest.mark.parametrize("argument", ["¹", "²3", "#⁴", "x", "1 2", "٣٣٣", "1" * 4301])
async def test_undo_with_a_number_that_is_not_one_gets_its_usage(bot, argument):
    """'¹' passes str.isdigit() but not int() (make stress); 4,301 digits are past int()'s limit (a trial)."""
    before = bot.snapshot()
    assert "Usage: /undo" in texts(await bot.send(f"/undo {argument}"))
    assert bot.snapshot() == before


async def test_an_edit_of_one_part_of_stated_in_shows_that_part_not_the_whole_article(bot):
    """The article's long title filled both sides of 'before → after', hiding the change (a trial)."""
    calls = await bot.send(f"/edit {EXPLICIT_ID} stated_in.part reader comment")
    text = texts(calls)
    assert "Saved" in text and "stated_in.part" in text and "∅ → reader comment" in text
    history = texts(await bot.send(f"/history {EXPLICIT_ID}"))
    assert "stated_in.part" in history and bot.base.get(EXPLICIT_ID).stated_in["title"] not in history


async def test_a_link_shows_the_id_it_adds_and_its_undo_the_id_it_takes_away(bot):
    """rests_on was shown whole, cut at 160 characters alike on both sides of the arrow (a trial)."""
    thesis, added = "article-thesis-ukraine-indirectly-aids-jihadists", "jnim-drone-tech-inspired-by-ukraine-war"
    text = texts(await bot.send(f"/link {thesis} {added}"))
    assert f"rests_on: + {added}" in text and "→" not in text
    assert f"rests_on: − {added}" in texts(await bot.send("/undo 1"))
    history = texts(await bot.send(f"/history {thesis}"))
    assert f"rests_on: + {added}" in history and f"rests_on: − {added}" in history


async def test_a_long_value_changed_near_its_end_shows_where_it_differs(bot):
    long_url = "https://example.org/" + "a" * 200
    await bot.send(f"/edit {EXPLICIT_ID} stated_in.url {long_url}/x")
    text = texts(await bot.send(f"/edit {EXPLICIT_ID} stated_in.url {long_url}/y"))
    (line,) = [line for line in text.splitlines() if "stated_in.url" in line]
    old, new = line.split(": ", 1)[1].split(" → ")
    assert old.endswith("/x") and new.endswith("/y")
    assert "/x → " in texts(await bot.send(f"/history {EXPLICIT_ID}"))


async def test_a_change_of_many_long_values_stays_within_one_message(bot):
    from helpers.telegram_html import check_telegram_html

    aliases = " | ".join(f"{i} " + "long alias & <phrasing> " * 12 for i in range(40))
    text = texts(await bot.send(f"/edit {EXPLICIT_ID} aliases {aliases}"))
    check_telegram_html(text)
    assert "Saved" in text and "aliases: + 0 long alias &amp; &lt;phrasing&gt;" in text and "(+" in text
    for number in range(12):
        await bot.send(f"/edit {EXPLICIT_ID} text.en Mali cut ties with Ukraine, take {number}: " + "x" * 1500)
    history = texts(await bot.send(f"/history {EXPLICIT_ID}"))
    check_telegram_html(history)


@pytest.mark.parametrize("lang,head", [
    ("en", "History of <code>{id}</code>: the latest 10 of 11 changes, newest last (every one: "
           "<code>python -m knowledge history {id}</code>"),
    ("fr", "Historique de <code>{id}</code> : les 10 plus récentes sur 11 modifications, la plus récente en dernier "
           "(toutes : <code>python -m knowledge history {id}</code>")])
async def test_history_of_more_than_ten_changes_says_it_shows_the_latest_ten_and_where_the_rest_are(bot, lang, head):
    """The header said "11 changes" above ten, with no mark that the oldest was left out (a trial)."""
    bot.language_codes[MOD] = lang
    for number in range(10):
        await bot.send(f"/alias {EXPLICIT_ID} phrase number {number}")
    ten = texts(await bot.send(f"/history {EXPLICIT_ID}"))
    assert "phrase number 0" in ten and "latest" not in ten and "plus récentes" not in ten
    await bot.send(f"/alias {EXPLICIT_ID} phrase number 10")
    text = texts(await bot.send(f"/history {EXPLICIT_ID}"))
    assert text.startswith(head.format(id=EXPLICIT_ID))
    assert "phrase number 10" in text and "phrase number 1\n" in text and "phrase number 0" not in text


@pytest.mark.parametrize("lang,line", [("en", "There is no claim with the id <code>nope</code>."),
                                       ("fr", "Aucune affirmation n'a l'identifiant <code>nope</code>.")])
async def test_history_of_an_unknown_id_says_so_plainly(bot, lang, line):
    """It said "❌ Not changed: …" although nothing was being changed (a trial)."""
    bot.language_codes[MOD] = lang
    assert texts(await bot.send("/history nope")) == line
    assert "&lt;b&gt;" in texts(await bot.send("/history <b>"))  # escaped


@pytest.mark.parametrize("command", ["/import foo", "/import retire-mising", "/import retire-missing now"])
async def test_import_with_an_unknown_word_gets_its_usage_and_starts_nothing(bot, command):
    """'/import foo' waited for a file as if nothing was wrong: a mistyped retire-missing would keep every claim."""
    before = bot.snapshot()
    assert "Usage: /import, then send the claim file; /import retire-missing" in texts(await bot.send(command))
    document = bot.request.add_file("f", fifty(), "claims.yaml")
    calls = await bot.send(document=document, caption=command)
    assert "Usage: /import" in texts(calls) and not any(c.method == "getFile" for c in calls)
    assert "Nothing to cancel" in texts(await bot.send("/cancel"))
    assert bot.snapshot() == before


async def test_import_retire_missing_in_any_case_is_read(bot):
    assert "Send the claim file" in texts(await bot.send("/import Retire-Missing"))
    calls = await bot.send(document=bot.request.add_file("f", fifty(), "claims.yaml"))
    assert f"{len(bot.store)} retired" in texts(calls)


async def test_the_console_saves_an_exported_file_next_to_the_store_and_says_where(tmp_path):
    """The console printed "📎 claims-….yaml (53220 bytes)" and the file went nowhere (a trial)."""
    import dataclasses
    import io

    from bot.console import CONSOLE_USER, console
    from knowledge.io import read_items

    settings = dataclasses.replace(make_settings(tmp_path / "store"), moderator_ids=frozenset({CONSOLE_USER["id"]}))
    out = io.StringIO()
    await console(settings, stdin=io.StringIO("/export\n/export\n/export json\n"), stdout=out)
    saved = re.findall(r"^📎 (claims-\S+) \((\d+) bytes\), saved as (\S+)(?: \((\S+) was there already\))?$",
                       out.getvalue(), flags=re.M)
    assert len(saved) == 3
    paths = [Path(path) for _, _, path, _ in saved]
    assert len(set(paths)) == 3 and all(p.parent == tmp_path / "store" for p in paths)  # none overwritten
    assert paths[0].name == saved[0][0] and not saved[0][3]
    if saved[1][0] == saved[0][0]:  # the same second: the name the bot gave is taken, and the console says so
        assert paths[1].name == saved[1][0].replace(".yaml", "-2.yaml") and saved[1][3] == saved[1][0]
    else:
        assert paths[1].name == saved[1][0] and not saved[1][3]
    assert "<code>" not in out.getvalue() and "python -m knowledge diff FILE on the server" in out.getvalue()
    for (_, size, _, _), path in zip(saved, paths):
        assert path.stat().st_size == int(size)
        assert len(read_items(path)) == len(ClaimStore(settings.db_path).all())


def test_save_document_keeps_a_sent_name_inside_its_folder(tmp_path):
    from bot.console import save_document

    assert save_document(tmp_path, "../../etc/evil.yaml", b"x") == tmp_path / "evil.yaml"
    assert save_document(tmp_path, "", b"x") == tmp_path / "document"
    assert save_document(tmp_path, ".hidden", b"x") == tmp_path / "document-2"
