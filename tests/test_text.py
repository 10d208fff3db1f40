"""knowledge.text: folding, stemming, tokens, language guess."""

import unicodedata

import pytest

from hypothesis import given, strategies as st

from knowledge.text import fold, guess_lang, stem, tokens, whole_number


def reference_fold(text: str) -> str:
    """The plain definition fold() must keep: NFKD, combining marks dropped, casefold, non [0-9a-z] as spaces."""
    import re
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^0-9a-z]+", " ", stripped.casefold()).strip()


def test_fold_removes_accents_case_and_punctuation():
    assert fold("L’Ukraine a-t-elle ÉTÉ « aidée » ?") == "l ukraine a t elle ete aidee"
    assert fold("Straße ﬁn") == "strasse fin"


@given(st.text(max_size=60))
def test_fold_agrees_with_its_definition(text):
    assert fold(text) == reference_fold(text)


def test_fold_keeps_rare_combining_marks_out_of_words():
    assert fold("a\u0483b e\u0301") == reference_fold("a\u0483b e\u0301") == "ab e"


def test_stem_brings_inflections_together():
    for group in (["drone", "drones"], ["lose", "losing", "loses"], ["fire", "fired"], ["attack", "attacks", "attacked"],
                  ["rebelle", "rebelles"], ["election", "elections"], ["body", "bodies"]):
        assert len({stem(w) for w in group}) == 1, group


def test_stem_leaves_short_words_and_numbers():
    assert stem("gur") == "gur" and stem("2024") == "2024"


def test_tokens_drop_stop_words_in_both_languages():
    assert tokens("Le Mali a-t-il rompu avec l'Ukraine ?") == ["mali", "rompu", "ukrain"]
    assert tokens("Did the rebels get the drones?") == ["rebel", "get", "dron"]


def test_guess_lang():
    assert guess_lang("Le Mali a-t-il rompu avec l'Ukraine ?") == "fr"
    assert guess_lang("Did Mali cut ties with Ukraine?") == "en"
    assert guess_lang("JNIM") is None


def test_guess_lang_takes_capitalised_words_inside_a_sentence_for_names():
    assert guess_lang("Did Le Monde say Ghulam joined JNIM?") == "en"
    assert guess_lang("What did La Tribune report?") == "en"
    assert guess_lang("Le Monde a-t-il parlé de Ghulam ?") == "fr"  # a sentence's first word counts
    assert guess_lang("Qu'a dit Yusov ? Le Mali a rompu.") == "fr"


def test_a_noun_in_ion_meets_its_verb():
    assert stem(fold("reaction")) == stem(fold("react")) == stem(fold("réaction"))
    assert stem(fold("relations")) == stem(fold("relate"))
    assert stem("nation") == "nation" and stem("union") == "union"  # short words are left alone


def test_small_talk_is_a_message_with_no_word_to_look_up():
    from knowledge.text import is_small_talk
    for text in ("hello", "Hello!", "merci", "Merci beaucoup !", "thanks", "Thank you so much", "?", "👍", "🙏🙏",
                 "how are you?", "Ça va ?", "Bonjour, comment allez-vous ?", "who are you?", "ok", "help"):
        assert is_small_talk(text), text
    for text in ("Wagner?", "JNIM", "2024?", "Did Mali cut ties?", "Thanks! And Wagner?", "Привет", "Nice?"):
        assert not is_small_talk(text), text  # a name, a number, any word of any script is worth looking up


@given(st.text(max_size=40))
def test_a_name_makes_any_message_a_question(text):
    from knowledge.text import is_small_talk
    assert not is_small_talk(f"{text} Wagner") and not is_small_talk(f"Yusov {text}")


@pytest.mark.parametrize("text, number", [("0", 0), ("42", 42), ("999999999", 999_999_999), ("1000000000", None),
                                          ("1" * 4301, None), ("٣", None), ("¹", None), ("-1", None), (" 1", None),
                                          ("", None), ("1.5", None)])
def test_whole_number_takes_only_a_few_ascii_digits(text, number):
    assert whole_number(text) == number
