"""Concurrent updates in order within a chat; the network settings that reach the Application."""

from __future__ import annotations

import asyncio

import pytest
from telegram import Update

from bot.app import build_application
from bot.offline import RecordingRequest
from bot.ordering import BoundedUpdateQueue, ChatOrderedProcessor
from bot.retry import RetryingRateLimiter
from bot.settings import Settings
from bot.surfaces import SettingsError
from telegram_kit import base  # noqa: F401 (fixture)


def update(update_id: int, chat_id: int) -> Update:
    return Update.de_json({"update_id": update_id, "message": {
        "message_id": update_id, "date": 1722800000, "text": "hi",
        "chat": {"id": chat_id, "type": "private", "first_name": "A"},
        "from": {"id": chat_id, "is_bot": False, "first_name": "A"}}}, None)


async def test_one_chat_in_order_many_chats_at_once():
    processor = ChatOrderedProcessor(8)
    events: list[tuple[str, int, int]] = []

    async def handle(chat: int, number: int, seconds: float) -> None:
        events.append(("start", chat, number))
        await asyncio.sleep(seconds)
        events.append(("end", chat, number))

    jobs = []
    for number in range(5):  # chat 1's first update is the slowest: the others of chat 1 must wait for it
        jobs.append(processor.process_update(update(number, 1), handle(1, number, 0.05 if number == 0 else 0.001)))
        jobs.append(processor.process_update(update(100 + number, 2), handle(2, number, 0.001)))
    await asyncio.gather(*jobs)
    for chat in (1, 2):
        mine = [(kind, n) for kind, c, n in events if c == chat]
        assert mine == [(kind, n) for n in range(5) for kind in ("start", "end")]  # in order, never overlapping
    first_end_of_chat_1 = events.index(("end", 1, 0))
    assert all(events.index(("end", 2, n)) < first_end_of_chat_1 for n in range(5))  # chat 2 was not held up
    assert len(processor) == 0  # no lock left behind


async def test_a_busy_chat_holds_no_slot_while_it_waits():
    processor = ChatOrderedProcessor(2)
    done: list[int] = []

    async def handle(chat: int, seconds: float) -> None:
        await asyncio.sleep(seconds)
        done.append(chat)

    busy = [processor.process_update(update(n, 1), handle(1, 0.05)) for n in range(4)]
    other = processor.process_update(update(99, 2), handle(2, 0.0))
    await asyncio.gather(*busy, other)
    assert done.index(2) <= 1  # chat 2 ran beside chat 1's first update, not after all four


def test_network_settings_from_the_environment():
    s = Settings.from_env({"TELEGRAM_API_URL": "http://127.0.0.1:8081", "TELEGRAM_TIMEOUT": "2.5",
                           "CONCURRENT_UPDATES": "4"})
    assert (s.api_url, s.api_timeout, s.concurrent_updates) == ("http://127.0.0.1:8081", 2.5, 4)
    assert Settings.from_env({}).concurrent_updates == 16 and Settings.from_env({}).api_url is None
    assert Settings.from_env({"PENDING_UPDATES": "200"}).pending_updates == 200
    assert Settings.from_env({}).pending_updates == 1000


@pytest.mark.parametrize("env, name", [({"TELEGRAM_API_URL": "127.0.0.1:8081"}, "TELEGRAM_API_URL"),
                                       ({"TELEGRAM_TIMEOUT": "soon"}, "TELEGRAM_TIMEOUT"),
                                       ({"CONCURRENT_UPDATES": "0"}, "CONCURRENT_UPDATES"),
                                       ({"CONCURRENT_UPDATES": "2.5"}, "CONCURRENT_UPDATES"),
                                       ({"PENDING_UPDATES": "0"}, "PENDING_UPDATES")])
def test_bad_network_settings_name_the_variable(env, name):
    with pytest.raises(SettingsError, match=name):
        Settings.from_env(env)


def test_the_application_gets_them(tmp_path, base):  # noqa: F811
    settings = Settings(token="123:abc", db_path=tmp_path / "c.json", api_url="http://127.0.0.1:8081/",
                        api_timeout=3.0, concurrent_updates=4, pending_updates=50)
    app = build_application(settings, base=base)
    assert isinstance(app.update_queue, BoundedUpdateQueue)
    assert (app.update_queue.maxsize, app.update_queue.in_flight) == (50, 50)
    assert app.bot.base_url == "http://127.0.0.1:8081/bot123:abc"
    assert app.bot.base_file_url == "http://127.0.0.1:8081/file/bot123:abc"
    assert app.bot.request.read_timeout == 3.0
    assert isinstance(app.bot.rate_limiter, RetryingRateLimiter)
    assert isinstance(app.update_processor, ChatOrderedProcessor) and app.concurrent_updates == 4


async def test_the_update_queue_holds_at_most_so_many_waiting_and_so_many_started():
    queue = BoundedUpdateQueue(maxsize=2, in_flight=2)
    await queue.put("a")
    await queue.put("b")
    with pytest.raises(TimeoutError):  # a third waiting update: polling and the webhook wait
        await asyncio.wait_for(queue.put("c"), 0.05)
    assert [await queue.get(), await queue.get()] == ["a", "b"] and queue.handling == 2
    await queue.put("c")
    with pytest.raises(TimeoutError):  # two being handled: the third is not started
        await asyncio.wait_for(queue.get(), 0.05)
    third = asyncio.ensure_future(queue.get())
    await asyncio.sleep(0)
    assert not third.done()
    queue.task_done()  # one handled: a slot frees
    assert await asyncio.wait_for(third, 1) == "c" and queue.handling == 2


async def test_a_flood_through_the_application_is_handled_whole_within_the_bounds(tmp_path, base):  # noqa: F811
    """PTB's own fetcher and processor over the bounded queue: every update handled, never more started."""
    from telegram.ext import TypeHandler

    settings = Settings(db_path=tmp_path / "c.json", concurrent_updates=4, pending_updates=5)
    app = build_application(settings, request=RecordingRequest(), base=base)
    app.handlers.clear()
    seen, most = [], 0

    async def slow(update, context):
        nonlocal most
        most = max(most, app.update_queue.handling)
        await asyncio.sleep(0.001)
        seen.append(update.update_id)

    app.add_handler(TypeHandler(Update, slow))
    async with app:
        await app.start()
        for n in range(60):
            await app.update_queue.put(Update(n))
        await asyncio.wait_for(app.update_queue.join(), 10)
        await app.stop()
    assert sorted(seen) == list(range(60)) and 1 <= most <= 5
