"""The review queue, stats and correction notices, from the question log."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowledge.audit import AuditEntry, Change
from knowledge.questions import QuestionLog
from knowledge.review import compute_stats, correction_kind, group_of, notices, review_queue

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)


def write_log(path, rows):
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return QuestionLog(path)


def asked(qid, question, outcome="none", matches=(), days_ago=1, user=1, lang="en"):
    when = (NOW - timedelta(days=days_ago)).isoformat()
    return {"time": when, "question": question, "outcome": outcome, "matches": list(matches), "user_id": user,
            "chat_type": "private", "qid": qid, "lang": lang, "chat_id": user}


def vote(qid, value, user=1):
    return {"kind": "vote", "time": NOW.isoformat(), "qid": qid, "user_id": user, "value": value}


def test_queue_groups_near_duplicates_and_counts_them(tmp_path):
    log = write_log(tmp_path / "q.jsonl", [
        asked("a1", "Did Ukraine train Tuareg drone pilots?"),
        asked("a2", "did ukraine train tuareg drone pilots"),
        asked("a3", "Did Ukraine train the Tuareg drone pilot?"),
        asked("b1", "What's the weather in Paris?", days_ago=2),
        asked("c1", "Is Yusov a general?", outcome="answer", matches=["yusov-x"]),
        vote("c1", "down"),
        asked("d1", "Who leads JNIM?", outcome="answer", matches=["jnim-leader"]),
        vote("d1", "up"),
        asked("e1", "old unanswered question", days_ago=90),
        asked("f1", "Did Mali break with Kyiv or not", outcome="suggest", matches=["a", "b"], days_ago=3),
    ])
    groups = review_queue(log, days=30, now=NOW)
    assert [(g.count, g.none, g.suggested, g.down) for g in groups] == [(3, 3, 0, 0), (1, 0, 0, 1), (1, 1, 0, 0),
                                                                         (1, 0, 1, 0)]
    assert set(groups[0].qids) == {"a1", "a2", "a3"}
    downvoted = next(g for g in groups if g.down)
    assert downvoted.claims == ["yusov-x"] and downvoted.text == "Is Yusov a general?"
    assert all("d1" not in g.qids and "e1" not in g.qids for g in groups)


def test_resolved_questions_leave_the_queue_and_group_of_finds_the_group(tmp_path):
    log = write_log(tmp_path / "q.jsonl", [asked("a1", "drones Mauritania training"),
                                           asked("a2", "drone Mauritania training"),
                                           asked("b1", "weather Paris")])
    group = group_of(log, "a2", now=NOW)
    assert set(group.qids) == {"a1", "a2"}
    log.resolve(group.qids, 99, "dismissed")
    assert [g.qids for g in review_queue(log, now=NOW)] == [["b1"]]


def test_a_later_up_vote_by_the_same_person_replaces_the_down_vote(tmp_path):
    log = write_log(tmp_path / "q.jsonl", [asked("c1", "q", outcome="answer", matches=["x"]),
                                           vote("c1", "down"), vote("c1", "up")])
    assert review_queue(log, now=NOW) == []


def test_log_lines_written_before_qids_get_a_stable_key(tmp_path):
    row = asked("ignored", "legacy question")
    del row["qid"], row["lang"], row["chat_id"]
    log = write_log(tmp_path / "q.jsonl", [row, {"broken": True}, "not json"])
    (first,) = list(log)
    assert first.key == list(log)[0].key and len(first.key) == 10
    assert log.find(first.key).question == "legacy question"


def test_record_and_vote_roundtrip(tmp_path):
    log = QuestionLog(tmp_path / "q.jsonl")
    entry = log.record("Who is Hussein Ghulam?", "answer", ["ghulam"], user_id=5, chat_type="private",
                       lang="fr", chat_id=5)
    log.vote(entry.qid, up=False, user_id=5)
    asked_rows, marks = log.read()
    assert asked_rows == [entry] and marks[0].value == "down" and marks[0].qid == entry.qid
    assert len(entry.qid) == 10 and entry.shown == "ghulam"
    assert [g.text for g in review_queue(log)] == ["Who is Hussein Ghulam?"]


def test_stats_count_days_outcomes_votes_top_claims(tmp_path):
    log = write_log(tmp_path / "q.jsonl", [
        asked("1", "a", "answer", ["x"], days_ago=0), asked("2", "b", "answer", ["x"], days_ago=1),
        asked("3", "c", "answer", ["y"], days_ago=1), asked("4", "d", "suggest", ["x", "y"], days_ago=2),
        asked("5", "weather", "none", days_ago=2), asked("6", "weather?", "none", days_ago=3),
        asked("7", "too old", "none", days_ago=30), vote("1", "up"), vote("2", "down", user=2),
    ])
    stats = compute_stats(log, days=7, now=NOW)
    assert stats.total == 6 and stats.outcomes == {"answer": 3, "suggest": 1, "none": 2}
    assert stats.up == 1 and stats.down == 1
    assert stats.top_claims == [("x", 2), ("y", 1)]
    assert len(stats.per_day) == 7 and stats.per_day[-1] == (NOW.date().isoformat(), 1)
    assert sum(n for _, n in stats.per_day) == 6
    assert stats.top_unmatched[0].count == 2 and stats.top_unmatched[0].none == 2


def change(before_status="active", after_status="active", field="text", old="a", new="b"):
    before = {"id": "x", "status": before_status, field: old}
    after = {"id": "x", "status": after_status, field: new}
    return before, after


def test_correction_kind():
    assert correction_kind(*change()) == "corrected"
    assert correction_kind(*change(after_status="retired", new="a")) == "retired"
    assert correction_kind(*change(field="aliases", old=["a"], new=["a", "b"])) is None
    assert correction_kind(*change(before_status="retired", after_status="retired")) is None
    assert correction_kind(None, {"id": "x", "status": "active"}) is None


def test_notices_reach_each_viewer_once_within_the_window(tmp_path):
    log = write_log(tmp_path / "q.jsonl", [
        asked("1", "q", "answer", ["x"], days_ago=1, user=10, lang="fr"),
        asked("2", "q again", "answer", ["x"], days_ago=0, user=10, lang="fr"),
        asked("3", "q", "answer", ["x"], days_ago=2, user=11),
        asked("4", "q", "answer", ["x"], days_ago=20, user=12),  # too long ago
        asked("5", "q", "suggest", ["x"], days_ago=1, user=13),  # only suggested
        asked("6", "q", "answer", ["y"], days_ago=1, user=14),  # another claim
        asked("7", "q", "answer", ["x"], days_ago=1, user=99),  # the moderator
    ])
    before, after = change()
    entry = AuditEntry(1, NOW.isoformat(), 99, "edit", (Change("x", before, after),))
    found = notices(entry, log, days=7, now=NOW, exclude=[99])
    assert sorted((n.user_id, n.lang, n.kind) for n in found) == [(10, "fr", "corrected"), (11, "en", "corrected")]
    assert notices(entry, log, days=0, now=NOW) == []
    alias_only = AuditEntry(2, NOW.isoformat(), 99, "alias", (Change("x", *change(field="aliases", old=[], new=["z"])),))
    assert notices(alias_only, log, days=7, now=NOW) == []


# --- pruning the log keeps the queue, the stats and the notices of any window within the retention ----------

WORDS = ["Did Mali cut ties", "did mali cut ties?", "weather Paris", "Who leads JNIM", "drones Tuareg"]


@st.composite
def logs(draw):
    rows = []
    for n in range(draw(st.integers(0, 25))):
        days_ago = draw(st.integers(0, 150)) + draw(st.sampled_from([0, 0.5]))
        outcome = draw(st.sampled_from(["none", "suggest", "answer"]))
        rows.append(asked(f"q{n}", draw(st.sampled_from(WORDS)), outcome,
                          [draw(st.sampled_from(["x", "y"]))] if outcome != "none" else [],
                          days_ago=days_ago, user=draw(st.integers(1, 4))))
        for _ in range(draw(st.integers(0, 2))):
            kind = draw(st.sampled_from(["vote", "resolved"]))
            qid = draw(st.sampled_from([f"q{n}", f"q{max(n - 3, 0)}", "unknown"]))
            when = (NOW - timedelta(days=max(days_ago - draw(st.integers(-2, 10)), 0))).isoformat()  # clock skew
            rows.append({"kind": kind, "time": when, "qid": qid, "user_id": draw(st.integers(1, 3)),
                         "value": draw(st.sampled_from(["up", "down"])) if kind == "vote" else "dismissed"})
    return rows


def views(log, days):
    before, after = change()
    entry = AuditEntry(1, NOW.isoformat(), 99, "edit", (Change("x", before, after),))
    queue = [(g.text, g.key, sorted(g.qids), g.down, g.none, g.suggested) for g in review_queue(log, days=days, now=NOW)]
    return queue, compute_stats(log, days=days, now=NOW), notices(entry, log, days=days, now=NOW)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=logs(), keep=st.integers(1, 120), data=st.data())
def test_pruning_changes_no_view_within_the_retention(tmp_path, rows, keep, data):
    log = write_log(tmp_path / "q.jsonl", rows)
    windows = sorted({keep, data.draw(st.integers(1, keep)), min(keep, 30), min(keep, 14)})
    before = {days: views(log, days) for days in windows}
    done = log.prune(keep, now=NOW)
    assert {days: views(log, days) for days in windows} == before
    kept = {a.key for a in log}
    assert all(m.qid in kept or m.qid == "unknown" for m in log.read()[1])  # no mark outlives its question
    assert (done.kept_questions, done.kept_marks) == (len(kept), len(log.read()[1]))
    assert done.kept_questions + done.dropped_questions == sum("kind" not in row for row in rows)
