"""End to end: updates per second through Application.process_update with a recording fake request,
the claim bot (10,000 claims) against an echo bot, same updates, same run; and, as the floor of any
matcher that must beat plain BM25, a bot that only runs plain BM25 and replies the best claim's text."""

from __future__ import annotations

import asyncio
import html
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from bot.app import build_application
from bot.offline import OFFLINE_TOKEN, RecordingRequest
from bot.settings import Settings
from knowledge.base import ClaimBase

from .baselines import BM25
from .config import Config
from .store import build_store
from .synthetic import Generator

ROUNDS = 3
WARM_UP = 10


def updates(questions: list[str], first_id: int = 1) -> list[dict[str, Any]]:
    """Private text messages from a few users, one question each."""
    out = []
    for i, question in enumerate(questions):
        user = {"id": 5000 + i % 20, "is_bot": False, "first_name": "Bench", "language_code": "en"}
        out.append({"update_id": first_id + i,
                    "message": {"message_id": first_id + i, "date": 1_700_000_000, "text": question, "from": user,
                                "chat": {"id": user["id"], "type": "private", "first_name": "Bench"}}})
    return out


async def _echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send the text back."""
    await update.effective_message.reply_text(update.effective_message.text)


def echo_application(request: RecordingRequest) -> Application:
    return _one_handler_application(request, _echo)


def _one_handler_application(request: RecordingRequest, callback: Any) -> Application:
    """An offline Application with one handler for text messages, as the two baseline bots are."""
    app = (Application.builder().token(OFFLINE_TOKEN).request(request).get_updates_request(request)
           .updater(None).build())
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, callback))
    return app


def plain_bm25_application(request: RecordingRequest, base: ClaimBase) -> Application:
    """A bot that scores every claim with plain BM25 (texts, title and aliases as one field) and replies
    the best one's text in HTML: no checks, no buttons, no question log."""
    claims = base.store.all()
    index = BM25([" ".join([*c.text.values(), c.title or "", *c.aliases]) for c in claims])
    texts = [html.escape(c.text.get("en") or next(iter(c.text.values()))) for c in claims]

    async def reply_best(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Reply the best claim's text, or that none matched."""
        scores = index.scores(update.effective_message.text)
        best = int(scores.argmax())
        await update.effective_message.reply_text(texts[best] if scores[best] > 0 else "No claim found.",
                                                  parse_mode="HTML")

    return _one_handler_application(request, reply_best)


async def _rate(app: Application, request: RecordingRequest, batch: list[dict[str, Any]]) -> float:
    parsed = [Update.de_json(u, app.bot) for u in batch]
    started = time.perf_counter()
    for update in parsed:
        await app.process_update(update)
    seconds = time.perf_counter() - started
    sent = [c for c in request.take() if c.method == "sendMessage"]
    assert len(sent) == len(batch), f"{len(sent)} replies to {len(batch)} updates"
    return len(batch) / seconds


class _TableSearch:
    """Answers ClaimBase.search from a table filled by one untimed round: the claim bot with a free search."""

    def __init__(self, base: ClaimBase) -> None:
        self.search = base.search
        self.table: dict[tuple, Any] = {}
        self.filling = True
        self.misses = 0

    def __call__(self, *args: Any, **kwargs: Any):
        key = (args, tuple(sorted(kwargs.items())))
        if self.filling or key not in self.table:
            self.misses += not self.filling
            self.table[key] = self.search(*args, **kwargs)
        return self.table[key]


class _TimedSearch:
    """Wraps ClaimBase.search to count the time the claim bot spends in it."""

    def __init__(self, base: ClaimBase) -> None:
        self.search = base.search
        self.seconds = 0.0

    def __call__(self, *args: Any, **kwargs: Any):
        started = time.perf_counter()
        try:
            return self.search(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - started


async def _measure(base: ClaimBase, folder: Path, questions: list[str]) -> dict[str, Any]:
    settings = Settings(db_path=folder / "claims.json", questions_path=folder / "questions.jsonl")
    claim_request, echo_request, plain_request = RecordingRequest(), RecordingRequest(), RecordingRequest()
    claim_bot = build_application(settings, request=claim_request, base=base)
    echo_bot = echo_application(echo_request)
    plain_bot = plain_bm25_application(plain_request, base)
    rates: dict[str, list[float]] = {"claim_bot": [], "echo_bot": [], "plain_bm25_bot": [],
                                     "claim_bot_free_search": []}
    async with claim_bot, echo_bot, plain_bot:
        claim_request.take()
        warm = updates(questions[:WARM_UP], first_id=1)
        await _rate(claim_bot, claim_request, warm)
        await _rate(echo_bot, echo_request, warm)
        await _rate(plain_bot, plain_request, warm)
        batch = updates(questions, first_id=WARM_UP + 1)
        timed = base.search = _TimedSearch(base)  # type: ignore[method-assign]
        try:
            for _ in range(ROUNDS):  # alternate, so that a slow moment of the machine hits all three
                rates["echo_bot"].append(await _rate(echo_bot, echo_request, batch))
                rates["claim_bot"].append(await _rate(claim_bot, claim_request, batch))
                rates["plain_bm25_bot"].append(await _rate(plain_bot, plain_request, batch))
        finally:
            del base.search
        table = base.search = _TableSearch(base)  # type: ignore[method-assign]
        try:  # what the rest of the claim bot costs: the reply, the question log, python-telegram-bot
            await _rate(claim_bot, claim_request, batch)
            table.filling = False
            for _ in range(ROUNDS):
                rates["claim_bot_free_search"].append(await _rate(claim_bot, claim_request, batch))
            assert not table.misses, f"{table.misses} searches not in the table"
        finally:
            del base.search
    claim_seconds = sum(len(batch) / rate for rate in rates["claim_bot"])
    return {name: statistics.median(values) for name, values in rates.items()} | {
        "rounds": rates, "search_share": timed.seconds / claim_seconds,
        "search_ms_per_update": 1000 * timed.seconds / (len(batch) * ROUNDS)}


def run(config: Config, log=print) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db, _ = build_store(folder, config.e2e_size, config.seed)
        base = ClaimBase.open(db)
        try:
            questions = Generator(config.seed + 7).questions(base.store.all(), config.e2e_updates)
            result = asyncio.run(_measure(base, folder, questions))
            result["claims"] = len(base.matcher)
        finally:
            base.close()
    result["updates"] = config.e2e_updates
    result["ratio"] = result["claim_bot"] / result["echo_bot"]
    result["free_search_ratio"] = result["claim_bot_free_search"] / result["echo_bot"]
    result["plain_bm25_ratio"] = result["plain_bm25_bot"] / result["echo_bot"]
    log(f"  end to end: claim bot {result['claim_bot']:.0f} updates/s, echo bot {result['echo_bot']:.0f} updates/s, "
        f"plain BM25 bot {result['plain_bm25_bot']:.0f} updates/s, "
        f"claim bot with a free search {result['claim_bot_free_search']:.0f} updates/s")
    return result
