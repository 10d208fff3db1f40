"""Seeded synthetic claim bases and questions for the speed runs.

The vocabulary is the folded words of the curated base (French and English, stop words first)
followed by pseudo-words built from FR/EN syllables; words are drawn from a Zipf law over it, so that
a large base has the long tail of rare names a real one has.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from knowledge.model import Claim, claim_from_dict
from knowledge.store import curated_claims
from knowledge.text import STOP_WORDS, fold

from .data import CACHE

SEED = 20240729
VOCABULARY = 60_000
ZIPF = 1.05
_ONSETS = ["b", "c", "d", "f", "g", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z",
           "ch", "tr", "br", "gr", "pl", "st", "th", "sh", "cr", "dr", "fl", "qu", "ou"]
_NUCLEI = ["a", "e", "i", "o", "u", "ou", "ai", "ea", "ie", "oi", "au", "ee", "y", "an", "on", "in", "er"]
_CODAS = ["", "", "", "n", "r", "s", "t", "l", "m", "x", "ck", "nd", "st", "rt", "que", "tion", "ment", "ing"]
OFF_TOPIC = [
    "What's the weather in Paris tomorrow?", "Quelle heure est-il à Tokyo ?", "Who won the football match?",
    "Recette de la tarte aux pommes", "How do I reset my password?", "Le prix du pain a-t-il augmenté ?",
    "Best pizza near me", "Combien de calories dans une banane ?", "Is Python faster than Java?",
    "Quel film voir ce soir ?",
]


def real_words() -> list[str]:
    """Folded words of the curated base: stop words first, then the others, most frequent first."""
    counts: Counter[str] = Counter()
    for claim in curated_claims():
        for text in [*claim.text.values(), *claim.aliases, claim.title or ""]:
            counts.update(fold(text).split())
    return [w for w, _ in sorted(counts.items(), key=lambda kv: (kv[0] not in STOP_WORDS, -kv[1], kv[0]))]


def vocabulary(size: int = VOCABULARY, seed: int = SEED) -> list[str]:
    words = real_words()
    seen = set(words)
    rng = np.random.default_rng(seed)
    while len(words) < size:
        parts = []
        for _ in range(int(rng.integers(2, 4))):
            parts.append(_ONSETS[rng.integers(len(_ONSETS))] + _NUCLEI[rng.integers(len(_NUCLEI))])
        word = "".join(parts) + _CODAS[rng.integers(len(_CODAS))]
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


class Generator:
    """Claims and questions drawn from the vocabulary with a seeded generator."""

    def __init__(self, seed: int = SEED, size: int = VOCABULARY) -> None:
        self.words = vocabulary(size, seed)
        ranks = np.arange(1, len(self.words) + 1, dtype=np.float64)
        weights = ranks ** -ZIPF
        self.cum = np.cumsum(weights / weights.sum())
        self.rng = np.random.default_rng(seed + 1)

    def _sentence(self, low: int, high: int) -> str:
        n = int(self.rng.integers(low, high + 1))
        picks = np.searchsorted(self.cum, self.rng.random(n), side="right")
        return " ".join(self.words[min(int(i), len(self.words) - 1)] for i in picks)

    def record(self, number: int) -> dict:
        text: dict[str, str] = {}
        langs = self.rng.random()
        if langs < 0.6:
            text = {"fr": self._sentence(10, 30), "en": self._sentence(10, 30)}
        elif langs < 0.8:
            text = {"fr": self._sentence(10, 30)}
        else:
            text = {"en": self._sentence(10, 30)}
        record = {"id": f"syn-{number:06d}", "text": text, "link": "explicit",
                  "sources": [{"name": "Synthetic source", "kind": "other"}]}
        if self.rng.random() < 0.5:
            record["title"] = self._sentence(4, 10)
        aliases = int(self.rng.integers(0, 4))
        if aliases:
            record["aliases"] = [self._sentence(2, 5) for _ in range(aliases)]
        return record

    def records(self, count: int) -> list[dict]:
        return [self.record(i) for i in range(count)]

    def questions(self, claims: Sequence[Claim], count: int) -> list[str]:
        """Questions as people type them: words of one claim, a typo now and then, plus off-topic ones."""
        out: list[str] = []
        for i in range(count):
            kind = self.rng.random()
            if kind < 0.15:
                out.append(OFF_TOPIC[i % len(OFF_TOPIC)])
                continue
            if kind < 0.25:
                out.append(self._sentence(4, 12) + " ?")
                continue
            claim = claims[int(self.rng.integers(len(claims)))]
            words = " ".join(claim.text.values()).split()
            take = min(len(words), int(self.rng.integers(3, 12)))
            start = int(self.rng.integers(0, len(words) - take + 1))
            picked = words[start:start + take]
            if self.rng.random() < 0.3 and picked:
                j = int(self.rng.integers(len(picked)))
                w = picked[j]
                if len(w) > 4:
                    k = int(self.rng.integers(1, len(w) - 1))
                    picked[j] = w[:k] + w[k + 1:]
            prefix = ["", "Is it true that ", "Est-il vrai que ", "Did ", "Vrai que "][int(self.rng.integers(5))]
            out.append(prefix + " ".join(picked) + " ?")
        return out


@lru_cache(maxsize=None)
def _vocabulary_key() -> str:
    """Changes when the curated base's words do (the cached claims are drawn from them)."""
    return hashlib.sha1("\n".join(real_words()).encode("utf-8")).hexdigest()[:10]


def cache_path(count: int, seed: int = SEED) -> Path:
    return CACHE / f"synthetic-{seed}-{_vocabulary_key()}-{count}.jsonl"


def synthetic_records(count: int, seed: int = SEED) -> list[dict]:
    """count claim records, cached as JSON lines under bench/.cache."""
    path = cache_path(count, seed)
    if path.is_file():
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    records = Generator(seed).records(count)
    write_jsonl(path, records)
    return records


def synthetic_claims(count: int, seed: int = SEED) -> list[Claim]:
    """The claims of synthetic_records, read one line at a time (no second copy of the records in memory)."""
    path = cache_path(count, seed)
    if not path.is_file():
        synthetic_records(count, seed)
    with path.open(encoding="utf-8") as handle:
        return [claim_from_dict(json.loads(line)) for line in handle if line.strip()]


def write_jsonl(path: Path, records: Sequence[dict]) -> None:
    """One JSON object a line; the file appears whole or not at all (runs may share the cache)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    os.replace(tmp, path)
