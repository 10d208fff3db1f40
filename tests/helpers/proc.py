"""Run the project's command lines in a subprocess, never against data/ or Telegram."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("TELEGRAM_BOT_TOKEN", "CLAIMBOT_DB", "CLAIMBOT_QUESTIONS", "CLAIMBOT_QUESTIONS_KEEP_DAYS",
                        "BOT_USERNAME")}
    env["PYTHONIOENCODING"] = "utf-8"
    env.update(extra)
    return env


def run(args: list[str], *, cwd: Path, input: str | None = None, env: dict[str, str] | None = None,
        timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=cwd, input=input, capture_output=True, text=True,
                          encoding="utf-8", env=env or clean_env(), timeout=timeout)


def knowledge(*args: str, cwd: Path, input: str | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    """python -m knowledge ARGS."""
    return run(["-m", "knowledge", *args], cwd=cwd, input=input, env=clean_env(**env))


def run_bot(*args: str, cwd: Path, input: str | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    """python run_bot.py ARGS."""
    return run([str(REPO / "run_bot.py"), *args], cwd=cwd, input=input, env=clean_env(**env))
