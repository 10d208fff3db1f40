"""An append-only log of the questions people asked and what they got, for the review queue."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator


@dataclass(frozen=True)
class Asked:
    time: str
    question: str
    outcome: str
    matches: list[str]
    user_id: int | None = None
    chat_type: str | None = None


class QuestionLog:
    """JSON lines appended one question at a time; a torn last line is skipped when read."""

    MAX_QUESTION = 1000

    def __init__(self, path: str | os.PathLike[str] | None) -> None:
        self.path = Path(path) if path else None

    def record(self, question: str, outcome: str, matches: list[str], *, user_id: int | None = None,
               chat_type: str | None = None) -> Asked:
        entry = Asked(datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
                      question[: self.MAX_QUESTION], outcome, matches[:3], user_id, chat_type)
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(asdict(entry), ensure_ascii=False) + "\n")
        return entry

    def __iter__(self) -> Iterator[Asked]:
        if self.path is None or not self.path.exists():
            return
        with self.path.open(encoding="utf-8", errors="replace") as handle:
            for line in handle:
                try:
                    yield Asked(**json.loads(line))
                except (json.JSONDecodeError, TypeError):
                    continue
