"""make bench: every figure beside its baseline, measured in the same run; one table and bench/results.json."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any, Callable

from . import clef, e2e, quality, speed, store
from .config import Config
from .data import CLEF_DIR, clef_available
from .report import machine, sweep, table, targets

RESULTS = Path(__file__).resolve().parent / "results.json"
SECTIONS: dict[str, Callable[..., dict[str, Any]]] = {
    "quality": lambda config, log: quality.run(log=log),
    "clef": clef.run,
    "speed": speed.run,
    "store": store.run,
    "e2e": e2e.run,
}


def run(config: Config, sections: list[str] | None = None, log: Callable[[str], None] = print) -> dict[str, Any]:
    results: dict[str, Any] = {"machine": machine(), "config": {k: str(v) for k, v in vars(config).items()}}
    started = time.perf_counter()
    for name in sections or list(SECTIONS):
        if name == "clef" and not clef_available():
            why = f"CLEF data not found in {CLEF_DIR} (set CLAIMBOT_CLEF_DIR to the clef2020-task2-en folder)"
            log(f"  {why}: skipped")
            results.setdefault("skipped", {})[name] = why
            continue
        began = time.perf_counter()
        log(f"{name} ...")
        results[name] = SECTIONS[name](config, log)
        results[name]["seconds"] = time.perf_counter() - began
    results["seconds"] = time.perf_counter() - started
    results["targets"] = targets(results)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--tiny", action="store_true", help="a few claims and questions: checks the code, measures nothing")
    parser.add_argument("--out", type=Path, default=None, help=f"results file (default {RESULTS}; --tiny: none)")
    parser.add_argument("--only", nargs="+", choices=list(SECTIONS), help="run only these sections")
    args = parser.parse_args(argv)
    config = Config.tiny() if args.tiny else Config()
    results = run(config, args.only, log=lambda text: print(text, file=sys.stderr))
    print(table(results))
    if "quality" in results:
        print()
        print(sweep(results["quality"]))
    missed = [t for t in results["targets"] if t["met"] is False]
    unmeasured = [t["target"] for t in results["targets"] if t["met"] is None]
    print()
    print(f"{len(missed)} target(s) missed" + (": " + "; ".join(f"{t['target']} ({t['figure']})" for t in missed)
                                               if missed else "") + f". Took {results['seconds']:.0f} s.")
    if unmeasured:
        print(f"{len(unmeasured)} target(s) NOT MEASURED by this run: " + "; ".join(unmeasured))
    for why in results.get("skipped", {}).values():
        print(f"Skipped: {why}.")
    out = args.out if args.out is not None else (None if args.tiny else RESULTS)
    if args.out is None and out is not None and (args.only or results.get("skipped")):
        print(f"{out} holds the reference run and this run is partial: left as it was (--out FILE writes this one).")
        out = None
    if out is not None:
        out.write_text(json.dumps(results, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    return 0
