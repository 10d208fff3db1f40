"""Choosing the answer / suggest thresholds from data, the same way for every matcher.

Each question of the seed set is scored by what the bot would do with it:
  in the base:  a right answer +1, a wrong answer -2, suggestions that hold a right claim +0.5;
  off-topic:    an answer -2, suggestions -0.25.
Nothing else counts. The answer threshold and the margin are chosen first (they alone decide
answers), then the suggest threshold; within a run of equally good values, the middle one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

RIGHT_ANSWER, WRONG_ANSWER, GOOD_SUGGESTION = 1.0, -2.0, 0.5
OFF_TOPIC_ANSWER, OFF_TOPIC_SUGGESTION = -2.0, -0.25
ANSWER_GRID = np.arange(10.0, 100.01, 1.0)
MARGIN_GRID = np.arange(0.0, 20.01, 1.0)
SUGGEST_STEP = 1.0


@dataclass(frozen=True)
class Scored:
    """What a matcher gave for one question: top scores, whether the first is right, whether a right one is in the top 3."""

    top1: float
    top2: float
    right_first: bool
    right_in_top3: bool
    off_topic: bool


@dataclass(frozen=True)
class Choice:
    answer: float
    suggest: float
    margin: float
    utility: float


def answers(scored: Sequence[Scored], answer: np.ndarray, margin: np.ndarray) -> np.ndarray:
    """Boolean (len(answer) x len(margin) x questions): would the question be answered?"""
    top1 = np.array([s.top1 for s in scored])
    gap = top1 - np.array([s.top2 for s in scored])
    return (top1[None, None, :] >= answer[:, None, None]) & (gap[None, None, :] >= margin[None, :, None])


def answer_utility(scored: Sequence[Scored], answer: np.ndarray = ANSWER_GRID,
                   margin: np.ndarray = MARGIN_GRID) -> np.ndarray:
    """Utility of the answers alone, for every (answer, margin) pair."""
    value = np.array([OFF_TOPIC_ANSWER if s.off_topic else (RIGHT_ANSWER if s.right_first else WRONG_ANSWER)
                      for s in scored])
    return (answers(scored, answer, margin) * value[None, None, :]).sum(axis=2)


def best_answer_utility(scored: Sequence[Scored]) -> float:
    return float(answer_utility(scored).max()) if scored else 0.0


def _middle(mask: np.ndarray) -> int:
    """The middle index of the longest run of True in mask."""
    best_start, best_len, start = 0, 0, None
    for i, flag in enumerate(list(mask) + [False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            if i - start > best_len:
                best_start, best_len = start, i - start
            start = None
    return best_start + (best_len - 1) // 2


def utility(scored: Sequence[Scored], answer: float, suggest: float, margin: float) -> float:
    total = 0.0
    for s in scored:
        outcome = decide(s, answer, suggest, margin)
        if s.off_topic:
            total += {"answer": OFF_TOPIC_ANSWER, "suggest": OFF_TOPIC_SUGGESTION}.get(outcome, 0.0)
        elif outcome == "answer":
            total += RIGHT_ANSWER if s.right_first else WRONG_ANSWER
        elif outcome == "suggest" and s.right_in_top3:
            total += GOOD_SUGGESTION
    return total


def decide(s: Scored, answer: float, suggest: float, margin: float) -> str:
    """The matcher's rule (knowledge.matcher.decide) on one scored question."""
    if s.top1 < suggest or s.top1 <= 0:
        return "none"
    if s.top1 >= answer and s.top1 - s.top2 >= margin:
        return "answer"
    return "suggest"


def choose(scored: Sequence[Scored]) -> Choice:
    table = answer_utility(scored)
    best = table.max()
    # the largest margin that reaches the best utility, then the middle of its best answer thresholds
    margin_index = int(np.flatnonzero((table == best).any(axis=0)).max())
    answer_index = _middle(table[:, margin_index] == best)
    answer, margin = float(ANSWER_GRID[answer_index]), float(MARGIN_GRID[margin_index])
    grid = np.arange(0.0, answer + 1e-9, SUGGEST_STEP)
    values = np.array([utility(scored, answer, float(s), margin) for s in grid])
    suggest = float(grid[_middle(values == values.max())])
    return Choice(answer, suggest, margin, float(values.max()))


def counts(scored: Sequence[Scored], answer: float, suggest: float, margin: float) -> dict[str, int]:
    """answer (right / wrong) / suggest / none for in-base questions, answer / suggest / none for off-topic ones."""
    out = {k: 0 for k in ("in_right", "in_wrong", "in_suggest", "in_none", "off_answer", "off_suggest", "off_none")}
    for s in scored:
        outcome = decide(s, answer, suggest, margin)
        if s.off_topic:
            out[f"off_{outcome}"] += 1
        elif outcome == "answer":
            out["in_right" if s.right_first else "in_wrong"] += 1
        else:
            out[f"in_{outcome}"] += 1
    return out
