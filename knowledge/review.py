"""The review queue and the numbers behind it, from the question log: questions that got no answer (nothing
found, or only "did you mean" suggestions) or a 👎, grouped when they say the same thing; stats; who was
shown a claim."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Iterable

from rapidfuzz import fuzz, process

from .audit import AuditEntry
from .questions import DOWN, RESOLVED, UP, VOTE, Asked, Mark, QuestionLog, parse_time
from .text import fold

GROUP_SCORE = 80.0  # token_sort_ratio on folded questions: same words, small typos, other order
MAX_REVIEWED = 5000  # newest questions looked at for the queue
CORRECTED, RETIRED = "corrected", "retired"
UNANSWERED = ("none", "suggest")
CORRECTION_FIELDS = ("text", "link", "sources", "rests_on", "reasoning", "stated_in", "title")


@dataclass
class Group:
    """Questions that say the same thing."""

    text: str  # the newest wording of the most asked phrasing
    key: str  # qid of that question: names the group in buttons
    questions: list[Asked] = field(default_factory=list)
    down: int = 0  # how many got a 👎
    none: int = 0  # how many found nothing
    suggested: int = 0  # how many got only suggestions

    @property
    def count(self) -> int:
        return len(self.questions)

    @property
    def last(self) -> str:
        return max(a.time for a in self.questions)

    @property
    def qids(self) -> list[str]:
        return [a.key for a in self.questions]

    @property
    def claims(self) -> list[str]:
        """Claims the group's questions were answered with (the ones that got a 👎)."""
        return list(dict.fromkeys(a.shown for a in self.questions if a.shown))


def votes(marks: Iterable[Mark]) -> dict[str, dict[int | None, str]]:
    """Each question's latest vote per voter."""
    out: dict[str, dict[int | None, str]] = {}
    for mark in marks:
        if mark.kind == VOTE and mark.value in (UP, DOWN):
            out.setdefault(mark.qid, {})[mark.user_id] = mark.value
    return out


def pending(asked: list[Asked], marks: list[Mark], since: datetime) -> list[tuple[Asked, bool]]:
    """Questions since `since` with no answer (none or suggest) or a 👎, not yet dealt with: (question, downvoted)."""
    resolved = {m.qid for m in marks if m.kind == RESOLVED}
    by_qid = votes(marks)
    out: list[tuple[Asked, bool]] = []
    for entry in asked[-MAX_REVIEWED:]:
        if entry.key in resolved or _when(entry) < since:
            continue
        down = DOWN in by_qid.get(entry.key, {}).values()
        if entry.outcome in UNANSWERED or down:
            out.append((entry, down))
    return out


def group_questions(items: list[tuple[Asked, bool]], score: float = GROUP_SCORE) -> list[Group]:
    """Fuzzy groups, biggest first, then most recent first."""
    groups: list[Group] = []
    keys: list[str] = []
    phrasings: list[Counter[str]] = []
    for entry, down in sorted(items, key=lambda item: item[0].time, reverse=True):
        folded = fold(entry.question) or entry.question.strip().lower()
        hit = process.extractOne(folded, keys, scorer=fuzz.token_sort_ratio, score_cutoff=score) if keys else None
        if hit is None:
            groups.append(Group(entry.question, entry.key))
            keys.append(folded)
            phrasings.append(Counter())
            index = len(groups) - 1
        else:
            index = hit[2]
        group = groups[index]
        group.questions.append(entry)
        group.down += down
        group.none += entry.outcome == "none"
        group.suggested += entry.outcome == "suggest"
        phrasings[index][folded] += 1
    for group, counter in zip(groups, phrasings):
        top = counter.most_common(1)[0][0]
        newest = next(a for a in group.questions if (fold(a.question) or a.question.strip().lower()) == top)
        group.text, group.key = newest.question, newest.key
    groups.sort(key=lambda g: (-g.count, _neg_time(g.last)))
    return groups


def review_queue(log: QuestionLog, *, days: int = 30, now: datetime | None = None) -> list[Group]:
    asked, marks = log.read()
    since = (now or datetime.now(timezone.utc)) - timedelta(days=days)
    return group_questions(pending(asked, marks, since))


def group_of(log: QuestionLog, qid: str, *, days: int = 30, now: datetime | None = None) -> Group | None:
    """The queue group holding question qid (the question alone when it has left the window)."""
    for group in review_queue(log, days=days, now=now):
        if qid in group.qids:
            return group
    entry = log.find(qid)
    return Group(entry.question, entry.key, [entry]) if entry else None


def resolutions(log: QuestionLog, qids: Iterable[str]) -> dict[str, Mark]:
    """How each of qids left the review queue (its first resolved mark), for those that did."""
    wanted, out = set(qids), {}
    for mark in log.read()[1]:
        if mark.kind == RESOLVED and mark.qid in wanted:
            out.setdefault(mark.qid, mark)
    return out


def group_like(log: QuestionLog, text: str, *, days: int = 30, now: datetime | None = None,
               score: float = GROUP_SCORE) -> Group | None:
    """The queue group whose wording is close to text (to resolve it when that text becomes an alias)."""
    folded = fold(text)
    best: tuple[float, Group] | None = None
    for group in review_queue(log, days=days, now=now):
        similarity = fuzz.token_sort_ratio(folded, fold(group.text))
        if similarity >= score and (best is None or similarity > best[0]):
            best = (similarity, group)
    return best[1] if best else None


@dataclass
class Stats:
    days: int
    per_day: list[tuple[str, int]]
    total: int
    outcomes: dict[str, int]
    up: int
    down: int
    top_claims: list[tuple[str, int]]
    top_unmatched: list[Group]


def compute_stats(log: QuestionLog, *, days: int = 14, now: datetime | None = None, top: int = 5) -> Stats:
    """Questions per day, share answered / suggested / none, 👍/👎, top claims, top unmatched."""
    now = now or datetime.now(timezone.utc)
    since = now - timedelta(days=days)
    asked, marks = log.read()
    recent = [a for a in asked if _when(a) >= since]
    per_day = Counter(_when(a).date().isoformat() for a in recent)
    span = [(now - timedelta(days=n)).date().isoformat() for n in range(days - 1, -1, -1)]
    outcomes = Counter(a.outcome for a in recent)
    recent_keys = {a.key for a in recent}
    tally = Counter(v for qid, by_user in votes(marks).items() if qid in recent_keys for v in by_user.values())
    top_claims = Counter(a.shown for a in recent if a.shown).most_common(top)
    return Stats(days, [(d, per_day.get(d, 0)) for d in span], len(recent),
                 {k: outcomes.get(k, 0) for k in ("answer", "suggest", "none")}, tally.get(UP, 0),
                 tally.get(DOWN, 0), top_claims, group_questions(pending(asked, marks, since))[:top])


def correction_kind(before: dict | None, after: dict | None) -> str | None:
    """'retired' or 'corrected' when a change alters what people were shown, else None."""
    if before is None or after is None:
        return RETIRED if before is not None and before.get("status") == "active" else None
    if before.get("status") == "active" and after.get("status") == "retired":
        return RETIRED
    if after.get("status") == "active" and any(before.get(f) != after.get(f) for f in CORRECTION_FIELDS):
        return CORRECTED
    return None


@dataclass(frozen=True)
class Notice:
    user_id: int
    lang: str | None
    claim_id: str
    kind: str
    shown_at: str


def notices(entry: AuditEntry, log: QuestionLog, *, days: int, now: datetime | None = None,
            exclude: Iterable[int] = (), limit: int = 1000) -> list[Notice]:
    """Who to tell about a change: each person shown a corrected or retired claim in the last days, once a claim."""
    kinds = {c.claim_id: k for c in entry.changes if (k := correction_kind(c.before, c.after))}
    if not kinds or days <= 0:
        return []
    since = (now or datetime.now(timezone.utc)) - timedelta(days=days)
    skip = set(exclude)
    latest: dict[tuple[int, str], Asked] = {}
    for asked in log:
        if asked.shown in kinds and asked.user_id is not None and asked.user_id not in skip and _when(asked) >= since:
            latest[(asked.user_id, asked.shown)] = asked
    out = [Notice(user, a.lang, claim_id, kinds[claim_id], a.time) for (user, claim_id), a in latest.items()]
    return out[:limit]


def _when(entry: Asked) -> datetime:
    try:
        return parse_time(entry.time)
    except (TypeError, ValueError):
        return datetime.min.replace(tzinfo=timezone.utc)


def _neg_time(text: str) -> float:
    try:
        return -parse_time(text).timestamp()
    except (TypeError, ValueError):
        return 0.0
