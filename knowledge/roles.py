"""Two checks on a claim that shares a question's words but may say something else of them.

Roles: "Did Russia help jihadists in Mali?" shares every word with "Ukraine … supports the rebels (hence,
indirectly, the jihadists in Mali) … to export the war against the Russians", but there Russia is what
Ukraine acts against. A claim acts on the question's first name when, in every phrase of the claim that
has that name, another name the question does not mention comes before it.

Receivers: "Did the FLA train Ukrainians?" is not about "The FLA received Ukrainian assistance" nor "Was the
FLA trained by Ukraine…?": there the FLA receives from the name the question has it act on. And "Did Ukraine
train Wagner?" is not about "anti-Wagner tactics": a name the claim has only as what is fought.

Partners: "Did Niger break ties with Mali?" is not about "Niger broke off relations with Ukraine": where the
claim has the question's relation (the same word before "with"), the name after it differs. Not "against":
who is fought is written too many ways ("operations against the Russians", "against Wagner").

Numbers: "Did JNIM carry out 50 drone attacks?" is not about the claim that says "at least 17": a claim
that states numbers, none of them the question's, states a different fact. Years, months and other numbers
are compared apart: "4 August 2023" is not "4 August 2024".

Predicates: "Did Ukraine send drones to the FLA?" is not about Ukraine training the FLA on drones: in an
English yes-no question the word after the subject says what it did, and a claim with no word for it (nor
its irregular forms, nor a verb of its kin) says something else of the subject.

Questions: "Did Mali cut ties with Ukraine?" is not "Why did Mali cut ties with Ukraine?": a claim whose
phrases closest to the question all ask another question (why, when, where, who, how) is about that one.
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
OTHER, SWAPPED = "other", "swapped"  # how a claim acts on the question's subject
# "training via Mauritania", "the war against the Russians": a name after these is not who acts
NOT_ACTOR = frozenset("""via through in into en au aux dans vers toward towards from depuis with avec against contre
of du des anti""".split())
PARTNER = frozenset({"with", "avec"})
OPPOSED = frozenset({"against", "contre", "anti"})
# "Did the rebels get training from Ukraine?", "Was Wagner ambushed by the FLA?": the name after these acts
AGENT = frozenset({"from", "by", "par"})
# "the FLA commander joined JNIM": the commander acts, not the FLA
ROLE_NOUNS = frozenset("""commander commanders commandant commandants leader leaders chef chefs spokesman spokeswoman
spokesperson member members membre membres colonel officer officers officier officiers fighter fighters combattant
combattants official officials""".split())
ARTICLES = frozenset("the le la les l".split())
DETERMINERS = ARTICLES | frozenset("a an un une de d du des".split())  # "Le Monde", not a name alone
HEAD_WORDS = 2  # the relation: this many content words before "with"
_MONTHS_EN = "january february march april may june july august september october november december".split()
_MONTHS_FR = "janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre".split()
MONTHS = {w: str(i + 1) for names in (_MONTHS_EN, _MONTHS_FR) for i, w in enumerate(names) if w != "may"}  # may: the verb
AUXILIARIES = frozenset("did does do is was were are has have had can could will would should".split())
ASKING = {"why": "why", "pourquoi": "why", "when": "when", "quand": "when", "where": "where", "ou": "where",
          "who": "who", "qui": "who", "how": "how", "comment": "how"}


# "before 2024", "depuis 2020": a year that bounds the question, not when it happened
BOUNDS = frozenset("before avant after apres since depuis until till jusqu des from by".split())
# "in May", "since May": the month, not the verb ("may have")
MAY_LEADS = frozenset("in since until till by from before after during for of early mid late next last end".split())
# "Kyiv denies…", "Bamako accuses…": a capital stands for its country (stems)
CAPITALS = {"kyiv": "ukrain", "kiev": "ukrain", "bamako": "mali", "niamey": "niger", "moscow": "russia",
            "moscou": "russia", "ouagadougou": "burkina"}

_REPORTING_STEMS = frozenset(stem(w) for w in REPORTING)
# "The FLA received Ukrainian assistance": the FLA does not act there
RECEIVING = frozenset("""receive receives received receiving recoit recoivent recu recus recue recues benefit benefits
benefited beneficie beneficient obtain obtains obtained obtient obtenu""".split())
_RECEIVING_STEMS = frozenset(stem(w) for w in RECEIVING)
LEARNING = frozenset("learn learned learnt learning get got gets apprendre appris apprennent".split())


@dataclass(frozen=True)
class Phrase:
    """A claim's title, alias or text as its content words (each: its stem and the canonical tokens of the
    name variants it is part of), whether each is a name as the claims write it, and whether each follows
    the one before with no stop word between (Hussein Ghulam, not Wagner in Mali)."""

    words: tuple[frozenset[str], ...]
    names: tuple[bool, ...]
    joined: tuple[bool, ...]
    placed: tuple[bool, ...]  # after a word of NOT_ACTOR (articles between)
    asking: str | None = None  # the question it asks ("Why did Mali…?": why), none for a statement
    role: tuple[bool, ...] = ()  # followed by a role ("FLA commander", "JNIM's leader")
    agent: tuple[bool, ...] = ()  # after from, by or par ("trained by Ukraine")
    opposed: tuple[bool, ...] = ()  # after against, contre or anti ("anti-Wagner tactics")

    def same_name_as_next(self, i: int) -> bool:
        """Whether words i and i + 1 are one name."""
        return self.names[i] and self.names[i + 1] and self.joined[i + 1]

    def name_end(self, at: int) -> int:
        """Where the name that starts at word at ends (Hussein Ghulam: two words)."""
        end = at + 1
        while end < len(self.names) and self.same_name_as_next(end - 1):
            end += 1
        return end


@dataclass(frozen=True)
class Relation:
    """A name after "with" (its tokens), and the relation: the content words just before."""

    head: frozenset[str]
    partner: frozenset[str]


@dataclass(frozen=True)
class ClaimWords:
    phrases: tuple[Phrase, ...]
    numbers: frozenset[str]
    tokens: frozenset[str]
    relations: tuple[Relation, ...] = ()
    asks: bool = False  # whether a phrase asks a question ("Why did Mali…?")


@dataclass(frozen=True)
class Sentence:
    """One sentence of a question: the tokens of its first name that a claim has (its stem, typo correction and
    variants; none when it has no such name), all its tokens, unknown words too, and its numbers."""

    lead: frozenset[str]
    asked: frozenset[str]
    numbers: frozenset[str]
    relations: tuple[Relation, ...] = ()
    asking: str | None = None
    joined: frozenset[tuple[str, str]] | None = None  # the stems of its adjacent words; None: not known
    second: frozenset[str] = frozenset()  # the next name after the first ("Did Zelensky order Trump…": Trump)
    speaks: bool = False  # whether a reporting verb follows the first name ("Did Ukraine accuse…")
    lead_role: bool = False  # whether a role follows the first name ("JNIM's leader swore…")
    is_question: bool = False  # a question, not a statement (a forwarded post names more people)
    second_written: bool = False  # second is written as a name in the question (Wagner, JNIM; not "groupe")
    dated: bool = False  # it states when, with a year ("in 2023"; not "before 2024")
    predicate: frozenset[str] = frozenset()  # what the subject does: the word after it ("Did Ukraine send…": send)
    receives: bool = False  # the subject receives: "Was the FLA trained…", "Did the FLA receive…"
    second_placed: bool = False  # the second name comes after via, in, against… ("…learn drones in Ukraine")


def closest(sentences: list[Sentence], claim: ClaimWords) -> Sentence:
    """The sentence that shares the most tokens with claim (a claim quoted among other talk), the first if tied."""
    if len(sentences) == 1:
        return sentences[0]
    return max(sentences, key=lambda s: len(s.asked & claim.tokens))


def claim_words(claim: Claim, expand: Callable[[list[str]], list[tuple[int, int, str]]],
                is_name: Callable[[str], bool]) -> ClaimWords:
    """The phrases, numbers and relations of claim; expand gives the name variant spans of folded words."""
    texts = ([claim.title] if claim.title else []) + list(claim.aliases) + list(claim.text.values())
    phrases: list[Phrase] = []
    numbers: set[str] = set()
    found: list[Relation] = []
    for text in texts:
        words = fold(text).split()
        numbers.update(number_facts(words))
        canon = variants(words, expand)
        found += relations(words, canon, is_name)
        kept = [(tokens_at(words, i, canon), is_name(w), i)
                for i, w in enumerate(words) if w not in STOP_WORDS or w in REPORTING]
        if kept:
            phrases.append(Phrase(tuple(k for k, _, _ in kept), tuple(n for _, n, _ in kept),
                                  tuple(j > 0 and i == kept[j - 1][2] + 1 for j, (_, _, i) in enumerate(kept)),
                                  tuple(_after(words, i) in NOT_ACTOR for _, _, i in kept), ASKING.get(words[0]),
                                  tuple(holds_role(words, i) for _, _, i in kept),
                                  tuple(_after(words, i) in AGENT for _, _, i in kept),
                                  tuple(_after(words, i) in OPPOSED for _, _, i in kept)))
    return ClaimWords(tuple(phrases), frozenset(numbers), frozenset(t for p in phrases for w in p.words for t in w),
                      tuple(dict.fromkeys(found)), any(p.asking for p in phrases))


# irregular forms: "Did Mali break ties…?" and "Mali broke off relations"
_IRREGULAR = [f.split() for f in """break broke broken|send sent|give gave given|get got gotten|take took taken|make made
|fight fought|lead led|hold held|swear swore sworn|buy bought|bring brought|teach taught|win won|lose lost|begin began
begun|become became|know knew known|see saw seen|tell told|find found|fly flew flown|shoot shot|strike struck stricken
|seek sought|keep kept|leave left|meet met|pay paid|sell sold|spend spent|build built|rise rose risen|go went gone
|come came|do did done|run ran|choose chose chosen|drive drove driven|forbid forbade forbidden|hide hid hidden
|withdraw withdrew withdrawn|undertake undertook undertaken|arise arose arisen""".split("|")]
_FORMS = {word: frozenset(stem(f) for f in forms) for forms in _IRREGULAR for word in forms}
# verbs a question may use for a claim's: one of a group stands for the others in the predicate check only
_KIN = [g.split() for g in """help aid assist support back helping aide soutien soutenir appui
|train teach instruct coach taught training formation former forme|break cut sever end rupture rompre rompu
|deny reject dismiss refute denial dementi|increase intensify step rise grow boost escalate intensifie augmente accru
hausse|attack strike hit target ambush raid|join defect switch rally|use employ deploy
|give provide supply send deliver|accuse blame charge accusation|admit acknowledge admission reconnu reconnaitre aveu
|pledge swear allegiance|participate involve part involvement role|cooperate collaborate ally cooperation alliance
|kill die dead death|arm weapon equip""".split("|")]
_KIN_OF = {stem(w): frozenset(stem(k) for k in group) for group in _KIN for w in group}
_OPPOSING = frozenset(stem(w) for w in """fight fought combat oppose attack strike hit target ambush raid hunt kill battle
resist counter combattre attaque frappe chasse cible""".split())
_PARTICIPLES = frozenset(forms[-1] for forms in _IRREGULAR)
_BE = frozenset("is was were are".split())
_AVOIR = frozenset("a ont avait avaient".split())
_PRONOUNS = frozenset("il elle ils elles".split())
# words after the subject that say nothing of what it did ("carry out 17 attacks": the attacks)
_NO_PREDICATE = frozenset("""really actually also still ever even already just again ever truly officially publicly
openly secretly directly indirectly vraiment aussi encore deja carry conduct perform mene effectue""".split())


def predicate(words: list[str], at: int, tokens: list[frozenset[str]], is_name: Callable[[str], bool]) -> frozenset[str]:
    """What the subject at position at does in an English yes-no question, or a French one with avoir ("Le Mali
    a-t-il rompu…"): the first content word after its name ("Did Ukraine send…"; after is/was/were/are, only
    a participle: "Was Ghulam killed…", not "Is JNIM more brutal…"), with its irregular forms and its kin;
    none when a name, a role or a reporting verb comes first."""
    end = at + 1
    while end < len(words) and is_name(words[end]):
        end += 1
    french = end + 1 < len(words) and words[end] in _AVOIR and (words[end + 1] == "t" or words[end + 1] in _PRONOUNS)
    if not french and (not words or words[0] not in AUXILIARIES):
        return frozenset()
    for i in range(end, len(words)):
        word = words[i]
        if is_name(word) or word in ROLE_NOUNS or tokens[i] & _REPORTING_STEMS or word in REPORTING or word.isdigit():
            return frozenset()
        if word in STOP_WORDS or word in AUXILIARIES or word in _NO_PREDICATE:
            continue
        if words[0] in _BE and not (word.endswith("ed") or word in _PARTICIPLES):
            return frozenset()
        forms = tokens[i] | _FORMS.get(word, frozenset())
        return forms.union(*(_KIN_OF.get(f, frozenset()) for f in forms))
    return frozenset()


def receives(words: list[str], at: int, predicate: frozenset[str]) -> bool:
    """Whether the subject at position at receives: a passive question ("Was the FLA trained…", "Le FLA a-t-il été
    formé…") or a verb of receiving ("Did the FLA receive…")."""
    after = words[at + 1:at + 6]
    return bool(predicate & _RECEIVING_STEMS) or (bool(words) and words[0] in _BE) or "ete" in after \
        or "been" in after or any(stem(w) in _RECEIVING_STEMS or w in LEARNING for w in after[:3])


def only_opposed(sentence: Sentence, claim: ClaimWords) -> bool:
    """Whether the question's second name is what its subject acts on ("Did Ukraine train Wagner?") and the claim
    has that name only as what someone acts against ("anti-Wagner tactics")."""
    second = sentence.second
    if not second or sentence.second_placed or sentence.predicate & _OPPOSING:
        return False
    found = [phrase.opposed[i] for phrase in claim.phrases for i, word in enumerate(phrase.words)
             if phrase.names[i] and same_name(word, second)]
    return bool(found) and all(found)


def lacks_predicate(sentence: Sentence, claim: ClaimWords) -> bool:
    """Whether a question's subject does something the claim has no word for ("Did Ukraine send drones to the
    FLA?" and a claim that Ukraine trained the FLA on drones)."""
    return sentence.is_question and bool(sentence.predicate) and sentence.predicate.isdisjoint(claim.tokens)


def is_year(word: str) -> bool:
    return len(word) == 4 and word.isdigit() and 1800 <= int(word) <= 2100


def month_at(words: list[str], i: int) -> str | None:
    """The month words[i] names ("8" for août), or None; "may" only next to a number or after "in", "since"…"""
    if words[i] != "may":
        return MONTHS.get(words[i])
    near_number = any(0 <= j < len(words) and words[j].isdigit() for j in (i - 1, i + 1))
    return "5" if near_number or (i > 0 and words[i - 1] in MAY_LEADS) else None


def number_facts(words: list[str]) -> frozenset[str]:
    """The numbers of folded words, each marked as a year (y:2024), a month (m:8), a day (d:4, next to a month)
    or another number (n:17); and a month with its year (my:9-2023) and a day with its month (dm:4-8), so
    that "September 2025" is not found in "September 2023 … 2025"."""
    out = set()
    months = [month_at(words, i) for i in range(len(words))]
    for i, word in enumerate(words):
        if months[i] is not None:
            out.add(f"m:{months[i]}")
        elif word.isdigit():
            value = int(word)
            beside = [j for j in (i - 1, i + 1) if 0 <= j < len(words) and months[j] is not None]
            if is_year(word):
                out.add(f"y:{value}")
                if i > 0 and months[i - 1] is not None:
                    out.add(f"my:{months[i - 1]}-{value}")
            elif 1 <= value <= 31 and beside:
                out.add(f"d:{value}")
                out.add(f"dm:{value}-{months[beside[0]]}")
            else:
                out.add(f"n:{value}")
    return frozenset(out)


def dated(words: list[str]) -> bool:
    """Whether folded words state a year as when something happened: "in 2023", not "before 2024"."""
    return any(is_year(w) and (i == 0 or words[i - 1] not in BOUNDS) for i, w in enumerate(words))


def is_question(text: str, words: list[str]) -> bool:
    """Whether a sentence asks: a question mark, an English auxiliary first, or a French inversion."""
    return ("?" in text or (bool(words) and words[0] in AUXILIARIES)
            or any(a == "t" and b in ("il", "elle", "ils", "elles", "on") for a, b in zip(words, words[1:]))
            or "est ce" in " ".join(words[:4]))


def yes_no(words: list[str]) -> bool:
    """Whether folded words open as a yes-no question: "Were the rebels…", "Les rebelles ont-ils…"."""
    return bool(words) and (words[0] in AUXILIARIES or any(w in ("il", "elle", "ils", "elles") for w in words[1:4]))


def asking(words: list[str]) -> str | None:
    """The question folded words ask (their first why, when, where, who or how), none for a yes-no question."""
    return next((ASKING[w] for i, w in enumerate(words) if w in ASKING and (w != "ou" or i == 0)), None)  # ou: or


def variants(words: list[str], expand: Callable[[list[str]], list[tuple[int, int, str]]]) -> dict[int, set[str]]:
    """Word position: the canonical tokens of the name variants it is part of."""
    canon: dict[int, set[str]] = {}
    for start, length, name in expand(words):
        for i in range(start, start + length):
            canon.setdefault(i, set()).add(name)
    return canon


def tokens_at(words: list[str], i: int, canon: dict[int, set[str]]) -> frozenset[str]:
    return with_countries({stem(words[i])} | canon.get(i, set()))


def with_countries(tokens: Iterable[str]) -> frozenset[str]:
    """tokens, and the country of each capital among them."""
    tokens = frozenset(tokens)
    return tokens | {CAPITALS[t] for t in tokens if t in CAPITALS} if not tokens.isdisjoint(CAPITALS) else tokens


def holds_role(words: list[str], i: int) -> bool:
    """Whether the word at i is followed by a role ("FLA commander", "JNIM's leader"): that person acts."""
    i += 1 + (i + 1 < len(words) and words[i + 1] == "s")  # JNIM s leader
    return i < len(words) and words[i] in ROLE_NOUNS


def acts_from(words: list[str], i: int) -> bool:
    """Whether the name at i is who acts in a question whose subject receives ("… from Ukraine", "… by the FLA")."""
    return _after(words, i) in AGENT


def placed(words: list[str], i: int) -> bool:
    """Whether the word at i comes after via, in, against… (NOT_ACTOR) or a verb of fighting ("to fight
    Russia"), articles skipped."""
    before = _after(words, i)
    return before is not None and (before in NOT_ACTOR or stem(before) in _OPPOSING)


def _after(words: list[str], i: int) -> str | None:
    """The word before position i, articles skipped."""
    i -= 1
    while i >= 0 and words[i] in ARTICLES:
        i -= 1
    return words[i] if i >= 0 else None


def relations(words: list[str], canon: dict[int, set[str]], is_name: Callable[[str], bool]) -> list[Relation]:
    """Each name that follows "with" (articles between) in folded words, with its relation."""
    out = []
    for i, word in enumerate(words):
        if word not in PARTNER:
            continue
        at = i + 1
        while at < len(words) and words[at] in ARTICLES:
            at += 1
        if at == len(words) or not is_name(words[at]):
            continue
        head = [tokens_at(words, j, canon) for j in range(i - 1, max(i - 2 * HEAD_WORDS - 1, -1), -1)
                if words[j] not in STOP_WORDS][:HEAD_WORDS]
        if head:
            out.append(Relation(frozenset().union(*head), tokens_at(words, at, canon)))
    return out


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


def after_lead(words: list[str], at: int, tokens: list[frozenset[str]],
               is_name: Callable[[str], bool]) -> tuple[frozenset[str], bool, int | None]:
    """The tokens of the next name after the name at position at (adjacent name words as one), whether a
    reporting verb follows that first name, and where that next name is."""
    end = at + 1
    while end < len(words) and is_name(words[end]):
        end += 1
    speaks = end < len(words) and bool(tokens[end] & _REPORTING_STEMS)
    where = next((i for i in range(end, len(words)) if is_name(words[i])), None)
    if where is None:
        return frozenset(), speaks, None
    last = where + 1
    while last < len(words) and is_name(words[last]):
        last += 1
    return frozenset().union(*tokens[where:last]), speaks, where


def acts_on_other(sentence: Sentence, claim: ClaimWords) -> str | None:
    """Whether every phrase of claim that has lead (the question's first name) names, before it, someone the
    question does not (asked: every token of the question), or has lead after "via", "with"… (NOT_ACTOR).
    Adjacent names count as one (Hussein Ghulam); a phrase where lead is part of such a name with a word the
    question lacks ("Kyiv Wagner" in a list of keywords), or with names the question keeps apart (joined:
    "Mali Ukraine" in "rupture Mali Ukraine" and "Did Ukraine respond to Mali?"), says nothing either way.
    A claim without lead acts on others when every phrase naming anyone names first someone not asked of.
    Roles swapped count too: the question's second name (second) before lead ("Trump ordered Zelensky" for
    "Did Zelensky order Trump…?"), unless it only speaks of lead while the question's lead does not speak.
    Returns SWAPPED when swapped roles tell (in a phrase or more), OTHER when only anything else does, None when
    the claim does not act on others."""
    lead, asked, joined, second = sentence.lead, sentence.asked, sentence.joined, sentence.second
    if second and not sentence.receives and not sentence.second_placed and _receives_from(claim, lead, second):
        return SWAPPED
    telling, has_lead, all_swapped, swapped = False, False, True, False
    for phrase in claim.phrases:
        at = next((i for i, word in enumerate(phrase.words) if same_name(word, lead)), None)
        if at is None:
            continue
        has_lead = True
        start, end = at, phrase.name_end(at)
        while start > 0 and phrase.same_name_as_next(start - 1):
            start -= 1
        if not all(same_name(phrase.words[k], asked) for k in range(start, end)):
            continue
        if joined is not None and not all(_adjacent(phrase.words[k], phrase.words[k + 1], joined)
                                          for k in range(start, end - 1)):
            continue
        # "training via Mauritania", "FLA commander" (unless the question says "FLA commander" too), "Who leads JNIM?"
        if phrase.placed[start] or (phrase.role[start] and not sentence.lead_role) or phrase.asking == "who":
            telling, all_swapped = True, False
            continue
        if second and _named_before(phrase, start, second, sentence.speaks):
            telling = swapped = True
            continue
        if not _stranger_before(phrase, start, asked):
            return None
        telling, all_swapped = True, False
    if not has_lead:
        return OTHER if _led_by_others(asked, claim) else None
    return (SWAPPED if all_swapped or swapped else OTHER) if telling else None


def _receives_from(claim: ClaimWords, lead: frozenset[str], second: frozenset[str]) -> bool:
    """Whether a phrase of claim has lead receiving from second, named after ("The FLA received Ukrainian
    assistance", "Was the FLA trained by Ukraine…?" for "Did the FLA train Ukrainians?")."""
    for phrase in claim.phrases:
        at = next((i for i, word in enumerate(phrase.words) if same_name(word, lead)), None)
        if at is None:
            continue
        end = phrase.name_end(at)
        receiving = end < len(phrase.words) and bool(phrase.words[end] & _RECEIVING_STEMS)
        if any(same_name(phrase.words[j], second) and (receiving or phrase.agent[j])
               for j in range(end, len(phrase.words))):
            return True
    return False


def _led_by_others(asked: frozenset[str], claim: ClaimWords) -> bool:
    """Whether the phrases of a claim without the question's subject that name anyone all name first someone
    the question does not ("Did Niger accuse Kyiv…?" and "Mali accuses Kyiv…")."""
    led = False
    for phrase in claim.phrases:
        first = next((i for i, is_name in enumerate(phrase.names) if is_name), None)
        if first is None:
            continue
        if any(same_name(phrase.words[k], asked) for k in range(first, phrase.name_end(first))):
            return False
        led = True
    return led


def _named_before(phrase: Phrase, end: int, name: frozenset[str], speaks: bool) -> bool:
    """Whether name is before position end, not as a speaker when the question's subject does not speak."""
    for i in range(end):
        if phrase.names[i] and same_name(phrase.words[i], name):
            j = i + 1
            while j < end and phrase.same_name_as_next(j - 1):
                j += 1
            return speaks or not _speaker(phrase, j, end)
    return False


def _adjacent(first: frozenset[str], second: frozenset[str], joined: frozenset[tuple[str, str]]) -> bool:
    return any((a, b) in joined for a in first for b in second)


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


def other_partner(asked_relations: Iterable[Relation], claim: ClaimWords) -> bool:
    """Whether the claim has one of the question's relations ("ties with Mali") only with other names."""
    for relation in asked_relations:
        same = [r for r in claim.relations if r.head & relation.head]
        if same and not any(same_name(r.partner, relation.partner) for r in same):
            return True
    return False


def lacks_second(sentence: Sentence, claim: ClaimWords) -> bool:
    """Whether a question names a second name as written and the claim lacks it ("Did Yusov say JNIM
    received…?" and a claim about what the rebels received)."""
    return (sentence.is_question and sentence.second_written and bool(sentence.second)
            and not same_name(sentence.second, claim.tokens))


def speaks_of_other(sentence: Sentence, claim: ClaimWords) -> bool:
    """Whether, in every phrase of claim that shares the most words with the question, the question's subject
    only reports on someone else ("Mali accuses Kyiv of supporting terrorism") while in the question it acts
    ("Did Mali support international terrorism?")."""
    if not sentence.lead or sentence.speaks or sentence.asked & _REPORTING_STEMS:  # it asks who said what
        return False
    closest_phrases = _closest_phrases(sentence.asked, claim)
    for phrase in closest_phrases:
        at = next((i for i, word in enumerate(phrase.words) if same_name(word, sentence.lead)), None)
        if at is None:
            return False
        end = phrase.name_end(at)
        if end >= len(phrase.words) or not phrase.words[end] & _REPORTING_STEMS:
            return False
    return bool(closest_phrases)


def _closest_phrases(asked: frozenset[str], claim: ClaimWords) -> list[Phrase]:
    """The phrases of claim that share the most words with the question (none when no phrase shares any)."""
    best, closest_phrases = 0, []
    for phrase in claim.phrases:
        shared = sum(1 for word in phrase.words if word & asked)
        if shared > best:
            best, closest_phrases = shared, [phrase]
        elif shared == best and best:
            closest_phrases.append(phrase)
    return closest_phrases


def lacks_lead(sentence: Sentence, claim: ClaimWords) -> bool:
    """Whether a question's subject is nowhere in the claim ("Did Mali train the FLA…?" and Ukraine's training
    of the FLA): a claim can be about a name that many claims share and still not about what it did."""
    return sentence.is_question and bool(sentence.lead) and not same_name(sentence.lead, claim.tokens)


def other_numbers(numbers: frozenset[str], claim: ClaimWords) -> bool:
    """Whether, for years, months, days or other numbers, the claim states some and none of the question's (a
    post's other counts beside the right one leave the claim alone)."""
    for kind in {n[:2] for n in numbers}:
        own = {n for n in claim.numbers if n.startswith(kind)}
        if own and own.isdisjoint(numbers):
            return True
    return False


def lacks_year(sentence: Sentence, claim: ClaimWords) -> bool:
    """Whether a question asks about a year and the claim states none ("Did Mali break ties with Ukraine in
    2023?" and Ukraine's undated response)."""
    return sentence.is_question and sentence.dated and not any(n.startswith("y:") for n in claim.numbers)


def asks_otherwise(question: str | None, asked: frozenset[str], claim: ClaimWords) -> bool:
    """Whether every phrase of claim sharing the most words with the question asks another question than it."""
    if not claim.asks:
        return False
    closest_phrases = _closest_phrases(asked, claim)
    return bool(closest_phrases) and all(p.asking is not None and p.asking != question for p in closest_phrases)
