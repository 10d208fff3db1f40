"""Find the claims a question is about: a token index picks candidates, rapidfuzz helps rank them."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from .model import Claim
from .text import STOP_WORDS, fold, stem

ANSWER, SUGGEST, NONE = "answer", "suggest", "none"
MAX_QUERY_CHARS = 1000
MAX_QUERY_TOKENS = 64


@dataclass(frozen=True)
class Thresholds:
    """Scores (0-100) that separate the three outcomes."""

    answer: float = 62.0
    suggest: float = 40.0
    margin: float = 6.0


@dataclass(frozen=True)
class Weights:
    """How the ranking features combine; tuned by bench/tune.py on training data only."""

    k1: float = 1.2
    b: float = 0.75
    names: float = 1.0
    query_cover: float = 0.45
    claim_cover: float = 0.25
    fuzzy: float = 0.15
    bm25: float = 0.15
    candidates: int = 40


@dataclass(frozen=True)
class Match:
    claim: Claim
    score: float

    @property
    def id(self) -> str:
        return self.claim.id


@dataclass(frozen=True)
class SearchResult:
    query: str
    outcome: str
    matches: list[Match] = field(default_factory=list)

    @property
    def best(self) -> Match | None:
        return self.matches[0] if self.matches else None


class Synonyms:
    """Names written several ways: each variant phrase adds its canonical token."""

    def __init__(self, groups: Mapping[str, Sequence[str]] | None = None) -> None:
        self._by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for canonical, variants in (groups or {}).items():
            canon = fold(canonical).replace(" ", "")
            for variant in [canonical, *variants]:
                phrase = tuple(fold(variant).split())
                if phrase:
                    self._by_first.setdefault(phrase[0], []).append((phrase, canon))
        for entries in self._by_first.values():
            entries.sort(key=lambda e: -len(e[0]))

    def expand(self, words: list[str]) -> list[str]:
        """The canonical tokens of the variants found in words."""
        extra: list[str] = []
        for i, word in enumerate(words):
            for phrase, canon in self._by_first.get(word, ()):
                if tuple(words[i:i + len(phrase)]) == phrase:
                    extra.append(canon)
                    break
        return extra


def analyse(text: str, synonyms: Synonyms | None = None) -> list[str]:
    """Folded, stemmed content tokens plus the canonical tokens of known name variants."""
    words = fold(text).split()
    out = [stem(w) for w in words if w not in STOP_WORDS]
    if synonyms is not None:
        out.extend(synonyms.expand(words))
    return out


class _Field:
    """One field's inverted index: token -> {slot: term frequency}, with cached arrays."""

    def __init__(self) -> None:
        self.postings: dict[str, dict[int, int]] = {}
        self.lengths = np.zeros(1024, dtype=np.float32)
        self.total_length = 0.0
        self.docs = 0
        self._arrays: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def add(self, slot: int, toks: list[str]) -> None:
        if slot >= len(self.lengths):
            self.lengths = np.concatenate([self.lengths, np.zeros(len(self.lengths), np.float32)])
        counts: dict[str, int] = {}
        for tok in toks:
            counts[tok] = counts.get(tok, 0) + 1
        for tok, tf in counts.items():
            self.postings.setdefault(tok, {})[slot] = tf
            self._arrays.pop(tok, None)
        self.lengths[slot] = len(toks)
        self.total_length += len(toks)
        self.docs += 1

    def remove(self, slot: int, toks: list[str]) -> None:
        for tok in set(toks):
            posting = self.postings.get(tok)
            if posting is not None:
                posting.pop(slot, None)
                if not posting:
                    del self.postings[tok]
            self._arrays.pop(tok, None)
        self.total_length -= float(self.lengths[slot])
        self.lengths[slot] = 0
        self.docs -= 1

    def arrays(self, tok: str) -> tuple[np.ndarray, np.ndarray] | None:
        cached = self._arrays.get(tok)
        if cached is None:
            posting = self.postings.get(tok)
            if not posting:
                return None
            slots = np.fromiter(posting.keys(), dtype=np.int64, count=len(posting))
            tfs = np.fromiter(posting.values(), dtype=np.float32, count=len(posting))
            cached = self._arrays[tok] = (slots, tfs)
        return cached

    def df(self, tok: str) -> int:
        return len(self.postings.get(tok, ()))

    def bm25(self, scores: np.ndarray, toks: Iterable[str], k1: float, b: float, scale: float) -> None:
        if not self.docs:
            return
        avg = max(self.total_length / self.docs, 1.0)
        for tok in toks:
            found = self.arrays(tok)
            if found is None:
                continue
            slots, tfs = found
            df = len(slots)
            idf = math.log(1.0 + (self.docs - df + 0.5) / (df + 0.5))
            norm = k1 * (1.0 - b + b * self.lengths[slots] / avg)
            scores[slots] += scale * idf * tfs * (k1 + 1.0) / (tfs + norm)


@dataclass
class _Doc:
    claim: Claim
    text_tokens: list[str]
    name_tokens: list[str]
    token_set: frozenset[str]
    phrases: list[tuple[str, frozenset[str]]]


class Matcher:
    """An index over active claims. One per process, updated in place when a claim changes."""

    def __init__(self, claims: Iterable[Claim] = (), *, synonyms: Synonyms | None = None,
                 thresholds: Thresholds | None = None, weights: Weights | None = None) -> None:
        self.synonyms = synonyms or Synonyms()
        self.thresholds = thresholds or Thresholds()
        self.weights = weights or Weights()
        self._text = _Field()
        self._names = _Field()
        self._docs: list[_Doc | None] = []
        self._slot_of: dict[str, int] = {}
        self._free: list[int] = []
        self._df: dict[str, int] = {}
        self._deletes: dict[str, set[str]] = {}
        for claim in claims:
            self.upsert(claim)

    def __len__(self) -> int:
        return len(self._slot_of)

    def __contains__(self, claim_id: str) -> bool:
        return claim_id in self._slot_of

    # --- index upkeep -------------------------------------------------
    def upsert(self, claim: Claim) -> None:
        """Index a claim, replacing any earlier version; retired claims leave the index."""
        self.remove(claim.id)
        if not claim.active:
            return
        texts = list(claim.text.values())
        names = ([claim.title] if claim.title else []) + list(claim.aliases)
        text_tokens = [t for s in texts for t in analyse(s, self.synonyms)]
        name_tokens = [t for s in names for t in analyse(s, self.synonyms)]
        phrases = [(fold(s), frozenset(analyse(s, self.synonyms))) for s in names + texts]
        doc = _Doc(claim, text_tokens, name_tokens, frozenset(text_tokens) | frozenset(name_tokens), phrases)
        slot = self._free.pop() if self._free else len(self._docs)
        if slot == len(self._docs):
            self._docs.append(doc)
        else:
            self._docs[slot] = doc
        self._slot_of[claim.id] = slot
        self._text.add(slot, text_tokens)
        self._names.add(slot, name_tokens)
        for tok in doc.token_set:
            count = self._df.get(tok, 0)
            self._df[tok] = count + 1
            if count == 0:
                self._add_deletes(tok)

    def remove(self, claim_id: str) -> None:
        slot = self._slot_of.pop(claim_id, None)
        if slot is None:
            return
        doc = self._docs[slot]
        assert doc is not None
        self._text.remove(slot, doc.text_tokens)
        self._names.remove(slot, doc.name_tokens)
        for tok in doc.token_set:
            count = self._df[tok] - 1
            if count:
                self._df[tok] = count
            else:
                del self._df[tok]
                self._drop_deletes(tok)
        self._docs[slot] = None
        self._free.append(slot)

    def _add_deletes(self, tok: str) -> None:
        if len(tok) >= 4 and not tok.isdigit():
            for key in _deletions(tok):
                self._deletes.setdefault(key, set()).add(tok)

    def _drop_deletes(self, tok: str) -> None:
        if len(tok) >= 4 and not tok.isdigit():
            for key in _deletions(tok):
                bucket = self._deletes.get(key)
                if bucket is not None:
                    bucket.discard(tok)
                    if not bucket:
                        del self._deletes[key]

    # --- querying -----------------------------------------------------
    def query_tokens(self, query: str) -> list[str]:
        """The query's tokens, each unknown word replaced by the nearest indexed word (typos)."""
        out: list[str] = []
        for tok in analyse(query[:MAX_QUERY_CHARS], self.synonyms):
            if tok not in self._df:
                tok = self._correct(tok) or tok
            if tok not in out:
                out.append(tok)
            if len(out) >= MAX_QUERY_TOKENS:
                break
        return out

    def _correct(self, tok: str) -> str | None:
        if len(tok) < 4 or tok.isdigit():
            return None
        limit = 1 if len(tok) <= 6 else 2
        found: set[str] = set()
        for key in _deletions(tok):
            found |= self._deletes.get(key, set())
        best: tuple[int, int, str] | None = None
        for cand in found:
            dist = Levenshtein.distance(tok, cand, score_cutoff=limit)
            if dist <= limit:
                key = (dist, -self._df.get(cand, 0), cand)
                if best is None or key < best:
                    best = key
        return best[2] if best else None

    def _idf(self, tok: str) -> float:
        n = max(len(self._slot_of), 1)
        df = self._df.get(tok, 0)
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def rank(self, query: str, top: int = 5) -> list[Match]:
        """The best claims for query, best first, each with a 0-100 score."""
        toks = self.query_tokens(query)
        if not toks or not self._slot_of:
            return []
        w = self.weights
        scores = np.zeros(len(self._docs), dtype=np.float32)
        self._text.bm25(scores, toks, w.k1, w.b, 1.0)
        self._names.bm25(scores, toks, w.k1, w.b, w.names)
        hits = int(np.count_nonzero(scores))
        if hits == 0:
            return []
        count = min(max(w.candidates, top), hits)
        picked = np.argpartition(-scores, count - 1)[:count] if count < len(scores) else np.arange(len(scores))
        picked = [int(s) for s in picked if scores[s] > 0]
        best_bm25 = float(scores[picked].max())
        idf = {t: self._idf(t) for t in toks}
        idf_total = sum(idf.values()) or 1.0
        folded_query = " ".join(w_ for w_ in fold(query[:MAX_QUERY_CHARS]).split() if w_ not in STOP_WORDS)
        query_set = frozenset(toks)
        ranked: list[Match] = []
        for slot in picked:
            doc = self._docs[slot]
            assert doc is not None
            query_cover = sum(idf[t] for t in toks if t in doc.token_set) / idf_total
            claim_cover = 0.0
            fuzzy = 0.0
            for phrase, phrase_tokens in doc.phrases:
                if phrase_tokens:
                    mass = sum(self._idf(t) for t in phrase_tokens) or 1.0
                    covered = sum(self._idf(t) for t in phrase_tokens & query_set) / mass
                    claim_cover = max(claim_cover, covered)
                if len(phrase) <= 300:
                    fuzzy = max(fuzzy, fuzz.token_sort_ratio(folded_query, phrase) / 100.0)
            score = (w.query_cover * query_cover + w.claim_cover * claim_cover
                     + w.fuzzy * fuzzy + w.bm25 * float(scores[slot]) / best_bm25)
            ranked.append(Match(doc.claim, round(100.0 * score, 1)))
        ranked.sort(key=lambda m: (-m.score, m.claim.id))
        return ranked[:top]

    def search(self, query: str, top: int = 3, thresholds: Thresholds | None = None) -> SearchResult:
        """Rank, then decide: one confident answer, a few suggestions, or none."""
        t = thresholds or self.thresholds
        matches = self.rank(query, top=max(top, 2))
        return SearchResult(query, decide(matches, t), matches[:top])


def decide(matches: Sequence[Match], t: Thresholds) -> str:
    if not matches or matches[0].score < t.suggest:
        return NONE
    if matches[0].score >= t.answer and (len(matches) < 2 or matches[0].score - matches[1].score >= t.margin):
        return ANSWER
    return SUGGEST


def _deletions(tok: str) -> set[str]:
    return {tok} | {tok[:i] + tok[i + 1:] for i in range(len(tok))}
