"""bot.i18n: both languages complete, placeholders in step, language choice."""

from __future__ import annotations

import re
import string

import pytest

from bot.i18n import SOURCE_KIND_NAMES, STRINGS, pick_lang, t
from knowledge.model import SOURCE_KINDS

from helpers.telegram_html import check_telegram_html


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_languages_have_the_same_keys_and_placeholders():
    assert set(STRINGS["fr"]) == set(STRINGS["en"])
    for key, english in STRINGS["en"].items():
        assert placeholders(STRINGS["fr"][key]) == placeholders(english), key


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_string_formats_and_is_valid_telegram_html(lang):
    for key, text in STRINGS[lang].items():
        values = {name: "<code>x</code>" for name in placeholders(text)}
        check_telegram_html(t(lang, key, **values))


def test_every_source_kind_has_a_name_in_both_languages():
    for lang in ("en", "fr"):
        assert set(SOURCE_KIND_NAMES[lang]) == set(SOURCE_KINDS)


def test_t_takes_a_value_named_lang():
    assert t("en", "only_in", lang="French") == "(only available in French)"
    assert t("fr", "lang_usage_telegram", lang="français").endswith("je réponds en français, la langue de votre "
                                                                    "application Telegram.")


def test_t_falls_back_to_english_for_an_unknown_language():
    assert t("de", "lang_set") == STRINGS["en"]["lang_set"]


@pytest.mark.parametrize("chosen, code, question, expected", [
    ("fr", "en", "What is this?", "fr"),
    (None, "fr-FR", "What is this?", "fr"),
    (None, "en", "Le Mali a-t-il rompu ?", "en"),
    (None, "de", "Le Mali a-t-il rompu avec l'Ukraine ?", "fr"),
    (None, None, "Did Mali cut ties with Ukraine?", "en"),
    (None, None, None, "en"),
    ("xx", None, None, "en"),
])
def test_pick_lang_precedence(chosen, code, question, expected):
    assert pick_lang(chosen, code, question) == expected


def test_help_lists_every_command_of_the_menu():
    from bot.app import COMMANDS
    for lang in ("en", "fr"):
        for name, _ in COMMANDS[lang]:
            assert re.search(rf"/{name}\b", STRINGS[lang]["help"]), (lang, name)


@pytest.mark.parametrize("chosen, code, question, remembered, expected", [
    (None, None, "JNIM", "fr", "fr"),          # a question that tells no language: the remembered one
    (None, None, "Did Ghulam join JNIM?", "fr", "en"),
    (None, "en", None, "fr", "en"),
    ("en", None, None, "fr", "en"),
    (None, None, None, "xx", "en"),
])
def test_pick_lang_remembered_comes_after_the_question(chosen, code, question, remembered, expected):
    assert pick_lang(chosen, code, question, remembered) == expected


def test_the_language_of_a_reply_is_told_by_its_labels_not_its_words():
    from bot.i18n import language_of_reply
    english_card = ("💬 Claim: Around mid-2024, Hussein Ghulam joined JNIM.\n• Le Monde · press\n"
                    "📄 Read in: “Quand l’Ukraine forme aux drones de guerre et soutient les rebelles” by pgibertie")
    assert language_of_reply(english_card) == "en"
    assert language_of_reply("💬 Affirmation : Le Mali a rompu avec l'Ukraine.") == "fr"
    assert language_of_reply(STRINGS["fr"]["suggest_tap"]) == "fr"
    assert language_of_reply("Le Mali a rompu ses relations diplomatiques avec l'Ukraine.") is None
    assert language_of_reply("💬 Claim: x\n💬 Affirmation : x") is None
    assert language_of_reply(None) is None
