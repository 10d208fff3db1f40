"""Reproduce the matcher's tuned weights and thresholds: python -m bench.tune [--quick].

Training data only: the CLEF-2020 train split (800 tweets against the 10,375 claims), and the curated
base with the evaluation set's questions plus the claims quoted inside longer messages that
bench/generated.py makes from the base. Retrieval
settings (k1, b, the title/alias field weight, the weight of a corrected typo) are searched on a
small grid; for each, the feature weights are found by coordinate ascent on cached feature rows.
The objective is CLEF train MAP@5, plus the evaluation set's MRR@5 and top-1 accuracy, plus the
utility of the bot's outcomes (bench/thresholds.py) over all those seed questions at the thresholds
chosen for those weights, per evaluation-set question in the base. The CLEF dev split is never read here.
"""

from __future__ import annotations

import argparse
import itertools
import time
from dataclasses import dataclass, fields

import numpy as np

from knowledge.base import curated_synonyms
from knowledge.matcher import FEATURES, Matcher, Thresholds, Weights, combine, weights_with
from knowledge.model import claim_from_dict
from knowledge.store import curated_claims

from . import generated
from .data import clef_available, clef_claims, clef_split, eval_questions
from .thresholds import IN, OFF, Scored, best_utility, choose, counts

GRID = {"k1": (0.9, 1.2, 1.6), "b": (0.5, 0.75, 0.9), "names": (0.5, 1.0, 2.0), "corrected": (0.5, 0.8, 1.0)}
STEPS = (0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0)


@dataclass
class TuneSet:
    """One training set: a matcher, its questions, the gold claim ids and the kind of each."""

    name: str
    matcher: Matcher
    queries: list[str]
    golds: list[frozenset[str]]
    kinds: list[str]


@dataclass
class Cached:
    """Feature rows of every question's candidates, padded: (Q, K, F); slots and relevance (Q, K)."""

    rows: np.ndarray
    slots: np.ndarray
    relevant: np.ndarray
    valid: np.ndarray
    golds: list[frozenset[str]]
    kinds: list[str]
    ids: list[list[str]]

    @property
    def evaluated(self) -> np.ndarray:
        """The questions ranking figures are computed on: the in-base ones of the evaluation set."""
        return np.array([k == IN for k in self.kinds])


def clef_claim_objects():
    return [claim_from_dict({"id": c.id, "text": c.text, "title": c.title}, default_lang="en",
                            default_link="explicit", default_source="Snopes") for c in clef_claims()]


def seed_questions(claims) -> tuple[list[str], list[frozenset[str]], list[str]]:
    """The evaluation set (kinds in / off), then the messages generated from the base: claims quoted in
    longer messages (kind quoted) and near misses (kind off: no claim answers them)."""
    questions = eval_questions()
    texts = [q.q for q in questions]
    golds = [q.gold for q in questions]
    kinds = [IN if q.gold else OFF for q in questions]
    chatter = [q.q for q in questions if not q.gold]
    for text, gold in generated.quoted(claims, chatter):
        texts.append(text), golds.append(gold), kinds.append("quoted")
    for text, gold in generated.unanswerable(claims):
        texts.append(text), golds.append(gold), kinds.append(OFF)
    return texts, golds, kinds


def training_sets(weights: Weights) -> list[TuneSet]:
    synonyms = curated_synonyms()
    sets: list[TuneSet] = []
    if clef_available():
        train = clef_split("train")
        matcher = Matcher(clef_claim_objects(), synonyms=synonyms, weights=weights)
        sets.append(TuneSet("clef-train", matcher, list(train.queries.values()),
                            [frozenset(train.qrels[t]) for t in train.queries], [IN] * len(train.queries)))
    claims = curated_claims()
    texts, golds, kinds = seed_questions(claims)
    sets.append(TuneSet("seed", Matcher(claims, synonyms=synonyms, weights=weights), texts, golds, kinds))
    return sets


def collect(tune_set: TuneSet, weights: Weights) -> Cached:
    tune_set.matcher.weights = weights
    k = weights.candidates
    q = len(tune_set.queries)
    rows = np.zeros((q, k, len(FEATURES)))
    relevant = np.zeros((q, k), dtype=bool)
    slot_ids = np.zeros((q, k), dtype=np.int64)
    valid = np.zeros((q, k), dtype=bool)
    ids: list[list[str]] = []
    for i, (query, gold) in enumerate(zip(tune_set.queries, tune_set.golds)):
        slots, feats = tune_set.matcher.features(query, k)
        n = len(slots)
        rows[i, :n] = feats
        valid[i, :n] = True
        slot_ids[i, :n] = slots
        ids.append([tune_set.matcher.claim_at(s).id for s in slots])
        relevant[i, :n] = [c in gold for c in ids[-1]]
    return Cached(rows, slot_ids, relevant, valid, list(tune_set.golds), list(tune_set.kinds), ids)


def scored(cached: Cached, params: np.ndarray) -> tuple[np.ndarray, list[Scored]]:
    """Top-5 relevance per question, and what the decision rule sees of each question; params are the
    feature weights followed by the rest gate."""
    scores = np.where(cached.valid, combine(cached.rows, params[:-1], float(params[-1])), -np.inf)
    order = np.lexsort((cached.slots, -scores), axis=-1)[:, :5]  # ties: the claim indexed first, as rank() does
    rel = np.take_along_axis(cached.relevant & cached.valid, order, axis=1)
    top = np.take_along_axis(scores, order[:, :2], axis=1)
    top = np.where(np.isfinite(top), np.round(top, 1), 0.0)
    decisions = [Scored(float(top[i, 0]), float(top[i, 1]), bool(rel[i, 0]), bool(rel[i, :3].any()),
                        OFF if kind == OFF else IN) for i, kind in enumerate(cached.kinds)]
    return rel, decisions


def evaluate(cached: Cached, params: np.ndarray) -> dict[str, float]:
    """MAP@5, MRR@5, P@1 on the evaluated questions; the outcomes' utility per evaluated question."""
    rel, decisions = scored(cached, params)
    inside = cached.evaluated
    golds = np.array([len(g) for g in cached.golds])[inside]
    rel = rel[inside]
    precision = np.cumsum(rel, axis=1) / np.arange(1, 6)
    ap = (precision * rel).sum(axis=1) / golds
    first = np.where(rel.any(axis=1), 1.0 / (rel.argmax(axis=1) + 1), 0.0)
    out = {"map5": float(ap.mean()), "mrr5": float(first.mean()), "p1": float(rel[:, 0].mean())}
    if len(inside) > inside.sum():
        out["utility"] = best_utility(decisions) / int(inside.sum())
    return out


def objective(results: dict[str, dict[str, float]]) -> float:
    total = 0.0
    if "clef-train" in results:
        total += results["clef-train"]["map5"]
    if "seed" in results:
        total += results["seed"]["mrr5"] + results["seed"]["p1"] + results["seed"].get("utility", 0.0)
    return total


def ascend(cache: dict[str, Cached], start: np.ndarray, rounds: int = 6) -> tuple[np.ndarray, float]:
    """Coordinate ascent over the feature weights (kept non-negative, summing to 1) and the rest gate (0..1),
    the last of start."""
    def score(w: np.ndarray) -> float:
        return objective({name: evaluate(c, w) for name, c in cache.items()})

    def normalised(w: np.ndarray) -> np.ndarray:
        return np.append(w[:-1] / w[:-1].sum(), w[-1])

    best = normalised(start)
    best_score = score(best)
    for _ in range(rounds):
        improved = False
        for j in range(len(best)):
            for step in STEPS:
                trial = best.copy()
                trial[j] = step
                if trial[:-1].sum() <= 0:
                    continue
                trial = normalised(trial)
                value = score(trial)
                if value > best_score + 1e-9:
                    best, best_score, improved = trial, value, True
        if not improved:
            break
    return best, best_score


def starts() -> list[np.ndarray]:
    """Where coordinate ascent starts (fixed, so that a run does not depend on the current defaults):
    all features equal, and BM25 with a little of each."""
    n = len(FEATURES)
    lean = np.full(n, 0.05)
    lean[FEATURES.index("bm25")] = 0.8
    return [np.append(np.full(n, 1.0 / n), 0.0), np.append(lean, 0.0)]


def tune(quick: bool = False, log=print) -> tuple[Weights, dict[str, dict[str, float]]]:
    """The best weights over GRID; quick: only the current retrieval settings (for trying a change)."""
    base = Weights()
    sets = training_sets(base)
    grid = {k: (getattr(base, k),) for k in GRID} if quick else GRID
    best: tuple[float, Weights, dict] | None = None
    for values in itertools.product(*grid.values()):
        retrieval = weights_with(base, **dict(zip(grid, values)))
        started = time.perf_counter()
        cache = {s.name: collect(s, retrieval) for s in sets}
        params, value = max((ascend(cache, start) for start in starts()), key=lambda r: r[1])
        results = {name: evaluate(c, params) for name, c in cache.items()}
        log(f"{dict(zip(grid, values))}: objective {value:.4f} "
            + " ".join(f"{n} {r['map5']:.4f}/{r['mrr5']:.4f}/{r.get('utility', 0):.3f}" for n, r in results.items())
            + f" ({time.perf_counter() - started:.1f}s)")
        if best is None or value > best[0] + 1e-9:
            chosen = weights_with(retrieval, **{f: round(float(w), 3) for f, w in zip(FEATURES, params)},
                                  rest_gate=round(float(params[-1]), 3))
            best = (value, chosen, results)
    assert best is not None
    return best[1], best[2]


def tune_gate(log=print) -> tuple[Weights, dict[str, dict[str, float]]]:
    """Only the rest gate, the other weights kept at their defaults: the best of STEPS for the objective."""
    weights = Weights()
    cache = {s.name: collect(s, weights) for s in training_sets(weights)}
    best: tuple[float, float, dict] | None = None
    for gate in STEPS:
        results = {name: evaluate(c, np.append(weights.feature_weights(), gate)) for name, c in cache.items()}
        value = objective(results)
        log(f"rest_gate {gate}: objective {value:.4f}")
        if best is None or value > best[0] + 1e-9:
            best = (value, gate, results)
    assert best is not None
    return weights_with(weights, rest_gate=best[1]), best[2]


def seed_decisions(weights: Weights) -> list[Scored]:
    """What the decision rule sees of every seed question (evaluation set and generated) with these weights."""
    seed = next(s for s in training_sets(weights) if s.name == "seed")
    return scored(collect(seed, weights), np.append(weights.feature_weights(), weights.rest_gate))[1]


def tune_thresholds(weights: Weights) -> tuple[Thresholds, dict[str, int]]:
    decisions = seed_decisions(weights)
    choice = choose(decisions)
    return Thresholds(choice.answer, choice.suggest, choice.margin), counts(decisions, choice.answer, choice.suggest,
                                                                           choice.margin)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.tune", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="keep the retrieval settings, tune feature weights only")
    parser.add_argument("--gate-only", action="store_true", help="keep every weight but the rest gate (how the "
                        "defaults' rest_gate was chosen)")
    args = parser.parse_args()
    weights, results = tune_gate() if args.gate_only else tune(quick=args.quick)
    print("chosen: Weights(" + ", ".join(f"{f.name}={getattr(weights, f.name)!r}" for f in fields(weights)) + ")")
    for name, r in results.items():
        print(f"  {name}: MAP@5 {r['map5']:.4f}  MRR@5 {r['mrr5']:.4f}  P@1 {r['p1']:.4f}"
              + (f"  utility per question {r['utility']:.3f}" if "utility" in r else ""))
    thresholds, outcome_counts = tune_thresholds(weights)
    print(f"chosen: Thresholds(answer={thresholds.answer}, suggest={thresholds.suggest}, margin={thresholds.margin})")
    print("  seed outcomes:", outcome_counts)


if __name__ == "__main__":
    main()
