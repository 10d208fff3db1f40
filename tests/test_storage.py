"""knowledge.storage: atomic whole-file writes and loud failures on damaged files."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knowledge import storage
from knowledge.storage import (AtomicJSONStorage, Raw, StoreError, atomic_write_text, encode_json, load_json_file,
                               plain, read_tables)

PATHS = ["claims.json", "deep/er/folder/claims.json", "with space/clé é.json"]


@pytest.fixture(params=PATHS)
def path(request, tmp_path: Path) -> Path:
    return tmp_path / request.param


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_atomic_write_creates_missing_folders_and_leaves_no_temp_file(path):
    atomic_write_text(path, '{"a": 1}')
    assert json.loads(path.read_text(encoding="utf-8")) == {"a": 1}
    atomic_write_text(path, '{"a": 2}')
    assert json.loads(path.read_text(encoding="utf-8")) == {"a": 2}
    assert leftovers(path.parent) == []


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_a_failed_write_leaves_the_old_file_whole(path, monkeypatch, failing):
    atomic_write_text(path, "old content")

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage.os, failing, boom)
    with pytest.raises(OSError):
        atomic_write_text(path, "new content that never lands")
    monkeypatch.undo()
    assert path.read_text(encoding="utf-8") == "old content"
    assert leftovers(path.parent) == []


def test_storage_write_then_read_from_a_fresh_storage(path):
    AtomicJSONStorage(path).write({"claims": {"1": {"id": "é"}}})
    assert AtomicJSONStorage(path).read() == {"claims": {"1": {"id": "é"}}}


def test_storage_read_of_a_missing_file_is_none_and_creates_nothing(path):
    assert AtomicJSONStorage(path).read() is None
    assert not path.exists()


def test_a_failed_storage_write_drops_the_changed_copy(path, monkeypatch):
    """TinyDB changes the dict read() gave it, then writes it: after a failure, read() must give the file's data."""
    store = AtomicJSONStorage(path)
    store.write({"claims": {"1": {"id": "a"}}})
    data = store.read()
    data["claims"]["2"] = {"id": "b"}  # what TinyDB does before calling write
    monkeypatch.setattr(storage.os, "replace", lambda *a: (_ for _ in ()).throw(OSError("disk gone")))
    with pytest.raises(OSError):
        store.write(data)
    monkeypatch.undo()
    assert store.read() == {"claims": {"1": {"id": "a"}}}
    assert json.loads(path.read_text(encoding="utf-8")) == {"claims": {"1": {"id": "a"}}}


def test_data_that_cannot_be_encoded_leaves_the_file_alone(path):
    store = AtomicJSONStorage(path)
    store.write({"claims": {}})
    before = path.read_bytes()
    with pytest.raises(TypeError):
        store.write({"claims": {"1": {"when": object()}}})
    assert path.read_bytes() == before
    assert store.read() == {"claims": {}}
    assert leftovers(path.parent) == []


@pytest.mark.parametrize("content, why", [
    (b"", "empty"),
    (b"  \n\t ", "empty"),
    (b'{"claims": {"1": ', "not valid JSON"),
    (b"\xff\xfe\x00garbage", "not valid JSON"),
    (b'["a", "list"]', "not a JSON object"),
    (b"42", "not a JSON object"),
])
def test_a_damaged_file_is_a_store_error_naming_it(path, content, why):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    with pytest.raises(StoreError) as info:
        load_json_file(path)
    assert str(path) in str(info.value) and why in str(info.value)
    with pytest.raises(StoreError):
        AtomicJSONStorage(path).read()
    assert path.read_bytes() == content  # never reset


def test_a_folder_in_place_of_the_file_is_a_store_error(tmp_path):
    (tmp_path / "claims.json").mkdir()
    with pytest.raises(StoreError) as info:
        load_json_file(tmp_path / "claims.json")
    assert "claims.json" in str(info.value)


def test_missing_file_loads_as_none(tmp_path):
    assert load_json_file(tmp_path / "nothing.json") is None


def test_the_temp_file_is_in_the_target_folder(path, monkeypatch):
    """os.replace is only atomic within one file system: the temporary file must sit next to the target."""
    seen = []
    real_replace = os.replace

    def spy(src, dst):
        seen.append((Path(src).parent, Path(dst).parent))
        real_replace(src, dst)

    monkeypatch.setattr(storage.os, "replace", spy)
    atomic_write_text(path, "x")
    assert seen == [(path.parent, path.parent)]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=8)
stores = st.fixed_dictionaries({"claims": st.dictionaries(st.from_regex(r"[1-9][0-9]{0,3}", fullmatch=True), json_values,
                                                          max_size=4),
                                "meta": json_values}, optional={"audit": st.dictionaries(st.text(max_size=4),
                                                                                            json_values, max_size=3)})


@given(document=stores, indent=st.sampled_from([None, 1, 2]))
def test_reading_rows_one_at_a_time_gives_the_file_back(tmp_path_factory, document, indent):
    path = tmp_path_factory.mktemp("rows") / "store.json"
    path.write_text(json.dumps(document, indent=indent, ensure_ascii=indent is None), encoding="utf-8")
    data, rows = read_tables(path, ("claims", "audit"))
    seen = [(table, key, value) for table, key, value, _ in rows]
    assert seen == [(t, k, v) for t in document if t in ("claims", "audit") for k, v in document[t].items()]
    assert json.loads(encode_json(data)) == json.loads(json.dumps(document))
    assert all(isinstance(row, Raw) for t in ("claims", "audit") if t in data for row in data[t].values())
    assert plain(data["meta"]) == document["meta"]


@pytest.mark.parametrize("text", ['{"claims": {"1": {"id": "a"}', '{"claims": {"1": {"id": "a"}}} trailing',
                                  '{"claims": {"1" {"id": "a"}}}', '{"claims": {1: {}}}', '[1, 2]', '   '])
def test_a_damaged_file_read_row_by_row_is_a_store_error(tmp_path, text):
    path = tmp_path / "store.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(StoreError, match="store.json"):
        data, rows = read_tables(path, ("claims",))
        list(rows)


# --- a file another process wrote is never overwritten ----------------------------------------------------

def test_a_write_over_a_file_another_storage_wrote_since_is_refused_and_loses_nothing(path):
    AtomicJSONStorage(path).write({"claims": {"1": {"id": "a"}}})
    bot, cli = AtomicJSONStorage(path), AtomicJSONStorage(path)
    bot.read()
    cli.read()
    cli.write({"claims": {"1": {"id": "a", "aliases": ["from the cli"]}}})
    with pytest.raises(storage.StoreChanged) as info:
        bot.write({"claims": {"1": {"id": "a", "aliases": ["from the bot"]}}})
    assert str(path) in str(info.value) and "nothing was saved" in str(info.value)
    assert json.loads(path.read_text(encoding="utf-8")) == {"claims": {"1": {"id": "a", "aliases": ["from the cli"]}}}
    assert bot.read() == {"claims": {"1": {"id": "a"}}}  # its copy as it was: nothing half applied
    with pytest.raises(storage.StoreChanged):  # and it stays refused: only a fresh read knows the new file
        bot.write({"claims": {}})
    assert AtomicJSONStorage(path).read() == {"claims": {"1": {"id": "a", "aliases": ["from the cli"]}}}


def test_a_storage_writes_again_and_again_over_its_own_writes(path):
    store = AtomicJSONStorage(path)
    for n in range(5):
        store.write({"n": n})
    assert AtomicJSONStorage(path).read() == {"n": 4}


def test_a_file_touched_or_copied_back_unchanged_may_be_written(path):
    store = AtomicJSONStorage(path)
    store.write({"claims": {}})
    before = path.read_bytes()
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))  # touched
    store.write({"claims": {"1": {}}})
    path.unlink()
    path.write_bytes(encode_json({"claims": {"1": {}}}))  # another inode, the same bytes
    store.write({"claims": {"2": {}}})
    assert json.loads(path.read_text(encoding="utf-8")) == {"claims": {"2": {}}}
    assert before != path.read_bytes()


def test_a_file_edited_in_place_with_the_same_size_is_seen(path):
    store = AtomicJSONStorage(path)
    store.write({"v": "aaaa"})
    stat = path.stat()
    path.write_bytes(path.read_bytes().replace(b"aaaa", b"bbbb"))  # same inode, same size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))
    with pytest.raises(storage.StoreChanged):
        store.write({"v": "cccc"})
    assert json.loads(path.read_text(encoding="utf-8")) == {"v": "bbbb"}


def test_a_file_removed_or_created_behind_the_storage_is_not_written(path):
    store = AtomicJSONStorage(path)
    store.write({"claims": {}})
    path.unlink()
    with pytest.raises(storage.StoreChanged) as info:
        store.write({"claims": {"1": {}}})
    assert "removed or moved away" in str(info.value) and not path.exists()
    fresh = AtomicJSONStorage(path)
    assert fresh.read() is None  # no file yet
    AtomicJSONStorage(path).write({"other": True})
    with pytest.raises(storage.StoreChanged) as info:
        fresh.write({"mine": True})
    assert "was created" in str(info.value)
    assert json.loads(path.read_text(encoding="utf-8")) == {"other": True}


def test_a_failed_write_then_a_write_by_another_still_refuses(path, monkeypatch):
    """After a failed write the storage rereads the file; what it reads then must not pass for its own."""
    store = AtomicJSONStorage(path)
    store.write({"n": 1})
    monkeypatch.setattr(storage.os, "replace", lambda *a: (_ for _ in ()).throw(OSError("disk gone")))
    with pytest.raises(OSError):
        store.write({"n": 2})
    monkeypatch.undo()
    AtomicJSONStorage(path).write({"n": "other"})
    assert store.read() == {"n": "other"}  # reread
    with pytest.raises(storage.StoreChanged):
        store.write({"n": 3})
