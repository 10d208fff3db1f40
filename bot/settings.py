"""Settings read from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from knowledge.store import DEFAULT_DB

from .surfaces import SettingsError, SurfaceSettings


@dataclass(frozen=True)
class Settings:
    token: str | None = None
    db_path: Path = DEFAULT_DB
    questions_path: Path | None = None
    bot_username: str = "claimbot"
    moderator_ids: frozenset[int] = field(default_factory=frozenset)
    rate_limit: bool = True
    surfaces: SurfaceSettings = field(default_factory=SurfaceSettings)  # groups, channels, inline, webhook

    @property
    def question_log(self) -> Path:
        return self.questions_path or self.db_path.with_name(self.db_path.stem + ".questions.jsonl")

    def __repr__(self) -> str:  # the token never reaches a log
        return (f"Settings(token={'***' if self.token else None}, db_path={str(self.db_path)!r}, "
                f"bot_username={self.bot_username!r}, moderators={len(self.moderator_ids)})")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides) -> "Settings":
        env = os.environ if env is None else env
        try:
            ids = frozenset(int(x) for x in env.get("MODERATOR_IDS", "").replace(" ", "").split(",") if x)
        except ValueError:
            raise SettingsError("MODERATOR_IDS must be a comma-separated list of Telegram user ids") from None
        values = dict(
            token=env.get("TELEGRAM_BOT_TOKEN") or None,
            db_path=Path(env.get("CLAIMBOT_DB", str(DEFAULT_DB))),
            questions_path=Path(env["CLAIMBOT_QUESTIONS"]) if env.get("CLAIMBOT_QUESTIONS") else None,
            bot_username=env.get("BOT_USERNAME", "claimbot").lstrip("@"),
            moderator_ids=ids,
            surfaces=SurfaceSettings.from_env(env),
        )
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)
