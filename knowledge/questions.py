"""An append-only log of the questions people asked and what they got, for the review queue.

Two kinds of JSON lines: a question (Asked) and a mark on a question (Mark: a 👍/👎 vote, or a
moderator's decision that takes it out of the review queue). Marks carry "kind"; questions do not.
Questions older than the retention (keep_days) are pruned with their marks: at start, then once a day.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import json
import logging
import os
import secrets
import threading
from dataclasses import dataclass, fields
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from .storage import atomic_write_bytes

try:
    import fcntl
except ImportError:  # not POSIX: appends and prunes of this process are kept apart by a lock instead
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

VOTE, RESOLVED = "vote", "resolved"
UP, DOWN = "up", "down"
QID_CHARS = 10

DEFAULT_KEEP_DAYS = 90  # three times the review queue's 30 days; see README, "Operating it"
MAX_KEEP_DAYS = 36500
FOREVER = "forever"
PRUNE_EVERY = timedelta(days=1)
_EPOCH = datetime.min.replace(tzinfo=timezone.utc)


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def parse_keep_days(text: str | None, name: str = "CLAIMBOT_QUESTIONS_KEEP_DAYS") -> int | None:
    """Days questions are kept: a whole number from 1 to MAX_KEEP_DAYS, None for 'forever'; blank: the
    default. ValueError names the setting and says what it takes."""
    raw = (text or "").strip()
    if not raw:
        return DEFAULT_KEEP_DAYS
    if raw.lower() == FOREVER:
        return None
    try:
        days = int(raw)
    except ValueError:
        days = 0
    if not 1 <= days <= MAX_KEEP_DAYS:
        raise ValueError(f"{name} must be a whole number of days from 1 to {MAX_KEEP_DAYS}, or {FOREVER} "
                         f"(keep every question), not {raw[:40]!r}")
    return days


def default_log_path(db_path: Path) -> Path:
    """The question log beside the store: data/claims.json -> data/claims.questions.jsonl."""
    return db_path.with_name(db_path.stem + ".questions.jsonl")


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


@dataclass(frozen=True)
class Pruned:
    """What a prune dropped and kept; unreadable: lines read() skips too (a torn last line, a foreign line)."""

    days: int
    cutoff: str
    dropped_questions: int = 0
    dropped_marks: int = 0
    unreadable: int = 0
    kept_questions: int = 0
    kept_marks: int = 0
    written: bool = False  # False for a dry run, or when there was nothing to drop

    @property
    def dropped(self) -> int:
        return self.dropped_questions + self.dropped_marks + self.unreadable

    @property
    def kept(self) -> int:
        return self.kept_questions + self.kept_marks


class QuestionLog:
    """JSON lines appended one at a time; a torn or unknown line is skipped when read.

    keep_days: questions older than that are dropped with their marks, at the first prune_if_due() (the
    bot's start) and then at most once a day, checked on append. None keeps everything."""

    MAX_QUESTION = 1000

    def __init__(self, path: str | os.PathLike[str] | None, *, keep_days: int | None = None,
                 clock: Callable[[], datetime] = _utc_now) -> None:
        self.path = Path(path) if path else None
        self.keep_days = keep_days
        self.clock = clock  # an aware UTC datetime: the time written on entries and the prune's "now"
        self._prune_due = _EPOCH

    def record(self, question: str, outcome: str, matches: list[str], *, user_id: int | None = None,
               chat_type: str | None = None, lang: str | None = None, chat_id: int | None = None) -> Asked:
        entry = Asked(self._stamp(), question[: self.MAX_QUESTION], outcome, matches[:3], user_id, chat_type,
                      qid=secrets.token_urlsafe(8)[:QID_CHARS], lang=lang, chat_id=chat_id)
        self._append(_as_record(entry, _ASKED_NAMES))
        return entry

    def vote(self, qid: str, up: bool, user_id: int | None) -> Mark:
        """A 👍 or 👎 on the reply to question qid; 👎 puts the question in the review queue."""
        return self._mark(Mark(self._stamp(), VOTE, qid, user_id, UP if up else DOWN))

    def resolve(self, qids: Iterable[str], user_id: int | None, how: str) -> list[Mark]:
        """Take questions out of the review queue (how: 'alias:<id>', 'added:<id>', 'dismissed')."""
        return [self._mark(Mark(self._stamp(), RESOLVED, qid, user_id, how)) for qid in dict.fromkeys(qids)]

    def _stamp(self) -> str:
        return self.clock().replace(microsecond=0).isoformat()

    def _mark(self, mark: Mark) -> Mark:
        self._append(_as_record(mark, _MARK_NAMES))
        return mark

    def _append(self, record: dict[str, Any]) -> None:
        """One line, written with one write() on an O_APPEND file: lines from concurrent writers never interleave.
        Shared-locked, so that a prune never replaces the file between this line's open and its write."""
        if self.path is None:
            return
        line = (_to_json(record) + "\n").encode("utf-8")
        with _open_locked(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, exclusive=False) as fd:
            os.write(fd, line)
        if self.keep_days is not None and self.clock() >= self._prune_due:
            self.prune_if_due()

    def prune_if_due(self) -> Pruned | None:
        """Prune to keep_days when a day has passed since the last try (the first call always tries); a
        failure is logged, never raised: it costs no question, and is tried again a day later."""
        now = self.clock()
        if self.keep_days is None or self.path is None or now < self._prune_due:
            return None
        self._prune_due = now + PRUNE_EVERY
        try:
            done = self.prune(self.keep_days, now=now)
        except OSError as exc:
            log.error("question log %s not pruned (%s); next try in a day", self.path,
                      exc.strerror or exc.__class__.__name__)
            return None
        except Exception:  # a bug must not stop the bot from starting or answering
            log.exception("question log %s not pruned; next try in a day", self.path)
            return None
        if done.written:
            log.info("question log pruned to %d days: dropped %d questions, %d marks, %d unreadable lines",
                     done.days, done.dropped_questions, done.dropped_marks, done.unreadable)
        return done

    def prune(self, days: int, *, now: datetime | None = None, dry_run: bool = False) -> Pruned:
        """Drop the questions asked more than days ago, the marks on them, marks on no question that are as old,
        and the lines read() skips; rewritten atomically (temporary file, fsync, os.replace) under an
        exclusive lock, so no line appended meanwhile, by this process or another, is lost."""
        if not 1 <= days <= MAX_KEEP_DAYS:
            raise ValueError(f"days must be a whole number from 1 to {MAX_KEEP_DAYS}")
        cutoff = (now or self.clock()) - timedelta(days=days)
        empty = Pruned(days, cutoff.isoformat())
        if self.path is None or not self.path.exists():
            return empty
        with _open_locked(self.path, os.O_RDONLY, exclusive=True) as fd:
            if not dry_run:  # under the lock no prune is writing one: any left is from a killed prune
                _remove_temp_files(self.path)
            kept, done = _plan_prune(_read_all(fd), cutoff, empty)
            if dry_run or not done.dropped:
                return done
            atomic_write_bytes(self.path, "".join(kept).encode("utf-8"), mode=os.fstat(fd).st_mode & 0o777)
            return dataclasses.replace(done, written=True)

    def _lines(self) -> Iterator[dict[str, Any]]:
        if self.path is None or not self.path.exists():
            return
        with self.path.open(encoding="utf-8", errors="replace") as handle:  # the lines prune() reads too
            for line in handle:
                data = _json_object(line)
                if data is not None:
                    yield data

    def read(self) -> tuple[list[Asked], list[Mark]]:
        """Every question and every mark, in the order written."""
        asked: list[Asked] = []
        marks: list[Mark] = []
        for data in self._lines():
            entry = _entry(data)
            if isinstance(entry, Mark):
                marks.append(entry)
            elif entry is not None:
                asked.append(entry)
        return asked, marks

    def find(self, qid: str) -> Asked | None:
        return next((a for a in self if a.key == qid), None)

    def __iter__(self) -> Iterator[Asked]:
        return iter(self.read()[0])


def _json_object(line: str) -> dict[str, Any] | None:
    try:
        data = json.loads(line)
    except json.JSONDecodeError:
        return None
    return data if isinstance(data, dict) else None


def _entry(data: dict[str, Any]) -> Asked | Mark | None:
    """The line's question or mark, as read() takes it; None for a line read() skips."""
    try:
        if "kind" in data:
            return Mark(**{k: v for k, v in data.items() if k in _MARK_FIELDS})
        return Asked(**{k: v for k, v in data.items() if k in _ASKED_FIELDS})
    except TypeError:
        return None


def _plan_prune(raw: bytes, cutoff: datetime, empty: Pruned) -> tuple[list[str], Pruned]:
    """The lines to keep (each ending in a newline) and the counts. A question is kept when asked at or after
    cutoff; a mark goes with its question, and a mark on no question in the log goes by its own time. An
    entry whose time cannot be read counts as older than any cutoff, as in the review queue."""
    # split and decoded as read() does (a text file: universal newlines, undecodable bytes replaced)
    lines = list(io.StringIO(raw.decode("utf-8", errors="replace"), newline=None))
    entries = [_entry(data) if (data := _json_object(line)) is not None else None for line in lines]
    kept_keys = {_key(e.key) for e in entries if isinstance(e, Asked) and _recent(e.time, cutoff)}
    dropped_keys = {_key(e.key) for e in entries if isinstance(e, Asked)} - kept_keys
    kept: list[str] = []
    counts = {"dropped_questions": 0, "dropped_marks": 0, "unreadable": 0, "kept_questions": 0, "kept_marks": 0}
    for line, entry in zip(lines, entries):
        if entry is None:
            counts["unreadable"] += 1
            continue
        if isinstance(entry, Asked):
            keep, kind = _key(entry.key) in kept_keys, "questions"
        else:
            qid = _key(entry.qid)
            keep, kind = qid in kept_keys or (qid not in dropped_keys and _recent(entry.time, cutoff)), "marks"
        counts[("kept_" if keep else "dropped_") + kind] += 1
        if keep:
            kept.append(line if line.endswith("\n") else line + "\n")  # a whole last line lost only its newline
    return kept, Pruned(empty.days, empty.cutoff, **counts)


def _key(qid: Any) -> str:
    """A qid as a set member: a line written by hand may hold a list or a number there."""
    return qid if isinstance(qid, str) else repr(qid)


def _recent(time: Any, cutoff: datetime) -> bool:
    try:
        return parse_time(time) >= cutoff
    except (TypeError, ValueError):
        return False


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


_FALLBACK_LOCK = threading.RLock()  # without fcntl: one lock for every log of this process


@contextlib.contextmanager
def _open_locked(path: Path, flags: int, *, exclusive: bool) -> Iterator[int]:
    """The log file open and locked (shared for an append, exclusive for a prune). When a prune replaced the
    file while this one waited for the lock, the new file is opened instead: no line goes to the old one."""
    while True:
        try:
            fd = os.open(path, flags, 0o644)
        except FileNotFoundError:
            if not flags & os.O_CREAT:
                raise
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, flags, 0o644)
        try:
            if fcntl is None:
                _FALLBACK_LOCK.acquire()
            else:
                fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
            try:
                if os.fstat(fd).st_nlink:  # 0: replaced by a prune (or removed) while this one waited
                    yield fd
                    return
            finally:
                if fcntl is None:
                    _FALLBACK_LOCK.release()
        finally:
            os.close(fd)  # closing releases the flock


def _remove_temp_files(path: Path) -> None:
    """Temporary files a prune killed before its os.replace left (they hold questions too)."""
    for temp in path.parent.glob(f".{path.name}.*.tmp"):
        with contextlib.suppress(OSError):
            temp.unlink()


def parse_time(text: str) -> datetime:
    """An ISO time from the log, as an aware UTC datetime (naive times are taken as UTC)."""
    when = datetime.fromisoformat(text)
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)
