"""Crash safety of the store: processes killed (SIGKILL) in the middle of writes and imports, damaged files.

- A writer acknowledges each commit once it returned; killed at random moments, again and again: the
  store always loads and holds every acknowledged claim and audit entry.
- Imports killed at random moments: the store holds the old base or the new one, never a mix.
- An empty, truncated or damaged store file stops the start with an error naming the file and the
  latest backup; a missing file with backups beside it too. Never a silent reset to the seed.
Sized down in `make test`; STRESS=1 (`make stress`) runs them at full size.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from knowledge.io import write_claims
from knowledge.model import claim_from_dict
from knowledge.storage import StoreError
from knowledge.store import ClaimStore

ROOT = Path(__file__).resolve().parent.parent
STRESS = os.environ.get("STRESS") == "1"
WRITER_KILLS = 100 if STRESS else 12
IMPORT_KILLS, IMPORT_SIZE = (30, 15_000) if STRESS else (15, 2_000)

WRITER = """
import sys
from knowledge.model import claim_from_dict
from knowledge.store import ClaimStore
store = ClaimStore(sys.argv[1])
number = int(sys.argv[2])
while True:
    claim = claim_from_dict({"id": f"k-{number}", "text": {"en": f"claim {number} " + "padding " * 40},
                             "link": "explicit", "sources": [{"name": "Writer", "kind": "press"}]})
    entry = store.commit([claim], audit={"action": "add", "claim_id": f"k-{number}"})
    print(number, entry, flush=True)  # the acknowledgement: commit has returned
    number += 1
"""


def child(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def kill(process: subprocess.Popen, after: float) -> tuple[str, str]:
    time.sleep(after)
    process.send_signal(signal.SIGKILL)
    out, err = process.communicate(timeout=30)
    return out, err


def temp_files(path: Path) -> list[Path]:
    return list(path.parent.glob(f".{path.name}.*.tmp"))


def test_acknowledged_writes_survive_sigkill(tmp_path):
    path = tmp_path / "claims.json"
    ClaimStore(path).close()  # the curated seed
    rng = random.Random(61)
    acked: dict[int, int] = {}  # claim number -> audit entry id
    left_behind: set[Path] = set()
    for _ in range(WRITER_KILLS):
        start = max([int(c.id[2:]) for c in ClaimStore(path).all() if c.id.startswith("k-")], default=-1) + 1
        out, err = kill(child("-c", WRITER, str(path), str(start)), rng.uniform(0.15, 0.6))
        assert "Traceback" not in err, err
        for line in out.split("\n")[:-1]:  # whole lines only: a line the kill cut short was never an ack
            if line.strip():
                number, entry = map(int, line.split())
                acked[number] = entry
        left_behind.update(temp_files(path))
        store = ClaimStore(path)  # always loads
        for number, entry in acked.items():
            assert store.get(f"k-{number}") is not None, f"acknowledged claim k-{number} lost"
            assert store.audit_entry(entry) == {"action": "add", "claim_id": f"k-{number}"}
        store.close()
    assert len(acked) > WRITER_KILLS  # the writer got going between kills
    print(f"\n{WRITER_KILLS} kills, {len(acked)} acknowledged writes all kept; "
          f"{len(left_behind)} kills landed mid-write (a temporary file left)")


def make_base(tag: str, size: int) -> list:
    return [claim_from_dict({"id": f"{tag}-{i}", "text": {"en": f"{tag} claim {i} about drones in the Sahel",
                                                          "fr": f"affirmation {tag} {i}"},
                             "link": "explicit", "sources": [{"name": f"Source {i % 40}", "kind": "press"}],
                             "aliases": [f"{tag} alias {i}"]}) for i in range(size)]


def ids_and_texts(path: Path) -> dict[str, dict]:
    return {c.id: dict(c.text) for c in ClaimStore(path).all()}


def test_killed_imports_leave_the_old_base_or_the_new_one(tmp_path):
    old_file, new_file = tmp_path / "old.json", tmp_path / "new.json"
    write_claims(old_file, make_base("old", IMPORT_SIZE))
    write_claims(new_file, make_base("new", IMPORT_SIZE))
    pristine = tmp_path / "pristine" / "claims.json"
    pristine.parent.mkdir()
    importing = ["-m", "knowledge", "import", str(new_file), "--replace", "--yes", "--db"]
    assert subprocess.run([sys.executable, "-m", "knowledge", "import", str(old_file), "--replace", "--db",
                           str(pristine)], cwd=ROOT, capture_output=True).returncode == 0
    old, new = ids_and_texts(pristine), {c.id: dict(c.text) for c in make_base("new", IMPORT_SIZE)}
    work = tmp_path / "work" / "claims.json"
    work.parent.mkdir()
    shutil.copy(pristine, work)
    started = time.monotonic()  # how long a whole import takes here, to kill around its write
    assert child(*importing, str(work)).wait(timeout=120) == 0
    whole = time.monotonic() - started
    assert ids_and_texts(work) == new
    rng = random.Random(15)
    seen = {"old": 0, "new": 0}
    for _ in range(IMPORT_KILLS):
        for leftover in temp_files(work):
            leftover.unlink()
        shutil.copy(pristine, work)
        out, err = kill(child(*importing, str(work)), rng.uniform(0.4 * whole, 1.1 * whole))
        assert "Traceback" not in err, err
        state = ids_and_texts(work)  # loads, and is one base or the other, whole
        assert state in (old, new), f"a mix of {len(set(state) & set(old))} old and {len(set(state) & set(new))} new"
        seen["old" if state == old else "new"] += 1
    print(f"\n{IMPORT_KILLS} imports of {IMPORT_SIZE} claims killed ({whole:.2f}s each whole): "
          f"{seen['old']} left the old base, {seen['new']} the new one")


# --- damaged or missing store files -------------------------------------------------------------

DAMAGE = {
    "empty": lambda raw: b"",
    "blank": lambda raw: b"  \n",
    "truncated": lambda raw: raw[: len(raw) // 2],
    "garbage": lambda raw: b"\x00\xff\xfe not json at all",
    "not an object": lambda raw: b"[1, 2, 3]",
    "an invalid claim": lambda raw: json.dumps(
        {**json.loads(raw), "claims": {"1": {"id": "x", "text": {"en": "t"}, "link": "sideways"}}}).encode(),
}


@pytest.fixture
def store_with_backups(tmp_path):
    """A store that went through two backups (as /import makes them)."""
    path = tmp_path / "data" / "claims.json"
    store = ClaimStore(path)
    store.backup()
    time.sleep(0.01)
    latest = store.backup()
    store.close()
    return path, latest


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_store_names_itself_and_the_latest_backup_and_is_left_alone(store_with_backups, damage):
    path, latest = store_with_backups
    path.write_bytes(DAMAGE[damage](path.read_bytes()))
    before = path.read_bytes()
    with pytest.raises(StoreError) as caught:
        ClaimStore(path)
    message = str(caught.value)
    assert str(path) in message and str(latest) in message and "mv " in message
    assert path.read_bytes() == before  # not reset to the seed, not touched


def test_without_backups_the_error_says_so(tmp_path):
    path = tmp_path / "claims.json"
    path.write_bytes(b"{truncated")
    with pytest.raises(StoreError, match=r"claims\.json is damaged.*No backup in"):
        ClaimStore(path)
    assert path.read_bytes() == b"{truncated"


def test_a_missing_store_with_backups_is_not_recreated_from_the_seed(store_with_backups):
    path, latest = store_with_backups
    path.unlink()
    with pytest.raises(StoreError, match="is missing, yet") as caught:
        ClaimStore(path)
    assert str(latest) in str(caught.value) and not path.exists()


def test_a_damaged_latest_backup_is_skipped(store_with_backups):
    path, latest = store_with_backups
    latest.write_bytes(b"{")
    path.write_bytes(b"")
    with pytest.raises(StoreError) as caught:
        ClaimStore(path)
    older = min(path.parent.joinpath("backups").glob("claims.*.json"))
    assert str(older) in str(caught.value) and str(latest) not in str(caught.value)


def test_the_restore_the_error_gives_works(store_with_backups):
    path, latest = store_with_backups
    path.write_bytes(b"")
    with pytest.raises(StoreError) as caught:
        ClaimStore(path)
    command = str(caught.value).split("backup in its place: ")[1]
    subprocess.run(command, shell=True, check=True)
    assert len(ClaimStore(path)) == 34 and Path(f"{path}.damaged").read_bytes() == b""


def test_run_bot_stops_with_the_error_and_no_traceback(store_with_backups):
    path, latest = store_with_backups
    path.write_bytes(path.read_bytes()[:100])
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_"))}
    done = subprocess.run([sys.executable, "run_bot.py", "--console", "--db", str(path)], cwd=ROOT, env=env,
                          input="hello\n", capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"store file {path} is damaged" in done.stderr and str(latest) in done.stderr


def test_stale_temporary_files_of_killed_writes_are_removed(tmp_path):
    path = tmp_path / "claims.json"
    ClaimStore(path).close()
    stale, fresh = tmp_path / ".claims.json.abc.tmp", tmp_path / ".claims.json.def.tmp"
    stale.write_text("{half")
    fresh.write_text("{being written")
    hour_ago = time.time() - 3600
    os.utime(stale, (hour_ago, hour_ago))
    ClaimStore(path).close()
    assert not stale.exists() and fresh.exists()


def test_backups_keep_only_the_newest_copies(tmp_path):
    store = ClaimStore(tmp_path / "claims.json")
    folder = tmp_path / "backups"
    folder.mkdir()
    other = folder / "claims.damaged.json"
    other.write_text("{}")  # not a backup of ours: never removed
    made = []
    for _ in range(5):
        made.append(store.backup(folder, keep=3))
        time.sleep(0.002)
    store.close()
    left = sorted(p for p in folder.iterdir() if p != other)
    assert left == made[-3:] and other.exists()
    assert json.loads(made[-1].read_text(encoding="utf-8"))["claims"]
