"""knowledge.questions: the append-only log of asked questions."""

from __future__ import annotations

import json
import stat
import threading
from datetime import datetime, timedelta, timezone

import pytest

from knowledge import questions
from knowledge.questions import DEFAULT_KEEP_DAYS, Asked, QuestionLog, parse_keep_days


def test_record_appends_one_json_line_per_question(tmp_path):
    log = QuestionLog(tmp_path / "logs" / "q.jsonl")
    log.record("Did Mali cut ties?", "answer", ["a", "b", "c", "d"], user_id=7, chat_type="private")
    log.record("Météo à Paris ?", "none", [])
    lines = (tmp_path / "logs" / "q.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert first["question"] == "Did Mali cut ties?" and first["outcome"] == "answer"
    assert first["matches"] == ["a", "b", "c"] and first["user_id"] == 7 and first["chat_type"] == "private"
    assert "Météo" in lines[1]  # kept readable
    assert [a.question for a in log] == ["Did Mali cut ties?", "Météo à Paris ?"]


def test_a_long_question_is_cut(tmp_path):
    log = QuestionLog(tmp_path / "q.jsonl")
    entry = log.record("x" * 5000, "none", [])
    assert len(entry.question) == QuestionLog.MAX_QUESTION
    assert len(next(iter(log)).question) == QuestionLog.MAX_QUESTION


def test_a_torn_or_foreign_line_is_skipped(tmp_path):
    path = tmp_path / "q.jsonl"
    log = QuestionLog(path)
    log.record("first", "none", [])
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"unexpected": 1}\n{"time": "2024", "question": "torn')
    assert [a.question for a in log] == ["first"]
    log2 = QuestionLog(path)
    assert isinstance(next(iter(log2)), Asked)


def test_without_a_path_nothing_is_written(tmp_path):
    log = QuestionLog(None)
    assert log.record("q", "none", []).question == "q"
    assert list(log) == [] and list(tmp_path.iterdir()) == []


def test_writers_sharing_a_log_never_interleave_lines(tmp_path):
    path = tmp_path / "q.jsonl"
    logs = [QuestionLog(path) for _ in range(4)]

    def write(log: QuestionLog, n: int) -> None:
        for i in range(200):
            log.record(f"{n}-{i} " + "é" * 300, "none", [])
            log.vote(f"q{n}{i}", up=i % 2 == 0, user_id=n)

    threads = [threading.Thread(target=write, args=(log, n)) for n, log in enumerate(logs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4 * 200 * 2 and all(json.loads(line) for line in lines)
    asked, marks = QuestionLog(path).read()
    assert len(asked) == 800 and len(marks) == 800 and {m.value for m in marks} == {"up", "down"}


# --- retention: prune -------------------------------------------------------------------------------------

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)


def at(days_ago: float) -> str:
    return (NOW - timedelta(days=days_ago)).isoformat()


def question(qid, days_ago, text="q", outcome="none", matches=(), user=1):
    return {"time": at(days_ago), "question": text, "outcome": outcome, "matches": list(matches), "user_id": user,
            "chat_type": "private", "qid": qid, "lang": "en", "chat_id": user}


def mark(qid, days_ago, kind="vote", value="down", user=2):
    return {"time": at(days_ago), "kind": kind, "qid": qid, "user_id": user, "value": value}


def write(path, rows, tail=""):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows) + tail, encoding="utf-8")
    return QuestionLog(path)


def test_prune_drops_old_questions_with_every_mark_on_them(tmp_path):
    log = write(tmp_path / "q.jsonl", [
        question("old", 120), mark("old", 119), mark("old", 5, kind="resolved", value="dismissed"),
        question("new", 10), mark("new", 9, value="up"),
    ])
    done = log.prune(90, now=NOW)
    assert (done.dropped_questions, done.dropped_marks, done.kept_questions, done.kept_marks) == (1, 2, 1, 1)
    assert done.written and done.dropped == 3 and done.kept == 2
    asked, marks = log.read()
    assert [a.key for a in asked] == ["new"] and [(m.qid, m.value) for m in marks] == [("new", "up")]


def test_a_mark_stays_with_a_kept_question_and_a_mark_on_no_question_goes_by_its_own_time(tmp_path):
    log = write(tmp_path / "q.jsonl", [
        mark("skewed", 95),  # written before its question by a clock set back: it belongs to a kept question
        question("skewed", 1),
        mark("elsewhere-old", 91), mark("elsewhere-new", 89),  # e.g. resolved after their question was pruned
    ])
    log.prune(90, now=NOW)
    assert [m.qid for m in log.read()[1]] == ["skewed", "elsewhere-new"]


def test_the_cutoff_keeps_a_question_asked_exactly_days_ago_and_bad_times_count_as_old(tmp_path):
    rows = [question("edge", 90), question("past", 90.0001), {**question("garbled", 1), "time": "yesterday"}]
    log = write(tmp_path / "q.jsonl", rows)
    log.prune(90, now=NOW)
    assert [a.key for a in log] == ["edge"]


def test_a_line_written_before_qids_is_pruned_with_its_marks_by_its_hashed_key(tmp_path):
    legacy = question(None, 100)
    del legacy["qid"]
    key = Asked(**legacy).key
    log = write(tmp_path / "q.jsonl", [legacy, mark(key, 1), question("new", 1)])
    done = log.prune(90, now=NOW)
    assert (done.dropped_questions, done.dropped_marks) == (1, 1) and [a.key for a in log] == ["new"]


def test_odd_values_written_by_hand_do_not_stop_a_prune(tmp_path):
    rows = [{**question("x", 1), "qid": ["a", "list"]}, {**mark("x", 1), "qid": {"a": 1}},
            {**question("y", 100), "qid": 7}, {**mark("y", 1), "time": 12}, question("z", 1)]
    log = write(tmp_path / "q.jsonl", rows)
    done = log.prune(90, now=NOW)
    assert (done.kept_questions, done.dropped_questions) == (2, 1) and [a.key for a in log][-1] == "z"


def test_a_dry_run_counts_the_same_and_leaves_the_file_alone(tmp_path):
    path = tmp_path / "q.jsonl"
    log = write(path, [question("old", 200), mark("old", 199), question("new", 1)], tail='{"time": "2026')
    before = path.read_bytes()
    dry = log.prune(90, now=NOW, dry_run=True)
    assert path.read_bytes() == before and not dry.written
    real = log.prune(90, now=NOW)
    assert real.written and (dry.dropped_questions, dry.dropped_marks, dry.unreadable, dry.kept) == \
        (real.dropped_questions, real.dropped_marks, real.unreadable, real.kept) == (1, 1, 1, 1)


def test_lines_the_log_skips_when_read_are_dropped_and_the_file_then_ends_with_a_newline(tmp_path):
    path = tmp_path / "q.jsonl"
    log = write(path, [question("a", 1), {"unexpected": 1}], tail='["a list"]\n{"time": "2026-03-09", "quest')
    before = log.read()
    done = log.prune(90, now=NOW)
    assert done.unreadable == 3 and done.kept_questions == 1
    assert log.read() == before  # what the bot reads is unchanged
    assert path.read_bytes().endswith(b"}\n")
    log.record("after a torn line", "none", [])  # no longer glued to the torn bytes
    assert [a.question for a in log] == ["q", "after a torn line"]


def test_a_whole_last_line_missing_only_its_newline_is_kept_with_one(tmp_path):
    path = tmp_path / "q.jsonl"
    log = write(path, [question("old", 100)], tail=json.dumps(question("new", 1)))
    log.prune(90, now=NOW)
    assert path.read_text(encoding="utf-8").count("\n") == 1 and [a.key for a in log] == ["new"]


def test_questions_are_kept_byte_for_byte_with_fields_this_version_does_not_know(tmp_path):
    path = tmp_path / "q.jsonl"
    kept = json.dumps({**question("new", 1, text="Qui a dit ça ? \u2028 é"), "future_field": [1, 2]},
                      ensure_ascii=False) + "\n"
    path.write_text(json.dumps(question("old", 100)) + "\n" + kept, encoding="utf-8")
    QuestionLog(path).prune(90, now=NOW)
    assert path.read_text(encoding="utf-8") == kept


def test_nothing_to_drop_leaves_the_file_as_it_was(tmp_path):
    path = tmp_path / "q.jsonl"
    log = write(path, [question("a", 1), mark("a", 0)])
    inode = path.stat().st_ino
    done = log.prune(90, now=NOW)
    assert not done.written and done.dropped == 0 and done.kept == 2 and path.stat().st_ino == inode


def test_a_missing_log_or_no_log_has_nothing_to_prune(tmp_path):
    assert QuestionLog(tmp_path / "none.jsonl").prune(30, now=NOW).kept == 0
    assert QuestionLog(None).prune(30, now=NOW).dropped == 0
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ValueError):
        QuestionLog(tmp_path / "q.jsonl").prune(0, now=NOW)


def test_the_rewrite_keeps_the_file_permissions_and_removes_a_killed_prunes_temporary_file(tmp_path):
    path = tmp_path / "q.jsonl"
    log = write(path, [question("old", 100), question("new", 1)])
    path.chmod(0o640)
    left = tmp_path / ".q.jsonl.abc123.tmp"
    left.write_text(json.dumps(question("old", 100)) + "\n", encoding="utf-8")
    log.prune(90, now=NOW)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640 and not left.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["q.jsonl"]


def test_a_line_appended_while_a_prune_rewrites_the_file_is_not_lost(tmp_path, monkeypatch):
    path = tmp_path / "q.jsonl"
    log = write(path, [question("old", 100), question("new", 1)])
    other = QuestionLog(path)  # another writer: a handler, or another process
    real_write = questions.atomic_write_bytes
    threads = []

    def write_late(*args, **kwargs):  # between the prune's read and its os.replace
        thread = threading.Thread(target=other.record, args=("asked meanwhile", "none", []))
        thread.start()
        thread.join(timeout=0.5)  # an unlocked append finishes here, into the file about to be replaced
        threads.append(thread)
        real_write(*args, **kwargs)

    monkeypatch.setattr(questions, "atomic_write_bytes", write_late)
    assert log.prune(90, now=NOW).written
    threads[0].join()
    assert [a.question for a in QuestionLog(path)] == ["q", "asked meanwhile"]


def test_appends_from_threads_survive_repeated_prunes(tmp_path):
    path = tmp_path / "q.jsonl"
    write(path, [question(f"old{i}", 100) for i in range(50)])
    writers = [QuestionLog(path) for _ in range(3)]
    stop = threading.Event()

    def append(log: QuestionLog, n: int) -> None:
        for i in range(150):
            log.record(f"{n}-{i}", "none", [])

    def prune() -> None:
        while not stop.is_set():
            QuestionLog(path).prune(90)  # the real clock: every appended question is recent

    pruner = threading.Thread(target=prune)
    pruner.start()
    threads = [threading.Thread(target=append, args=(w, n)) for n, w in enumerate(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stop.set()
    pruner.join()
    QuestionLog(path).prune(90)
    assert sorted(a.question for a in QuestionLog(path)) == sorted(f"{n}-{i}" for n in range(3) for i in range(150))


# --- retention: when it runs ------------------------------------------------------------------------------

class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def test_prune_if_due_prunes_at_the_first_call_then_once_a_day_checked_on_append(tmp_path):
    path = tmp_path / "q.jsonl"
    clock = Clock(NOW)
    log = QuestionLog(path, keep_days=30, clock=clock)
    write(path, [question("old", 31)])
    assert log.prune_if_due().dropped_questions == 1  # the bot's start
    assert log.prune_if_due() is None  # not again the same day
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(question("older", 40)) + "\n")
    clock.now = NOW + timedelta(hours=23, minutes=59)
    log.record("still the first day", "none", [])
    assert "older" in [a.key for a in log]
    clock.now = NOW + timedelta(days=1)
    log.vote("older", up=False, user_id=3)  # any append checks
    assert [a.question for a in log] == ["still the first day"] and log.read()[1] == []
    assert log.prune_if_due() is None


def test_entries_carry_the_clocks_time(tmp_path):
    log = QuestionLog(tmp_path / "q.jsonl", clock=Clock(NOW.replace(microsecond=123)))
    assert log.record("q", "none", []).time == "2026-03-10T12:00:00+00:00"
    assert log.vote("x", True, 1).time == log.resolve(["x"], 1, "dismissed")[0].time == NOW.isoformat()


def test_without_a_retention_appends_never_prune(tmp_path):
    path = tmp_path / "q.jsonl"
    log = write(path, [question("old", 5000)])
    log.clock = Clock(NOW)
    assert log.prune_if_due() is None
    log.record("new", "none", [])
    assert [a.key for a in log][0] == "old"


def test_a_failed_prune_is_logged_costs_no_question_and_waits_a_day(tmp_path, monkeypatch, caplog):
    path = tmp_path / "q.jsonl"
    clock = Clock(NOW)
    write(path, [question("old", 100)])
    log = QuestionLog(path, keep_days=90, clock=clock)

    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(questions, "atomic_write_bytes", refused)
    log.record("asked while pruning fails", "none", [])
    assert [a.question for a in log] == ["q", "asked while pruning fails"]
    assert "not pruned (Permission denied)" in caplog.text
    monkeypatch.undo()
    clock.now = NOW + timedelta(hours=1)
    log.record("an hour later", "none", [])
    assert len(list(log)) == 3  # not tried again within the day
    clock.now = NOW + timedelta(days=1)
    assert log.prune_if_due().dropped_questions == 1


def test_an_unexpected_failure_of_a_prune_is_logged_and_never_raised(tmp_path, monkeypatch, caplog):
    write(tmp_path / "q.jsonl", [question("old", 100)])
    log = QuestionLog(tmp_path / "q.jsonl", keep_days=90, clock=Clock(NOW))

    def broken(*args):
        raise RuntimeError("a bug")

    monkeypatch.setattr(questions, "_plan_prune", broken)
    assert log.prune_if_due() is None and "not pruned" in caplog.text and "RuntimeError: a bug" in caplog.text
    log.record("still logged", "none", [])
    assert [a.question for a in log] == ["q", "still logged"]


@pytest.mark.parametrize("text, days", [(None, DEFAULT_KEEP_DAYS), ("", DEFAULT_KEEP_DAYS), (" 30 ", 30),
                                        ("1", 1), ("forever", None), ("FOREVER", None)])
def test_parse_keep_days(text, days):
    assert parse_keep_days(text) == days


@pytest.mark.parametrize("text", ["0", "-3", "1.5", "ninety", "36501"])
def test_a_bad_keep_days_names_the_setting_and_says_what_it_takes(text):
    with pytest.raises(ValueError, match=r"CLAIMBOT_QUESTIONS_KEEP_DAYS must be a whole number of days from 1 "
                                         r"to 36500, or forever"):
        parse_keep_days(text)
