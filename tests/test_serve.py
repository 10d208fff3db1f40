"""Settings of the surfaces, polling or webhook, the webhook's secret token, AIORateLimiter in production."""

from __future__ import annotations

import logging
import socket

import httpx
import pytest
from telegram.ext import AIORateLimiter, Updater

from bot.app import build_application
from bot.offline import RecordingRequest
from bot.serve import ALLOWED_UPDATES, RedactSecrets, protect_secrets, serve, webhook_options
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
    def __init__(self):
        self.calls = []

    def run_webhook(self, **kwargs):
        self.calls.append(("webhook", kwargs))

    def run_polling(self, **kwargs):
        self.calls.append(("polling", kwargs))


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
    assert app.calls[0][1]["secret_token"] == SECRET
    assert app.calls[1][1] == {"allowed_updates": ALLOWED_UPDATES}


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
