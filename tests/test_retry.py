"""Bot API faults: what is retried (429, 5xx, unsent requests), what is not (a send that may have gone)."""

from __future__ import annotations

import asyncio
import json
import logging
import time

import httpx
import pytest
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.ext import ExtBot

from bot.offline import RecordingRequest
from bot.retry import (FINAL, SERVER, UNKNOWN, UNSENT, FloodWaitTooLong, RetryingRateLimiter, failure_kind,
                       should_retry)

TOKEN = "123456:SECRET-token-for-retry-tests"


def wrapped(error_class, cause: Exception, message: str = "") -> Exception:
    """An error as HTTPXRequest raises it: the PTB error with the httpx error as its cause."""
    try:
        raise error_class(message) if message else error_class() from cause
    except Exception as exc:  # noqa: BLE001
        exc.__cause__ = cause
        return exc


@pytest.mark.parametrize("exc, kind", [
    (wrapped(NetworkError, httpx.ConnectError("refused"), "httpx.ConnectError: refused"), UNSENT),
    (wrapped(TimedOut, httpx.ConnectTimeout("slow")), UNSENT),
    (wrapped(TimedOut, httpx.PoolTimeout("full"), "Pool timeout"), UNSENT),
    (wrapped(TimedOut, httpx.ReadTimeout("slow")), UNKNOWN),
    (wrapped(NetworkError, httpx.RemoteProtocolError("closed"), "httpx.RemoteProtocolError"), UNKNOWN),
    (wrapped(NetworkError, httpx.ReadError("reset"), "httpx.ReadError"), UNKNOWN),
    (NetworkError("Internal Server Error (500)"), SERVER),
    (NetworkError("Bad Gateway"), SERVER),
    (BadRequest("can't parse entities"), FINAL),
    (wrapped(NetworkError, UnicodeEncodeError("utf-8", "x", 0, 1, "surrogates"), "Unknown error"), FINAL),
])
def test_failure_kinds(exc, kind):
    assert failure_kind(exc) == kind


def test_only_repeatable_calls_are_retried_when_they_may_have_gone():
    read_timeout = wrapped(TimedOut, httpx.ReadTimeout("slow"))
    assert not should_retry(read_timeout, "sendMessage") and not should_retry(read_timeout, "forwardMessage")
    assert should_retry(read_timeout, "getChatMember") and should_retry(read_timeout, "answerCallbackQuery")
    assert should_retry(NetworkError("Internal Server Error (500)"), "sendMessage")
    assert not should_retry(BadRequest("x"), "getChat")


class FaultyRequest(RecordingRequest):
    """The offline Bot API, failing the first calls of each method as told: faults[method] = [fault, ...]."""

    def __init__(self, faults: dict[str, list[str]], only_chat: int | None = None) -> None:
        super().__init__()
        self.faults = {k: list(v) for k, v in faults.items()}
        self.only_chat = only_chat
        self.attempts: list[str] = []

    async def do_request(self, url, method, request_data=None, **timeouts):
        endpoint = url.rsplit("/", 1)[-1]
        self.attempts.append(endpoint)
        pending = self.faults.get(endpoint) or []
        chat = request_data.parameters.get("chat_id") if request_data is not None else None
        fault = pending.pop(0) if pending and self.only_chat in (None, chat) else None
        if fault == "429":
            return 429, json.dumps({"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 1",
                                    "parameters": {"retry_after": 1}}).encode()
        if fault == "429-long":
            return 429, json.dumps({"ok": False, "error_code": 429, "description": "Too Many Requests",
                                    "parameters": {"retry_after": 3600}}).encode()
        if fault in ("500", "502"):
            return int(fault), json.dumps({"ok": False, "error_code": int(fault),
                                           "description": "Internal Server Error"}).encode()
        if fault == "refused":
            raise NetworkError("httpx.ConnectError: All connection attempts failed") from httpx.ConnectError("x")
        if fault == "read-timeout-after-sending":  # Telegram got it, the answer never came
            await super().do_request(url, method, request_data)
            raise TimedOut from httpx.ReadTimeout("timed out")
        if fault == "reset-before-sending":
            raise NetworkError("httpx.ConnectError: reset") from httpx.ConnectError("reset")
        return await super().do_request(url, method, request_data)


async def bot_with(faults: dict[str, list[str]], only_chat: int | None = None) -> tuple[ExtBot, FaultyRequest]:
    request = FaultyRequest(faults, only_chat)
    bot = ExtBot(TOKEN, request=request, get_updates_request=request,
                 rate_limiter=RetryingRateLimiter(backoff=(0.01, 0.01, 0.01)))
    await bot.initialize()
    return bot, request


def sent(request: FaultyRequest) -> list[str]:
    return [c.params["text"] for c in request.calls if c.method == "sendMessage"]


@pytest.mark.parametrize("faults", [["500"], ["502", "500"], ["refused"], ["refused", "500", "reset-before-sending"]])
async def test_unsent_or_refused_sends_are_retried_and_delivered_once(faults, caplog):
    bot, request = await bot_with({"sendMessage": faults})
    with caplog.at_level(logging.WARNING):
        await bot.send_message(1, "hello")
    assert sent(request) == ["hello"] and request.attempts.count("sendMessage") == len(faults) + 1
    assert sum("; retry " in r.getMessage() for r in caplog.records) == len(faults) and TOKEN not in caplog.text
    await bot.shutdown()


async def test_a_send_that_may_have_gone_is_not_repeated(caplog):
    bot, request = await bot_with({"sendMessage": ["read-timeout-after-sending"]})
    with caplog.at_level(logging.WARNING), pytest.raises(TimedOut):
        await bot.send_message(1, "hello")
    assert sent(request) == ["hello"] and request.attempts.count("sendMessage") == 1  # delivered once, not twice
    assert "not repeated" in caplog.text and TOKEN not in caplog.text
    await bot.shutdown()


async def test_a_lookup_that_timed_out_is_repeated():
    bot, request = await bot_with({"getChat": ["read-timeout-after-sending"]})
    assert (await bot.get_chat(5)).id == 5
    assert request.attempts.count("getChat") == 2
    await bot.shutdown()


async def test_too_many_failures_give_up():
    bot, request = await bot_with({"sendMessage": ["500"] * 10})
    with pytest.raises(NetworkError):
        await bot.send_message(1, "hello")
    assert sent(request) == [] and request.attempts.count("sendMessage") == 4  # 1 + 3 retries
    await bot.shutdown()


async def test_flood_limit_waits_retry_after_then_sends(caplog):
    bot, request = await bot_with({"sendMessage": ["429"]})
    started = time.monotonic()
    with caplog.at_level(logging.INFO):
        await bot.send_message(1, "hello")
    assert time.monotonic() - started >= 1.0  # retry_after: 1
    assert sent(request) == ["hello"] and request.attempts.count("sendMessage") == 2
    await bot.shutdown()


async def test_a_flood_wait_too_long_is_not_waited_for(caplog):
    bot, request = await bot_with({"sendMessage": ["429-long"]})
    started = time.monotonic()
    with caplog.at_level(logging.ERROR), pytest.raises(FloodWaitTooLong):
        await bot.send_message(1, "hello")
    assert time.monotonic() - started < 1 and sent(request) == []
    assert "3600" in caplog.text
    await bot.shutdown()


async def test_bad_requests_are_not_retried():
    bot, request = await bot_with({})
    with pytest.raises(BadRequest):
        await bot.send_message(1, "<b>unclosed", parse_mode="HTML")
    assert request.attempts.count("sendMessage") == 1
    await bot.shutdown()


async def test_a_retrying_call_holds_up_no_other_chat():
    """While one chat's reply waits for its retries, another chat's reply goes out."""
    bot, request = await bot_with({"sendMessage": ["500", "500"]}, only_chat=1)
    bot.rate_limiter.backoff = (0.3, 0.3, 0.3)
    slow = asyncio.create_task(bot.send_message(1, "slow"))
    await asyncio.sleep(0.05)
    await bot.send_message(2, "fast")
    assert sent(request) == ["fast"]
    await slow
    assert sent(request) == ["fast", "slow"]
    await bot.shutdown()
