"""An append-only log of the questions people asked and what they got, for the review queue.

Two kinds of JSON lines: a question (Asked) and a mark on a question (Mark: a 👍/👎 vote, or a
moderator's decision that takes it out of the review queue). Marks carry "kind"; questions do not.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from dataclasses import dataclass, fields
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator

VOTE, RESOLVED = "vote", "resolved"
UP, DOWN = "up", "down"
QID_CHARS = 10


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


_to_json = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(..., ensure_ascii=False) builds one per call


@dataclass(frozen=True)
class Asked:
    time: str
    question: str
    outcome: str
    matches: list[str]
    user_id: int | None = None
    chat_type: str | None = None
    qid: str | None = None
    lang: str | None = None
    chat_id: int | None = None

    @property
    def key(self) -> str:
        """The question's id: its qid, or a stable hash for lines written before qids existed."""
        if self.qid:
            return self.qid
        digest = hashlib.sha1(f"{self.time}\n{self.user_id}\n{self.question}".encode()).hexdigest()
        return digest[:QID_CHARS]

    @property
    def shown(self) -> str | None:
        """The claim the asker was shown as the answer, if any."""
        return self.matches[0] if self.outcome == "answer" and self.matches else None


@dataclass(frozen=True)
class Mark:
    time: str
    kind: str
    qid: str
    user_id: int | None = None
    value: str = ""


_ASKED_NAMES = tuple(f.name for f in fields(Asked))
_MARK_NAMES = tuple(f.name for f in fields(Mark))
_ASKED_FIELDS = set(_ASKED_NAMES)
_MARK_FIELDS = set(_MARK_NAMES)


def _as_record(entry: Asked | Mark, names: tuple[str, ...]) -> dict[str, Any]:
    """The entry as a JSON object (dataclasses.asdict deep-copies, which costs more than the write)."""
    record = {name: getattr(entry, name) for name in names}
    if isinstance(entry, Asked):
        record["matches"] = list(entry.matches)
    return record


class QuestionLog:
    """JSON lines appended one at a time; a torn or unknown line is skipped when read."""

    MAX_QUESTION = 1000

    def __init__(self, path: str | os.PathLike[str] | None) -> None:
        self.path = Path(path) if path else None

    def record(self, question: str, outcome: str, matches: list[str], *, user_id: int | None = None,
               chat_type: str | None = None, lang: str | None = None, chat_id: int | None = None) -> Asked:
        entry = Asked(_now(), question[: self.MAX_QUESTION], outcome, matches[:3], user_id, chat_type,
                      qid=secrets.token_urlsafe(8)[:QID_CHARS], lang=lang, chat_id=chat_id)
        self._append(_as_record(entry, _ASKED_NAMES))
        return entry

    def vote(self, qid: str, up: bool, user_id: int | None) -> Mark:
        """A 👍 or 👎 on the reply to question qid; 👎 puts the question in the review queue."""
        return self._mark(Mark(_now(), VOTE, qid, user_id, UP if up else DOWN))

    def resolve(self, qids: Iterable[str], user_id: int | None, how: str) -> list[Mark]:
        """Take questions out of the review queue (how: 'alias:<id>', 'added:<id>', 'dismissed')."""
        return [self._mark(Mark(_now(), RESOLVED, qid, user_id, how)) for qid in dict.fromkeys(qids)]

    def _mark(self, mark: Mark) -> Mark:
        self._append(_as_record(mark, _MARK_NAMES))
        return mark

    def _append(self, record: dict[str, Any]) -> None:
        """One line, written with one write() on an O_APPEND file: lines from concurrent writers never interleave."""
        if self.path is None:
            return
        line = (_to_json(record) + "\n").encode("utf-8")
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        except FileNotFoundError:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)

    def _lines(self) -> Iterator[dict[str, Any]]:
        if self.path is None or not self.path.exists():
            return
        with self.path.open(encoding="utf-8", errors="replace") as handle:
            for line in handle:
                try:
                    data = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if isinstance(data, dict):
                    yield data

    def read(self) -> tuple[list[Asked], list[Mark]]:
        """Every question and every mark, in the order written."""
        asked: list[Asked] = []
        marks: list[Mark] = []
        for data in self._lines():
            try:
                if "kind" in data:
                    marks.append(Mark(**{k: v for k, v in data.items() if k in _MARK_FIELDS}))
                else:
                    asked.append(Asked(**{k: v for k, v in data.items() if k in _ASKED_FIELDS}))
            except TypeError:
                continue
        return asked, marks

    def find(self, qid: str) -> Asked | None:
        return next((a for a in self if a.key == qid), None)

    def __iter__(self) -> Iterator[Asked]:
        return iter(self.read()[0])


def parse_time(text: str) -> datetime:
    """An ISO time from the log, as an aware UTC datetime (naive times are taken as UTC)."""
    when = datetime.fromisoformat(text)
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)
