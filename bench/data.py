"""Benchmark data: the CLEF-2020 task 2 files and the seeded synthetic claim bases."""

from __future__ import annotations

import csv
import os
import random
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(__file__).resolve().parent / ".cache"
# the workplace keeps the CLEF files beside the repository (../shared/bench-data); CLAIMBOT_CLEF_DIR points elsewhere
CLEF_DIR = Path(os.environ.get("CLAIMBOT_CLEF_DIR")
                or Path(__file__).resolve().parents[2] / "shared" / "bench-data" / "clef2020-task2-en")


@dataclass(frozen=True)
class ClefClaim:
    vclaim_id: str
    text: str
    title: str

    @property
    def id(self) -> str:
        return f"clef-{self.vclaim_id}"


@dataclass(frozen=True)
class ClefSplit:
    queries: dict[str, str]  # tweet_id -> tweet
    qrels: dict[str, set[str]]  # tweet_id -> gold claim ids (clef-<vclaim_id>)


def _rows(path: Path) -> list[list[str]]:
    """Data rows (header skipped; its first column has no name in these files)."""
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter="\t"))[1:]


def clef_available(folder: Path = CLEF_DIR) -> bool:
    return (folder / "verified_claims.docs.tsv").is_file()


def clef_claims(folder: Path = CLEF_DIR) -> list[ClefClaim]:
    return [ClefClaim(r[0], r[1].strip(), r[2].strip())
            for r in _rows(folder / "verified_claims.docs.tsv")]


def clef_split(name: str, folder: Path = CLEF_DIR) -> ClefSplit:
    queries = {r[0]: r[1] for r in _rows(folder / name / "tweets.queries.tsv")}
    qrels: dict[str, set[str]] = {}
    for line in (folder / name / "tweet-vclaim-pairs.qrels").read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[3] != "0":
            qrels.setdefault(parts[0], set()).add(f"clef-{parts[2]}")
    return ClefSplit({k: v for k, v in queries.items() if k in qrels}, qrels)


EVAL_QUESTIONS = ROOT / "tests" / "eval" / "questions.yaml"
HOLDOUT_QUESTIONS = ROOT / "tests" / "eval" / "holdout.yaml"  # never read by bench/tune.py


@dataclass(frozen=True)
class Question:
    q: str
    gold: frozenset[str]  # empty: off-topic, no claim should answer
    lang: str | None = None


def eval_questions(path: Path = EVAL_QUESTIONS) -> list[Question]:
    """The evaluation set: questions: [{q, expect: id | [ids] | null, lang}]."""
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out: list[Question] = []
    for item in data.get("questions") or []:
        expect = item.get("expect")
        gold = frozenset([expect] if isinstance(expect, str) else (expect or []))
        out.append(Question(str(item["q"]), gold, item.get("lang")))
    return out
