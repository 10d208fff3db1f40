"""bot.settings: read from the environment, the token never shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import Settings
from bot.surfaces import SettingsError
from knowledge.store import DEFAULT_DB


def test_defaults_without_environment():
    settings = Settings.from_env({})
    assert settings.token is None and settings.db_path == DEFAULT_DB and settings.bot_username == "claimbot"
    assert settings.question_log == DEFAULT_DB.with_name("claims.questions.jsonl")
    assert settings.moderator_ids == frozenset()


def test_values_from_environment_and_overrides():
    env = {"TELEGRAM_BOT_TOKEN": "123:abc", "CLAIMBOT_DB": "/srv/base.json", "BOT_USERNAME": "@mybot",
           "MODERATOR_IDS": " 1, 22 ,333", "CLAIMBOT_QUESTIONS": "/srv/q.jsonl"}
    settings = Settings.from_env(env)
    assert settings.token == "123:abc" and settings.db_path == Path("/srv/base.json")
    assert settings.bot_username == "mybot" and settings.moderator_ids == frozenset({1, 22, 333})
    assert settings.question_log == Path("/srv/q.jsonl")
    assert Settings.from_env(env, db_path=Path("other.json")).db_path == Path("other.json")
    assert Settings.from_env(env, db_path=None).db_path == Path("/srv/base.json")


def test_an_empty_token_means_no_token():
    assert Settings.from_env({"TELEGRAM_BOT_TOKEN": ""}).token is None


def test_the_token_is_never_in_repr_or_str():
    settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": "123456:VERY-SECRET"})
    assert "VERY-SECRET" not in repr(settings) and "VERY-SECRET" not in str(settings)
    assert "***" in repr(settings)


@pytest.mark.parametrize("value", ["abc", "12,x", "1.5"])
def test_bad_moderator_ids_are_a_settings_error(value):
    with pytest.raises(SettingsError) as info:
        Settings.from_env({"MODERATOR_IDS": value})
    assert "MODERATOR_IDS" in str(info.value)


def test_run_bot_reports_bad_settings_without_a_traceback(tmp_path):
    from helpers.proc import run_bot
    result = run_bot("--replay", "-", "--db", str(tmp_path / "c.json"), cwd=tmp_path, input="", MODERATOR_IDS="abc")
    assert result.returncode == 2 and "MODERATOR_IDS" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("value, retries", [(None, 6), ("0", 0), ("-1", -1), ("25", 25)])
def test_startup_retries_from_the_environment(value, retries):
    env = {} if value is None else {"STARTUP_RETRIES": value}
    assert Settings.from_env(env).startup_retries == retries


@pytest.mark.parametrize("value", ["-2", "1.5", "many", "1001"])
def test_bad_startup_retries_name_the_variable(value):
    with pytest.raises(SettingsError, match="STARTUP_RETRIES"):
        Settings.from_env({"STARTUP_RETRIES": value})


@pytest.mark.parametrize("value, days", [(None, 90), ("", 90), ("30", 30), (" 365 ", 365), ("forever", None),
                                         ("Forever", None)])
def test_questions_keep_days_from_the_environment(value, days):
    env = {} if value is None else {"CLAIMBOT_QUESTIONS_KEEP_DAYS": value}
    assert Settings.from_env(env).questions_keep_days == days


@pytest.mark.parametrize("value", ["0", "-1", "7.5", "a week", "36501"])
def test_a_bad_questions_keep_days_says_what_it_takes(value):
    with pytest.raises(SettingsError) as info:
        Settings.from_env({"CLAIMBOT_QUESTIONS_KEEP_DAYS": value})
    assert str(info.value) == ("CLAIMBOT_QUESTIONS_KEEP_DAYS must be a whole number of days from 1 to 36500, or "
                               f"forever (keep every question), not {value!r}")


def test_correction_notices_cannot_look_further_back_than_questions_are_kept():
    with pytest.raises(SettingsError, match=r"CORRECTION_NOTICE_DAYS \(60\) .*CLAIMBOT_QUESTIONS_KEEP_DAYS=30"):
        Settings.from_env({"CLAIMBOT_QUESTIONS_KEEP_DAYS": "30", "CORRECTION_NOTICE_DAYS": "60"})
    assert Settings.from_env({"CLAIMBOT_QUESTIONS_KEEP_DAYS": "30", "CORRECTION_NOTICE_DAYS": "30"})
    assert Settings.from_env({"CLAIMBOT_QUESTIONS_KEEP_DAYS": "forever", "CORRECTION_NOTICE_DAYS": "400"})


def test_run_bot_reports_a_bad_keep_days_without_a_traceback(tmp_path):
    from helpers.proc import run_bot
    result = run_bot("--replay", "-", "--db", str(tmp_path / "c.json"), cwd=tmp_path, input="",
                     CLAIMBOT_QUESTIONS_KEEP_DAYS="0")
    assert result.returncode == 2 and "CLAIMBOT_QUESTIONS_KEEP_DAYS" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("value, on", [("1", True), ("on", True), (" TRUE ", True), ("yes", True), ("0", False),
                                       ("off", False), ("", False), ("no", False)])
def test_explicit_needs_second_moderator_from_the_environment(value, on):
    env = {"EXPLICIT_NEEDS_SECOND_MODERATOR": value, "MODERATOR_IDS": "1,2"}
    assert Settings.from_env(env).explicit_needs_second_moderator is on
    assert Settings.from_env({}).explicit_needs_second_moderator is False  # off unless asked for


@pytest.mark.parametrize("value", ["maybe", "2", "enabled"])
def test_a_bad_explicit_needs_second_moderator_names_the_variable(value):
    with pytest.raises(SettingsError, match="EXPLICIT_NEEDS_SECOND_MODERATOR must be on or off"):
        Settings.from_env({"EXPLICIT_NEEDS_SECOND_MODERATOR": value})


def test_a_second_moderator_is_required_only_where_there_can_be_one():
    with pytest.raises(SettingsError, match="needs two moderators"):
        Settings.from_env({"EXPLICIT_NEEDS_SECOND_MODERATOR": "on", "MODERATOR_IDS": "7"})
    assert Settings.from_env({"EXPLICIT_NEEDS_SECOND_MODERATOR": "on", "MODERATOR_IDS": "7",
                              "MODERATOR_CHAT_ID": "-1007"}).explicit_needs_second_moderator
    assert not Settings.from_env({"MODERATOR_IDS": "7"}).explicit_needs_second_moderator  # a lone moderator, rule off
