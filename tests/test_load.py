"""Load: 10,000 updates from 1,000 users with concurrent updates on (1,000 from 100 in `make test`;
STRESS=1, as in `make stress`, for the full size). Every question is answered once, the per-user
throttle holds, and the state kept per user and per chat stays bounded."""

from __future__ import annotations

import asyncio
import os
import time
from collections import Counter, defaultdict

from telegram import Update

from bot.app import build_application
from bot.limits import MAX_USERS_KEPT
from bot.offline import RecordingRequest
from bot.settings import Settings
from bot.surfaces import SurfaceSettings
from telegram_kit import base  # noqa: F401 (fixture: the curated base)

STRESS = os.environ.get("STRESS") == "1"
USERS, FLOODERS = (1000, 50) if STRESS else (100, 5)
NORMAL_UPDATES, FLOOD_UPDATES = 9, 29   # 950 x 9 + 50 x 29 = 10,000 (95 x 9 + 5 x 29 = 1,000)
PER_MINUTE = 20
QUESTIONS = ["Did Mali cut ties with Ukraine?", "Le Niger a-t-il rompu avec l'Ukraine ?", "Who is Hussein Ghulam?",
             "Does Ukraine support jihadists in Mali?", "What's the weather in Paris?", "JNIM drones Mali",
             "Qui est Andriy Yusov ?", "Wagner Tin Zaouatine", "recette de la tarte aux pommes"]


class SlowRequest(RecordingRequest):
    """The offline Bot API with a millisecond of latency per call, so that updates overlap."""

    async def do_request(self, url, method, request_data=None, **timeouts):
        await asyncio.sleep(0.001)
        return await super().do_request(url, method, request_data)


def make_updates() -> tuple[list[dict], dict[int, int]]:
    """Round-robin over users (as a crowd would write); returns updates and how many each user sends."""
    per_user = {600_000 + u: FLOOD_UPDATES if u < FLOODERS else NORMAL_UPDATES for u in range(USERS)}
    updates, number = [], 0
    for turn in range(FLOOD_UPDATES):
        for uid, count in per_user.items():
            if turn >= count:
                continue
            number += 1
            chooses = turn == 0 and uid % 10 == 5 and count == NORMAL_UPDATES
            text = "/lang fr" if chooses else QUESTIONS[(uid + turn) % len(QUESTIONS)]
            message = {"message_id": number, "date": 1722800000, "text": text,
                       "chat": {"id": uid, "type": "private", "first_name": "U"},
                       "from": {"id": uid, "is_bot": False, "first_name": "U", "language_code": "en"}}
            if text.startswith("/"):
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": 5}]
            updates.append({"update_id": number, "message": message})
    return updates, per_user


async def test_load_all_answered_throttle_holds_state_bounded(tmp_path, base):  # noqa: F811
    settings = Settings(db_path=tmp_path / "claims.json", questions_path=tmp_path / "q.jsonl", rate_limit=False,
                        concurrent_updates=16, surfaces=SurfaceSettings(questions_per_minute=PER_MINUTE))
    request = SlowRequest()
    app = build_application(settings, request=request, base=base)
    raw, per_user = make_updates()
    assert len(raw) == (10_000 if STRESS else 1_000)
    async with app:
        request.take()
        app.bot_data["surfaces"].throttle.clock = lambda: 1000.0  # the whole run within one minute
        processor = app.update_processor
        started = time.monotonic()
        await app.start()
        for data in raw:
            await app.update_queue.put(Update.de_json(data, app.bot))
        peak_overlap = 0
        while processor.handled < len(raw) and time.monotonic() - started < 300:
            peak_overlap = max(peak_overlap, processor.current_concurrent_updates)
            await asyncio.sleep(0.01)
        await app.stop()
        elapsed = time.monotonic() - started
        calls = request.take()
    print(f"\n{len(raw)} updates from {USERS} users in {elapsed:.1f}s ({len(raw) / elapsed:.0f}/s), "
          f"{peak_overlap} at once at most")

    assert processor.handled == len(raw) and 1 < peak_overlap <= 16  # updates overlapped, within the limit
    sent_to: dict[int, list[str]] = defaultdict(list)
    for call in calls:
        assert call.method == "sendMessage", call.method
        sent_to[call.params["chat_id"]].append(call.params["text"])
    replied = Counter(call.params["reply_parameters"]["message_id"] for call in calls)
    assert all(count == 1 for count in replied.values())  # never two replies to one message
    throttled = "many questions at once"
    for uid, count in per_user.items():
        texts = sent_to[uid]
        if count == NORMAL_UPDATES:  # every question (and /lang) answered, none refused
            assert len(texts) == NORMAL_UPDATES and not any(throttled in t for t in texts), uid
        else:  # a flooder: 20 answers, one polite refusal, then silence
            assert len(texts) == PER_MINUTE + 1 and throttled in texts[-1], (uid, len(texts))
            assert not any(throttled in t for t in texts[:-1])
    # what is kept per user and per chat is bounded
    chose_lang = {uid for uid in per_user if uid % 10 == 5 and per_user[uid] == NORMAL_UPDATES}
    assert set(app.user_data) == chose_lang and all(app.user_data[u] == {"lang": "fr"} for u in chose_lang)
    assert len(app.chat_data) == 0 and len(processor) == 0
    throttle = app.bot_data["surfaces"].throttle
    assert len(throttle) == USERS <= throttle.max_users and len(chose_lang) < MAX_USERS_KEPT
    assert "moderator_membership" not in app.bot_data


def test_user_and_chat_dicts_are_capped(tmp_path, base, monkeypatch):  # noqa: F811
    """Past MAX_USERS_KEPT users who chose a language, the oldest choices are forgotten first."""
    from bot import limits
    monkeypatch.setattr(limits, "MAX_USERS_KEPT", 5)
    app = build_application(Settings(db_path=tmp_path / "c.json", rate_limit=False), request=RecordingRequest(),
                            base=base)

    async def run() -> None:
        async with app:
            for uid in range(1, 9):
                message = {"message_id": uid, "date": 1722800000, "text": "/lang fr",
                           "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
                           "chat": {"id": uid, "type": "private", "first_name": "U"},
                           "from": {"id": uid, "is_bot": False, "first_name": "U"}}
                await app.process_update(Update.de_json({"update_id": uid, "message": message}, app.bot))

    asyncio.run(run())
    assert list(app.user_data) == [4, 5, 6, 7, 8]
