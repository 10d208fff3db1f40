"""Bot API calls that fail for a moment are tried again, within reason, and never twice when that could
post a message twice.

- 429 Too Many Requests: AIORateLimiter holds every call for `retry_after` seconds and tries again
  (3 times at most). A `retry_after` over MAX_FLOOD_WAIT is not waited for: that call fails and is logged.
- 5xx from the Bot API, or a connection that failed before the request left (refused, connect
  timeout, pool full, write timeout): tried again after 0.5, 1 and 2 seconds.
- A read timeout, or a connection lost after the request was sent: Telegram may have acted on it.
  Lookups and answers that are harmless to repeat (get*, set*, answer*, edit*, delete*) are tried
  again; sends (sendMessage...) are not, since the retry could post the message twice. A reply is sent
  at most once; when it may be lost, the log says so.
A call that still fails raises to the handler and the error handler; other updates go on meanwhile.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Callable, Coroutine, Sequence

import httpx
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError
from telegram.ext import AIORateLimiter
from telegram.request import HTTPXRequest

log = logging.getLogger(__name__)

TOKEN_WATCH = "token_watch"  # the TokenWatch in bot_data
MAX_FLOOD_WAIT = 60.0
BACKOFF = (0.5, 1.0, 2.0)
REPEATABLE_PREFIXES = ("get", "set", "answer", "edit", "delete")
UNSENT, UNKNOWN, SERVER, FINAL = "unsent", "unknown", "server", "final"
_UNSENT_CAUSES = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.WriteTimeout)


class FloodWaitTooLong(TelegramError):
    """Telegram asked to wait longer than MAX_FLOOD_WAIT before the next call."""


def failure_kind(exc: BaseException) -> str:
    """UNSENT: the request never reached Telegram; SERVER: Telegram answered 5xx; UNKNOWN: it may have
    been acted on; FINAL: retrying cannot help (400, 403, a bug)."""
    if not isinstance(exc, NetworkError) or isinstance(exc, BadRequest):  # TimedOut is a NetworkError too
        return FINAL
    cause = exc.__cause__
    if cause is None or isinstance(cause, TelegramError):
        return SERVER  # PTB raises NetworkError for 5xx answers, with no cause
    if isinstance(cause, _UNSENT_CAUSES):
        return UNSENT
    if isinstance(cause, httpx.TransportError):
        return UNKNOWN  # read timeout, connection reset or closed after sending
    return FINAL  # e.g. text that could not be encoded: the same again would fail again


def tell_user_of(exc: BaseException) -> bool:
    """Whether the error reply should go out: not when Telegram is unreachable or flooding (it would fail
    too, or make it worse), nor when the reply may have arrived after all."""
    return not isinstance(exc, (RetryAfter, FloodWaitTooLong)) and failure_kind(exc) == FINAL


def repeatable(endpoint: str) -> bool:
    return endpoint.startswith(REPEATABLE_PREFIXES)


def should_retry(exc: BaseException, endpoint: str) -> bool:
    kind = failure_kind(exc)
    return kind in (UNSENT, SERVER) or (kind == UNKNOWN and repeatable(endpoint))


class RetryingRateLimiter(AIORateLimiter):
    """AIORateLimiter (flood limits, 429 retries) plus retries of network and server failures."""

    def __init__(self, *, max_retries: int = 3, backoff: Sequence[float] = BACKOFF,
                 max_flood_wait: float = MAX_FLOOD_WAIT, **kwargs: Any) -> None:
        super().__init__(max_retries=max_retries, **kwargs)
        self.backoff = tuple(backoff)
        self.max_flood_wait = max_flood_wait

    async def process_request(self, callback: Callable[..., Coroutine[Any, Any, Any]], args: Any,
                              kwargs: dict[str, Any], endpoint: str, data: dict[str, Any],
                              rate_limit_args: int | None) -> Any:
        async def attempt(*a: Any, **kw: Any) -> Any:
            try:
                return await callback(*a, **kw)
            except RetryAfter as exc:
                wait = exc._retry_after.total_seconds()  # noqa: SLF001 (as AIORateLimiter reads it)
                if wait > self.max_flood_wait:
                    log.error("Bot API %s: Telegram asks to wait %ss; not waiting, the call is dropped",
                              endpoint, wait)
                    raise FloodWaitTooLong(f"flood wait of {wait}s") from exc
                raise

        for number, delay in enumerate((*self.backoff, None), 1):
            try:
                return await super().process_request(attempt, args, kwargs, endpoint, data, rate_limit_args)
            except TelegramError as exc:
                kind = failure_kind(exc)
                if delay is None or not should_retry(exc, endpoint):
                    if kind == UNKNOWN:
                        log.warning("Bot API %s: %s after the request was sent; not repeated (it may have "
                                    "been delivered)", endpoint, describe(exc))
                    raise
                log.warning("Bot API %s failed (%s); retry %d/%d in %.1fs", endpoint, describe(exc), number,
                            len(self.backoff), delay)
                await asyncio.sleep(delay)
        raise AssertionError("unreachable")


def describe(exc: BaseException) -> str:
    """The failure in a few words, without URLs (they hold the token)."""
    cause = exc.__cause__
    if cause is not None and not isinstance(cause, TelegramError):
        return f"{exc.__class__.__name__} ({cause.__class__.__name__})"
    return f"{exc.__class__.__name__}: {getattr(exc, 'message', '')}"[:200]


class TokenWatch:
    """Notices Telegram rejecting the token while the bot runs (revoked in @BotFather) and stops the bot:
    PTB's polling loop gives up on it but would leave the process up, idle. serve() then reports it."""

    def __init__(self) -> None:
        self.rejected = False
        self.application: Any = None

    def saw(self, status: int) -> None:
        if status in (401, 404) and not self.rejected:  # Unauthorized, or Not Found for a malformed token
            self.rejected = True
            if self.application is None or self.application.running:  # at start-up, StartupError says it
                log.error("Telegram rejects the bot token (HTTP %s): stopping", status)
            if self.application is not None:
                self.application.stop_running()


class WatchedRequest(HTTPXRequest):
    """PTB's HTTP request, telling the TokenWatch the status of every answer. For polling, a rejected
    getUpdates is answered "no updates" (after a pause) once the bot is stopping: PTB's polling loop
    would otherwise end on InvalidToken, and its shutdown stop halfway on that error."""

    def __init__(self, watch: TokenWatch, *, polling: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.watch = watch
        self.polling = polling

    async def do_request(self, url: str, method: str, request_data: Any = None, **timeouts: Any) -> tuple[int, bytes]:
        status, payload = await super().do_request(url, method, request_data, **timeouts)
        self.watch.saw(status)
        if self.polling and self.watch.rejected and self.watch.application is not None:
            await asyncio.sleep(0.5)
            return 200, b'{"ok": true, "result": []}'
        return status, payload


def configure_network(builder: Any, settings: Any, watch: TokenWatch) -> Any:
    """Against Telegram: the retrying rate limiter, the Bot API address and timeouts from settings, and
    requests that tell watch when the token is rejected."""
    if settings.rate_limit:
        builder = builder.rate_limiter(RetryingRateLimiter())
    if settings.api_url:  # a local Bot API server, or a test double; the token goes after /bot
        root = settings.api_url.rstrip("/")
        builder = builder.base_url(f"{root}/bot").base_file_url(f"{root}/file/bot")
    seconds = settings.api_timeout
    timeouts = dict(connect_timeout=seconds, read_timeout=seconds, write_timeout=seconds) if seconds else {}
    return (builder.request(WatchedRequest(watch, connection_pool_size=256, **timeouts))
            .get_updates_request(WatchedRequest(watch, polling=True, connection_pool_size=1, **timeouts)))
