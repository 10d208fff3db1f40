"""Hostile input through the real handlers, on every surface: never a crash, never an invalid reply.

Questions and claim texts that are empty, blank, 10,000 characters long, full of control characters,
NUL, right-to-left marks, emoji with modifiers and joiners, HTML, Markdown, unpaired surrogates.
Each reply must be valid Telegram HTML (bot/api_rules.py, which the offline Bot API also applies),
at most 4096 characters, with no markup from the input let through.
"""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings, strategies as st

from knowledge.base import ClaimBase
from knowledge.model import ClaimError, claim_from_dict
from knowledge.store import ClaimStore

from bot.ingress import clean_text
from bot.offline import ApiCall
from bot.services import KEY
from hostile_kit import PIECES, PRIVATE, any_char, hostile_text, msg, reply_problems, surfaces_for, visible
from telegram_kit import ALICE, CHANNEL, CLAIMBOT_USER, start_harness

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
SLOW = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large], deadline=None)


class World:
    """One offline bot for the whole module (its own event loop), with the curated base."""

    def __init__(self, tmp_path_factory) -> None:
        self.tmp = tmp_path_factory.mktemp("hostile")
        self.loop = asyncio.new_event_loop()
        self.base = ClaimBase.open(self.tmp / "claims.json")
        self.harness = self.loop.run_until_complete(
            start_harness(self.tmp, self.base, channel_opt_in=frozenset({CHANNEL["id"]})))
        self.services = self.harness.app.bot_data[KEY]
        self.services.questions.path = self.tmp / "questions.jsonl"
        self.numbers = itertools.count(1)

    def feed(self, name: str, payload: dict) -> list:
        request = self.harness.request
        try:
            calls = self.loop.run_until_complete(self.harness.feed(payload))
        except AssertionError as exc:
            self.harness.errors.clear()
            raise AssertionError(f"{name}: {exc}") from None
        refused, request.refused[:] = list(request.refused), []
        problems = reply_problems(calls) + [f"{c.method} refused: {why}" for c, why in refused]
        assert not problems, f"{name}: {problems}"
        return calls

    def every_surface(self, text: str) -> None:
        for name, payload in surfaces_for(text):
            self.feed(name, payload)

    def close(self) -> None:
        self.loop.run_until_complete(self.harness.app.shutdown())
        self.loop.close()


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    w = World(tmp_path_factory)
    yield w
    w.close()


@pytest.mark.parametrize("piece", [p for p in PIECES if p] + ["x" * 10_000, "<b>" * 2000, "&" * 5000])
def test_each_hostile_piece_on_every_surface(world, piece):
    world.every_surface(piece)
    world.every_surface(f"Did Mali cut ties with Ukraine? {piece}")


@SLOW
@given(text=hostile_text())
def test_hostile_questions_on_every_surface(world, text):
    world.every_surface(text)


def test_unpaired_surrogates_are_replaced_and_the_question_still_answered(world):
    calls = world.feed("private", {"message": msg("Did Mali cut diplomatic ties with \ud800Ukraine\udfff?", chat=PRIVATE)})
    assert len(calls) == 1 and "mali-cuts-ties-with-ukraine" in calls[0].params["text"]
    logged = json.loads(world.services.questions.path.read_text(encoding="utf-8").splitlines()[-1])
    assert logged["question"] == "Did Mali cut diplomatic ties with \ufffdUkraine\ufffd?"
    calls = world.feed("claim", {"message": msg("/claim \ud83d\ude00\udc00<b>", chat=PRIVATE, command=True)})
    assert "😀\ufffd<b>" in visible(calls[0].params["text"])  # the pair joined, the lone half replaced, escaped


def test_clean_text_keeps_utf16_offsets():
    for text in ["a\ud800b", "\x00\x07\t\n\r", "\ud83d\ude00x\udfff", "plain ✓ 👍🏽"]:
        cleaned = clean_text(text)
        assert len(text.encode("utf-16-le", "surrogatepass")) == len(cleaned.encode("utf-16-le"))
    assert clean_text("tab\tnl\ncr\r") == "tab\tnl\ncr\r" and clean_text("\x00") == "\ufffd"


from knowledge.model import BAD_CHAR_RE  # noqa: E402

# claim texts: mostly ones validation accepts (no controls, no unpaired surrogates), now and then not
storable_char = st.characters(blacklist_categories=("Cs", "Cc"))
visible_pieces = [p for p in PIECES if p.strip() and not BAD_CHAR_RE.search(p)]
storable = st.builds(lambda first, rest, front: first + rest if front else rest + first,
                     st.sampled_from(visible_pieces),
                     st.lists(st.one_of(st.sampled_from(visible_pieces + [" ", "\n"]), st.text(storable_char, max_size=30)),
                              max_size=12).map("".join),
                     st.booleans())
short_hostile = st.one_of(storable, storable, storable, st.text(any_char, max_size=40)).map(lambda t: t[:300])
long_storable = st.one_of(storable, storable.map(lambda t: (t * 200)[:2000]), st.just("&<>" * 666))
long_hostile = st.one_of(long_storable, long_storable, long_storable, hostile_text().map(lambda t: t[:2000]))
source = st.fixed_dictionaries({"name": st.one_of(storable.map(lambda t: t[:300]), st.just("<b>&" * 75)),
                                "kind": st.just("press"), "quote": long_storable})


@SLOW
@given(text_en=long_storable, text_fr=long_hostile, sources=st.lists(source, min_size=1, max_size=10),
       title=short_hostile, alias=storable, reasoning=long_hostile, stated=short_hostile)
def test_hostile_claim_texts_render_valid_replies(world, text_en, text_fr, sources, title, alias, reasoning,
                                                  stated):
    """A claim either fails validation with a ClaimError naming the field, or shows valid everywhere."""
    raw = {"id": "hostile-1", "text": {"en": text_en, "fr": text_fr}, "link": "explicit", "sources": sources,
           "title": title, "aliases": [alias], "stated_in": {"title": stated, "author": stated}}
    inferred = {"id": "hostile-2", "text": {"en": f"{text_en} so {text_fr}"[:2000]}, "link": "inferred",
                "rests_on": ["hostile-1"], "reasoning": reasoning}
    try:
        claims = [claim_from_dict(raw), claim_from_dict(inferred)]
    except ClaimError as exc:
        assert exc.field and exc.claim_id in ("hostile-1", "hostile-2")
        event(f"refused: {exc.field.split('.')[0].split('[')[0]}")
        return
    event("accepted")
    path = world.tmp / f"claims-{next(world.numbers)}.json"
    base = ClaimBase(ClaimStore(path, seed=claims))
    assert ClaimStore(path).get("hostile-1") == claims[0]  # stored and read back as it was
    saved, world.services.base = world.services.base, base
    try:
        for command in ("/claim hostile-1", "/why hostile-1", "/claim hostile-2", "/why hostile-2"):
            calls = world.feed(command, {"message": msg(command, chat=PRIVATE, command=True)})
            assert len(calls) == 1 and command.split()[1] in calls[0].params["text"]
        for text in (text_en, text_fr, title):
            world.every_surface(text)
    finally:
        world.services.base = saved


def test_300_hostile_updates_through_run_bot_replay(tmp_path):
    """python run_bot.py --replay tests/data/hostile.jsonl: no crash, every reply valid, every private message answered."""
    fixture = DATA / "hostile.jsonl"
    lines = fixture.read_text(encoding="utf-8").split("\n")  # not splitlines: U+2028 may stand raw in a JSON string
    updates = [json.loads(line) for line in lines if line.strip()]
    assert len(updates) == 300 and sum("\\ud8" in line or "\\udf" in line for line in fixture.open()) > 10
    env = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_BOT_TOKEN", "BOT_USERNAME", "WEBHOOK_URL")}
    env["CHANNEL_OPT_IN"] = str(CHANNEL["id"])
    done = subprocess.run([sys.executable, "run_bot.py", "--replay", str(fixture), "--db", str(tmp_path / "c.json")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "update failed" not in done.stderr and "Traceback" not in done.stderr, done.stderr[-2000:]
    printed = [json.loads(line) for line in done.stdout.split("\n") if line.strip()]
    assert reply_problems([ApiCall(c["method"], c["params"]) for c in printed]) == []
    printed = [c["update_id"] for c in printed]
    private = [u["update_id"] for u in updates if u.get("message", {}).get("chat", {}).get("type") == "private"
               and (u["message"].get("text") or u["message"].get("caption"))]  # Telegram sends no empty text
    assert len(private) > 90 and all(printed.count(update_id) == 1 for update_id in private)


# --- moderators' input: trusted people, but what they type is shown back and stored -------------------

class ModeratorWorld(World):
    """The same, with Alice (id 71) a moderator, on a store of its own (the commands change it)."""

    def __init__(self, tmp_path_factory) -> None:
        from bot.app import build_application
        from telegram_kit import Harness, ScriptedRequest, make_settings
        self.tmp = tmp_path_factory.mktemp("hostile-mod")
        self.loop = asyncio.new_event_loop()
        self.base = ClaimBase.open(self.tmp / "claims.json")
        settings = dataclasses.replace(make_settings(self.tmp), moderator_ids=frozenset({ALICE["id"]}),
                                       questions_path=self.tmp / "questions.jsonl")
        request = ScriptedRequest()
        app = build_application(settings, request=request, base=self.base)
        self.loop.run_until_complete(app.initialize())
        request.take()
        self.harness = Harness(app, request)
        self.services = app.bot_data[KEY]
        self.numbers = itertools.count(1)

    def command(self, text: str) -> list:
        return self.feed(text.split(" ")[0], {"message": msg(text, chat=PRIVATE, command=True)})

    def tap(self, data: str) -> list:
        bot_msg = msg("…", chat=PRIVATE, sender=CLAIMBOT_USER, message_id=901)
        return self.feed(data, {"callback_query": {"id": "9", "from": ALICE, "chat_instance": "1", "data": data,
                                                   "message": bot_msg}})


@pytest.fixture(scope="module")
def moderator_world(tmp_path_factory):
    w = ModeratorWorld(tmp_path_factory)
    yield w
    w.close()


MOD_ID = "mali-cuts-ties-with-ukraine"


@pytest.mark.filterwarnings("ignore:Ignoring `conversation_timeout`")  # no JobQueue running: not needed here
@SLOW
@given(text=hostile_text())
def test_hostile_moderator_input(moderator_world, text):
    w = moderator_world
    if w.base.store.audit_head() > 60:  # every change keeps the claim before and after: start afresh
        w.base = w.services.base = ClaimBase.open(w.tmp / f"claims-{next(w.numbers)}.json")
    for command in (f"/alias {MOD_ID} {text}", f"/retire {MOD_ID} {text}", f"/restore {MOD_ID}", f"/history {text}",
                    f"/undo {text}", f"/link {text} {MOD_ID}", f"/edit {MOD_ID} title {text}"):
        w.command(command)
    w.tap("ed:ok")
    w.command("/cancel")
    w.command("/add")
    w.feed("add step", {"message": msg(text or "x", chat=PRIVATE)})
    w.command("/cancel")
    store = ClaimStore(w.base.store.path)  # whatever was saved loads back
    assert store.get(MOD_ID) is not None
