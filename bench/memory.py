"""Resident memory in a fresh interpreter, one JSON line (MiB):

python -m bench.memory N [SEED]   N synthetic claims and their index (what searching needs);
python -m bench.memory --base DB  the bot's ClaimBase.open(DB): the store, its claims and the index.
"""

from __future__ import annotations

import gc
import json
import sys
import time


def _status(field: str) -> float:
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def base(db: str) -> None:
    from knowledge.base import ClaimBase

    gc.collect()
    start = _status("VmRSS")
    started = time.perf_counter()
    opened = ClaimBase.open(db)
    seconds = time.perf_counter() - started
    opened.search("warm up the index")
    gc.collect()
    print(json.dumps({"claims": len(opened.matcher), "rss_start_mib": start, "rss_mib": _status("VmRSS"),
                      "peak_rss_mib": _status("VmHWM"), "open_seconds": seconds}))


def main(argv: list[str]) -> None:
    if argv and argv[0] == "--base":
        base(argv[1])
        return
    size, seed = int(argv[0]), int(argv[1]) if len(argv) > 1 else None
    from knowledge.base import curated_synonyms
    from knowledge.matcher import Matcher

    from .synthetic import SEED, synthetic_claims

    gc.collect()
    start = _status("VmRSS")
    claims = synthetic_claims(size, seed or SEED)
    gc.collect()
    with_claims = _status("VmRSS")
    started = time.perf_counter()
    matcher = Matcher(claims, synonyms=curated_synonyms())
    build = time.perf_counter() - started
    matcher.search("warm up the index")
    gc.collect()
    print(json.dumps({"claims": len(matcher), "rss_start_mib": start, "rss_claims_mib": with_claims,
                      "rss_mib": _status("VmRSS"), "peak_rss_mib": _status("VmHWM"), "build_seconds": build}))


if __name__ == "__main__":
    main(sys.argv[1:])
