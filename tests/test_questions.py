"""knowledge.questions: the append-only log of asked questions."""

from __future__ import annotations

import json
import threading

from knowledge.questions import Asked, QuestionLog


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
