"""Two checks on a claim that shares a question's words but may say something else of them.

Roles: "Did Russia help jihadists in Mali?" shares every word with "Ukraine … supports the rebels (hence,
indirectly, the jihadists in Mali) … to export the war against the Russians", but there Russia is what
Ukraine acts against. A claim acts on the question's first name when, in every phrase of the claim that
has that name, another name the question does not mention comes before it.

Numbers: "Did JNIM carry out 50 drone attacks?" is not about the claim that says "at least 17": a claim
that states numbers, none of them the question's, states a different fact.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from .model import Claim
from .text import STOP_WORDS, fold, stem

NAME_PREFIX = 4  # Russia / Russian, Mali / Malian: one name when one word starts the other
# "Mali accuses Kyiv of…", "Yusov said the FLA…": who speaks of the subject, not who acts on it
REPORTING = frozenset("""say says said saying claim claims claimed accuse accuses accused accusing state states stated
report reports reported affirm affirms affirmed assert asserts asserted announce announces announced declare
declares declared dit dire disent disait affirme affirment accuse accusent accusait declare declarent annonce
annoncent assure assurent estime estiment selon according""".split())
SPEAKER_REACH = 3  # the subject this many words at most after the reporting verb


_REPORTING_STEMS = frozenset(stem(w) for w in REPORTING)


@dataclass(frozen=True)
class Phrase:
    """A claim's title, alias or text as its content words (each: its stem and the canonical tokens of the
    name variants it is part of), whether each is a name as the claims write it, and whether each follows
    the one before with no stop word between (Hussein Ghulam, not Wagner in Mali)."""

    words: tuple[frozenset[str], ...]
    names: tuple[bool, ...]
    joined: tuple[bool, ...]

    def same_name_as_next(self, i: int) -> bool:
        """Whether words i and i + 1 are one name."""
        return self.names[i] and self.names[i + 1] and self.joined[i + 1]


@dataclass(frozen=True)
class ClaimWords:
    phrases: tuple[Phrase, ...]
    numbers: frozenset[str]
    tokens: frozenset[str]


@dataclass(frozen=True)
class Sentence:
    """One sentence of a question: the tokens of its first name that a claim has (its stem, typo correction and
    variants; none when it has no such name), all its tokens, unknown words too, and its numbers."""

    lead: frozenset[str]
    asked: frozenset[str]
    numbers: frozenset[str]


def closest(sentences: list[Sentence], claim: ClaimWords) -> Sentence:
    """The sentence that shares the most tokens with claim (a claim quoted among other talk), the first if tied."""
    if len(sentences) == 1:
        return sentences[0]
    return max(sentences, key=lambda s: len(s.asked & claim.tokens))


def claim_words(claim: Claim, expand: Callable[[list[str]], list[tuple[int, int, str]]],
                is_name: Callable[[str], bool]) -> ClaimWords:
    """The phrases and numbers of claim; expand gives the name variant spans of folded words."""
    texts = ([claim.title] if claim.title else []) + list(claim.aliases) + list(claim.text.values())
    phrases: list[Phrase] = []
    numbers: set[str] = set()
    for text in texts:
        words = fold(text).split()
        numbers.update(w for w in words if w.isdigit())
        canon: dict[int, set[str]] = {}
        for start, length, name in expand(words):
            for i in range(start, start + length):
                canon.setdefault(i, set()).add(name)
        kept = [(frozenset({stem(w)} | canon.get(i, set())), is_name(w), i)
                for i, w in enumerate(words) if w not in STOP_WORDS or w in REPORTING]
        if kept:
            phrases.append(Phrase(tuple(k for k, _, _ in kept), tuple(n for _, n, _ in kept),
                                  tuple(j > 0 and i == kept[j - 1][2] + 1 for j, (_, _, i) in enumerate(kept))))
    return ClaimWords(tuple(phrases), frozenset(numbers), frozenset(t for p in phrases for w in p.words for t in w))


def same_name(tokens: Iterable[str], others: frozenset[str]) -> bool:
    """Whether a token is in others, or starts one of them or is started by one (NAME_PREFIX letters at least)."""
    for token in tokens:
        if token in others:
            return True
        if len(token) >= NAME_PREFIX:
            for other in others:
                if len(other) >= NAME_PREFIX and (other.startswith(token) or token.startswith(other)):
                    return True
    return False


def acts_on_other(lead: frozenset[str], asked: frozenset[str], claim: ClaimWords) -> bool:
    """Whether every phrase of claim that has lead (the question's first name) names, before it, someone the
    question does not (asked: every token of the question). Adjacent names count as one (Hussein Ghulam); a
    phrase where lead is part of such a name with a word the question lacks ("Kyiv Wagner" in a list of
    keywords) says nothing either way."""
    telling = False
    for phrase in claim.phrases:
        at = next((i for i, word in enumerate(phrase.words) if same_name(word, lead)), None)
        if at is None:
            continue
        start, end = at, at + 1
        while start > 0 and phrase.same_name_as_next(start - 1):
            start -= 1
        while end < len(phrase.names) and phrase.same_name_as_next(end - 1):
            end += 1
        if not all(same_name(phrase.words[k], asked) for k in range(start, end)):
            continue
        if not _stranger_before(phrase, start, asked):
            return False
        telling = True
    return telling


def _stranger_before(phrase: Phrase, end: int, asked: frozenset[str]) -> bool:
    """Whether a name before position end (adjacent name words as one) has no word in asked."""
    i = 0
    while i < end:
        if not phrase.names[i]:
            i += 1
            continue
        j = i + 1
        while j < end and phrase.same_name_as_next(j - 1):
            j += 1
        if not any(same_name(phrase.words[k], asked) for k in range(i, j)) and not _speaker(phrase, j, end):
            return True
        i = j
    return False


def _speaker(phrase: Phrase, after: int, subject: int) -> bool:
    """Whether the name ending before position after is followed by a reporting verb, the subject soon after."""
    return after < subject and bool(phrase.words[after] & _REPORTING_STEMS) and subject - after <= SPEAKER_REACH


def other_numbers(numbers: frozenset[str], claim: ClaimWords) -> bool:
    """Whether the claim states numbers and none of the question's (a post's other numbers, a year beside the
    right count, leave the claim alone)."""
    return bool(numbers and claim.numbers and not numbers & claim.numbers)
