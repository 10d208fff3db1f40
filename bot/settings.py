"""Settings read from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from knowledge.questions import DEFAULT_KEEP_DAYS, default_log_path, parse_keep_days
from knowledge.store import DEFAULT_DB

from .surfaces import SettingsError, SurfaceSettings

DEFAULT_STARTUP_RETRIES = 6  # with PTB's growing pauses (1.5 s, 2.25 s... up to 30 s): about a minute


@dataclass(frozen=True)
class Settings:
    token: str | None = None
    db_path: Path = DEFAULT_DB
    questions_path: Path | None = None
    questions_keep_days: int | None = DEFAULT_KEEP_DAYS  # questions older are deleted; None: kept forever
    bot_username: str = "claimbot"
    moderator_ids: frozenset[int] = field(default_factory=frozenset)
    rate_limit: bool = True
    surfaces: SurfaceSettings = field(default_factory=SurfaceSettings)  # groups, channels, inline, webhook
    moderator_chat_id: int | None = None  # every member of this group moderates (checked with getChatMember)
    moderation_timeout: float = 900.0  # seconds before a guided /add, /edit or /import is dropped
    correction_notice_days: int = 0  # tell people shown a claim in the last N days when it changes; 0 = off
    backup_dir: Path | None = None  # where /import keeps a copy of the base; default: beside the store
    # a change that makes a claim stated by its sources waits for another moderator's approval (/pending)
    explicit_needs_second_moderator: bool = False

    api_url: str | None = None          # a local Bot API server (its root); None: api.telegram.org
    api_timeout: float | None = None    # seconds for each Bot API request; None: PTB's (5 s)
    concurrent_updates: int = 16        # updates handled at once (in order within a chat); 1: one at a time
    pending_updates: int = 1000         # updates waiting, and updates started: at most this many each
    startup_retries: int = DEFAULT_STARTUP_RETRIES  # start-up tries Telegram again this many times; -1: forever

    @property
    def backups(self) -> Path:
        return self.backup_dir or self.db_path.parent / "backups"

    @property
    def question_log(self) -> Path:
        return self.questions_path or default_log_path(self.db_path)

    def __repr__(self) -> str:  # the token never reaches a log
        return (f"Settings(token={'***' if self.token else None}, db_path={str(self.db_path)!r}, "
                f"bot_username={self.bot_username!r}, moderators={len(self.moderator_ids)}, "
                f"moderator_chat_id={self.moderator_chat_id})")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides) -> "Settings":
        env = os.environ if env is None else env
        ids = frozenset(_user_id("MODERATOR_IDS", x) for x in env.get("MODERATOR_IDS", "").replace(" ", "").split(",") if x)
        chat = env.get("MODERATOR_CHAT_ID", "").strip()
        values = dict(
            token=env.get("TELEGRAM_BOT_TOKEN") or None,
            db_path=Path(env.get("CLAIMBOT_DB", str(DEFAULT_DB))),
            questions_path=Path(env["CLAIMBOT_QUESTIONS"]) if env.get("CLAIMBOT_QUESTIONS") else None,
            questions_keep_days=_keep_days(env),
            bot_username=env.get("BOT_USERNAME", "claimbot").lstrip("@"),
            moderator_ids=ids,
            surfaces=SurfaceSettings.from_env(env),
            moderator_chat_id=_user_id("MODERATOR_CHAT_ID", chat) if chat else None,
            moderation_timeout=_number("MODERATION_TIMEOUT", env.get("MODERATION_TIMEOUT", "900")),
            correction_notice_days=int(_number("CORRECTION_NOTICE_DAYS", env.get("CORRECTION_NOTICE_DAYS", "0"))),
            backup_dir=Path(env["CLAIMBOT_BACKUPS"]) if env.get("CLAIMBOT_BACKUPS") else None,
            explicit_needs_second_moderator=_flag(env, "EXPLICIT_NEEDS_SECOND_MODERATOR"),
            api_url=_api_url(env),
            api_timeout=_bounded(env, "TELEGRAM_TIMEOUT", 0.1, 300),
            concurrent_updates=int(_bounded(env, "CONCURRENT_UPDATES", 1, 1024, whole=True) or 16),
            pending_updates=int(_bounded(env, "PENDING_UPDATES", 1, 1_000_000, whole=True) or 1000),
            startup_retries=_whole_or(_bounded(env, "STARTUP_RETRIES", -1, 1000, whole=True), DEFAULT_STARTUP_RETRIES),
        )
        values.update({k: v for k, v in overrides.items() if v is not None})
        keep, notice = values["questions_keep_days"], values["correction_notice_days"]
        if keep is not None and notice > keep:  # the notices are found in the question log
            raise SettingsError(f"CORRECTION_NOTICE_DAYS ({notice}) looks further back than questions are kept "
                                f"(CLAIMBOT_QUESTIONS_KEEP_DAYS={keep}): lower it, or keep questions longer")
        if (values["explicit_needs_second_moderator"] and len(values["moderator_ids"]) == 1
                and not values["moderator_chat_id"]):  # nobody could ever approve the lone moderator's changes
            raise SettingsError("EXPLICIT_NEEDS_SECOND_MODERATOR needs two moderators, and MODERATOR_IDS names one "
                                "(and MODERATOR_CHAT_ID is unset): add another, or turn it off")
        return cls(**values)


def _user_id(name: str, text: str) -> int:
    """A numeric Telegram id; usernames never grant rights, so they are refused here."""
    try:
        return int(text)
    except ValueError:
        raise SettingsError(f"{name} takes numeric Telegram ids (comma-separated), not {text[:40]!r}") from None


FLAG_VALUES = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False, "no": False,
               "off": False, "": False}


def _flag(env: Mapping[str, str], name: str) -> bool:
    raw = (env.get(name) or "").strip().lower()
    if raw not in FLAG_VALUES:  # a typo must not leave the rule off unnoticed
        raise SettingsError(f"{name} must be on or off (1/0, true/false, yes/no), not {raw[:40]!r}")
    return FLAG_VALUES[raw]


def _number(name: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise SettingsError(f"{name} must be a number, not {text[:40]!r}") from None
    if value < 0:
        raise SettingsError(f"{name} must not be negative")
    return value


def _bounded(env: Mapping[str, str], name: str, low: float, high: float, whole: bool = False) -> float | None:
    raw = (env.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = int(raw) if whole else float(raw)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        kind = "a whole number" if whole else "a number"
        raise SettingsError(f"{name} must be {kind} between {low:g} and {high:g}")
    return value


def _keep_days(env: Mapping[str, str]) -> int | None:
    try:
        return parse_keep_days(env.get("CLAIMBOT_QUESTIONS_KEEP_DAYS"))
    except ValueError as exc:
        raise SettingsError(str(exc)) from None


def _whole_or(value: float | None, default: int) -> int:
    return default if value is None else int(value)  # 0 is a value here, not "unset"


def _api_url(env: Mapping[str, str]) -> str | None:
    url = (env.get("TELEGRAM_API_URL") or "").strip()
    if url and not url.startswith(("http://", "https://")):
        raise SettingsError("TELEGRAM_API_URL must start with http:// or https://")
    return url or None
