"""knowledge.matcher: candidates, ranking, outcomes, in-place updates."""

import random

import numpy as np
import pytest

from knowledge.base import curated_synonyms
from knowledge.matcher import (ANSWER, FEATURES, NONE, SUGGEST, Match, Matcher, SearchResult, Synonyms, Thresholds,
                               Weights, clean, combine, decide, proper_names,
                               sentence_openers)
from knowledge.model import claim_from_dict
from knowledge.store import curated_claims

SYNONYMS = Synonyms({"jnim": ["gsim", "jama'at nusrat al-islam wal-muslimin"], "gur": ["hur"]})


def claim(cid, en, fr=None, **extra):
    text = {"en": en, **({"fr": fr} if fr else {})}
    return claim_from_dict({"id": cid, "text": text, "link": "explicit",
                            "sources": [{"name": "Test", "kind": "press"}], **extra})


BASE = [
    claim("mali-cuts-ties", "Mali broke off diplomatic relations with Ukraine with immediate effect.",
          "Le Mali a rompu ses relations diplomatiques avec l'Ukraine avec effet immédiat.",
          title="Mali breaks off relations with Ukraine", aliases=["Did Mali cut ties with Kyiv?"]),
    claim("niger-cuts-ties", "Niger broke off diplomatic relations with Ukraine in solidarity with Mali.",
          "Le Niger a rompu ses relations diplomatiques avec l'Ukraine par solidarité avec le Mali."),
    claim("jnim-al-qaeda", "JNIM is the Sahel branch of al-Qaeda.", "Le JNIM est la branche sahélienne d'al-Qaïda."),
    claim("gur-information", "The GUR spokesman said the rebels received the necessary information.",
          "Le porte-parole du GUR a dit que les rebelles avaient reçu les informations nécessaires."),
    claim("drone-training", "Tuareg rebels were trained on FPV drones in Mauritania.",
          "Des rebelles touaregs ont été formés aux drones FPV en Mauritanie."),
    claim("zelensky-coup", "Zelensky is attempting a coup.", "Zelensky tente un coup d'État."),
]


@pytest.fixture
def matcher():
    return Matcher(BASE, synonyms=SYNONYMS)


def ids(matches):
    return [m.id for m in matches]


def test_exact_text_and_paraphrases_find_their_claim(matcher):
    assert matcher.rank("Mali broke off diplomatic relations with Ukraine with immediate effect.")[0].id == "mali-cuts-ties"
    assert matcher.rank("Le Mali a-t-il rompu avec l'Ukraine ?")[0].id == "mali-cuts-ties"
    assert matcher.rank("Did Niger also break with Ukraine?")[0].id == "niger-cuts-ties"
    assert matcher.rank("were tuareg rebels trained on drones")[0].id == "drone-training"


def test_aliases_titles_and_name_variants_count(matcher):
    assert matcher.rank("cut ties with Kyiv")[0].id == "mali-cuts-ties"
    assert matcher.rank("Le GSIM est-il lié à al-Qaïda ?")[0].id == "jnim-al-qaeda"
    assert matcher.rank("what did the HUR spokesman say")[0].id == "gur-information"


def test_typos_and_missing_accents(matcher):
    assert matcher.rank("Zelenksy attempting a cuop")[0].id == "zelensky-coup"
    assert matcher.rank("rebelles formes aux drones en mauritanie")[0].id == "drone-training"
    assert "zelensky" in matcher.query_tokens("Zelenski")


def test_scores_are_0_to_100_best_first_and_an_exact_match_scores_high(matcher):
    matches = matcher.rank("Mali broke off diplomatic relations with Ukraine with immediate effect.", top=5)
    scores = [m.score for m in matches]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 100 for s in scores)
    assert scores[0] >= 75 and scores[0] - scores[1] >= 10


def test_nothing_in_common_gives_no_match(matcher):
    assert matcher.rank("What's the weather in Paris tomorrow?") == []
    assert matcher.rank("the and of le la les") == []
    assert matcher.rank("") == []
    result = matcher.search("banana recipe")
    assert result.outcome == NONE and result.matches == []
    assert matcher.search("banana bread recipe").outcome == NONE  # 'bread' is one letter from 'break'; weak


def test_search_outcomes_follow_the_thresholds(matcher):
    question = "Did Mali cut ties with Kyiv?"
    assert matcher.search(question, thresholds=Thresholds(answer=0, suggest=0, margin=0)).outcome == ANSWER
    assert matcher.search(question, thresholds=Thresholds(answer=101, suggest=0, margin=0)).outcome == SUGGEST
    assert matcher.search(question, thresholds=Thresholds(answer=101, suggest=101, margin=0)).outcome == NONE
    assert len(matcher.search(question, top=1).matches) == 1


def test_decide_needs_a_margin_over_the_second(matcher):
    c = BASE[0]
    t = Thresholds(answer=60, suggest=30, margin=5)
    assert decide([Match(c, 80), Match(c, 77)], t) == SUGGEST
    assert decide([Match(c, 80), Match(c, 70)], t) == ANSWER
    assert decide([Match(c, 80)], t) == ANSWER
    assert decide([Match(c, 20)], t) == NONE
    assert decide([], t) == NONE


def test_upsert_replaces_and_remove_forgets(matcher):
    changed = claim("zelensky-coup", "Camels crossed the Sahara in record time.")
    matcher.upsert(changed)
    assert "zelensky-coup" not in ids(matcher.rank("Zelensky coup"))
    assert matcher.rank("camels sahara record")[0].id == "zelensky-coup"
    matcher.remove("zelensky-coup")
    assert "zelensky-coup" not in matcher and matcher.rank("camels sahara record") == []
    matcher.remove("zelensky-coup")  # removing twice is harmless
    assert len(matcher) == len(BASE) - 1


def test_retired_claims_are_not_indexed(matcher):
    retired = claim("camels", "Camels crossed the Sahara.", status="retired")
    matcher.upsert(retired)
    assert "camels" not in matcher and matcher.rank("camels sahara") == []
    assert "camels" not in Matcher([retired])


def test_many_edits_give_the_same_results_as_a_fresh_index():
    """Edits leave dead slots and pending postings, then rebuild: the results must not depend on that history."""
    rng = random.Random(7)
    words = "mali niger ukraine rebels drones jnim sahel wagner kyiv bamako attack training spokesman coup".split()

    def random_claim(i):
        return claim(f"c{i}", " ".join(rng.choice(words) for _ in range(rng.randint(3, 9))),
                     title=" ".join(rng.choice(words) for _ in range(3)) if rng.random() < 0.5 else None)

    current = {f"c{i}": random_claim(i) for i in range(60)}
    live = Matcher(current.values(), synonyms=SYNONYMS)
    for step in range(700):
        i = rng.randrange(80)
        if rng.random() < 0.3 and f"c{i}" in current:
            del current[f"c{i}"]
            live.remove(f"c{i}")
        else:
            current[f"c{i}"] = random_claim(i)
            live.upsert(current[f"c{i}"])
    fresh = Matcher(sorted(current.values(), key=lambda c: list(current).index(c.id)), synonyms=SYNONYMS)
    assert len(live) == len(fresh) == len(current)
    for _ in range(40):
        query = " ".join(rng.choice(words) for _ in range(rng.randint(1, 5)))
        got = {(m.id, m.score) for m in live.rank(query, top=100)}
        want = {(m.id, m.score) for m in fresh.rank(query, top=100)}
        assert got == want, query


def test_an_empty_index_and_the_first_claim():
    matcher = Matcher()
    assert matcher.rank("anything") == [] and len(matcher) == 0
    matcher.upsert(BASE[0])
    assert matcher.rank("Mali Ukraine")[0].id == "mali-cuts-ties"


def test_long_and_odd_questions_do_not_break_it(matcher):
    assert matcher.rank("mali " * 5000)[0].id in {"mali-cuts-ties", "niger-cuts-ties"}
    assert matcher.rank("🇲🇱 ☠️ \u0000 \u202e mali ukraine")[0].id in {"mali-cuts-ties", "niger-cuts-ties"}
    assert isinstance(matcher.search("x" * 100_000), SearchResult)


def test_clean_drops_links_and_splits_tags():
    assert clean("see https://t.co/abc and pic.twitter.com/xyz") .split() == ["see", "and"]
    assert clean("#AustralianFires by @BetoORourke").split() == ["Australian", "Fires", "by", "Beto", "O", "Rourke"]
    assert clean('<b>Yusov</b> a dit <a href="x">quoi</a> ? 3 < 4').split() == ["Yusov", "a", "dit", "quoi", "?", "3",
                                                                              "<", "4"]


def test_proper_names_are_the_words_written_as_names():
    assert proper_names("Did Niger cut ties with France?") == ["niger", "france"]
    assert proper_names("Qu'a déclaré le porte-parole du GUR ? JNIM aussi.") == ["gur", "jnim"]
    assert proper_names("did niger cut ties with france") == []
    assert proper_names("DID NIGER CUT TIES WITH FRANCE?") == []  # shouting says nothing about names
    assert proper_names("Is it true? Niger left in August, said Jane Smith") == ["jane", "smith"]
    assert proper_names("Niger left. — Jane Doe (@JaneDoe) March 3, 2020") == []  # a pasted tweet's author
    assert proper_names("Iyad Ag Ghali a-t-il été arrêté ?") == ["iyad", "ag", "ghali"]  # a name opening the question
    assert proper_names("Comment Kiev a-t-il aidé le FLA ?") == ["kiev", "fla"]  # a question word before a name
    assert proper_names("Did Niger cut ties? Le Mali aussi.") == ["niger", "mali"]
    assert proper_names("Ghulam a rejoint le JNIM") == ["jnim"]  # alone, a first word may be any word


def feature(matcher, query, claim_id, name):
    slots, rows = matcher.features(query)
    at = [matcher.claim_at(s).id for s in slots].index(claim_id)
    return rows[at, FEATURES.index(name)]


def test_a_claim_missing_a_name_the_question_has_loses_on_proper_names(matcher):
    assert feature(matcher, "Did Niger cut ties with France?", "niger-cuts-ties", "proper_names") < 0.8
    assert feature(matcher, "Did Niger cut ties with Ukraine?", "niger-cuts-ties", "proper_names") == 1.0
    # typed without capitals, the names are found all the same (France: a known name)
    assert feature(matcher, "did niger cut ties with france", "niger-cuts-ties", "proper_names") == \
        feature(matcher, "Did Niger cut ties with France?", "niger-cuts-ties", "proper_names")
    # a name variant counts as the name: HUR is the claim's GUR
    assert feature(matcher, "What did the HUR spokesman say?", "gur-information", "proper_names") == 1.0
    assert feature(matcher, "What did the HUR spokesman say in Paris?", "gur-information", "proper_names") < 1.0


def test_a_question_about_another_country_is_not_answered_with_the_curated_base():
    curated = Matcher(curated_claims(), synonyms=curated_synonyms())
    assert curated.search("Did Niger cut ties with Ukraine?").best.id == "niger-cuts-ties-with-ukraine"
    assert curated.search("Did Niger cut ties with Ukraine?").outcome == ANSWER
    assert curated.search("Did Niger cut ties with France?").outcome != ANSWER


def test_features_are_in_0_1_and_weights_mean_a_weighted_mean(matcher):
    slots, rows = matcher.features("Did Mali cut ties with Kyiv?")
    assert len(slots) == len(rows) > 0 and rows.shape[1] == len(FEATURES)
    assert (rows >= 0).all() and (rows <= 1 + 1e-9).all()
    w = Weights().feature_weights()
    assert abs(w.sum() - 1) < 1e-9 and (w >= 0).all()


def test_the_rest_gate_lowers_only_claims_with_next_to_nothing_of_what_the_question_says():
    rows = np.zeros((3, len(FEATURES)))
    rows[:, FEATURES.index("proper_names")] = 1.0
    rows[:, FEATURES.index("rest_cover")] = [0.0, 0.1, 0.5]
    weights = Weights().feature_weights()
    plain = combine(rows, weights, 0.0)
    gated = combine(rows, weights, 0.3)
    assert gated[0] == pytest.approx(0.7 * plain[0])
    assert plain[1] * 0.7 < gated[1] < plain[1]
    assert gated[2] == pytest.approx(plain[2])


def test_a_name_with_a_fact_no_claim_has_is_not_answered_with_a_claim_about_the_name():
    curated = Matcher(curated_claims(), synonyms=curated_synonyms())
    for question in ("Did Iyad Ag Ghali get married?", "Iyad Ag Ghali s’est-il marié ?"):  # not among bench/generated.py facts
        result = curated.search(question)
        assert result.best.id == "iyad-ag-ghali-allegiance" and result.outcome != ANSWER, question
    assert curated.search("Did Iyad Ag Ghali pledge allegiance to al-Zawahiri?").outcome == ANSWER


def test_an_interjection_or_where_a_post_was_seen_is_not_a_name():
    assert sentence_openers("Macron said Mali broke off relations.") == ["macron"]
    assert sentence_openers("Wow, Mali broke off relations. Incroyable ! Blah.") == []
    assert proper_names("Vu sur Facebook : le Niger a rompu. BREAKING: JNIM") == ["niger", "jnim"]
    curated = Matcher(curated_claims(), synonyms=curated_synonyms())
    for text in ("Wow, Mali broke off diplomatic relations with Ukraine.",
                 "Shocking! Mali broke off diplomatic relations with Ukraine.",
                 "Vu sur Facebook : le 4 août 2024, le Mali a rompu ses relations diplomatiques avec l'Ukraine."):
        result = curated.search(text)
        assert result.outcome == ANSWER and result.best.id == "mali-cuts-ties-with-ukraine", text
    niger = curated.search("Vu sur Facebook : le 6 août 2024, le Niger a fait de même en solidarité.")
    assert niger.outcome == ANSWER and niger.best.id == "niger-cuts-ties-with-ukraine"
    assert curated.search("Macron said Mali broke off relations with Ukraine").outcome != ANSWER


def test_saying_verbs_weigh_nothing_in_french_as_in_english():
    curated = Matcher(curated_claims(), synonyms=curated_synonyms())
    english = curated.search("What does Stratfor say about the FLA?")
    french = curated.search("Que dit Stratfor sur le FLA ?")
    assert english.outcome == french.outcome == ANSWER
    assert french.best.id == english.best.id == "fla-ukrainian-drone-training"


def test_a_first_word_the_claims_write_as_a_name_is_a_name():
    curated = Matcher(curated_claims(), synonyms=curated_synonyms())
    right = curated.search("Ukraine trained the FLA on drones.")
    assert right.outcome == ANSWER and right.best.id == "fla-ukrainian-drone-training"
    assert curated.search("Russia trained the FLA on drones.").outcome != ANSWER


def test_a_name_as_written_is_corrected_only_to_a_name_and_transpositions_are_one_typo():
    curated = Matcher(curated_claims(), synonyms=curated_synonyms())
    assert "chas" not in curated.query_tokens("Chad cuts ties with Ukraine")  # not 'chasse'
    assert curated.search("Chad cuts ties with Ukraine").outcome != ANSWER
    assert "ukrain" in curated.query_tokens("Did Mali cut ties with Ukriane?")
    assert curated.search("Did Mali cut ties with Ukriane?").best.id == "mali-cuts-ties-with-ukraine"


@pytest.mark.parametrize("question", ["What happened at Tin Zaouatine?", "Qu'est-ce qui s'est passé à Tin Zaouatine ?"])
def test_what_happened_at_a_name_asks_for_what_the_claims_say_of_it(question):
    curated = Matcher(curated_claims(), synonyms=curated_synonyms())
    result = curated.search(question)
    assert result.outcome == ANSWER and result.best.id == "fla-training-began-before-tin-zaouatine"
    assert curated.search("Did Ghulam die?").outcome == NONE  # a fact no claim states, unlike "happen"
    # "est passé chez", went over to, is not "s'est passé", happened
    words_of = (lambda q: curated._query(q).parts[0])  # type: ignore[index]
    assert "happen" in words_of("Que s'est-il passé à Dioura ?")
    assert "happen" not in words_of("un colonel du FLA est passé chez les djihadistes")


def test_a_chat_opener_is_not_a_missing_name():
    curated = Matcher(curated_claims(), synonyms=curated_synonyms())
    assert curated.search("Regarde ça https://t.me/x/1 le Mali a rompu avec l'Ukraine !!").outcome != NONE


def test_a_french_question_word_opening_a_question_is_not_a_missing_name():
    curated = Matcher(curated_claims(), synonyms=curated_synonyms())
    result = curated.search("Combien d'attaques de drones le JNIM a-t-il menées depuis septembre 2023 ?")
    assert result.outcome == ANSWER and result.best.id == "jnim-drone-capability-increase"


@pytest.mark.parametrize("question, expected", [
    ("Did Bamako break off diplomatic relations with Kiev?", "mali-cuts-ties-with-ukraine"),
    ("Quand le Niger a-t-il rompu avec Kiev ?", "niger-cuts-ties-with-ukraine"),
])
def test_a_capital_brings_its_country_into_the_search(question, expected):
    curated = Matcher(curated_claims(), synonyms=curated_synonyms())
    assert "ukrain" in curated.query_tokens(question)
    result = curated.search(question)
    assert result.outcome == ANSWER and result.best.id == expected
