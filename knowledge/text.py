"""Text folding, tokens and light stemming shared by the matcher and its baselines."""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import lru_cache

_NON_WORD = re.compile(r"[^0-9a-z]+")
SENTENCE_END = re.compile(r"(?<=[.!?…»])\s+|\n+")

# Question words that change what is asked (why, when, how) are kept as words.
STOP_WORDS = frozenset("""
a an and are as at be been being but by can could did do does doing done for from had has have
having he her here hers him his  i if in into is it its itself just me more most my no nor not
of off on once only or other our ours out over own same she should so some such than that the
their theirs them then there these they this those through to too under until up very was we were
what   which while who whom  will with would you your yours s t ll re ve d m y o
about above after again against all any because before below between both down during each few
further hereby yes ok please tell know say says said true really anything something still also
au aux avec ce ces cet cette dans de des du elle elles en et eux il ils je la le les leur leurs lui
ma mais me meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te
tes toi ton tu un une vos votre vous c j l n sont est etait ete etre avoir ai as avons avez ont eu
t y ca cela ceci celui celle ceux sans sous si tout tous toute toutes tres plus moins  
 quel quelle quels quelles quoi dont donc car alors aussi bien fait faire vrai est-ce
il-y-a vraiment oui non deja encore lors chez entre vers depuis selon dit dire disent disait dites
""".split())


@lru_cache(maxsize=1)
def _combining_marks() -> re.Pattern[str]:
    """A pattern for every combining character (built once, about 40 ms)."""
    ranges: list[list[int]] = []
    for cp in range(sys.maxunicode + 1):
        if unicodedata.combining(chr(cp)):
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1][1] = cp
            else:
                ranges.append([cp, cp])
    return re.compile("[" + "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "")
                                    for a, b in ranges) + "]+")


def fold(text: str) -> str:
    """Lower case, no accents, punctuation and apostrophes as spaces."""
    return _NON_WORD.sub(" ", _without_marks(text).casefold()).strip()


def _without_marks(text: str) -> str:
    """text decomposed (NFKD), its accents and other combining marks dropped."""
    decomposed = unicodedata.normalize("NFKD", text)
    return decomposed if decomposed.isascii() else _combining_marks().sub("", decomposed)


@lru_cache(maxsize=200_000)
def stem(token: str) -> str:
    """A light FR/EN suffix stripper: plurals, -ion (reaction, réaction: react), -ing, -ed, a final -e."""
    if token.isdigit() or len(token) <= 3:
        return token
    if token.endswith("ies") and len(token) > 4:
        token = token[:-3] + "y"
    elif token.endswith("s") and not token.endswith("ss"):
        token = token[:-1]
    elif token.endswith("x") and len(token) > 4 and token[-2] in "ua":
        token = token[:-1]
    if token.endswith("ion") and len(token) > 6:  # reaction, réaction -> react
        token = token[:-3]
    elif token.endswith("ing") and len(token) > 5:
        token = token[:-3]
    elif token.endswith("ed") and len(token) > 4:
        token = token[:-2]
    if token.endswith("e") and len(token) > 3:
        token = token[:-1]
    if len(token) > 3 and token[-1] == token[-2] and token[-1] not in "aeiouy":
        token = token[:-1]
    return token


def words(text: str) -> list[str]:
    """Folded words, stop words kept."""
    return fold(text).split()


def tokens(text: str) -> list[str]:
    """Folded, stemmed content words."""
    return [stem(w) for w in fold(text).split() if w not in STOP_WORDS]


# Words that carry no subject to look up: greetings, thanks, farewells, politeness, "ok", laughter, a "help",
# and question words with nothing to ask about. With STOP_WORDS, what is_small_talk sets aside.
SMALL_TALK_WORDS = frozenset("""
hi hello hey hiya howdy yo greetings good morning afternoon evening night day gm thanks thank thx ty tks much lot
cheers bye goodbye later cya welcome sorry excuse pardon okay okey alright fine cool great lol haha hahaha
hehe wow oh ah hmm um uh bot robot help test testing how why when where whats sup everyone everybody guys folks
bonjour bonsoir salut coucou allo merci beaucoup bcp mille remercie bonne bon journee soiree apres midi
nuit revoir adieu ciao va vas allez comment pourquoi quand combien desole desolee excusez svp stp plait
accord dac super genial parfait mdr aide
""".split())
_NOT_CONTENT = STOP_WORDS | SMALL_TALK_WORDS
_ANY_SCRIPT_WORD = re.compile(r"[^\W_]+")


def is_small_talk(text: str) -> bool:
    """True when a message holds no word to look up: "hello", "merci !", "?", "👍", "how are you?".

    Any other word, of any script, or any number, makes it a question ("Wagner?" is one)."""
    return all(word in _NOT_CONTENT for word in _ANY_SCRIPT_WORD.findall(_without_marks(text).casefold()))


_WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")


def whole_number(text: str) -> int | None:
    """text as a whole number when it is one to nine ASCII digits ("٣" or 5,000 digits are not one)."""
    return int(text) if _WHOLE_NUMBER.fullmatch(text) else None


_RAW_WORD = re.compile(r"[^\W_][\w'’-]*")


def guess_lang(text: str) -> str | None:
    """'fr' or 'en' from stop words and accents, or None when unclear. A capitalised word inside a sentence
    is a name and tells nothing: 'Did Le Monde say…' is English."""
    kept: list[str] = []
    for sentence in SENTENCE_END.split(text):
        for index, word in enumerate(_RAW_WORD.findall(sentence)):
            if index == 0 or not word[0].isupper():
                kept.append(word)
    plain = " ".join(kept)
    folded = fold(plain).split()
    fr = sum(1 for w in folded if w in _FR_HINTS)
    en = sum(1 for w in folded if w in _EN_HINTS)
    if re.search(r"[éèêàçùœ]", plain.lower()):
        fr += 1
    if fr > en:
        return "fr"
    if en > fr:
        return "en"
    return None


_FR_HINTS = frozenset(
    "le la les des du de un une et est il elle ils au aux avec dans pour pas que qui sur ce cette "
    "son sa ses leur a-t-il ont sont ete quel quelle quoi pourquoi comment vrai dit fait elle "
    "l d qu j c n bonjour merci oui non quand ou".split()
)
_EN_HINTS = frozenset(
    "the an and is are was were did does do of to in on with for that this what who why how "
    "has have had it its true you about hi hello thanks yes say says said".split()
)
