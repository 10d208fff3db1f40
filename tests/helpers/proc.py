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


class running_bot:
    """run_bot.py --console on db in a subprocess, kept running (its stdin open) until the block ends: a bot that
    serves the store, as polling would, without Telegram. Entered once it holds the store's lock."""

    def __init__(self, db: Path, *, cwd: Path, **env: str) -> None:
        self.db, self.cwd, self.env = db, cwd, clean_env(**env)

    def __enter__(self) -> subprocess.Popen[str]:
        import json
        import time

        from knowledge.lock import lock_path

        self.process = subprocess.Popen([sys.executable, str(REPO / "run_bot.py"), "--console", "--db", str(self.db)],
                                        cwd=self.cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True, encoding="utf-8", env=self.env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if json.loads(lock_path(self.db).read_text(encoding="utf-8")).get("pid") == self.process.pid:
                    return self.process
            except (OSError, ValueError):
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        self.process.kill()
        raise AssertionError(f"the bot did not take the store's lock: {self.process.communicate()}")

    def __exit__(self, *exc: object) -> None:
        try:
            self.process.communicate(input="", timeout=60)
        finally:
            self.process.kill()
