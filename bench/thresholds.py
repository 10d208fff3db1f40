"""Choosing the answer / suggest thresholds and the margin from data, the same way for every matcher.

Each question is scored by what the bot would do with it:
  in the base (evaluation set, and claims quoted in longer messages, bench/generated.py):
                a right answer +1, a wrong answer -2 (it misleads), suggestions that list a right claim
                first +0.75 (one tap more), second or third +0.5;
  off-topic:    an answer -2, suggestions -0.25;
  anything else 0. Answering thus pays only when the best claim is right about 91% of the time.
Those are a private chat's payoffs (PRIVATE); a group, where everyone reads every reply (GROUP), and
auto-check, where the bot speaks unasked and only with a card (UNASKED), weigh mistakes more.
The answer threshold and margin, then the suggest threshold, with the best utility averaged over
neighbouring values (+-SMOOTH points: a threshold that wins only by sitting just above one question's
score would not survive the next change to the base or the matcher) are taken; among equals, the
middle of the run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np



@dataclass(frozen=True)
class Payoffs:
    """What each outcome is worth to the people who read it."""

    right_answer: float = 1.0
    wrong_answer: float = -2.0
    right_first_suggestion: float = 0.75
    right_listed_suggestion: float = 0.5
    off_topic_answer: float = -2.0
    off_topic_suggestion: float = -0.25


PRIVATE = Payoffs()
# a group reads every reply: a wrong or off-topic card misleads or bothers everyone there, and so
# does a list of suggestions about nothing
GROUP = Payoffs(wrong_answer=-4.0, off_topic_answer=-4.0, right_first_suggestion=0.5, right_listed_suggestion=0.25,
                off_topic_suggestion=-1.0)
# auto-check and channel notes speak unasked, and only with a card: most messages in a group are
# about nothing in the base, so a card for one of them costs as much as eight useful ones bring
UNASKED = Payoffs(wrong_answer=-8.0, off_topic_answer=-8.0, right_first_suggestion=0.0, right_listed_suggestion=0.0,
                  off_topic_suggestion=0.0)
ANSWER_GRID = np.arange(10.0, 100.01, 1.0)
MARGIN_GRID = np.arange(0.0, 20.01, 1.0)
SUGGEST_GRID = np.arange(0.0, 100.01, 1.0)
SMOOTH = 2
IN, OFF = "in", "off"


@dataclass(frozen=True)
class Scored:
    """What a matcher gave for one question: its two top scores, whether the first is right and
    whether the top 3 hold a right claim."""

    top1: float
    top2: float
    right_first: bool
    right_in_top3: bool
    kind: str = IN

    @property
    def off_topic(self) -> bool:
        return self.kind == OFF


@dataclass(frozen=True)
class Choice:
    answer: float
    suggest: float
    margin: float
    utility: float


def values(s: Scored, pay: Payoffs = PRIVATE) -> tuple[float, float]:
    """The value of answering the question, and of suggesting."""
    if s.kind == OFF:
        return pay.off_topic_answer, pay.off_topic_suggestion
    return (pay.right_answer if s.right_first else pay.wrong_answer,
            pay.right_first_suggestion if s.right_first else pay.right_listed_suggestion if s.right_in_top3 else 0.0)


def answer_margin_table(scored: Sequence[Scored], pay: Payoffs = PRIVATE) -> np.ndarray:
    """For every (answer, margin) of the grids, the utility with the best suggest threshold."""
    order = np.argsort([-s.top1 for s in scored], kind="stable")
    scored = [scored[i] for i in order]
    top1 = np.array([s.top1 for s in scored])
    gap = top1 - np.array([s.top2 for s in scored])
    answer_value, suggest_value = (np.array(v) for v in zip(*(values(s, pay) for s in scored)))
    present = top1 > 0
    answered = (top1[None, None, :] >= ANSWER_GRID[:, None, None]) & (gap[None, None, :] >= MARGIN_GRID[None, :, None]) \
        & present
    from_answers = (answered * answer_value).sum(axis=2)
    # a suggest threshold keeps the questions down to some score: prefix sums over questions sorted by
    # score, cut only between different scores (a threshold cannot split equal scores)
    prefix = np.cumsum(np.where(answered | ~present, 0.0, suggest_value), axis=2)
    cuttable = np.append(top1[1:] != top1[:-1], True) & present
    best_suggest = np.maximum(np.where(cuttable, prefix, -np.inf).max(axis=2), 0.0)
    return from_answers + best_suggest


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


def _smoothed(table: np.ndarray) -> np.ndarray:
    """Each value averaged with its neighbours within SMOOTH grid steps along every axis (edges repeated)."""
    out = table.astype(np.float64)
    kernel = np.ones(2 * SMOOTH + 1) / (2 * SMOOTH + 1)
    for axis in range(out.ndim):
        padded = np.pad(out, [(SMOOTH, SMOOTH) if a == axis else (0, 0) for a in range(out.ndim)], mode="edge")
        out = np.apply_along_axis(lambda v: np.convolve(v, kernel, mode="valid"), axis, padded)
    return out


def _choose_answer_margin(table: np.ndarray, at_least: Choice | None = None) -> tuple[int, int]:
    smooth = _smoothed(table)
    if at_least is not None:
        smooth[(ANSWER_GRID < at_least.answer)[:, None] | (MARGIN_GRID < at_least.margin)[None, :]] = -np.inf
    best = smooth == smooth.max()
    m = _middle(best.any(axis=0))
    return _middle(best[:, m]), m


def choose(scored: Sequence[Scored], pay: Payoffs = PRIVATE, at_least: Choice | None = None) -> Choice:
    """Thresholds for these payoffs; at_least: an answer threshold and margin not to go under (a group never
    gets a card that a private chat would not)."""
    a, m = _choose_answer_margin(answer_margin_table(scored, pay), at_least)
    answer, margin = float(ANSWER_GRID[a]), float(MARGIN_GRID[m])
    grid = SUGGEST_GRID[SUGGEST_GRID <= answer]  # above the answer threshold it would only turn answers away
    by_suggest = np.array([utility(scored, answer, float(s), margin, pay) for s in grid])
    s = _middle(_smoothed(by_suggest) == _smoothed(by_suggest).max())
    return Choice(answer, float(grid[s]), margin, float(by_suggest[s]))


def best_utility(scored: Sequence[Scored]) -> float:
    """The utility at the answer threshold and margin choose() picks, best suggest threshold (what tuning maximises)."""
    if not scored:
        return 0.0
    table = answer_margin_table(scored)
    a, m = _choose_answer_margin(table)
    return float(table[a, m])


def utility(scored: Sequence[Scored], answer: float, suggest: float, margin: float, pay: Payoffs = PRIVATE) -> float:
    total = 0.0
    for s in scored:
        outcome = decide(s, answer, suggest, margin)
        answer_value, suggest_value = values(s, pay)
        total += answer_value if outcome == "answer" else suggest_value if outcome == "suggest" else 0.0
    return float(total)


def decide(s: Scored, answer: float, suggest: float, margin: float) -> str:
    """The matcher's rule (knowledge.matcher.decide) on one scored question."""
    if s.top1 <= 0 or s.top1 < suggest:
        return "none"
    if s.top1 >= answer and s.top1 - s.top2 >= margin:
        return "answer"
    return "suggest"


def counts(scored: Sequence[Scored], answer: float, suggest: float, margin: float) -> dict[str, int]:
    """For in-base questions: right / wrong answers, suggestions, none; for off-topic ones: answer / suggest / none."""
    out = {k: 0 for k in ("in_right", "in_wrong", "in_suggest", "in_none", "off_answer", "off_suggest", "off_none")}
    for s in scored:
        outcome = decide(s, answer, suggest, margin)
        if s.kind == IN and outcome == "answer":
            out["in_right" if s.right_first else "in_wrong"] += 1
        else:
            out[f"{s.kind}_{outcome}"] += 1
    return out
