"""Settings and shared state of the group, channel and inline surfaces."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping
from urllib.parse import urlsplit

from telegram.ext import ContextTypes

from knowledge.matcher import GROUP_THRESHOLDS, UNASKED_THRESHOLDS, Thresholds
from knowledge.text import whole_number

from .chats import ChatStore
from .limits import QuestionThrottle

KEY = "surfaces"
QUESTIONS_PER_MINUTE = 20
SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


class SettingsError(ValueError):
    """An environment setting has a bad value; names the variable, never a secret's value."""


@dataclass(frozen=True)
class WebhookSettings:
    url: str
    secret: str | None = field(default=None, repr=False)
    listen: str = "0.0.0.0"
    port: int = 8443

    @property
    def url_path(self) -> str:
        return urlsplit(self.url).path.lstrip("/")


@dataclass(frozen=True)
class SurfaceSettings:
    # tuned like the private thresholds, with mistakes weighed more (bench/thresholds.py)
    group_thresholds: Thresholds = GROUP_THRESHOLDS
    strong_thresholds: Thresholds = UNASKED_THRESHOLDS
    inline_min_score: float = Thresholds().suggest  # inline lists what private chats would suggest
    questions_per_minute: int | None = None  # None: 20 against Telegram, off offline (console, replay, tests)
    auto_check_hours: float = 24.0
    channel_opt_in: frozenset[int] = frozenset()
    chats_path: Path | None = None
    webhook: WebhookSettings | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> "SurfaceSettings":
        group, strong = cls.group_thresholds, cls.strong_thresholds
        webhook = None
        if env.get("WEBHOOK_URL"):
            url = env["WEBHOOK_URL"].strip()
            if urlsplit(url).scheme != "https":
                raise SettingsError("WEBHOOK_URL must be an https:// address")
            secret = env.get("WEBHOOK_SECRET") or None
            if secret is not None and not SECRET_RE.match(secret):
                raise SettingsError("WEBHOOK_SECRET must be 1 to 256 characters among A-Z a-z 0-9 _ -")
            webhook = WebhookSettings(url, secret, env.get("WEBHOOK_LISTEN", "0.0.0.0"),
                                      _int(env, "WEBHOOK_PORT", 8443, 1, 65535))
        return cls(
            group_thresholds=Thresholds(answer=_num(env, "GROUP_ANSWER_SCORE", group.answer),
                                        suggest=_num(env, "GROUP_SUGGEST_SCORE", group.suggest),
                                        margin=group.margin),
            strong_thresholds=Thresholds(answer=_num(env, "AUTO_CHECK_SCORE", strong.answer),
                                         suggest=_num(env, "AUTO_CHECK_SCORE", strong.answer),
                                         margin=strong.margin),
            inline_min_score=_num(env, "INLINE_MIN_SCORE", cls.inline_min_score),
            questions_per_minute=_int(env, "QUESTIONS_PER_MINUTE", None, 1, 10_000),
            auto_check_hours=_num(env, "AUTO_CHECK_HOURS", cls.auto_check_hours, 0, 24 * 365),
            channel_opt_in=_ids(env, "CHANNEL_OPT_IN"),
            chats_path=Path(env["CLAIMBOT_CHATS"]) if env.get("CLAIMBOT_CHATS") else None,
            webhook=webhook,
        )


def _num(env: Mapping[str, str], name: str, default: float, low: float = 0, high: float = 100) -> float:
    raw = env.get(name)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number between {low:g} and {high:g}") from None
    if not low <= value <= high:
        raise SettingsError(f"{name} must be a number between {low:g} and {high:g}")
    return value


def _int(env: Mapping[str, str], name: str, default: int | None, low: int, high: int) -> int | None:
    raw = env.get(name)
    if not raw:
        return default
    value = whole_number(raw.strip())
    if value is None or not low <= value <= high:
        raise SettingsError(f"{name} must be a whole number between {low} and {high}")
    return value


def _ids(env: Mapping[str, str], name: str) -> frozenset[int]:
    try:
        return frozenset(int(x) for x in env.get(name, "").replace(" ", "").split(",") if x)
    except ValueError:
        raise SettingsError(f"{name} must be a comma-separated list of chat ids such as -1001234567890") from None


@dataclass
class SurfaceServices:
    """What the group, channel and inline handlers share: the per-chat settings and the throttle."""

    settings: SurfaceSettings
    chats: ChatStore
    throttle: QuestionThrottle | None

    @classmethod
    def create(cls, settings: SurfaceSettings, db_path: Path, *, offline: bool = False) -> "SurfaceServices":
        """Offline (console, replay, tests) questions are not throttled unless QUESTIONS_PER_MINUTE says so."""
        path = settings.chats_path or db_path.with_name(db_path.stem + ".chats.json")
        limit = settings.questions_per_minute or (None if offline else QUESTIONS_PER_MINUTE)
        return cls(settings, ChatStore(path), QuestionThrottle(limit, 60.0) if limit else None)


def surfaces(context: ContextTypes.DEFAULT_TYPE) -> SurfaceServices:
    return context.bot_data[KEY]
