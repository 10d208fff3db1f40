"""bot.i18n_mod: the moderators' strings complete in both languages, placeholders and plurals in step, every key
the code asks for present, the French field list naming every field the domain takes."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from bot.handlers.moderation import MOD_COMMANDS
from bot.i18n_mod import STRINGS, action_name, tm, tn
from knowledge import audit
from knowledge.edits import FIELDS_HELP

from helpers.telegram_html import check_telegram_html

BOT = Path(__file__).resolve().parent.parent / "bot"


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_exists_in_both_languages_with_the_same_placeholders():
    assert set(STRINGS["fr"]) == set(STRINGS["en"])
    for key, english in STRINGS["en"].items():
        assert STRINGS["fr"][key].strip() and english.strip(), key
        assert placeholders(STRINGS["fr"][key]) == placeholders(english), key


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_string_formats_and_is_valid_telegram_html(lang):
    for key, text in STRINGS[lang].items():
        values = {name: "x &amp; y" for name in placeholders(text)}  # as the code passes them: escaped
        check_telegram_html(tm(lang, key, **values))


def test_counted_keys_hold_a_singular_and_a_plural_with_the_count():
    counted = [key for key in STRINGS["en"] if key.startswith("n_")]
    assert len(counted) > 10
    for lang in ("en", "fr"):
        for key in counted:
            forms = STRINGS[lang][key].split("|")
            assert len(forms) == 2 and all("{n}" in form for form in forms), (lang, key)


def test_plural_rules():
    assert [tn("en", "n_claims", n) for n in (0, 1, 2)] == ["0 claims", "1 claim", "2 claims"]
    assert [tn("fr", "n_claims", n) for n in (0, 1, 2)] == ["0 affirmation", "1 affirmation", "2 affirmations"]
    assert tn("fr", "n_active", 3) == "3 affirmations actives"


def _keys_used_in_bot() -> set[tuple[str, str]]:
    """(function, key) for every literal key the bot's code passes to tm, tn or say_key."""
    pattern = re.compile(r"\b(tm|tn)\(\s*(?:\w+\(\w+, \w+\)|\w+),\s*f?\"([a-z0-9_{}]+)\""
                         r"|\bsay_key\(\s*update,\s*context,\s*\"([a-z0-9_]+)\"")
    found = set()
    for path in [*BOT.glob("*.py"), *BOT.glob("handlers/*.py")]:
        for match in pattern.finditer(path.read_text()):
            function, key = (match.group(1), match.group(2)) if match.group(1) else ("say_key", match.group(3))
            found.add((function, key))
    return found


def test_every_key_the_code_asks_for_exists():
    used = _keys_used_in_bot()
    assert len(used) > 60  # the pattern still finds the calls
    for function, key in used:
        if "{" in key:  # an f-string key: every value it can take
            prefix = key.split("{")[0]
            assert [k for k in STRINGS["en"] if k.startswith(prefix)], key
            continue
        assert key in STRINGS["en"], (function, key)
        assert (function == "tn") == key.startswith("n_"), (function, key)


def test_every_key_is_used_by_the_code():
    source = "\n".join(path.read_text() for path in [*BOT.glob("*.py"), *BOT.glob("handlers/*.py")]
                       if path.name != "i18n_mod.py")
    prefixes = [key.split("{")[0] for _, key in _keys_used_in_bot() if "{" in key]
    unused = [key for key in STRINGS["en"] if f'"{key}"' not in source and f"'{key}'" not in source
              and not any(key.startswith(prefix) for prefix in prefixes)]
    assert unused == []


def test_every_audit_action_has_a_name_in_both_languages():
    actions = [audit.ADD, audit.EDIT, audit.ALIAS, audit.LINK, audit.RETIRE, audit.RESTORE, audit.UNDO, audit.IMPORT]
    assert [action_name("en", a) for a in actions] == actions
    french = [action_name("fr", a) for a in actions]
    assert len(set(french)) == len(actions) and "annulation" in french
    assert action_name("fr", "something-new") == "something-new"


def test_the_french_field_list_names_every_field_the_domain_takes():
    fields = set(re.findall(r"[a-z_]+(?:\.[A-Za-z_|]+)+|rests_on|aliases|tags|title|link", FIELDS_HELP))
    assert {"text.fr", "sources.N.name|kind|date|quote|url", "stated_in.part.fr|en", "rests_on"} <= fields
    for field in fields:
        assert field in STRINGS["fr"]["fields_help"], field
    assert STRINGS["en"]["fields_help"] == FIELDS_HELP


def test_help_and_menu_list_the_same_commands_in_both_languages():
    names = [name for name, _ in MOD_COMMANDS["en"]]
    assert names == [name for name, _ in MOD_COMMANDS["fr"]]
    for lang in ("en", "fr"):
        for name in set(names) - {"cancel", "modhelp"}:
            assert re.search(rf"/{name}\b", STRINGS[lang]["help"]), (lang, name)
        assert all(len(text) <= 256 for _, text in MOD_COMMANDS[lang])  # Bot API: description 1-256 chars


def test_another_language_falls_back_to_english():
    assert tm("de", "cancelled") == STRINGS["en"]["cancelled"]
    assert tn("de", "n_claims", 0) == "0 claims"
