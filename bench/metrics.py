"""Ranking metrics and latency percentiles."""

from __future__ import annotations

from typing import Iterable, Sequence


def average_precision(ranked: Sequence[str], gold: set[str], k: int = 5) -> float:
    """AP@k: precision at each relevant hit in the top k, over the number of gold items."""
    if not gold:
        return 0.0
    hits, total = 0, 0.0
    for i, item in enumerate(ranked[:k], 1):
        if item in gold:
            hits += 1
            total += hits / i
    return total / len(gold)


def reciprocal_rank(ranked: Sequence[str], gold: set[str], k: int = 5) -> float:
    for i, item in enumerate(ranked[:k], 1):
        if item in gold:
            return 1.0 / i
    return 0.0


def precision_at_1(ranked: Sequence[str], gold: set[str]) -> float:
    return 1.0 if ranked and ranked[0] in gold else 0.0


def mean(values: Iterable[float]) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), linear between closest ranks."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100.0
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)
