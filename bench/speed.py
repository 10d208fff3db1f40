"""Per-question latency of the matcher against naive WRatio, index build time, memory."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Sequence

from knowledge.base import curated_synonyms
from knowledge.matcher import Matcher
from knowledge.store import curated_claims

from .baselines import NaiveWRatio
from .config import Config
from .data import ROOT, eval_questions
from .metrics import percentile
from .store import build_store
from .synthetic import Generator, synthetic_claims

WARM_UP = 20


def timings(run: Callable[[str], object], questions: Sequence[str], repeats: int) -> list[float]:
    """Milliseconds per question: each question run `repeats` times in a row, its median kept."""
    out = []
    for question in questions:
        samples = []
        for _ in range(repeats):
            started = time.perf_counter()
            run(question)
            samples.append((time.perf_counter() - started) * 1000.0)
        out.append(statistics.median(samples))
    return out


def summary(ms: list[float]) -> dict[str, float]:
    return {"p50": percentile(ms, 50), "p95": percentile(ms, 95), "p99": percentile(ms, 99),
            "mean": statistics.fmean(ms), "n": len(ms)}


def sample(items: Sequence[str], count: int) -> list[str]:
    step = max(len(items) // max(count, 1), 1)
    return list(items[::step][:count])


def measure(claims, questions: list[str], naive_count: int, repeats: int) -> dict[str, Any]:
    synonyms = curated_synonyms()
    started = time.perf_counter()
    matcher = Matcher(claims, synonyms=synonyms)
    build = time.perf_counter() - started
    for q in questions[:WARM_UP]:
        matcher.search(q)
    ours = summary(timings(matcher.search, questions, repeats))
    naive = NaiveWRatio([c.id for c in claims], [list(c.text.values()) for c in claims])
    picked = sample(questions, naive_count)
    naive_ms = summary(timings(naive.best, picked, 1))
    return {"claims": len(claims), "build_seconds": build, "ours": ours, "naive": naive_ms,
            "ratio_p50": naive_ms["p50"] / ours["p50"] if ours["p50"] else float("inf"),
            "naive_sampled": len(picked) < len(questions)}


def _fresh_process(*args: str) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-m", "bench.memory", *args], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"memory run failed: {done.stderr.strip()[-500:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def memory(size: int, seed: int) -> dict[str, Any]:
    """Claims and index alone; then the whole ClaimBase (TinyDB store, claims, index) over the same claims."""
    out = _fresh_process(str(size), str(seed))
    with tempfile.TemporaryDirectory() as tmp:
        db, seconds = build_store(Path(tmp), size, seed)
        out["claim_base"] = _fresh_process("--base", str(db)) | {"import_seconds": seconds}
    return out


def run(config: Config, log=print) -> dict[str, Any]:
    out: dict[str, Any] = {"sizes": {}}
    for size in config.sizes:
        claims = synthetic_claims(size, config.seed)
        questions = Generator(config.seed + size).questions(claims, config.queries)
        result = measure(claims, questions, config.naive_queries.get(size, 5), config.repeats)
        out["sizes"][str(size)] = result
        log(f"  {size:>7,} claims: p50 {result['ours']['p50']:.3f} ms, p95 {result['ours']['p95']:.3f} ms; "
            f"naive p50 {result['naive']['p50']:.1f} ms ({result['naive']['n']} questions)")
    questions = [q.q for q in eval_questions()]
    out["real_base"] = measure(curated_claims(), questions, len(questions), config.repeats)
    out["memory"] = memory(config.memory_size, config.seed)
    return out
