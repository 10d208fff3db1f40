"""Long texts: cut into passages, each claim keeps its best score; a claim late in a long post is found."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from knowledge.matcher import ANSWER
from knowledge.passages import MAX_INPUT_CHARS, PASSAGE_CHARS, passages, search_text, sentences
from telegram_kit import base

FILLER = ("Nous publions chaque semaine une revue de presse sur la région, avec des liens et des cartes. "
          "Merci à nos lecteurs pour leurs messages et leurs corrections. ")
LATE_CLAIM = "Le 6 août 2024, le Niger a rompu ses relations diplomatiques avec l'Ukraine."


def test_passages_keep_sentences_whole_and_bounded():
    text = "First sentence here. Second one! A third? " * 40
    parts = passages(text, limit=1000)
    assert all(len(p) <= PASSAGE_CHARS for p in parts)
    assert " ".join(parts).split() == text.split()  # nothing lost, nothing reordered


def test_a_run_on_sentence_is_cut_at_spaces():
    text = "mot " * 500
    parts = passages(text, limit=1000)
    assert all(len(p) <= PASSAGE_CHARS for p in parts) and " ".join(parts).split() == text.split()


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=3000))
def test_passages_never_exceed_the_size_and_never_invent_text(text):
    parts = passages(text, limit=1000)
    assert all(0 < len(p) <= PASSAGE_CHARS for p in parts)
    assert "".join("".join(parts).split()) == "".join(text.split())


def test_a_claim_late_in_a_4000_character_post_is_found(base):
    post = (FILLER * 40)[: 3900 - len(LATE_CLAIM)] + " " + LATE_CLAIM
    assert 3800 < len(post) <= MAX_INPUT_CHARS
    assert base.search(post).matches == [] or base.search(post).best.id != "niger-cuts-ties-with-ukraine"
    result = search_text(base, post)
    assert result.outcome == ANSWER and result.best.id == "niger-cuts-ties-with-ukraine"


def test_input_beyond_the_limit_is_cut(base):
    post = FILLER * 60 + LATE_CLAIM  # the claim sits past MAX_INPUT_CHARS
    assert len(post) > MAX_INPUT_CHARS
    result = search_text(base, post)
    assert len(result.query) <= MAX_INPUT_CHARS
    assert all(m.id != "niger-cuts-ties-with-ukraine" for m in result.matches)


def test_short_text_is_searched_as_is(base):
    question = "Did Niger break off relations with Ukraine?"
    assert search_text(base, question) == base.search(question)


def test_a_claim_after_other_talk_is_found_by_its_own_sentence(base):
    chatter = "Il fait beau aujourd'hui et nous sommes allés au marché acheter des légumes pour le dîner."
    claim = "Mali broke off diplomatic relations with Ukraine."
    text = f"{chatter} {claim}"
    assert len(text) <= PASSAGE_CHARS
    whole = base.search(text)
    result = search_text(base, text)
    assert result.outcome == ANSWER and result.best.id == "mali-cuts-ties-with-ukraine"
    assert result.best.score > whole.best.score  # the chatter no longer dilutes it
    late = FILLER * 12 + claim  # and in a long post, beyond what one passage holds
    assert search_text(base, late).outcome == ANSWER


def test_a_claim_before_a_short_exclamation_is_searched_alone(base):
    post = ("Vu sur Telegram : Le 4 août 2024, le Mali a rompu ses relations diplomatiques avec l'Ukraine. "
            "Honte à Kiev !")
    assert base.search(post).outcome != ANSWER  # the whole post dilutes the claim
    result = search_text(base, post)
    assert result.outcome == ANSWER and result.best.id == "mali-cuts-ties-with-ukraine"


def test_only_sentences_of_five_words_or_more_are_searched_alone():
    assert sentences("Iyad Ag Ghali. Il fait très beau. Mali broke off diplomatic relations with Ukraine.") == \
        ["Mali broke off diplomatic relations with Ukraine."]
    assert sentences("one two three four five! six") == ["one two three four five!"]


def test_sentences_are_distinct_and_beyond_the_limit_the_first_and_last_are_kept():
    many = " ".join(f"Sentence number {i} has five words." for i in range(100))
    kept = sentences(many, limit=10)
    assert kept[:5] == [f"Sentence number {i} has five words." for i in range(5)]
    assert kept[5:] == [f"Sentence number {i} has five words." for i in range(95, 100)]
    assert sentences("Same words in this sentence. Same words in this sentence.") == ["Same words in this sentence."]
