"""Quality on the evaluation set (tests/eval/questions.yaml) against the curated base, with the threshold sweep.

The thresholds are chosen (bench/thresholds.py) on the evaluation set plus the quoted messages of
bench/generated.py, exactly as bench/tune.py chooses them; the figures are on the evaluation set alone.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from knowledge.base import ClaimBase
from knowledge.matcher import ANSWER, SearchResult

from . import generated
from .baselines import NaiveWRatio
from .data import Question, eval_questions
from .metrics import mean, precision_at_1, reciprocal_rank
from .thresholds import IN, OFF, Scored, choose, counts, decide

SWEEP = {"answer": (40, 50, 55, 60, 65, 70, 75, 80, 85, 90), "suggest": (20, 30, 35, 40, 45, 50, 55, 60),
         "margin": (0, 1, 2, 4, 6, 10)}


def _summary(ranked: list[list[str]], questions: list[Question], answered: list[bool]) -> dict[str, Any]:
    inside = [(r, q) for r, q in zip(ranked, questions) if q.gold]
    off = [a for a, q in zip(answered, questions) if not q.gold]
    return {
        "top1": mean(precision_at_1(r, set(q.gold)) for r, q in inside),
        "mrr5": mean(reciprocal_rank(r, set(q.gold)) for r, q in inside),
        "off_topic_answered": int(sum(off)),
        "in_base": len(inside),
        "off_topic": len(off),
    }


def _scored(top: list[tuple[str, float]], gold: frozenset[str]) -> Scored:
    ids = [i for i, _ in top]
    return Scored(top[0][1] if top else 0.0, top[1][1] if len(top) > 1 else 0.0,
                  bool(ids) and ids[0] in gold, bool(set(ids[:3]) & gold), IN if gold else OFF)


def _of(result: SearchResult, gold: frozenset[str]) -> Scored:
    return _scored([(m.id, m.score) for m in result.matches], gold)


def _quoted_right(scored: list[Scored], answer: float, suggest: float, margin: float) -> int:
    return sum(1 for s in scored if s.right_first and decide(s, answer, suggest, margin) == "answer")


def run(log=print) -> dict[str, Any]:
    questions = eval_questions()
    with tempfile.TemporaryDirectory() as tmp:
        base = ClaimBase.open(Path(tmp) / "claims.json")  # a new store is seeded from the curated YAML
        try:
            claims = base.store.all(include_retired=False)
            results = [base.search(q.q, top=5) for q in questions]
            quoted = generated.quoted(claims, [q.q for q in questions if not q.gold])
            quoted_scored = [_of(base.search(text, top=5), gold) for text, gold in quoted]
            thresholds = base.matcher.thresholds
        finally:
            base.close()
    ours_ranked = [[m.id for m in r.matches] for r in results]
    ours_scored = [_of(r, q.gold) for r, q in zip(results, questions)]
    ours = _summary(ours_ranked, questions, [r.outcome == ANSWER for r in results])
    choice = choose(ours_scored + quoted_scored)

    naive = NaiveWRatio([c.id for c in claims], [list(c.text.values()) for c in claims])
    naive_ranked: list[list[str]] = []
    naive_scored: list[Scored] = []
    for q in questions:
        scores = naive.claim_scores(q.q)
        order = np.argsort(-scores, kind="stable")[:5]
        top = [(naive.ids[i], round(float(scores[i]), 1)) for i in order]
        naive_ranked.append([i for i, _ in top])
        naive_scored.append(_scored(top, q.gold))
    naive_choice = choose(naive_scored)  # the same rule, on the evaluation set
    naive_counts = counts(naive_scored, naive_choice.answer, naive_choice.suggest, naive_choice.margin)
    naive_summary = _summary(naive_ranked, questions, [False] * len(questions))
    naive_summary["off_topic_answered"] = naive_counts["off_answer"]

    def row(kind: str, value: float, answer: float, suggest: float, margin: float) -> dict[str, Any]:
        return {kind: value, **counts(ours_scored, answer, suggest, margin),
                "quoted_answered": _quoted_right(quoted_scored, answer, suggest, margin)}

    chosen = {"answer": choice.answer, "suggest": choice.suggest, "margin": choice.margin}
    sweep = {kind: [row(kind, v, **{**chosen, kind: v}) for v in sorted(set(values) | {chosen[kind]})]
             for kind, values in SWEEP.items()}
    return {
        "ours": ours,
        "naive": naive_summary,
        "defaults": {"answer": thresholds.answer, "suggest": thresholds.suggest, "margin": thresholds.margin},
        "chosen": chosen | {"utility": choice.utility},
        "chosen_counts": counts(ours_scored, choice.answer, choice.suggest, choice.margin),
        "default_counts": counts(ours_scored, thresholds.answer, thresholds.suggest, thresholds.margin),
        "quoted": {"messages": len(quoted_scored),
                   "answered_right": _quoted_right(quoted_scored, thresholds.answer, thresholds.suggest,
                                                   thresholds.margin)},
        "naive_chosen": {"answer": naive_choice.answer, "suggest": naive_choice.suggest,
                         "margin": naive_choice.margin, "utility": naive_choice.utility},
        "naive_counts": naive_counts,
        "sweep": sweep,
        "misses": [{"q": q.q, "expected": sorted(q.gold), "got": r[:3]}
                   for r, q in zip(ours_ranked, questions) if q.gold and (not r or r[0] not in q.gold)],
    }
