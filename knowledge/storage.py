"""A TinyDB storage that writes atomically: temporary file, fsync, os.replace."""

from __future__ import annotations

import json
import os
import re
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import orjson
from tinydb.storages import Storage


class StoreError(RuntimeError):
    """The store file cannot be read or written; names the file."""


class StoreChanged(StoreError):
    """The store file changed on disk since this process last read or wrote it: it is not overwritten."""


@dataclass(frozen=True)
class FileState:
    """A file as a process last read or wrote it: enough to tell, cheaply, whether another one wrote it since."""

    inode: int
    size: int
    mtime_ns: int
    digest: int  # CRC-32: the content, when a file of the same size has another inode or time

    @classmethod
    def of(cls, stat: os.stat_result, content: bytes) -> "FileState":
        return cls(stat.st_ino, stat.st_size, stat.st_mtime_ns, _digest(content))

    def same_stat(self, stat: os.stat_result) -> bool:
        return (self.inode, self.size, self.mtime_ns) == (stat.st_ino, stat.st_size, stat.st_mtime_ns)


def _digest(content: bytes) -> int:
    return zlib.crc32(content)  # a fifth of blake2b's time (1 ms for 8 MB): it runs at every save


_UNKNOWN = object()  # the storage has not looked at its file yet


class AtomicJSONStorage(Storage):
    """Whole-file JSON writes that are never seen half done; reads are served from memory.

    A write never replaces a file that another process changed since this storage read or wrote it
    (StoreChanged): the changes it holds in memory would silently undo the other's."""

    def __init__(self, path: str | os.PathLike[str], initial: dict[str, Any] | None = None, **_: Any) -> None:
        self.path = Path(path)
        self._data: dict[str, Any] | None = initial
        self._seen: Any = _UNKNOWN  # FileState, None (no file), or _UNKNOWN

    def read(self) -> dict[str, Any] | None:
        if self._data is None:
            raw, state = read_store_file(self.path)
            self._data = _json_object(self.path, raw) if raw is not None else None
            if self._seen is _UNKNOWN:  # a reread after a failed write keeps what was known: see write()
                self._seen = state
        return self._data

    def read_rows(self, *tables: str, packed: tuple[str, ...] = ()) -> Iterator[tuple[str, str, Any]]:
        """The rows of tables as they are read from the file, one at a time (table, key, value); read()
        then serves the file with those rows kept as Raw (compressed for the tables in packed)."""
        raw, state = read_store_file(self.path)
        data, rows = _tables_of(self.path, raw, tables, packed)
        del raw  # the text is decoded: free the bytes before reading the rows
        for table, key, value, _ in rows:
            yield table, key, value
        self._data = data
        self._seen = state

    def check_unchanged(self) -> None:
        """StoreChanged when the file is no longer as this storage last read or wrote it."""
        seen = self._seen
        if seen is _UNKNOWN:
            return
        try:
            stat = os.stat(self.path)
        except FileNotFoundError:
            stat = None
        except OSError as exc:
            raise StoreError(f"cannot read store file {self.path}: {exc.strerror}") from exc
        if seen is None and stat is None:
            return
        if seen is not None and stat is not None:
            if seen.same_stat(stat):
                return
            if stat.st_size == seen.size:  # touched, or copied back as it was: the content tells
                raw, state = read_store_file(self.path)
                if state is not None and state.digest == seen.digest:
                    self._seen = state
                    return
        what = ("was created" if seen is None else "was removed or moved away" if stat is None
                else "was written")
        raise StoreChanged(f"store file {self.path} {what} by another program since this process last read or "
                           f"wrote it: not overwriting it, nothing was saved. Restart to load the file as it is now")

    def write(self, data: dict[str, Any]) -> None:
        self.check_unchanged()  # before anything else: the copy in memory stays as it was, and so does _seen
        try:
            content = encode_json(data)
            stat = atomic_write_bytes(self.path, content)
        except BaseException:
            self._data = None  # TinyDB may have changed our copy in place: reread the file next time
            raise
        self._data = data
        self._seen = FileState.of(stat, content)

    def close(self) -> None:
        self._data = None


def read_store_file(path: Path) -> tuple[bytes | None, FileState | None]:
    """The store file's bytes and state, (None, None) when it does not exist; StoreError when it cannot be read
    or is empty."""
    try:
        with open(path, "rb") as handle:
            stat = os.fstat(handle.fileno())
            raw = handle.read()
    except FileNotFoundError:
        return None, None
    except OSError as exc:
        raise StoreError(f"cannot read store file {path}: {exc.strerror}") from exc
    if not raw.strip():
        raise StoreError(f"store file {path} is empty")
    return raw, FileState.of(stat, raw)


def _store_bytes(path: Path) -> bytes | None:
    """The store file's bytes, None when it does not exist; StoreError when it cannot be read or is empty."""
    return read_store_file(path)[0]


def load_json_file(path: Path) -> dict[str, Any] | None:
    """The file's JSON object, None when it does not exist; StoreError when it is damaged."""
    raw = _store_bytes(path)
    return _json_object(path, raw) if raw is not None else None


def _json_object(path: Path, raw: bytes) -> dict[str, Any]:
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise StoreError(f"store file {path} is damaged (not valid JSON: {exc})") from exc
    if not isinstance(data, dict):
        raise StoreError(f"store file {path} is damaged (not a JSON object)")
    return data


class Raw:
    """A JSON value kept as its encoded bytes: a fraction of the memory of the objects, written as is;
    packed, zlib-compressed too (for rows rarely read, such as the audit log)."""

    __slots__ = ("_bytes", "packed")

    def __init__(self, data: bytes, packed: bool = False) -> None:
        self._bytes = zlib.compress(data, 1) if packed else data
        self.packed = packed

    @property
    def data(self) -> bytes:
        return zlib.decompress(self._bytes) if self.packed else self._bytes

    @classmethod
    def of(cls, value: Any, packed: bool = False) -> "Raw":
        return value if isinstance(value, Raw) else cls(orjson.dumps(value), packed)

    def value(self) -> Any:
        return orjson.loads(self.data)


def plain(value: Any) -> Any:
    """A row as plain data, whether kept as Raw or not."""
    return value.value() if isinstance(value, Raw) else value


def _fragment(value: Any) -> Any:
    if isinstance(value, Raw):
        return orjson.Fragment(value.data)
    raise TypeError(f"Type is not JSON serializable: {type(value).__name__}")


def encode_json(data: Any) -> bytes:
    """Compact UTF-8 JSON (TypeError for what JSON cannot hold); orjson is several times faster than json."""
    return orjson.dumps(data, default=_fragment)


_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")


def read_tables(path: Path, tables: tuple[str, ...], packed: tuple[str, ...] = ()
                ) -> tuple[dict[str, Any] | None, Iterator[tuple[str, str, Any, Raw]]]:
    """The file's JSON object with the rows of `tables` as Raw, and an iterator over those rows as they are
    read (table, key, value, its Raw): one row of the file in memory at a time, never the whole file as
    objects (at 100,000 claims, that is 300 MB that would stay scattered over the heap).

    Rows of the tables in `packed` are kept compressed. The object is filled in while the iterator runs;
    StoreError when the file is damaged."""
    return _tables_of(path, _store_bytes(path), tables, packed)


def _tables_of(path: Path, raw: bytes | None, tables: tuple[str, ...], packed: tuple[str, ...]
               ) -> tuple[dict[str, Any] | None, Iterator[tuple[str, str, Any, Raw]]]:
    if raw is None:
        return None, iter(())
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise StoreError(f"store file {path} is damaged (not UTF-8: {exc})") from exc
    del raw
    out: dict[str, Any] = {}

    def rows() -> Iterator[tuple[str, str, Any, Raw]]:
        scan = _Scanner(text)
        try:
            for name in scan.members():
                if name in tables and scan.peek("{"):
                    table: dict[str, Raw] = {}
                    out[name] = table
                    for key in scan.members():
                        start = scan.pos
                        value = scan.value()
                        row = Raw(text[start:scan.pos].encode("utf-8"), name in packed)
                        table[key] = row
                        yield name, key, value, row
                else:
                    out[name] = scan.value()
            scan.space()
            if scan.pos != len(text):
                raise ValueError(f"extra data at {scan.pos}")
        except (ValueError, IndexError) as exc:
            raise StoreError(f"store file {path} is damaged (not valid JSON: {exc})") from exc

    if not text.lstrip().startswith("{"):
        raise StoreError(f"store file {path} is damaged (not a JSON object)")
    return out, rows()


class _Scanner:
    """Walks a JSON text member by member (values parsed by the json module's scanner)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def space(self) -> None:
        self.pos = _SPACE.match(self.text, self.pos).end()  # type: ignore[union-attr]

    def peek(self, char: str) -> bool:
        self.space()
        return self.text.startswith(char, self.pos)

    def expect(self, char: str) -> None:
        if not self.peek(char):
            raise ValueError(f"expected {char!r} at {self.pos}")
        self.pos += 1

    def value(self) -> Any:
        self.space()
        value, self.pos = _DECODER.raw_decode(self.text, self.pos)
        return value

    def members(self) -> Iterator[str]:
        """Each key of the object at pos, left at the start of its value for the caller to read."""
        self.expect("{")
        if self.peek("}"):
            self.pos += 1
            return
        while True:
            key = self.value()
            if not isinstance(key, str):
                raise ValueError(f"expected a key at {self.pos}")
            self.expect(":")
            self.space()
            yield key
            if self.peek(","):
                self.pos += 1
                continue
            self.expect("}")
            return


def atomic_write_text(path: Path, text: str) -> None:
    """Replace path with text so that a reader or a crash sees the old file or the new one whole."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes, mode: int | None = None) -> os.stat_result:
    """Replace path with data so that a reader or a crash sees the old file or the new one whole; mode: the
    new file's permissions (else mkstemp's 0o600). The new file's stat (os.replace keeps its inode and times)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if mode is not None:
            os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            stat = os.fstat(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    _fsync_dir(path.parent)
    return stat


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
