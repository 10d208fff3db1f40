"""One writer per store: an advisory lock (flock) on a file beside it, held by the bot for as long as it runs
and by a command line only while it writes. The lock file says who holds it, for the refusal to name."""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .storage import StoreError

try:
    import fcntl
except ImportError:  # not POSIX
    fcntl = None  # type: ignore[assignment]

LOCK_SUFFIX = ".lock"
BOT_ROLE = "the bot"  # the role of a process that serves the store: "the bot (polling)", "the bot (console)"...


def lock_path(store: str | os.PathLike[str]) -> Path:
    """data/claims.json -> data/claims.json.lock (beside the real file, so that every path to it agrees)."""
    real = Path(os.path.realpath(store))
    return real.with_name(real.name + LOCK_SUFFIX)


class StoreBusy(StoreError):
    """Another process holds the store's lock; holder: what its lock file says (pid, role, since), if anything."""

    def __init__(self, store: Path, holder: dict[str, Any]) -> None:
        self.store = store
        self.holder = holder
        super().__init__(f"{store} is in use by {describe_holder(holder)}")

    @property
    def by_bot(self) -> bool:
        return str(self.holder.get("role", "")).startswith(BOT_ROLE)


def describe_holder(holder: dict[str, Any]) -> str:
    """'the bot (polling), pid 4242, since 2026-11-28 11:49 UTC', or 'another process' when it is unknown."""
    role = str(holder.get("role") or "another process")
    bits = [f"pid {holder['pid']}"] if isinstance(holder.get("pid"), int) else []
    since = holder.get("since")
    if isinstance(since, str) and len(since) >= 16:
        bits.append(f"since {since[:16].replace('T', ' ')} UTC")
    return f"{role} ({', '.join(bits)})" if bits else role


class StoreLock:
    """The exclusive lock of one store, for `role` ('the bot (polling)', 'python -m knowledge import').

    flock locks an open file, not a process: two StoreLocks of one store conflict even within one process,
    and the kernel drops a lock when its process ends, however it ends."""

    def __init__(self, store: str | os.PathLike[str], role: str) -> None:
        self.store = Path(store)
        self.path = lock_path(store)
        self.role = role
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self, wait: float = 0.0) -> "StoreLock":
        """Take the lock, trying for up to `wait` seconds; StoreBusy naming the holder when it stays taken,
        StoreError when the system cannot lock files (no fcntl) or the lock file cannot be made."""
        if self._fd is not None:
            return self
        if fcntl is None:
            raise StoreError(f"cannot guard {self.store}: locking it needs fcntl (Linux, macOS or another POSIX "
                             f"system), which this system ({sys.platform}) lacks")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(f"cannot create the lock file {self.path}: {exc.strerror or exc}") from exc
        deadline = time.monotonic() + wait
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise StoreBusy(self.store, _read_holder(fd)) from None
                    time.sleep(0.05)
            stamp = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
            record = json.dumps({"pid": os.getpid(), "role": self.role, "since": stamp}).encode("utf-8") + b"\n"
            os.ftruncate(fd, 0)
            os.pwrite(fd, record, 0)
        except StoreBusy:
            os.close(fd)
            raise
        except OSError as exc:
            os.close(fd)
            raise StoreError(f"cannot lock {self.path}: {exc.strerror or exc}") from exc
        self._fd = fd
        return self

    def release(self) -> None:
        """Let the lock go (the lock file stays: removing it would let two processes lock two files)."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            os.ftruncate(fd, 0)  # no stale holder to read
        except OSError:
            pass
        os.close(fd)  # closing releases the flock

    def __enter__(self) -> "StoreLock":
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def _read_holder(fd: int) -> dict[str, Any]:
    try:
        raw = os.pread(fd, 4096, 0)
        holder = json.loads(raw.decode("utf-8")) if raw.strip() else {}
    except (OSError, ValueError):
        return {}
    return holder if isinstance(holder, dict) else {}
