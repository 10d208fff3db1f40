"""Run the bot against Telegram: long polling, or a webhook when WEBHOOK_URL is set."""

from __future__ import annotations

import logging
import secrets
import time
from typing import Any

from telegram import Update
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, TelegramError
from telegram.ext import Application

from knowledge.lock import BOT_ROLE, StoreBusy, StoreLock, describe_holder
from knowledge.storage import StoreError

from .app import build_application
from .retry import TOKEN_WATCH, describe
from .settings import Settings

log = logging.getLogger(__name__)

# Edited messages and edited channel posts are not asked for: an edit never triggers a reply.
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY, Update.CHOSEN_INLINE_RESULT,
                   Update.CHANNEL_POST]


class RedactSecrets(logging.Filter):
    """Replace secret values in log records (PTB logs Bot API parameters, setWebhook's secret_token among them)."""

    def __init__(self, *values: str | None) -> None:
        super().__init__()
        self.values = [v for v in values if v]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(v in message for v in self.values):
            record.msg, record.args = self.redact(message), None
        if record.exc_info and not record.exc_text:  # the traceback too: an exception may quote a URL
            record.exc_text = self.redact(logging.Formatter().formatException(record.exc_info))
        return True

    def redact(self, text: str) -> str:
        for value in self.values:
            text = text.replace(value, "***")
        return text


STORE_LOCK_WAIT = 10.0  # seconds a start waits for a command line that is writing the store to finish


def hold_store(settings: Settings, mode: str) -> StoreLock:
    """Lock the store for as long as this process serves it (the kernel lets go when it ends, however it ends):
    meanwhile `python -m knowledge import` and `undo` refuse to write it, and a second bot refuses to start.
    StoreError, one line, when another bot holds it, or a command line still writes it after STORE_LOCK_WAIT."""
    lock = StoreLock(settings.db_path, f"{BOT_ROLE} ({mode})")
    try:
        try:
            return lock.acquire()
        except StoreBusy as exc:
            if exc.by_bot:
                raise
            return lock.acquire(wait=STORE_LOCK_WAIT)
    except StoreBusy as exc:
        if exc.by_bot:
            raise StoreError(f"{describe_holder(exc.holder)} is already running on {settings.db_path}: two bots on "
                             f"one store would write over each other's changes. Stop the other one first, or give "
                             f"this one its own store (--db or CLAIMBOT_DB)") from None
        raise StoreError(f"{describe_holder(exc.holder)} is still writing {settings.db_path} after "
                         f"{STORE_LOCK_WAIT:.0f} s: start the bot again once it has finished") from None


class StartupError(Exception):
    """The bot could not start, or stopped on a rejected token: one line for the operator, never the token."""


REJECTED = "Telegram rejected TELEGRAM_BOT_TOKEN; check it with @BotFather (/token)"
BOOTSTRAP_LOG_PREFIX = "Network Retry Loop (Bootstrap"  # PTB's start-up retry loops


class QuietBootstrapFailure(logging.Filter):
    """Drop PTB's record of a start-up that gave up (a long traceback): StartupError says it in one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.levelno >= logging.ERROR and record.getMessage().startswith(BOOTSTRAP_LOG_PREFIX))


def quiet_bootstrap_failures() -> None:
    """Unless LOG_LEVEL is DEBUG, where the traceback helps (redacted like every record)."""
    logger = logging.getLogger("telegram.ext")  # PTB's retry loops log here
    if logger.getEffectiveLevel() > logging.DEBUG and not any(isinstance(f, QuietBootstrapFailure)
                                                               for f in logger.filters):
        logger.addFilter(QuietBootstrapFailure())


def startup_failure(exc: TelegramError, settings: Settings, seconds: float) -> str:
    """Why start-up gave up, in one line."""
    if isinstance(exc, InvalidToken):  # its own message quotes the token
        return REJECTED
    if isinstance(exc, (BadRequest, Forbidden, Conflict)):  # Telegram answered: trying again would not help
        return f"Telegram refused to start the bot ({describe(exc)})"
    tries = settings.startup_retries + 1
    where = "TELEGRAM_API_URL" if settings.api_url else "the network"
    return (f"could not reach Telegram ({describe(exc)}, {tries} {'try' if tries == 1 else 'tries'} in "
            f"{seconds:.0f} s); check {where} and the token")


def protect_secrets(*values: str | None) -> RedactSecrets:
    """Redact values from every record that reaches the root logger's handlers."""
    redact = RedactSecrets(*values)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)
    return redact


def webhook_options(settings: Settings) -> dict[str, Any]:
    """The keyword arguments of Application.run_webhook; a random secret when WEBHOOK_SECRET is not set."""
    webhook = settings.surfaces.webhook
    assert webhook is not None
    secret = webhook.secret
    if secret is None:
        secret = secrets.token_urlsafe(32)
        log.warning("WEBHOOK_SECRET is not set: using a random secret for this run")
    return {
        "listen": webhook.listen,
        "port": webhook.port,
        "url_path": webhook.url_path,
        "webhook_url": webhook.url,
        "secret_token": secret,  # Telegram sends it in a header; PTB refuses requests without it (403)
        "allowed_updates": ALLOWED_UPDATES,
    }


def serve(settings: Settings, application: Application | None = None) -> None:
    """Block until stopped: webhook mode with WEBHOOK_URL, else long polling. Rate-limited by AIORateLimiter.

    Start-up (getMe, deleteWebhook or setWebhook) is tried again settings.startup_retries times, with
    PTB's growing pauses; StartupError when it gives up, or when Telegram rejects the token."""
    redact = protect_secrets(settings.token)  # before the bot is built: PTB logs its URL, token included
    quiet_bootstrap_failures()
    application = application or build_application(settings)
    retries = settings.startup_retries
    started = time.monotonic()
    try:
        if settings.surfaces.webhook is not None:
            options = webhook_options(settings)
            redact.values.append(options["secret_token"])
            log.info("webhook mode on %s:%s", options["listen"], options["port"])
            application.run_webhook(**options, bootstrap_retries=retries)
        else:
            log.info("polling mode")
            application.run_polling(allowed_updates=ALLOWED_UPDATES, bootstrap_retries=retries)
    except TelegramError as exc:  # only start-up lets one through: polling retries, handlers report
        raise StartupError(redact.redact(startup_failure(exc, settings, time.monotonic() - started))) from None
    watch = application.bot_data.get(TOKEN_WATCH) if hasattr(application, "bot_data") else None
    if watch is not None and watch.rejected:  # revoked while running: run_bot.py says so and exits 1
        raise StartupError(REJECTED)
