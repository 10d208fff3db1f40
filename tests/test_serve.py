"""Settings of the surfaces, polling or webhook, the webhook's secret token, AIORateLimiter in production."""

from __future__ import annotations

import logging
import socket

import httpx
import pytest
from telegram.error import BadRequest, InvalidToken, NetworkError, TimedOut
from telegram.ext import AIORateLimiter, Updater

from bot.app import build_application
from bot.offline import RecordingRequest
from bot.serve import (ALLOWED_UPDATES, QuietBootstrapFailure, RedactSecrets, StartupError, protect_secrets, serve,
                       startup_failure, webhook_options)
from bot.settings import Settings
from bot.surfaces import SettingsError, SurfaceSettings
from telegram_kit import base

SECRET = "s3cr3t-Token_for-tests-only"
WEBHOOK_ENV = {"TELEGRAM_BOT_TOKEN": "123:abc", "WEBHOOK_URL": "https://bot.example.org/tg/hook",
               "WEBHOOK_SECRET": SECRET, "WEBHOOK_LISTEN": "127.0.0.1", "WEBHOOK_PORT": "8088"}


def test_surface_settings_from_the_environment():
    s = SurfaceSettings.from_env({"GROUP_ANSWER_SCORE": "85", "AUTO_CHECK_SCORE": "92", "QUESTIONS_PER_MINUTE": "5",
                                  "AUTO_CHECK_HOURS": "12", "CHANNEL_OPT_IN": "-1001, -1002", "INLINE_MIN_SCORE": "50"})
    assert s.group_thresholds.answer == 85 and s.strong_thresholds.answer == 92
    assert (s.questions_per_minute, s.auto_check_hours, s.inline_min_score) == (5, 12, 50)
    assert s.channel_opt_in == frozenset({-1001, -1002}) and s.webhook is None
    assert SurfaceSettings.from_env({}) == SurfaceSettings()


@pytest.mark.parametrize("env, name", [
    ({"GROUP_ANSWER_SCORE": "high"}, "GROUP_ANSWER_SCORE"),
    ({"AUTO_CHECK_SCORE": "140"}, "AUTO_CHECK_SCORE"),
    ({"QUESTIONS_PER_MINUTE": "-3"}, "QUESTIONS_PER_MINUTE"),
    ({"CHANNEL_OPT_IN": "@mychannel"}, "CHANNEL_OPT_IN"),
    ({"WEBHOOK_URL": "http://plain.example.org/hook"}, "WEBHOOK_URL"),
    ({"WEBHOOK_URL": "https://bot.example.org/hook", "WEBHOOK_SECRET": "no spaces allowed!"}, "WEBHOOK_SECRET"),
    ({"WEBHOOK_URL": "https://bot.example.org/hook", "WEBHOOK_PORT": "99999"}, "WEBHOOK_PORT"),
])
def test_bad_settings_name_the_variable_and_hide_the_value(env, name):
    with pytest.raises(SettingsError, match=name) as caught:
        SurfaceSettings.from_env(env)
    if name == "WEBHOOK_SECRET":
        assert env["WEBHOOK_SECRET"] not in str(caught.value)


def test_the_secret_never_shows_in_a_repr():
    settings = Settings.from_env(WEBHOOK_ENV)
    assert SECRET not in repr(settings) and SECRET not in repr(settings.surfaces)
    assert "123:abc" not in repr(settings)


def test_webhook_options_from_settings():
    options = webhook_options(Settings.from_env(WEBHOOK_ENV))
    assert options == {"listen": "127.0.0.1", "port": 8088, "url_path": "tg/hook",
                       "webhook_url": "https://bot.example.org/tg/hook", "secret_token": SECRET,
                       "allowed_updates": ALLOWED_UPDATES}
    assert "edited_message" not in ALLOWED_UPDATES and "edited_channel_post" not in ALLOWED_UPDATES


def test_without_a_secret_a_random_one_is_used_and_not_logged(caplog):
    env = {k: v for k, v in WEBHOOK_ENV.items() if k != "WEBHOOK_SECRET"}
    with caplog.at_level(logging.DEBUG):
        first = webhook_options(Settings.from_env(env))["secret_token"]
        second = webhook_options(Settings.from_env(env))["secret_token"]
    assert len(first) >= 32 and first != second
    assert first not in caplog.text and "random secret" in caplog.text


class FakeApplication:
    def __init__(self, fails_with: Exception | None = None):
        self.calls = []
        self.fails_with = fails_with

    def run_webhook(self, **kwargs):
        self.calls.append(("webhook", kwargs))
        if self.fails_with:
            raise self.fails_with

    def run_polling(self, **kwargs):
        self.calls.append(("polling", kwargs))
        if self.fails_with:
            raise self.fails_with


def test_serve_picks_webhook_or_polling(caplog):
    app = FakeApplication()
    with caplog.at_level(logging.DEBUG):
        serve(Settings.from_env(WEBHOOK_ENV), app)
        serve(Settings.from_env({"TELEGRAM_BOT_TOKEN": "123:abc"}), app)
        logging.getLogger("telegram.ext.ExtBot").debug("setWebhook with %s and token %s", SECRET, "123:abc")
    for handler in logging.getLogger().handlers:
        for found in [f for f in handler.filters if isinstance(f, RedactSecrets)]:
            handler.removeFilter(found)
    assert SECRET not in caplog.text and "123:abc" not in caplog.text and "setWebhook with ***" in caplog.text
    assert [mode for mode, _ in app.calls] == ["webhook", "polling"]
    assert app.calls[0][1]["secret_token"] == SECRET and app.calls[0][1]["bootstrap_retries"] == 6
    assert app.calls[1][1] == {"allowed_updates": ALLOWED_UPDATES, "bootstrap_retries": 6}


def unreachable() -> NetworkError:
    try:
        raise NetworkError("httpx.ConnectError: https://api.telegram.org/bot123:abc/getMe") from httpx.ConnectError("x")
    except NetworkError as exc:
        return exc


@pytest.mark.parametrize("env", [WEBHOOK_ENV, {"TELEGRAM_BOT_TOKEN": "123:abc"}])
def test_start_up_tries_as_often_as_set_then_says_why_in_one_line(env):
    app = FakeApplication(fails_with=unreachable())
    with pytest.raises(StartupError) as caught:
        serve(Settings.from_env({**env, "STARTUP_RETRIES": "3"}), app)
    assert app.calls[0][1]["bootstrap_retries"] == 3
    message = str(caught.value)
    assert message.startswith("could not reach Telegram (NetworkError (ConnectError), 4 tries in 0 s)")
    assert message.endswith("check the network and the token") and "\n" not in message
    assert "123:abc" not in message and caught.value.__cause__ is None and caught.value.__suppress_context__


def test_a_rejected_token_at_start_up_is_one_line_without_the_token():
    app = FakeApplication(fails_with=InvalidToken("The token `123:abc` was rejected by the server."))
    with pytest.raises(StartupError) as caught:
        serve(Settings.from_env({"TELEGRAM_BOT_TOKEN": "123:abc"}), app)
    assert str(caught.value) == "Telegram rejected TELEGRAM_BOT_TOKEN; check it with @BotFather (/token)"


def test_start_up_failures_in_words():
    settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": "1:a", "STARTUP_RETRIES": "0",
                                  "TELEGRAM_API_URL": "http://127.0.0.1:8081"})
    assert startup_failure(TimedOut(), settings, 12.4) == \
        "could not reach Telegram (TimedOut: Timed out, 1 try in 12 s); check TELEGRAM_API_URL and the token"
    assert startup_failure(BadRequest("Bad webhook: HTTPS url must be provided for webhook"), settings, 1) == \
        "Telegram refused to start the bot (BadRequest: Bad webhook: HTTPS url must be provided for webhook)"


def test_ptb_s_record_of_a_start_up_that_gave_up_is_dropped_and_nothing_else():
    quiet = QuietBootstrapFailure()

    def record(level: int, message: str, *args: object) -> logging.LogRecord:
        return logging.LogRecord("telegram.ext", level, __file__, 1, message, args, None)

    assert not quiet.filter(record(logging.ERROR, "%s Failed run number %s of %s. Aborting.",
                                   "Network Retry Loop (Bootstrap Initialize Application):", 6, 6))
    assert not quiet.filter(record(logging.ERROR, "%s Invalid token. Aborting retry loop.",
                                   "Network Retry Loop (Bootstrap delete Webhook):"))
    assert quiet.filter(record(logging.ERROR, "%s Failed run number %s of %s. Aborting.",
                               "Network Retry Loop (Polling Updates):", 3, 3))
    assert quiet.filter(record(logging.DEBUG, "%s Failed run number %s of %s. Retrying.",
                               "Network Retry Loop (Bootstrap Initialize Application):", 0, 6))


def test_rate_limiter_in_production_not_in_tests(tmp_path, base):
    production = build_application(Settings(token="123:abc", db_path=tmp_path / "c.json"), base=base)
    offline = build_application(Settings(db_path=tmp_path / "c.json"), request=RecordingRequest(), base=base)
    assert isinstance(production.bot.rate_limiter, AIORateLimiter)
    assert offline.bot.rate_limiter is None
    assert production.bot_data["surfaces"].throttle.limit == 20  # and the question throttle, by default
    assert offline.bot_data["surfaces"].throttle is None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_the_webhook_checks_the_secret_on_every_request(tmp_path, base, caplog):
    """PTB's webhook server (on localhost) answers 403 without the right secret token, 200 with it."""
    request = RecordingRequest()
    app = build_application(Settings(db_path=tmp_path / "c.json"), request=request, base=base)
    await app.initialize()
    updater = Updater(app.bot, app.update_queue)
    port = free_port()
    update = {"update_id": 1, "message": {"message_id": 1, "date": 1722800000, "text": "hi",
                                          "chat": {"id": 5, "type": "private", "first_name": "A"}}}
    redact = protect_secrets(SECRET)  # what serve() does before run_webhook
    with caplog.at_level(logging.DEBUG):
        async with updater:
            await updater.start_webhook(listen="127.0.0.1", port=port, url_path="hook",
                                        webhook_url="https://bot.example.org/hook", secret_token=SECRET)
            set_webhook = [c for c in request.take() if c.method == "setWebhook"]
            assert set_webhook and set_webhook[0].params["secret_token"] == SECRET
            url = f"http://127.0.0.1:{port}/hook"
            async with httpx.AsyncClient() as client:
                missing = await client.post(url, json=update)
                wrong = await client.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "guess"})
                assert app.update_queue.empty()
                right = await client.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
            await updater.stop()
    assert (missing.status_code, wrong.status_code, right.status_code) == (403, 403, 200)
    assert (await app.update_queue.get()).update_id == 1
    assert "setWebhook" in caplog.text and SECRET not in caplog.text  # PTB logs the parameters at DEBUG
    for handler in logging.getLogger().handlers:
        handler.removeFilter(redact)
    await app.shutdown()


async def test_a_start_up_tried_again_after_the_menu_failed_still_registers_it(tmp_path, base):
    """PTB's start-up retries call initialize() again: the command menu is sent then, not skipped."""
    class FlakyMenu(RecordingRequest):
        failures = 1

        async def do_request(self, url, method, request_data=None, **timeouts):
            if url.endswith("/setMyCommands") and self.failures:
                self.failures -= 1
                raise NetworkError("Telegram unreachable for a moment")
            return await super().do_request(url, method, request_data, **timeouts)

    request = FlakyMenu()
    app = build_application(Settings(db_path=tmp_path / "c.json"), request=request, base=base)
    with pytest.raises(NetworkError):
        await app.initialize()
    await app.initialize()  # what network_retry_loop does next
    menus = [c for c in request.take() if c.method == "setMyCommands"]
    assert {c.params.get("language_code") for c in menus} >= {None, "fr"}
    await app.shutdown()
