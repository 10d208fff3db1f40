"""Questions made from the curated base itself, used beside the evaluation set to choose weights and
thresholds: each claim's text quoted between two unrelated lines (a forwarded post, a pasted message
with a comment: issue 5's groups and channels), expecting that claim; and near misses, a claim's alias
with one name swapped (Mali cut ties with Russia?), or one of the base's names with a fact no claim about
it shares a word of (Did Ghulam die?), expecting none. The unrelated lines are the
evaluation set's off-topic questions. Nothing is added to the base or to the evaluation set.
"""

from __future__ import annotations

import re
from typing import Sequence

from knowledge.model import Claim
from knowledge.matcher import analyse
from knowledge.text import fold, guess_lang

FAMILY_SIZE = 40


def thin(items: list, size: int = FAMILY_SIZE) -> list:
    """At most size items, spread evenly over the list (so that generated questions do not outweigh the
    evaluation set)."""
    if len(items) <= size:
        return items
    step = len(items) / size
    return [items[int(i * step)] for i in range(size)]


def quoted(claims: Sequence[Claim], chatter: Sequence[str]) -> list[tuple[str, frozenset[str]]]:
    """Each claim text between two lines of chatter, thinned to FAMILY_SIZE."""
    out = []
    for i, claim in enumerate(claims):
        for j, text in enumerate(claim.text.values()):
            before, after = chatter[(2 * i + j) % len(chatter)], chatter[(2 * i + j + 7) % len(chatter)]
            out.append((f"{before}\n{text}\n{after}", frozenset([claim.id])))
    return thin(out)


# Names of the base's kind of news, one tuple per entity (its spellings; an English form first, a French
# one last when they differ). A near miss swaps one name of a claim's alias for another of its kind.
ENTITIES: dict[str, tuple[tuple[str, ...], ...]] = {
    "country": (("Mali",), ("Niger",), ("Ukraine",), ("Russia", "Russie"), ("France",), ("Burkina Faso",),
                ("Algeria", "Algérie"), ("Mauritania", "Mauritanie"), ("Chad", "Tchad"), ("Senegal", "Sénégal")),
    "group": (("JNIM", "GSIM"), ("FLA",), ("CSP",), ("Wagner", "Africa Corps"),
              ("Islamic State", "EIGS", "ISGS", "État islamique"), ("Boko Haram",), ("Hamas",)),
    "person": (("Yusov", "Usov", "Iusov", "Youssov"), ("Ghulam",), ("Iyad Ag Ghali",), ("Zelensky",), ("Trump",),
               ("Putin", "Poutine"), ("Macron",)),
    "city": (("Bamako",), ("Kyiv", "Kiev"), ("Niamey",), ("Moscow", "Moscou"), ("Paris",), ("Ouagadougou",),
             ("Algiers", "Alger")),
}


def _has(folded_text: str, name: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(fold(name))}(?!\w)", folded_text) is not None


def _named(folded_text: str) -> list[tuple[str, int]]:
    """The (kind, entity index) of every entity folded_text names."""
    return [(kind, i) for kind, entities in ENTITIES.items() for i, spellings in enumerate(entities)
            if any(_has(folded_text, s) for s in spellings)]


def near_misses(claims: Sequence[Claim]) -> list[tuple[str, frozenset[str]]]:
    """Questions with a base's names and facts it does not hold: a claim's alias with one name swapped for
    another of the same kind that the claim never names, kept only when no claim names all the question's
    entities; expecting no claim. Thinned to FAMILY_SIZE."""
    whole = {c.id: fold(" ".join([*c.text.values(), c.title or "", *c.aliases])) for c in claims}
    out: list[tuple[str, frozenset[str]]] = []
    for i, claim in enumerate(claims):
        for j, alias in enumerate(claim.aliases):
            found = [(kind, e) for kind, e in _named(fold(alias))]
            if not found:
                continue
            kind, e = found[(i + j) % len(found)]
            spelled = next((s for s in ENTITIES[kind][e] if re.search(rf"(?<!\w){re.escape(s)}(?!\w)", alias)), None)
            if spelled is None:  # named only in another case or without accents: leave it
                continue
            others = [k for k, spellings in enumerate(ENTITIES[kind])
                      if k != e and not any(_has(whole[claim.id], s) for s in spellings)]
            if not others:
                continue
            new = ENTITIES[kind][others[(i * 7 + j) % len(others)]]
            french = guess_lang(alias) == "fr"
            swapped = re.sub(rf"(?<!\w){re.escape(spelled)}(?!\w)", new[-1] if french else new[0], alias)
            entities = set(_named(fold(swapped)))
            if any(entities <= set(_named(text)) for text in whole.values()):
                continue  # some claim names them all: it may well answer the question
            out.append((swapped, frozenset()))
    return thin(out)


# Facts of the kind the news reports that the base holds for none of its names: "Was {} …?" with a name of
# the base, expecting no claim (the name alone does not make a claim the answer).
FOREIGN_FACTS: dict[str, tuple[tuple[str, str], ...]] = {
    "person": (("Did {} die?", "{} est-il mort ?"), ("Has {} resigned?", "{} a-t-il démissionné ?"),
               ("Was {} elected president?", "{} a-t-il été élu président ?"),
               ("Was {} sentenced to prison?", "{} a-t-il été condamné à la prison ?"),
               ("Is {} in hospital?", "{} est-il hospitalisé ?"),
               ("Did {} announce a ceasefire?", "{} a-t-il annoncé un cessez-le-feu ?")),
    "group": (("Has {} disbanded?", "{} a-t-il été dissous ?"),
              ("Did {} sign a peace agreement?", "{} a-t-il signé un accord de paix ?"),
              ("Did {} elect a new leader?", "{} a-t-il élu un nouveau chef ?"),
              ("Is {} recruiting children?", "{} recrute-t-il des enfants ?"),
              ("Did {} release the hostages?", "{} a-t-il libéré les otages ?")),
    "country": (("Did {} hold elections?", "{} a-t-il organisé des élections ?"),
                ("Did {} ban social media?", "{} a-t-il interdit les réseaux sociaux ?"),
                ("Did {} devalue its currency?", "{} a-t-il dévalué sa monnaie ?"),
                ("Did {} close its airspace?", "{} a-t-il fermé son espace aérien ?"),
                ("Did {} join the African Union?", "{} a-t-il rejoint l'Union africaine ?")),
}


def foreign_facts(claims: Sequence[Claim]) -> list[tuple[str, frozenset[str]]]:
    """Questions that name an entity of the base with a fact no claim naming it shares a word of (the
    templates of FOREIGN_FACTS), in English and French by turns; expecting no claim. Thinned to FAMILY_SIZE."""
    texts = {c.id: " ".join([*c.text.values(), c.title or "", *c.aliases]) for c in claims}
    whole = {cid: fold(text) for cid, text in texts.items()}
    words = {cid: set(analyse(text)) for cid, text in texts.items()}
    out: list[tuple[str, frozenset[str]]] = []
    turn = 0
    for kind, templates in FOREIGN_FACTS.items():
        for spellings in ENTITIES[kind]:
            naming = [cid for cid, text in whole.items() if any(_has(text, s) for s in spellings)]
            if not naming:
                continue
            for english, french in templates:
                fact = set(analyse(english.format(""))) | set(analyse(french.format("")))
                if any(fact & words[cid] for cid in naming):
                    continue  # some claim about this name may speak of it
                turn += 1
                out.append((french.format(spellings[-1]) if turn % 2 else english.format(spellings[0]), frozenset()))
    return thin(out)


def unanswerable(claims: Sequence[Claim]) -> list[tuple[str, frozenset[str]]]:
    """Every generated question no claim answers: near misses, then foreign facts."""
    return near_misses(claims) + foreign_facts(claims)
