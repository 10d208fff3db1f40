"""CLEF-2020 task 2 (English): rank all verified claims for each tweet; MAP@5 and P@1 against the baselines."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np

from knowledge.base import ClaimBase

from .baselines import BM25BestField, BM25OneField, NaiveWRatio, top_ids
from .config import Config
from .data import ROOT, ClefClaim, ClefSplit, clef_claims, clef_split
from .metrics import average_precision, mean, precision_at_1
from .synthetic import write_jsonl


def subset(claims: list[ClefClaim], split: ClefSplit, claim_count: int | None,
           query_count: int | None) -> tuple[list[ClefClaim], ClefSplit]:
    """The first claim_count claims and the first query_count tweets whose gold claims are among them."""
    if claim_count is not None:
        claims = claims[:claim_count]
    kept = {c.id for c in claims}
    queries = {t: q for t, q in split.queries.items() if split.qrels[t] <= kept}
    if query_count is not None:
        queries = dict(list(queries.items())[:query_count])
    return claims, ClefSplit(queries, {t: split.qrels[t] for t in queries})


def import_claims(claims: list[ClefClaim], folder: Path) -> tuple[Path, float]:
    """Through the import command, as a user would: JSON lines with id, text, title."""
    source = folder / "clef-claims.jsonl"
    db = folder / "clef.json"
    write_jsonl(source, [{"id": c.id, "text": c.text, "title": c.title} for c in claims])
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "knowledge", "import", str(source), "--db", str(db), "--replace",
                           "--source", "Snopes", "--link", "explicit", "--lang", "en"],
                          cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"import failed: {done.stderr.strip()}")
    return db, seconds


def score(rank: Callable[[str], list[str]], split: ClefSplit) -> dict[str, float]:
    return score_ranked({t: rank(q) for t, q in split.queries.items()}, split)


def score_ranked(ranked: dict[str, list[str]], split: ClefSplit) -> dict[str, float]:
    return {"map5": mean(average_precision(ranked[t], split.qrels[t]) for t in ranked),
            "p1": mean(precision_at_1(ranked[t], split.qrels[t]) for t in ranked),
            "queries": len(ranked)}


def run(config: Config, log=print) -> dict[str, Any]:
    every = clef_claims()
    claims, dev = subset(every, clef_split("dev"), config.clef_claims, config.clef_queries)
    _, train = subset(every, clef_split("train"), config.clef_claims, config.clef_queries)
    ids, texts, titles = [c.id for c in claims], [c.text for c in claims], [c.title for c in claims]
    out: dict[str, Any] = {"claims": len(claims)}
    with tempfile.TemporaryDirectory() as tmp:
        db, import_seconds = import_claims(claims, Path(tmp))
        out["import_seconds"] = import_seconds
        base = ClaimBase.open(db)
        try:
            assert len(base.matcher) == len(claims), "the import did not give every claim"
            ours = lambda q: [m.id for m in base.matcher.rank(q, top=5)]  # noqa: E731
            one = BM25OneField(ids, texts, titles)
            best = BM25BestField(ids, texts, titles)
            splits = {"dev": dev, **({"train": train} if config.clef_train else {})}
            for name, split in splits.items():
                out[name] = {"ours": score(ours, split), "bm25_one_field": score(one.rank, split),
                             "bm25_best_field": score(best.rank, split)}
        finally:
            base.close()
    if config.naive_clef:
        naive = NaiveWRatio(ids, [[t] for t in texts])
        started = time.perf_counter()
        tweets = list(dev.queries)
        matrix = naive.claim_scores_many([dev.queries[t] for t in tweets])
        ranked = {t: top_ids(matrix[i], ids, 5) for i, t in enumerate(tweets)}
        out["dev"]["naive_wratio"] = score_ranked(ranked, dev)
        out["naive_seconds"] = time.perf_counter() - started
    log(f"  CLEF dev: ours MAP@5 {out['dev']['ours']['map5']:.4f}, BM25 one field {out['dev']['bm25_one_field']['map5']:.4f}")
    return out
