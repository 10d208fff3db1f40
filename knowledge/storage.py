"""A TinyDB storage that writes atomically: temporary file, fsync, os.replace."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage


class StoreError(RuntimeError):
    """The store file cannot be read or written; names the file."""


class AtomicJSONStorage(Storage):
    """Whole-file JSON writes that are never seen half done; reads are served from memory."""

    def __init__(self, path: str | os.PathLike[str], initial: dict[str, Any] | None = None, **_: Any) -> None:
        self.path = Path(path)
        self._data: dict[str, Any] | None = initial

    def read(self) -> dict[str, Any] | None:
        if self._data is None:
            self._data = load_json_file(self.path)
        return self._data

    def write(self, data: dict[str, Any]) -> None:
        try:
            atomic_write_bytes(self.path, encode_json(data))
        except BaseException:
            self._data = None  # TinyDB may have changed our copy in place: reread the file next time
            raise
        self._data = data

    def close(self) -> None:
        self._data = None


def load_json_file(path: Path) -> dict[str, Any] | None:
    """The file's JSON object, None when it does not exist; StoreError when it is damaged."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreError(f"cannot read store file {path}: {exc.strerror}") from exc
    if not raw.strip():
        raise StoreError(f"store file {path} is empty")
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise StoreError(f"store file {path} is damaged (not valid JSON: {exc})") from exc
    if not isinstance(data, dict):
        raise StoreError(f"store file {path} is damaged (not a JSON object)")
    return data


def encode_json(data: Any) -> bytes:
    """Compact UTF-8 JSON (TypeError for what JSON cannot hold); orjson is several times faster than json."""
    return orjson.dumps(data)


def atomic_write_text(path: Path, text: str) -> None:
    """Replace path with text so that a reader or a crash sees the old file or the new one whole."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace path with data so that a reader or a crash sees the old file or the new one whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
