"""knowledge.lock: one writer per store, held with flock on a file beside it; the bot's start under it."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bot import serve
from bot.settings import Settings
from knowledge import lock
from knowledge.lock import StoreBusy, StoreLock, lock_path
from knowledge.storage import StoreError

from helpers.proc import REPO, clean_env, run_bot, running_bot


def test_a_second_lock_of_one_store_is_refused_naming_the_holder_until_the_first_lets_go(tmp_path):
    store = tmp_path / "data" / "claims.json"
    first = StoreLock(store, "the bot (polling)").acquire()
    assert lock_path(store) == tmp_path / "data" / "claims.json.lock"
    with pytest.raises(StoreBusy) as info:
        StoreLock(store, "python -m knowledge import").acquire()
    assert info.value.by_bot and info.value.holder["pid"] > 0
    assert "the bot (polling) (pid" in str(info.value) and str(store) in str(info.value)
    first.release()
    with StoreLock(store, "python -m knowledge import") as second:
        assert second.held
        with pytest.raises(StoreBusy) as info:
            StoreLock(store, "the bot (console)").acquire()
        assert not info.value.by_bot and "python -m knowledge import" in str(info.value)
    assert lock_path(store).exists() and not store.exists()  # the lock file stays; no store is made


def test_every_path_to_one_store_finds_the_same_lock(tmp_path, monkeypatch):
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    monkeypatch.chdir(tmp_path)
    with StoreLock(Path("real/claims.json"), "the bot (polling)"):
        for other in (tmp_path / "link" / "claims.json", Path("./real/../real/claims.json")):
            with pytest.raises(StoreBusy):
                StoreLock(other, "python -m knowledge import").acquire()


def test_a_lock_held_by_another_process_goes_when_that_process_dies(tmp_path):
    store = tmp_path / "claims.json"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time\nfrom knowledge.lock import StoreLock\n"
        f"StoreLock({str(store)!r}, 'the bot (polling)').acquire()\nprint('held', flush=True)\ntime.sleep(120)")],
        cwd=REPO, stdout=subprocess.PIPE, text=True, env=clean_env())
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(StoreBusy) as info:
            StoreLock(store, "python -m knowledge import").acquire()
        assert info.value.holder["pid"] == holder.pid and info.value.by_bot
    finally:
        holder.kill()  # no release: the kernel drops the lock with the process
        holder.wait(timeout=30)
    with StoreLock(store, "python -m knowledge import") as taken:
        assert json.loads(lock_path(store).read_text())["role"] == "python -m knowledge import" and taken.held


def test_acquire_waits_for_a_holder_that_lets_go_in_time(tmp_path):
    store = tmp_path / "claims.json"
    first = StoreLock(store, "python -m knowledge import").acquire()
    threading.Timer(0.3, first.release).start()
    started = time.monotonic()
    StoreLock(store, "the bot (polling)").acquire(wait=20).release()
    assert time.monotonic() - started < 15


def test_without_fcntl_locking_fails_clearly(tmp_path, monkeypatch):
    monkeypatch.setattr(lock, "fcntl", None)
    with pytest.raises(StoreError) as info:
        StoreLock(tmp_path / "claims.json", "the bot (polling)").acquire()
    assert "needs fcntl" in str(info.value) and "POSIX" in str(info.value)


def test_a_lock_file_that_cannot_be_made_is_a_store_error(tmp_path):
    (tmp_path / "claims.json.lock").mkdir()  # a folder where the lock file goes
    with pytest.raises(StoreError) as info:
        StoreLock(tmp_path / "claims.json", "the bot (polling)").acquire()
    assert "claims.json.lock" in str(info.value)


# --- the bot holds it while it runs ----------------------------------------------------------------------

def test_the_bot_refuses_to_start_on_a_store_another_bot_runs_on(tmp_path, store_path, store):
    with running_bot(store_path, cwd=tmp_path) as first:
        result = run_bot("--console", "--db", str(store_path), cwd=tmp_path, input="")
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert f"the bot (console) (pid {first.pid}" in result.stderr and "is already running on" in result.stderr
        assert "--db or CLAIMBOT_DB" in result.stderr
        replayed = run_bot("--replay", "-", "--db", str(store_path), cwd=tmp_path, input="")
        assert replayed.returncode == 1 and "is already running on" in replayed.stderr
        # without --db, --replay runs on a throwaway copy: no lock, no conflict
        assert run_bot("--replay", "-", cwd=tmp_path, input="", CLAIMBOT_DB=str(store_path)).returncode == 0
    assert run_bot("--console", "--db", str(store_path), cwd=tmp_path, input="").returncode == 0  # gone with it


def test_the_bot_start_waits_for_a_command_line_then_says_who_holds_the_store(tmp_path, monkeypatch):
    settings = Settings(token=None, db_path=tmp_path / "claims.json")
    monkeypatch.setattr(serve, "STORE_LOCK_WAIT", 0.3)
    with StoreLock(settings.db_path, "python -m knowledge import"):
        started = time.monotonic()
        with pytest.raises(StoreError) as info:
            serve.hold_store(settings, "polling")
        assert time.monotonic() - started >= 0.3
    assert "python -m knowledge import (pid" in str(info.value) and "still writing" in str(info.value)
    held = serve.hold_store(settings, "polling")
    assert json.loads(lock_path(settings.db_path).read_text())["role"] == "the bot (polling)"
    held.release()
