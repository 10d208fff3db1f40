"""Quality on the evaluation set (tests/eval/questions.yaml) against the curated base, with the threshold sweep.

The thresholds are chosen (bench/thresholds.py) on the evaluation set plus the quoted messages of
bench/generated.py, exactly as bench/tune.py chooses them; the figures are on the evaluation set alone.
The evaluation set also served tuning, so the held-out questions (tests/eval/holdout.yaml, never read by
bench/tune.py) are reported apart, each matcher at the thresholds it uses on the evaluation set.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from knowledge.base import ClaimBase
from knowledge.matcher import ANSWER, SearchResult, Thresholds

from . import generated
from .baselines import NaiveWRatio
from .data import HOLDOUT_QUESTIONS, Question, eval_questions
from .metrics import mean, precision_at_1, reciprocal_rank
from .thresholds import GROUP, IN, OFF, UNASKED, Scored, choose, counts, decide

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


def _naive_ranked(naive: NaiveWRatio, questions: list[Question]) -> tuple[list[list[str]], list[Scored]]:
    ranked: list[list[str]] = []
    scored: list[Scored] = []
    for q in questions:
        scores = naive.claim_scores(q.q)
        order = np.argsort(-scores, kind="stable")[:5]
        top = [(naive.ids[i], round(float(scores[i]), 1)) for i in order]
        ranked.append([i for i, _ in top])
        scored.append(_scored(top, q.gold))
    return ranked, scored


def _naive_summary(ranked: list[list[str]], scored: list[Scored], questions: list[Question], choice: Any
                   ) -> dict[str, Any]:
    """The naive baseline's figures, answering at the thresholds the rule chose for it."""
    naive_counts = counts(scored, choice.answer, choice.suggest, choice.margin)
    return _summary(ranked, questions, [False] * len(questions)) | {"off_topic_answered": naive_counts["off_answer"],
                                                                    "counts": naive_counts}


def _held_out(results: list[SearchResult], thresholds: Thresholds, naive: NaiveWRatio, naive_choice: Any,
              questions: list[Question]) -> dict[str, Any]:
    """Figures on questions no tuning saw: ours at its default thresholds, naive at its chosen ones."""
    ours_scored = [_of(r, q.gold) for r, q in zip(results, questions)]
    ours = _summary([[m.id for m in r.matches] for r in results], questions, [r.outcome == ANSWER for r in results])
    ours["counts"] = counts(ours_scored, thresholds.answer, thresholds.suggest, thresholds.margin)
    naive_summary = _naive_summary(*_naive_ranked(naive, questions), questions, naive_choice)
    answered_off = [{"q": q.q, "got": r.matches[0].id, "score": r.matches[0].score}
                    for r, q in zip(results, questions) if not q.gold and r.outcome == ANSWER]
    wrong = [{"q": q.q, "expected": sorted(q.gold), "got": r.matches[0].id, "score": r.matches[0].score}
             for r, q in zip(results, questions) if q.gold and r.outcome == ANSWER and r.matches[0].id not in q.gold]
    return {"ours": ours, "naive": naive_summary, "answered_off_topic": answered_off, "answered_wrong": wrong}


def run(log=print) -> dict[str, Any]:
    questions = eval_questions()
    holdout = eval_questions(HOLDOUT_QUESTIONS)
    with tempfile.TemporaryDirectory() as tmp:
        base = ClaimBase.open(Path(tmp) / "claims.json")  # a new store is seeded from the curated YAML
        try:
            claims = base.store.all(include_retired=False)
            results = [base.search(q.q, top=5) for q in questions]
            holdout_results = [base.search(q.q, top=5) for q in holdout]
            quoted = generated.quoted(claims, [q.q for q in questions if not q.gold])
            quoted_scored = [_of(base.search(text, top=5), gold) for text, gold in quoted]
            near_scored = [_of(base.search(text, top=5), gold) for text, gold in generated.unanswerable(claims)]
            thresholds = base.matcher.thresholds
        finally:
            base.close()
    ours_ranked = [[m.id for m in r.matches] for r in results]
    ours_scored = [_of(r, q.gold) for r, q in zip(results, questions)]
    ours = _summary(ours_ranked, questions, [r.outcome == ANSWER for r in results])
    everything = ours_scored + quoted_scored + near_scored
    choice = choose(everything)  # as bench/tune.py chooses
    group_choice, unasked_choice = choose(everything, GROUP, choice), choose(everything, UNASKED, choice)

    naive = NaiveWRatio([c.id for c in claims], [list(c.text.values()) for c in claims])
    naive_ranked, naive_scored = _naive_ranked(naive, questions)
    naive_choice = choose(naive_scored)  # the same rule, on the evaluation set
    naive_summary = _naive_summary(naive_ranked, naive_scored, questions, naive_choice)
    naive_counts = naive_summary["counts"]

    def row(kind: str, value: float, answer: float, suggest: float, margin: float) -> dict[str, Any]:
        return {kind: value, **counts(ours_scored, answer, suggest, margin),
                "quoted_answered": _quoted_right(quoted_scored, answer, suggest, margin),
                "near_answered": counts(near_scored, answer, suggest, margin)["off_answer"]}

    chosen = {"answer": choice.answer, "suggest": choice.suggest, "margin": choice.margin}
    sweep = {kind: [row(kind, v, **{**chosen, kind: v}) for v in sorted(set(values) | {chosen[kind]})]
             for kind, values in SWEEP.items()}
    return {
        "ours": ours,
        "naive": naive_summary,
        "defaults": {"answer": thresholds.answer, "suggest": thresholds.suggest, "margin": thresholds.margin},
        "chosen": chosen | {"utility": choice.utility},
        "group_chosen": {"answer": group_choice.answer, "suggest": group_choice.suggest, "margin": group_choice.margin,
                         "counts": counts(ours_scored, group_choice.answer, group_choice.suggest, group_choice.margin)},
        "unasked_chosen": {"answer": unasked_choice.answer, "margin": unasked_choice.margin,
                           "counts": counts(ours_scored, unasked_choice.answer, unasked_choice.answer,
                                            unasked_choice.margin)},
        "chosen_counts": counts(ours_scored, choice.answer, choice.suggest, choice.margin),
        "default_counts": counts(ours_scored, thresholds.answer, thresholds.suggest, thresholds.margin),
        "near_misses": {"messages": len(near_scored),
                        "answered": counts(near_scored, thresholds.answer, thresholds.suggest, thresholds.margin)["off_answer"]},
        "quoted": {"messages": len(quoted_scored),
                   "answered_right": _quoted_right(quoted_scored, thresholds.answer, thresholds.suggest,
                                                   thresholds.margin)},
        "naive_chosen": {"answer": naive_choice.answer, "suggest": naive_choice.suggest,
                         "margin": naive_choice.margin, "utility": naive_choice.utility},
        "naive_counts": naive_counts,
        "sweep": sweep,
        "holdout": _held_out(holdout_results, thresholds, naive, naive_choice, holdout),
        "misses": [{"q": q.q, "expected": sorted(q.gold), "got": r[:3]}
                   for r, q in zip(ours_ranked, questions) if q.gold and (not r or r[0] not in q.gold)],
    }
