"""The baselines every figure is compared with: plain BM25 and naive rapidfuzz WRatio."""

from __future__ import annotations

import math
import re
from typing import Sequence

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

_WORD = re.compile(r"\w+")


def plain_tokens(text: str) -> list[str]:
    """Lowercase \\w+ tokens, nothing else (the plain baseline's analysis)."""
    return _WORD.findall(text.lower())


class BM25:
    """Okapi BM25 (Lucene idf) over one field, no stemming, no stop words."""

    def __init__(self, docs: Sequence[str], k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.n = len(docs)
        postings: dict[str, dict[int, int]] = {}
        lengths = np.zeros(self.n, dtype=np.float64)
        for i, doc in enumerate(docs):
            toks = plain_tokens(doc)
            lengths[i] = len(toks)
            for tok in toks:
                row = postings.setdefault(tok, {})
                row[i] = row.get(i, 0) + 1
        norm = k1 * (1.0 - b + b * lengths / max(lengths.mean(), 1e-9))
        # each word's score in each claim, computed once: a query only adds them up
        self.impacts: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for tok, row in postings.items():
            slots = np.fromiter(row.keys(), np.int64, len(row))
            tfs = np.fromiter(row.values(), np.float64, len(row))
            idf = math.log(1.0 + (self.n - len(slots) + 0.5) / (len(slots) + 0.5))
            self.impacts[tok] = (slots, idf * tfs * (k1 + 1.0) / (tfs + norm[slots]))

    def scores(self, query: str) -> np.ndarray:
        out = np.zeros(self.n, dtype=np.float64)
        for tok in dict.fromkeys(plain_tokens(query)):  # each query word once
            found = self.impacts.get(tok)
            if found is not None:
                out[found[0]] += found[1]
        return out


def top_ids(scores: np.ndarray, ids: Sequence[str], k: int) -> list[str]:
    """The k best ids by score, ties broken by position (stable)."""
    order = np.argsort(-scores, kind="stable")[:k]
    return [ids[i] for i in order]


class BM25OneField:
    """Claim text and title as one field."""

    name = "BM25, text+title as one field"

    def __init__(self, ids: Sequence[str], texts: Sequence[str], titles: Sequence[str], **kw: float) -> None:
        self.ids = list(ids)
        self.index = BM25([f"{a} {b}" for a, b in zip(texts, titles)], **kw)

    def rank(self, query: str, k: int = 5) -> list[str]:
        return top_ids(self.index.scores(query), self.ids, k)


class BM25BestField:
    """Claim text and title scored apart; a claim's score is the better of the two."""

    name = "BM25, best of text and title"

    def __init__(self, ids: Sequence[str], texts: Sequence[str], titles: Sequence[str], **kw: float) -> None:
        self.ids = list(ids)
        self.text = BM25(texts, **kw)
        self.title = BM25(titles, **kw)

    def rank(self, query: str, k: int = 5) -> list[str]:
        return top_ids(np.maximum(self.text.scores(query), self.title.scores(query)), self.ids, k)


class NaiveWRatio:
    """rapidfuzz WRatio (default_process) of the query against every claim text; a claim's best text wins."""

    name = "naive rapidfuzz WRatio"

    def __init__(self, ids: Sequence[str], texts_per_claim: Sequence[Sequence[str]]) -> None:
        self.ids = list(ids)
        self.owner: list[int] = []
        self.texts: list[str] = []
        for i, texts in enumerate(texts_per_claim):
            for text in texts:
                self.owner.append(i)
                self.texts.append(text)
        self.choices = [default_process(t) for t in self.texts]
        self.owner_arr = np.asarray(self.owner, dtype=np.int64)

    def claim_scores(self, query: str) -> np.ndarray:
        row = process.cdist([default_process(query)], self.choices, scorer=fuzz.WRatio, workers=1)[0]
        best = np.zeros(len(self.ids), dtype=np.float64)
        np.maximum.at(best, self.owner_arr, row)
        return best

    def claim_scores_many(self, queries: Sequence[str], workers: int = -1) -> np.ndarray:
        rows = process.cdist([default_process(q) for q in queries], self.choices, scorer=fuzz.WRatio,
                             workers=workers)
        best = np.zeros((len(queries), len(self.ids)), dtype=np.float64)
        for j in range(len(queries)):
            np.maximum.at(best[j], self.owner_arr, rows[j])
        return best

    def best(self, query: str) -> tuple[str, float] | None:
        """The best claim the way a naive bot finds it: extractOne over every claim text, processed each time."""
        found = process.extractOne(query, self.texts, scorer=fuzz.WRatio, processor=default_process)
        return (self.ids[self.owner[found[2]]], float(found[1])) if found else None
