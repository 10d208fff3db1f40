"""Find the claims a question is about: a token index picks candidates, a few features rank them.

Every claim is analysed once into token ids (folded, stemmed, stop words out, name variants added),
kept in one flat array; two inverted indexes (claim texts; title and aliases) give BM25 candidates;
the best candidates are then scored on what the question and the claim share (weighted by how rare
each word is), on shared word pairs, on how close the question is to one of the claim's phrases and on
the proper names the question writes that the claim lacks. Claims are added in place; a changed or
removed claim leaves a dead slot behind, and the arrays are rebuilt when dead slots pile up.
"""

from __future__ import annotations

import ctypes
import math
import re
from array import array
from functools import cache
from importlib import resources
from dataclasses import dataclass, field, fields, replace
from typing import Iterable, Iterator, Mapping, NamedTuple, Sequence

import numpy as np
import yaml
from rapidfuzz.distance import OSA

from . import roles
from .model import Claim
from .text import SENTENCE_END, STOP_WORDS, fold, stem

ANSWER, SUGGEST, NONE = "answer", "suggest", "none"
MAX_QUERY_CHARS = 1000
MAX_QUERY_TOKENS = 64
ROLES_FLOOR = 70.0  # claims scored under this are not checked (they are neither answered nor suggested); 60 cost 0.012 CLEF dev MAP@5
ROLES_KEPT = 4096
FEATURES = ("bm25", "query_cover", "text_cover", "name_cover", "pairs", "phrase", "contained", "proper_names",
            "rest_cover")
_REST = FEATURES.index("rest_cover")
REST_FLOOR = 0.2  # bench/tune.py: 0.1 to 0.2 served the seed set best, 0.5 and more cost right answers


@dataclass(frozen=True)
class Thresholds:
    """Scores (0-100) that separate the three outcomes; chosen on the evaluation set by bench/tune.py."""

    answer: float = 80.0
    suggest: float = 73.0
    margin: float = 4.0


# Groups and unasked replies (auto-check, channel notes): the same rule with mistakes weighed more
# (bench/thresholds.py GROUP and UNASKED), never under the private ones; unasked replies are a card or
# nothing, so suggest = answer.
GROUP_THRESHOLDS = Thresholds(answer=80.0, suggest=80.0, margin=4.0)
UNASKED_THRESHOLDS = Thresholds(answer=80.0, suggest=80.0, margin=4.0)


@dataclass(frozen=True)
class Weights:
    """Retrieval settings and feature weights; tuned by bench/tune.py on training data only.

    Candidates are the claims with the best BM25F (k1, b; title and aliases count `names` times a
    text word). A typo-corrected word weighs `corrected` times its usual weight. The score is 100 times
    the weighted mean of the features, each in 0..1: bm25 (BM25F over the weight of the question's
    words, saturated), query_cover (share of the question's word weight the claim has), text_cover /
    name_cover (the best share of one claim text / title or alias found in the question), pairs (share
    of the question's adjacent word pairs found in the claim), phrase (the text, title or alias closest
    to the question itself, as F1 of the two shares), contained (the best share of a text, title or alias
    of four words or more found in the question: a claim quoted inside a longer message), proper_names
    (1 minus the share of the question's word weight made of proper names, as written, that the claim
    has in none of its texts, title or aliases, name variants included: "Did Niger cut ties with France?"
    is not about a claim that names Niger and Ukraine; names are capitalised words inside a sentence,
    words in capitals, and a capitalised first word followed by a word that no claim has or that the
    claims write as a name, as in "Macron said…" or "Russia trained…"; a question typed all in lower
    case has none), rest_cover (share of the weight of the question's
    other words, unknown words included, that the claim has: what the question says of its names;
    "Was Iyad Ag Ghali arrested?" is not about a claim that names him for an oath of allegiance).
    The weighted mean is then lowered by up to rest_gate (times 1 - rest_cover / REST_FLOOR): a claim
    that has the question's names and next to nothing of what it says of them cannot score high on the
    names alone ("Did Ghulam die?"); above the floor (a paraphrase, a claim quoted among other words)
    nothing changes. Last, a claim scored ROLES_FLOOR or more is lowered by role_gate when it acts on the
    subject of the question's sentence closest to it ("Did Russia help jihadists?" and a claim where Ukraine
    fights the Russians), has its relation with another name ("ties with Mali" and "ties with Ukraine") or
    asks another question in the phrases closest to it ("Did…" and "Why did…"), by swap_gate when the only
    sign is the question's two names in the other order ("Trump ordered Zelensky"), and by number_gate when it
    states years, months or numbers and none of that sentence's (knowledge/roles.py). bench/tune.py tunes
    the features, not these gates.
    """

    k1: float = 1.6
    b: float = 0.75
    names: float = 1.0
    candidates: int = 40
    corrected: float = 0.5
    bm25: float = 0.0
    query_cover: float = 0.02
    text_cover: float = 0.05
    name_cover: float = 0.032
    pairs: float = 0.019
    phrase: float = 0.147
    contained: float = 0.049
    proper_names: float = 0.632
    rest_cover: float = 0.052
    rest_gate: float = 0.15
    role_gate: float = 0.15
    swap_gate: float = 0.25  # every word asked, roles swapped: the score is high, the fact another
    number_gate: float = 0.2

    def feature_weights(self) -> np.ndarray:
        values = np.array([getattr(self, name) for name in FEATURES], dtype=np.float64)
        total = values.sum()
        return values / total if total > 0 else np.full(len(FEATURES), 1.0 / len(FEATURES))


class _Question(NamedTuple):
    ids: list[int]
    weights: list[float]
    ordered: list[int]
    unknown: float
    names: list[tuple[list[int], float]]
    text: str = ""
    parts: tuple | None = None  # words, spans, names, openers and token ids of the text, for _sentences


@dataclass(frozen=True)
class Match:
    claim: Claim
    score: float
    # the score before the number check, when only that check lowered it: the claim states the question's
    # fact with other dates or numbers ("on 4 August" against "6 August"), worth a suggestion
    other_numbers_from: float | None = None

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

    def spans(self, words: list[str]) -> list[tuple[int, int, str]]:
        """(start, length, canonical token) of each variant found in words."""
        if self._by_first.keys().isdisjoint(words):
            return []
        found: list[tuple[int, int, str]] = []
        for i, word in enumerate(words):
            for phrase, canon in self._by_first.get(word, ()):
                if tuple(words[i:i + len(phrase)]) == phrase:
                    found.append((i, len(phrase), canon))
                    break
        return found

    def expand(self, words: list[str]) -> list[str]:
        """The canonical tokens of the variants found in words."""
        return [canon for _, _, canon in self.spans(words)]


_URL = re.compile(r"(?:https?://|www\.)\S+|\bpic\.twitter\.com/\S+", re.IGNORECASE)
_TAG = re.compile(r"[#@](\w+)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=[0-9])")


_HTML_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]{0,9}(?:\s[^<>]{0,200})?/?>")


def clean(text: str) -> str:
    """A message as words: links and HTML tags (<b>…</b> pasted from a page) dropped, #CamelCaseTags and
    @CamelCaseNames split into words."""
    if "<" in text:
        text = _HTML_TAG.sub(" ", text)
    return _TAG.sub(lambda m: " " + _CAMEL.sub(" ", m.group(1)) + " ", _URL.sub(" ", text))


_RAW_WORD = re.compile(r"[^\W_]+")
# a capitalised word after a lower-case word, a digit or a comma: a name as a claim writes it
_INSIDE_NAME = re.compile(r"(?:(?<=[a-zà-ÿ0-9,)] )|(?<=\b[dlDL][’']))[A-ZÀ-ÖØ-Þ][^\W_]*")
# a phrase's capitalised first word followed by another: a name (Iyad Ag Ghali…), unless a question or stop word
_OPENING_NAME = re.compile(r"([A-ZÀ-ÖØ-Þ][^\W_]*)(?= [A-ZÀ-ÖØ-Þ])")
_SENTENCE_BREAK = re.compile(r"[.!?:;\n\u2026]")
# a pasted tweet's signature: "— Author (@handle) Month 1, 2020"; its author is not what it is about
_SIGNATURE = re.compile(r"[\u2014\u2013][^\u2014\u2013\n]{0,80}\(@\w{1,30}\)[^\n]{0,30}$")
# capitalised in English by convention, not names
_NOT_NAMES = frozenset("""january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday""".split())
# where a forwarded post was seen and how it is flagged, not what it is about ("Vu sur Facebook :", "BREAKING:")
_NOT_NAMES |= frozenset("""facebook twitter tiktok telegram whatsapp youtube instagram threads bluesky
breaking urgent alerte alert flash info infos exclusive exclusif update thread""".split())
# how a chat message opens ("Regarde ça …", "Wow …"), not what it is about
_NOT_NAMES |= frozenset("""regarde regardez voici voila look see check lol mdr omg wow hey salut bonjour hello coucou hi
ok okay bon alors apparemment apparently incroyable dingue""".split())
# "What happened at Tin Zaouatine?": asks for anything the claims say of the name, unlike "Did Ghulam die?"
GENERIC_STEMS = frozenset({"happen"})
# "Que s'est-il passé…", "qu'est-ce qui se passe…": happen (not "est passé chez", went over to)
_SE_PASSER = re.compile(r"\bs(?:e| est(?: il| elle)?) pass(?:e|er)\b")
# words that may open a sentence before a name (Pourquoi Kiev…, Did Niger…)
_QUESTION_WORDS = frozenset("""who whom whose what which when where why how whether according qui que qu quoi quel quelle
quels quelles quand comment pourquoi combien ou selon""".split()) | STOP_WORDS


def _capitalised(text: str) -> Iterator[tuple[str, bool, bool, bool]]:
    """Each capitalised word of a cleaned text as written, whether it opens a sentence, whether it follows
    another capitalised word with only spaces between (Iyad Ag Ghali), and whether a word follows it with
    only spaces between (Macron said…, not Wow, … or Incroyable !)."""
    words = list(_RAW_WORD.finditer(text))
    previous_end, previous_capitalised = 0, False
    for i, match in enumerate(words):
        raw = match.group()
        capitalised = raw[0].isupper()
        if capitalised:
            followed = i + 1 < len(words) and text[match.end():words[i + 1].start()].isspace()
            yield (raw, previous_end == 0 or _SENTENCE_BREAK.search(text, previous_end, match.start()) is not None,
                   previous_capitalised and text[previous_end:match.start()].isspace(), followed)
        previous_end, previous_capitalised = match.end(), capitalised


def names_and_openers(text: str) -> tuple[list[str], list[str]]:
    """proper_names(text) and sentence_openers(text), from one walk over its capitalised words."""
    cleaned = clean(_SIGNATURE.sub(" ", text))
    words = list(_capitalised(cleaned))
    openers = [folded.split()[0] for raw, opens, _, followed in words
               if opens and followed and not raw.isupper() and (folded := fold(raw)).split()
               and folded not in _NOT_NAMES]
    if not any(c.islower() for c in cleaned):
        return [], openers
    named = [not opens or (2 <= len(raw) <= 6 and raw.isupper())
             or (i + 1 < len(words) and words[i + 1][2] and fold(raw) not in _QUESTION_WORDS)
             for i, (raw, opens, _, _) in enumerate(words)]
    names = [w for (raw, *_), is_name in zip(words, named) if is_name
             for w in fold(raw).split() if len(w) > 1 and w not in _NOT_NAMES]
    return names, openers


def _case_blind(text: str) -> bool:
    """Whether text says nothing by its capitals: none past the first word of each sentence (as phones type),
    or nothing but capitals."""
    if not any(c.islower() for c in text):
        return True
    return not any(any(c.isupper() for c in word) for piece in SENTENCE_END.split(text)
                   for word in _RAW_WORD.findall(piece)[1:])


@cache
def known_names() -> frozenset[str]:
    """Countries, capitals and people that are names even in a question typed without capitals
    (knowledge/curated/names.yaml)."""
    entry = resources.files("knowledge") / "curated" / "names.yaml"
    lists = yaml.safe_load(entry.read_text(encoding="utf-8")) or {}
    return frozenset(fold(word) for words in lists.values() for word in words)


def proper_names(text: str) -> list[str]:
    """The folded words of text that look like proper names as written: capitalised and not the first word
    of a sentence, or in capitals (2 to 6 letters: JNIM, GUR, CAN), or the first word of a sentence when the
    next word is capitalised too (Iyad Ag Ghali a-t-il…; not a question word: Comment Kiev…); none when the
    whole text is in capitals. Single letters (initials), months and weekdays, and a pasted tweet's signature
    are left out."""
    return names_and_openers(text)[0]


def sentence_openers(text: str) -> list[str]:
    """The folded first words of text's sentences when capitalised (not in capitals) and followed by another
    word of the sentence: names or not, as written (Macron said…; not Wow, … nor Incroyable !)."""
    return names_and_openers(text)[1]


def analyse_parts(text: str, synonyms: Synonyms | None = None) -> tuple[list[str], list[str]]:
    """The text's content tokens in order, and the canonical tokens of the name variants it uses."""
    words = fold(text).split()
    toks = [stem(w) for w in words if w not in STOP_WORDS]
    return toks, (synonyms.expand(words) if synonyms is not None else [])


def analyse(text: str, synonyms: Synonyms | None = None) -> list[str]:
    """Folded, stemmed content tokens plus the canonical tokens of known name variants."""
    toks, extra = analyse_parts(text, synonyms)
    return toks + extra


# In the flat token array each phrase of a claim ends with a marker saying what it was.
_END_TEXT, _END_NAME = -1, -2
_TF_BITS = 4
_TF_MAX = (1 << _TF_BITS) - 1
_PAIR_BASE = 1 << 31


class _Growing:
    """A numpy array that grows by doubling; .view() is the used part."""

    def __init__(self, dtype: type, capacity: int = 1024) -> None:
        self.array = np.zeros(max(capacity, 16), dtype=dtype)
        self.size = 0

    def _reserve(self, extra: int) -> None:
        need = self.size + extra
        if need > len(self.array):
            grown = np.zeros(max(need, 2 * len(self.array)), dtype=self.array.dtype)
            grown[:self.size] = self.array[:self.size]
            self.array = grown

    def append(self, value: float) -> None:
        self._reserve(1)
        self.array[self.size] = value
        self.size += 1

    def extend(self, values: Sequence[int] | np.ndarray) -> None:
        self._reserve(len(values))
        self.array[self.size:self.size + len(values)] = values
        self.size += len(values)

    def view(self) -> np.ndarray:
        return self.array[:self.size]


class _Postings:
    """One field's inverted index: token id -> packed (slot << 4 | term frequency) entries.

    Built in bulk as one sorted array with offsets per token; entries added later sit in a
    small dict until the next rebuild.
    """

    def __init__(self) -> None:
        self.offsets = np.zeros(1, dtype=np.int64)
        self.data = np.zeros(0, dtype=np.uint32)
        self.extra: dict[int, list[int]] = {}

    def build(self, tokens: np.ndarray, packed: np.ndarray, vocabulary: int) -> None:
        order = np.argsort(tokens, kind="stable")
        self.data = packed[order].astype(np.uint32)
        counts = np.bincount(tokens, minlength=vocabulary)
        self.offsets = np.zeros(vocabulary + 1, dtype=np.int64)
        np.cumsum(counts, out=self.offsets[1:])
        self.extra = {}

    def add(self, token: int, slot: int, tf: int) -> None:
        self.extra.setdefault(token, []).append(slot << _TF_BITS | min(tf, _TF_MAX))

    def get(self, token: int) -> np.ndarray | None:
        part = self.data[self.offsets[token]:self.offsets[token + 1]] if token + 1 < len(self.offsets) else None
        more = self.extra.get(token)
        if more:
            added = np.asarray(more, dtype=np.uint32)
            part = added if part is None or not len(part) else np.concatenate([part, added])
        return part if part is not None and len(part) else None

    @property
    def pending(self) -> int:
        return sum(len(v) for v in self.extra.values())


class Matcher:
    """An index over active claims. One per process, updated in place when a claim changes."""

    def __init__(self, claims: Iterable[Claim] = (), *, synonyms: Synonyms | None = None,
                 thresholds: Thresholds | None = None, weights: Weights | None = None) -> None:
        self.synonyms = synonyms or Synonyms()
        self.thresholds = thresholds or Thresholds()
        self.weights = weights or Weights()
        self._vocab: dict[str, int] = {}
        self._words: list[str] = []
        self._word_ids: dict[str, int] = {}
        self._name_stems: set[str] = set()  # words the claims write as names (Russia, FLA), stemmed
        self._roles_cache: dict[str, tuple[Claim, roles.ClaimWords]] = {}
        self._build([c for c in claims if c.active])
        if self._flat.size > 100_000:
            _release_freed_memory()

    # --- building -----------------------------------------------------
    def _token_id(self, token: str) -> int:
        found = self._vocab.get(token)
        if found is None:
            found = self._vocab[token] = len(self._words)
            self._words.append(token)
        return found

    def _word_id(self, word: str) -> int:
        """The token id of a folded word (-1 for a stop word), remembered."""
        found = self._word_ids.get(word)
        if found is None:
            found = self._word_ids[word] = -1 if word in STOP_WORDS else self._token_id(stem(word))
        return found

    def _encode(self, claim: Claim, out: array) -> None:
        """Append the claim's phrases as token ids, each phrase closed by its end marker."""
        known = self._word_ids
        word_id = self._word_id
        for texts, end in (((claim.title,) if claim.title else ()) + tuple(claim.aliases), _END_NAME), \
                          (tuple(claim.text.values()), _END_TEXT):
            for text in texts:
                for raw in _INSIDE_NAME.findall(text):
                    self._name_stems.add(stem(fold(raw)))
                opening = _OPENING_NAME.match(text)  # "Niamey Kyiv rupture", not "Did Ukraine…"
                if opening and fold(opening.group(1)) not in _QUESTION_WORDS:
                    self._name_stems.add(stem(fold(opening.group(1))))
                words = fold(text).split()
                ids = [i for i in (known[w] if w in known else word_id(w) for w in words) if i >= 0]
                ids.extend(self._token_id(t) for t in self.synonyms.expand(words))
                if ids:
                    out.extend(ids)
                    out.append(end)

    def _build(self, claims: list[Claim], flat: np.ndarray | None = None, lengths: np.ndarray | None = None) -> None:
        """Index claims from scratch (flat, lengths: their token ids when already known)."""
        if flat is None or lengths is None:
            encoded = array("i")
            sizes = array("q")
            for claim in claims:
                before = len(encoded)
                self._encode(claim, encoded)
                sizes.append(len(encoded) - before)
            flat = np.frombuffer(encoded, dtype=np.int32).copy()
            lengths = np.frombuffer(sizes, dtype=np.int64).copy()
            del encoded, sizes
        self._claims: list[Claim | None] = list(claims)
        self._slot_of = {c.id: i for i, c in enumerate(claims)}
        self._live = _Growing(np.bool_, len(claims) + 64)
        self._live.extend(np.ones(len(claims), dtype=np.bool_))
        ends = np.cumsum(lengths)
        self._starts = _Growing(np.int64, len(claims) + 64)
        self._starts.extend(ends - lengths)
        self._ends = _Growing(np.int64, len(claims) + 64)
        self._ends.extend(ends)
        self._flat = _Growing(np.int32, len(flat) + 1024)
        self._flat.extend(flat)
        self._text_len = _Growing(np.float32, len(claims) + 64)
        self._name_len = _Growing(np.float32, len(claims) + 64)
        self._text = _Postings()
        self._names = _Postings()
        self._df = np.zeros(len(self._words) + 1024, dtype=np.int32)
        self._acc = np.zeros(len(claims) + 64, dtype=np.float64)  # BM25F scratch, all zeros between uses
        self._dead = 0
        self._idf_cache: np.ndarray | None = None
        self._norms: tuple | None = None
        vocabulary = len(self._words)
        flat = self._flat.view()
        if not len(claims):
            self._totals = [0.0, 0.0]
            self._build_typos()
            return
        slot_of_pos = np.repeat(np.arange(len(claims), dtype=np.int64), lengths)
        is_end = flat < 0
        end_positions = np.flatnonzero(is_end)
        # each token belongs to the phrase closed by the next end marker
        phrase_kind = flat[end_positions][np.searchsorted(end_positions, np.arange(len(flat)))]
        tokens = ~is_end
        tok, slot, kind = flat[tokens].astype(np.int64), slot_of_pos[tokens], phrase_kind[tokens]
        for postings, lens, marker in ((self._text, self._text_len, _END_TEXT), (self._names, self._name_len, _END_NAME)):
            mine = kind == marker
            lens.extend(np.bincount(slot[mine], minlength=len(claims)).astype(np.float32))
            keys, tf = _unique_counts(tok[mine] * len(claims) + slot[mine])
            postings.build(keys // len(claims), (keys % len(claims)) << _TF_BITS | np.minimum(tf, _TF_MAX), vocabulary)
        unique_pairs = _unique_counts(tok * len(claims) + slot)[0] // len(claims)
        self._df[:vocabulary] = np.bincount(unique_pairs, minlength=vocabulary)
        self._totals = [float(self._text_len.view().sum()), float(self._name_len.view().sum())]
        self._build_typos()

    def _build_typos(self) -> None:
        """A deletion index (one letter dropped) over the indexed words, as sorted hashes."""
        keys: list[int] = []
        owners: list[int] = []
        for token_id, word in enumerate(self._words):
            if self._df[token_id] > 0 and _correctable(word):
                for variant in _deletions(word):
                    keys.append(hash(variant))
                    owners.append(token_id)
        order = np.argsort(np.asarray(keys, dtype=np.int64), kind="stable")
        self._typo_keys = np.asarray(keys, dtype=np.int64)[order]
        self._typo_owners = np.asarray(owners, dtype=np.int32)[order]
        self._typo_extra: dict[int, list[int]] = {}

    def _compact(self) -> None:
        """Rebuild the arrays over the live claims only."""
        live = np.flatnonzero(self._live.view())
        starts, ends = self._starts.view()[live], self._ends.view()[live]
        lengths = ends - starts
        positions = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths) \
            + np.repeat(starts, lengths)
        claims = [self._claims[s] for s in live.tolist()]
        self._build(claims, self._flat.view()[positions], lengths)  # type: ignore[arg-type]
        if self._flat.size > 100_000:
            _release_freed_memory()

    # --- index upkeep -------------------------------------------------
    def __len__(self) -> int:
        return len(self._slot_of)

    def __contains__(self, claim_id: str) -> bool:
        return claim_id in self._slot_of

    def upsert(self, claim: Claim) -> None:
        """Index a claim, replacing any earlier version; retired claims leave the index."""
        self.remove(claim.id)
        self._roles_cache.clear()  # the claim may write a new word as a name
        if not claim.active:
            return
        encoded = array("i")
        self._encode(claim, encoded)
        slot = len(self._claims)
        self._claims.append(claim)
        self._slot_of[claim.id] = slot
        self._live.append(True)
        self._starts.append(self._flat.size)
        self._flat.extend(encoded)
        self._ends.append(self._flat.size)
        if len(self._df) < len(self._words):
            grown = np.zeros(2 * len(self._words), dtype=np.int32)
            grown[:len(self._df)] = self._df
            self._df = grown
        counts: list[dict[int, int]] = [{}, {}]
        phrase: list[int] = []
        for value in encoded:
            if value >= 0:
                phrase.append(value)
                continue
            bucket = counts[0] if value == _END_TEXT else counts[1]
            for tok in phrase:
                bucket[tok] = bucket.get(tok, 0) + 1
            phrase = []
        for postings, lens, bucket, i in ((self._text, self._text_len, counts[0], 0),
                                          (self._names, self._name_len, counts[1], 1)):
            for tok, tf in bucket.items():
                postings.add(tok, slot, tf)
            length = float(sum(bucket.values()))
            lens.append(length)
            self._totals[i] += length
        for tok in set(counts[0]) | set(counts[1]):
            if self._df[tok] == 0:
                word = self._words[tok]
                if _correctable(word):
                    for variant in _deletions(word):
                        self._typo_extra.setdefault(hash(variant), []).append(tok)
            self._df[tok] += 1
        self._idf_cache = None
        self._norms = None

    def remove(self, claim_id: str) -> None:
        slot = self._slot_of.pop(claim_id, None)
        if slot is None:
            return
        segment = self._flat.view()[self._starts.view()[slot]:self._ends.view()[slot]]
        present = np.unique(segment[segment >= 0])
        self._df[present] -= 1
        self._totals[0] -= float(self._text_len.view()[slot])
        self._totals[1] -= float(self._name_len.view()[slot])
        self._live.view()[slot] = False
        self._claims[slot] = None
        self._dead += 1
        self._idf_cache = None
        self._norms = None
        if self._dead > max(256, len(self._slot_of) // 4) or \
                self._text.pending + self._names.pending > max(4096, len(self._text.data) // 4):
            self._compact()

    # --- querying -----------------------------------------------------
    def _idf(self) -> np.ndarray:
        """Per token id: log(1 + (N - df + 0.5) / (df + 0.5)), N the live claims."""
        if self._idf_cache is None:
            n = max(len(self._slot_of), 1)
            df = self._df[:len(self._words)].astype(np.float64)
            self._idf_cache = np.log1p((n - df + 0.5) / (df + 0.5))
        return self._idf_cache

    def _unknown_idf(self) -> float:
        n = max(len(self._slot_of), 1)
        return math.log1p((n + 0.5) / 0.5)

    def _correct(self, word: str, name: bool = False) -> int | None:
        """The indexed word with the same first letter within one or two edits of word (fewest edits,
        then most common); for a name as written (Chad), only a word the claims write as a name."""
        if not _correctable(word):
            return None
        limit = 1 if len(word) <= 6 else 2
        hashes = np.fromiter((hash(v) for v in _deletions(word)), dtype=np.int64)
        lo = np.searchsorted(self._typo_keys, hashes, side="left")
        hi = np.searchsorted(self._typo_keys, hashes, side="right")
        found: set[int] = set()
        for a, b in zip(lo.tolist(), hi.tolist()):
            if b > a:
                found.update(self._typo_owners[a:b].tolist())
        for h in hashes.tolist():
            found.update(self._typo_extra.get(h, ()))
        best: tuple[int, int, str] | None = None
        for tok in found:
            if self._df[tok] <= 0:
                continue
            candidate = self._words[tok]
            if name and candidate not in self._name_stems:
                continue
            if candidate[0] != word[0]:  # typos rarely hit the first letter; guessing there mostly misleads
                continue
            dist = OSA.distance(word, candidate, score_cutoff=limit)
            if dist <= limit:
                key = (dist, -int(self._df[tok]), candidate)
                if best is None or key < best:
                    best = key
        return self._vocab[best[2]] if best else None

    def _query(self, query: str) -> _Question:
        """The question's token ids, their weights (idf, lower for corrected typos), its ids in order, the
        weight of its unknown words, and its proper names."""
        text = clean(query[:MAX_QUERY_CHARS])
        words = _SE_PASSER.sub("happen", fold(text)).split()
        toks = [stem(w) for w in words if w not in STOP_WORDS]
        spans = self.synonyms.spans(words)
        names, openers = self._names_and_openers(query[:MAX_QUERY_CHARS])
        written_as_names = {stem(w) for w in names + openers}
        idf = self._idf()
        ids: list[int] = []
        weights: list[float] = []
        ordered: list[int] = []
        unknown = 0.0
        seen: dict[str, int] = {}
        canons = [canon for _, _, canon in spans]
        # "Kiev a réagi…": the country a capital stands for, weighed as a corrected word
        countries = [roles.CAPITALS[t] for t in toks + canons if t in roles.CAPITALS]
        first_country = len(toks) + len(canons)
        for position, word in enumerate(toks + canons + countries):
            if word in seen:
                if position < len(toks) and seen[word] >= 0:
                    ordered.append(seen[word])
                continue
            if len(seen) >= MAX_QUERY_TOKENS:
                break
            token_id = self._vocab.get(word)
            factor = 1.0 if position < first_country else self.weights.corrected
            if token_id is None or self._df[token_id] <= 0:
                token_id = self._correct(word, word in written_as_names)
                factor = self.weights.corrected
            if token_id is None:
                seen[word] = -1
                unknown += 0.0 if word in GENERIC_STEMS else self._unknown_idf()
                continue
            seen[word] = token_id
            if position < len(toks):
                ordered.append(token_id)
            if token_id in ids:  # two words corrected to the same one
                continue
            ids.append(token_id)
            weights.append(factor * float(idf[token_id]))
        units = self._name_units(names, openers, words, spans, seen, dict(zip(ids, weights)))
        return _Question(ids, weights, ordered, unknown, units, query[:MAX_QUERY_CHARS],
                         (words, spans, names, openers, seen))

    def _sentences(self, question: _Question) -> list[roles.Sentence]:
        """Each sentence of a question as the role and number checks read it; a question of one sentence is
        read from what _query found in it."""
        pieces = [p for p in SENTENCE_END.split(question.text) if p.strip()]
        if len(pieces) == 1 and question.parts is not None:
            words, spans, names, openers, seen = question.parts
            return [self._sentence(words, spans, names, openers, seen, question.text)]
        out = []
        for sentence in pieces:
            words = fold(clean(sentence)).split()
            out.append(self._sentence(words, self.synonyms.spans(words), *self._names_and_openers(sentence), {}, sentence))
        return out

    def _sentence(self, words: list[str], spans: list[tuple[int, int, str]], names: list[str], openers: list[str],
                  seen: dict[str, int], text: str = "") -> roles.Sentence:
        tokens = {stem(w) for w in words if w not in STOP_WORDS}
        found = {w: seen[w] if w in seen else (self._correct(w, w in names) if w not in self._vocab else None)
                 for w in tokens}
        known = {w: self._words[t] for w, t in found.items() if t is not None and t >= 0}
        asked = frozenset(tokens | {canon for _, _, canon in spans} | set(known.values()))
        # a first word the claims write as a name is one (Russia helped…); so is one they lack (Niamey broke…)
        first = set(names) | {w for w in openers if w not in _QUESTION_WORDS
                              and (stem(w) in self._name_stems or stem(w) not in self._vocab)}
        # the subject: a name that is the sentence's first word besides question and stop words
        # (Did Russia…, Why did Russia…, not Which country broke off relations with Ukraine)
        at = next((i for i, w in enumerate(words) if w not in _QUESTION_WORDS), None)
        lead: set[str] = set()
        if at is not None and words[at] in first:
            word = stem(words[at])
            lead = {canon for start, length, canon in spans if start <= at < start + length}
            if word in self._vocab:
                lead.add(word)
            elif word in known:
                lead.add(known[word])
        sentence = roles.Sentence(roles.with_countries(lead), roles.with_countries(asked), roles.number_facts(words),
                                  asking=roles.asking(words), is_question=roles.is_question(text, words),
                                  dated=roles.dated(words))
        if not lead and roles.PARTNER.isdisjoint(words) and roles.AGENT.isdisjoint(words):
            return sentence
        # "…ties with Mali": the question's names and the names the claims write, lower case too
        canon = roles.variants(words, lambda _: spans)
        for i, w in enumerate(words):  # typos corrected too
            if stem(w) in known:
                canon.setdefault(i, set()).add(known[stem(w)])
        is_name = (lambda w: w not in roles.DETERMINERS and (w in first or w in names or self._is_name(w)))
        relations = tuple(roles.relations(words, canon, is_name))
        stems = [roles.tokens_at(words, i, canon) for i in range(len(words))]
        joined = frozenset((a, b) for first_word, second in zip(stems, stems[1:]) for a in first_word for b in second)
        if not lead:  # "Were the rebels trained by Russia?": Russia acts (a yes-no question, not "Que répond…")
            agent = next((i for i, w in enumerate(words) if is_name(w) and roles.acts_from(words, i)), None)
            if not roles.yes_no(words):
                agent = None
            if agent is None:
                return replace(sentence, relations=relations)
            return replace(sentence, lead=stems[agent], relations=relations, joined=joined)
        second, speaks, where = roles.after_lead(words, at, stems, is_name)  # type: ignore[arg-type]
        predicate = roles.predicate(words, at, stems, is_name)
        written = where is not None and (words[where] in names or words[where] in first)
        if where is not None and roles.acts_from(words, where):  # the subject receives: the second name acts
            return replace(sentence, lead=roles.with_countries(second), relations=relations, joined=joined,
                           second=sentence.lead, second_written=True, predicate=predicate)
        return replace(sentence, relations=relations, joined=joined, second=second, speaks=speaks,
                       second_written=written, lead_role=roles.holds_role(words, at),  # type: ignore[arg-type]
                       predicate=predicate, receives=roles.receives(words, at, predicate),
                       second_placed=where is not None and roles.placed(words, where))

    def _name_units(self, names: list[str], openers: list[str], words: list[str], spans: list[tuple[int, int, str]],
                    seen: dict[str, int], weight_of: dict[int, float]) -> list[tuple[list[int], float]]:
        """Each proper name of the question as the token ids that stand for it (its stem, and the canonical
        token of a name variant it is part of; none when no claim has it) and its weight."""
        out: dict[tuple, tuple[list[int], float]] = {}
        openers = [w for w in openers if w not in _QUESTION_WORDS and len(w) > 1]  # not "Combien…"
        # "Russia trained…": a first word the claims write as a name is one here too
        named_openers = [w for w in openers if seen.get(stem(w), -1) >= 0 and self._words[seen[stem(w)]] in self._name_stems]
        for name in dict.fromkeys(names + named_openers):
            keys = [] if name in STOP_WORDS else [stem(name)]
            keys += [canon for start, length, canon in spans if name in words[start:start + length]]
            known = [seen[k] for k in keys if k in seen]
            if not known:  # a stop word, or past the question's token limit
                continue
            found = sorted({t for t in known if t >= 0})
            if found:
                out.setdefault(tuple(found), (found, max(weight_of[t] for t in found)))
            else:
                out[(name,)] = ([], self._unknown_idf())
        for opener in openers:  # "Macron said…": a word no claim has, capitalised, is a name too
            if seen.get(stem(opener)) == -1:
                out[(opener,)] = ([], self._unknown_idf())
        return list(out.values())

    def query_tokens(self, query: str) -> list[str]:
        """The indexed words a query is matched on (typos corrected); for debugging and tests."""
        return [self._words[i] for i in self._query(query).ids]

    def _length_norms(self) -> tuple[np.ndarray, np.ndarray]:
        """Per claim, BM25's length normalisation of its texts and of its names (over the names weight)."""
        w = self.weights
        key = (len(self._claims), len(self._slot_of), w.b, w.names)
        if self._norms is None or self._norms[0] != key:
            n = max(len(self._slot_of), 1)
            text = 1.0 - w.b + w.b * self._text_len.view() / max(self._totals[0] / n, 1.0)
            names = (1.0 - w.b + w.b * self._name_len.view() / max(self._totals[1] / n, 1.0)) / max(w.names, 1e-9)
            self._norms = (key, text, names)
        return self._norms[1], self._norms[2]

    def _bm25(self, ids: list[int], weights: list[float]) -> np.ndarray:
        """BM25F: each word's frequency in the texts and (weighted) in title and aliases, each
        normalised by its field's length, is summed before saturation."""
        w = self.weights
        size = len(self._claims)
        scores = np.zeros(size, dtype=np.float64)
        if len(self._acc) < size:
            self._acc = np.zeros(max(size, 2 * len(self._acc)), dtype=np.float64)
        acc = self._acc
        text_norm, name_norm = self._length_norms()
        k1 = w.k1
        for token_id, weight in zip(ids, weights):
            in_text = self._text.get(token_id)
            in_names = self._names.get(token_id) if w.names > 0 else None
            if in_text is not None:
                text_slots = in_text >> _TF_BITS
                acc[text_slots] = (in_text & _TF_MAX) / text_norm[text_slots]
            if in_names is not None:
                name_slots = in_names >> _TF_BITS
                acc[name_slots] += (in_names & _TF_MAX) / name_norm[name_slots]
            if in_text is not None:  # claims with the word in their texts (and maybe in names too)
                tf = acc[text_slots]
                scores[text_slots] += weight * tf * (k1 + 1.0) / (tf + k1)
                acc[text_slots] = 0.0
            if in_names is not None:  # claims with the word in names only (the others are now 0)
                tf = acc[name_slots]
                scores[name_slots] += weight * tf * (k1 + 1.0) / (tf + k1)
                acc[name_slots] = 0.0
        if self._dead:
            scores[~self._live.view()] = 0.0
        return scores

    def features(self, query: str, candidates: int | None = None) -> tuple[list[int], np.ndarray]:
        """The candidate slots for query and their feature matrix (one row each, columns FEATURES)."""
        return self._features(query, candidates)[1:]

    def _features(self, query: str, candidates: int | None = None) -> tuple[_Question, list[int], np.ndarray]:
        question = self._query(query)
        ids = question.ids
        if not ids or not self._slot_of:
            return question, [], np.zeros((0, len(FEATURES)))
        scores = self._bm25(ids, question.weights)
        hits = np.flatnonzero(scores)
        if not len(hits):
            return question, [], np.zeros((0, len(FEATURES)))
        count = min(candidates or self.weights.candidates, len(hits))
        if count < len(hits):
            # the count best, and every claim tied with the last of them, then earlier claims first
            cut = np.partition(scores[hits], len(hits) - count)[len(hits) - count]
            hits = hits[scores[hits] >= cut]
        slots = hits[np.lexsort((hits, -scores[hits]))][:count]
        return question, slots.tolist(), self._feature_rows(slots, scores, question)

    def _check_roles(self, question: _Question, slots: list[int], scores: np.ndarray) -> dict[int, float]:
        """Lower, in place, the scores of the claims (those at ROLES_FLOOR or more) that, against the question's
        sentence closest to them, act on its subject or swap its roles, lack its second name, have its relation
        with another name, state other numbers, or ask another question (knowledge/roles.py)."""
        sentences = self._sentences(question)
        w = self.weights
        numbers_only: dict[int, float] = {}
        for i in np.flatnonzero(scores >= ROLES_FLOOR).tolist():
            before = float(scores[i])
            words = self._claim_words(self._claims[slots[i]])  # type: ignore[arg-type]
            sentence = roles.closest(sentences, words)
            acts = sentence.lead and roles.acts_on_other(sentence, words)
            if acts:
                scores[i] *= 1.0 - (w.swap_gate if acts == roles.SWAPPED else w.role_gate)
            elif (roles.lacks_lead(sentence, words) and self._known_name(sentence.lead)) \
                    or roles.speaks_of_other(sentence, words):
                scores[i] *= 1.0 - w.role_gate
            if roles.lacks_predicate(sentence, words) or roles.only_opposed(sentence, words):
                scores[i] *= 1.0 - w.role_gate
            if roles.lacks_second(sentence, words) and self._known_name(sentence.second):
                scores[i] *= 1.0 - w.role_gate
            if roles.other_partner(sentence.relations, words):
                scores[i] *= 1.0 - w.role_gate
            unchanged = float(scores[i]) == before
            if roles.other_numbers(sentence.numbers, words) or roles.lacks_year(sentence, words):
                scores[i] *= 1.0 - w.number_gate
            if roles.asks_otherwise(sentence.asking, sentence.asked, words):
                scores[i] *= 1.0 - w.role_gate
            elif unchanged and float(scores[i]) != before:
                numbers_only[i] = before
        return numbers_only

    def _claim_words(self, claim: Claim) -> roles.ClaimWords:
        """The claim's phrases as roles reads them, kept for the last ROLES_KEPT claims checked."""
        kept = self._roles_cache.get(claim.id)
        if kept is not None and kept[0] is claim:
            return kept[1]
        words = roles.claim_words(claim, self.synonyms.spans, self._is_name)
        self._roles_cache[claim.id] = (claim, words)
        while len(self._roles_cache) > ROLES_KEPT:
            del self._roles_cache[next(iter(self._roles_cache))]
        return words

    def _known_name(self, tokens: frozenset[str]) -> bool:
        """Whether the claims write one of tokens as a name (a name no claim has is left to the features)."""
        return any(t in self._name_stems or stem(t) in self._name_stems for t in tokens)  # eigs: a variant's

    def _names_and_openers(self, text: str) -> tuple[list[str], list[str]]:
        """names_and_openers of a question; one typed all in lower case or all in capitals ("did russia train
        the fla?", "Did ukraine help…?") is first written with capitals on the words the claims write as names (typos too), on the
        other words of their name variants ("al qaeda") and on known_names() ("putin"), lower case elsewhere."""
        if not _case_blind(text):
            return names_and_openers(text)
        words = fold(clean(text)).split()
        variants = {w for start, length, canon in self.synonyms.spans(words) for w in words[start:start + length]
                    if self._is_name(canon) or any(self._is_name(v) for v in words[start:start + length])}
        return names_and_openers(_RAW_WORD.sub(lambda m: self._as_claims_write(m.group(), variants), text))

    def _as_claims_write(self, raw: str, variants: set[str]) -> str:
        word = raw.lower()
        folded = fold(word)
        if folded in _QUESTION_WORDS or folded in _NOT_NAMES:
            return word
        if folded in variants or folded in known_names() or self._is_name(folded) or (
                stem(folded) not in self._vocab and self._correct(folded, name=True) is not None):
            return word[:1].upper() + word[1:]
        return word

    def _is_name(self, word: str) -> bool:
        return word not in _NOT_NAMES and stem(word) in self._name_stems

    def _feature_rows(self, slots: np.ndarray, scores: np.ndarray, question: _Question) -> np.ndarray:
        ids, weights, ordered, unknown = question.ids, question.weights, question.ordered, question.unknown
        k = len(slots)
        idf = self._idf()
        starts, ends = self._starts.view()[slots], self._ends.view()[slots]
        lengths = ends - starts
        # every token position of every candidate, in candidate order, with its row and its phrase number
        row = np.repeat(np.arange(k), lengths)
        offsets = np.repeat(np.cumsum(lengths) - lengths - starts, lengths)
        values = self._flat.view()[np.arange(int(lengths.sum())) - offsets]
        is_end = values < 0
        phrase = np.cumsum(is_end) - is_end
        phrases = len(phrase) and int(phrase[-1]) + 1
        phrase_row = row[is_end]
        row_first_phrase = np.searchsorted(phrase_row, np.arange(k))
        tok = np.where(is_end, 0, values).astype(np.int64)
        # the question's words among them: index into the question's words, or -1
        order = np.argsort(ids)
        query_ids = np.asarray(ids, dtype=np.int64)[order]
        query_weights = np.asarray(weights, dtype=np.float64)[order]
        at = np.minimum(np.searchsorted(query_ids, tok), len(query_ids) - 1)
        in_query = (query_ids[at] == tok) & ~is_end
        hits = np.flatnonzero(in_query)
        query_mass = float(query_weights.sum()) + unknown
        weight_of = np.where(is_end, 0.0, idf[tok])
        # share of each phrase's weight found in the question
        phrase_mass = np.bincount(phrase, weights=weight_of, minlength=phrases)
        phrase_hit = np.bincount(phrase, weights=weight_of * in_query, minlength=phrases)
        cover = np.divide(phrase_hit, phrase_mass, out=np.zeros(phrases), where=phrase_mass > 0)
        # share of the question's weight in each phrase, and in each claim (each word once)
        in_phrase = np.zeros((phrases, len(query_ids)))
        in_phrase[phrase[hits], at[hits]] = 1.0
        recall = in_phrase @ query_weights / query_mass
        in_claim = np.zeros((k, len(query_ids)))
        in_claim[row[hits], at[hits]] = 1.0
        query_cover = in_claim @ query_weights / query_mass
        f1 = np.divide(2 * cover * recall, cover + recall, out=np.zeros(phrases), where=(cover + recall) > 0)
        is_text = values[is_end] == _END_TEXT
        long_enough = np.bincount(phrase, weights=~is_end, minlength=phrases) >= 4
        per_phrase = np.column_stack([np.where(is_text, cover, 0.0), np.where(is_text, 0.0, cover), f1,
                                      np.where(long_enough, cover, 0.0)])
        # best text, best title or alias, phrase closest to the question, best long phrase contained in it
        text_cover, name_cover, phrase_f1, contained = np.maximum.reduceat(per_phrase, row_first_phrase, axis=0).T
        # share of the question's adjacent word pairs that are adjacent in one of the claim's phrases
        pairs = np.zeros(k)
        wanted = np.array(sorted({a * _PAIR_BASE + b for a, b in zip(ordered, ordered[1:]) if a != b}), dtype=np.int64)
        if len(wanted) and len(hits) > 1:
            claim_pairs = tok[:-1] * _PAIR_BASE + tok[1:]
            where = np.minimum(np.searchsorted(wanted, claim_pairs), len(wanted) - 1)
            hit = np.flatnonzero((wanted[where] == claim_pairs) & in_query[:-1] & in_query[1:])
            if len(hit):
                found = np.zeros((k, len(wanted)))
                found[row[hit], where[hit]] = 1.0
                pairs = found.sum(axis=1) / len(wanted)
        # share of the question's weight that is not a proper name missing from the claim
        proper = np.ones(k)
        rest_weights, rest_unknown = query_weights, unknown
        if question.names:
            stands_for = np.zeros((len(query_ids), len(question.names)))
            name_ids = [t for ids_of_name, _ in question.names for t in ids_of_name]
            of_name = [j for j, (ids_of_name, _) in enumerate(question.names) for _ in ids_of_name]
            stands_for[np.searchsorted(query_ids, name_ids), of_name] = 1.0
            name_weights = np.array([w for _, w in question.names])
            proper = np.maximum(1.0 - ((in_claim @ stands_for) == 0) @ name_weights / query_mass, 0.0)
            generic = np.array([self._words[t] in GENERIC_STEMS for t in query_ids.tolist()], dtype=bool)
            rest_weights = np.where(stands_for.any(axis=1) | generic, 0.0, query_weights)
            rest_unknown = max(unknown - sum(w for ids_of_name, w in question.names if not ids_of_name), 0.0)
        # share of the weight of the question's other words the claim has
        rest_mass = float(rest_weights.sum()) + rest_unknown
        rest = in_claim @ rest_weights / rest_mass if rest_mass > 0 else np.ones(k)
        bm25 = _saturate(scores[slots] / query_mass)
        return np.column_stack([bm25, query_cover, text_cover, name_cover, pairs, phrase_f1, contained, proper, rest])

    def rank(self, query: str, top: int = 5) -> list[Match]:
        """The best claims for query, best first, each with a 0-100 score."""
        question, slots, rows = self._features(query, max(self.weights.candidates, top))
        if not slots:
            return []
        scores = combine(rows, self.weights.feature_weights(), self.weights.rest_gate)
        numbers_only = self._check_roles(question, slots, scores) if scores.max() >= ROLES_FLOOR else {}
        order = np.lexsort((np.asarray(slots), -scores))[:top]  # ties: the claim indexed first
        return [Match(self._claims[slots[i]], round(float(scores[i]), 1),  # type: ignore[arg-type]
                      round(numbers_only[i], 1) if i in numbers_only else None) for i in order]

    def search(self, query: str, top: int = 3, thresholds: Thresholds | None = None) -> SearchResult:
        """Rank, then decide: one confident answer, a few suggestions, or none."""
        t = thresholds or self.thresholds
        matches = self.rank(query, top=max(top, 2))
        outcome, matches = decide_with_numbers(matches, t)
        return SearchResult(query, outcome, matches[:top])

    def claim_at(self, slot: int) -> Claim | None:
        return self._claims[slot]


def combine(rows: np.ndarray, feature_weights: np.ndarray, rest_gate: float) -> np.ndarray:
    """Scores 0-100 from feature rows (last axis FEATURES): the weighted mean, lowered by up to rest_gate
    when rest_cover is under REST_FLOOR."""
    scores = 100.0 * (rows @ feature_weights)
    if rest_gate:
        scores = scores * (1.0 - rest_gate * np.clip(1.0 - rows[..., _REST] / REST_FLOOR, 0.0, 1.0))
    return scores


def decide(matches: Sequence[Match], t: Thresholds) -> str:
    if not matches or matches[0].score < t.suggest:
        return NONE
    if matches[0].score >= t.answer and (len(matches) < 2 or matches[0].score - matches[1].score >= t.margin):
        return ANSWER
    return SUGGEST


def decide_with_numbers(matches: list[Match], t: Thresholds) -> tuple[str, list[Match]]:
    """decide, and where it finds nothing, a claim that only its dates or numbers kept from an answer
    ("Did Niger break ties with Ukraine on August 4?": 6 August) as the first suggestion."""
    outcome = decide(matches, t)
    if outcome == NONE:
        near = next((m for m in matches if m.other_numbers_from is not None and m.other_numbers_from >= t.answer), None)
        if near is not None:
            return SUGGEST, [near, *(m for m in matches if m is not near)]
    return outcome, matches


def _unique_counts(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct keys and how often each occurs (sorting beats numpy's hashing here)."""
    if not len(keys):
        return keys, np.zeros(0, dtype=np.int64)
    keys = np.sort(keys)
    starts = np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1]]))
    return keys[starts], np.diff(np.append(starts, len(keys)))


def _release_freed_memory() -> None:
    """Give the bulk build's freed temporaries back to the OS (glibc keeps them in its heap otherwise)."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


def _saturate(share: np.ndarray) -> np.ndarray:
    """BM25 over the question's weight (about 1 when a claim has each word once) into 0..1:
    unchanged up to 0.5, then bending smoothly towards 1, so that claims that have every word of a
    short question still differ."""
    return np.where(share <= 0.5, share, 1.0 - 0.5 * np.exp(-2.0 * (share - 0.5)))


def _correctable(word: str) -> bool:
    return len(word) >= 4 and not word.isdigit()


def _deletions(word: str) -> set[str]:
    return {word} | {word[:i] + word[i + 1:] for i in range(len(word))}


def weights_with(base: Weights, **changes: float) -> Weights:
    """A copy of base with some fields changed (bench/tune.py)."""
    values = {f.name: getattr(base, f.name) for f in fields(base)}
    values.update(changes)
    return Weights(**values)
