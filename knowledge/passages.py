"""Search a long text (a forwarded post, a caption): cut it into passages and keep each claim's best score."""

from __future__ import annotations

import re

from .base import ClaimBase
from .matcher import Match, SearchResult, Thresholds, decide_with_numbers
from .text import SENTENCE_END

MAX_INPUT_CHARS = 4096      # a Telegram message at most; longer input is cut
PASSAGE_CHARS = 400         # one or two sentences: a claim is usually stated in one
MAX_PASSAGES = 16
MIN_SENTENCE_WORDS = 5      # searched on its own when the text has several sentences
MAX_SENTENCES = 48


def passages(text: str, size: int = PASSAGE_CHARS, limit: int = MAX_PASSAGES) -> list[str]:
    """Sentences packed into passages of at most size characters, in order, at most limit of them."""
    out: list[str] = []
    current = ""
    for sentence in SENTENCE_END.split(text):
        sentence = sentence.strip()
        while len(sentence) > size:  # a run-on sentence: cut at a space
            cut = sentence.rfind(" ", 0, size)
            cut = cut if cut > size // 2 else size
            _push(out, current)
            current = ""
            _push(out, sentence[:cut])
            sentence = sentence[cut:].strip()
        if not sentence:
            continue
        if current and len(current) + 1 + len(sentence) > size:
            _push(out, current)
            current = sentence
        else:
            current = f"{current} {sentence}" if current else sentence
    _push(out, current)
    return out[:limit]


def _push(out: list[str], passage: str) -> None:
    if passage.strip():
        out.append(passage.strip())


def sentences(text: str, min_words: int = MIN_SENTENCE_WORDS, limit: int = MAX_SENTENCES) -> list[str]:
    """The distinct sentences of text with at least min_words words (a bare name is not a claim); beyond
    limit, the first and the last limit / 2 (a post states its claim first or last)."""
    out = list(dict.fromkeys(s.strip() for s in SENTENCE_END.split(text) if len(s.split()) >= min_words))
    return out if len(out) <= limit else out[:limit // 2] + out[-(limit // 2):]


def search_text(base: ClaimBase, text: str, top: int = 3, thresholds: Thresholds | None = None) -> SearchResult:
    """Like ClaimBase.search, for texts of any length: long ones are searched passage by passage, and a text
    of several sentences sentence by sentence too (a claim pasted after "Wow." or a page of other talk)."""
    text = text[:MAX_INPUT_CHARS].strip()
    pieces = [text] if len(text) <= PASSAGE_CHARS else passages(text)
    alone = sentences(text)
    if len(alone) > 1 or len(pieces) > 1 or (alone and alone[0] != text):  # "… Honte à Kiev !" too
        pieces += [s for s in alone if s not in pieces]
    if len(pieces) == 1:
        return base.search(text, top=top, thresholds=thresholds)
    best: dict[str, Match] = {}
    for passage in pieces:
        for match in base.search(passage, top=max(top, 2), thresholds=thresholds).matches:
            known = best.get(match.id)
            if known is None or match.score > known.score:
                best[match.id] = match
    ranked = sorted(best.values(), key=lambda m: (-m.score, m.claim.id))
    outcome, ranked = decide_with_numbers(ranked, thresholds or base.matcher.thresholds)
    return SearchResult(text, outcome, ranked[:top])
