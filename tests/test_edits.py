"""One-field edits as moderators type them."""

from __future__ import annotations

import pytest

from knowledge.edits import (ChangeRefused, changed_fields, edit_record, editable_fields, field_value, makes_stated,
                             propose_id)
from knowledge.model import claim_from_dict

RECORD = {"id": "x", "text": {"fr": "Le texte", "en": "The text"}, "link": "explicit",
          "sources": [{"name": "A", "kind": "press", "date": "2024"}], "aliases": ["one"], "tags": ["t"],
          "status": "active"}


@pytest.mark.parametrize("field,value,path,expected", [
    ("text.en", "New", "text", {"fr": "Le texte", "en": "New"}),
    ("text.fr", "-", "text", {"en": "The text"}),
    ("title", "Headline", "title", "Headline"),
    ("aliases", "a | b|c", "aliases", ["a", "b", "c"]),
    ("tags", "mali, drones", "tags", ["mali", "drones"]),
    ("stated_in.author", "pgibertie", "stated_in", {"author": "pgibertie"}),
    ("sources.1.date", "2024-07-29", "sources", [{"name": "A", "kind": "press", "date": "2024-07-29"}]),
    ("sources.1.date", "-", "sources", [{"name": "A", "kind": "press"}]),
    ("sources.2.name", "B", "sources", [{"name": "A", "kind": "press", "date": "2024"},
                                         {"name": "B", "kind": "other"}]),
    ("sources.1", "-", "sources", []),
    ("sources.1.name.en", "A in English", "sources", [{"name": {"fr": "A", "en": "A in English"}, "kind": "press",
                                                       "date": "2024"}]),
    ("stated_in.part.fr", "commentaire d'un lecteur", "stated_in", {"part": "commentaire d'un lecteur"}),
])
def test_edit_record_sets_one_field(field, value, path, expected):
    out = edit_record(RECORD, field, value)
    assert out[path] == expected
    assert RECORD["text"] == {"fr": "Le texte", "en": "The text"}  # the input is not touched


INFERRED = {"id": "i", "text": {"en": "The text"}, "link": "inferred", "rests_on": ["x"],
            "reasoning": {"en": "The author infers it."}, "sources": [], "status": "active"}


@pytest.mark.parametrize("field,value,path,expected", [
    ("rests_on", "a, b c", "rests_on", ["a", "b", "c"]),
    ("reasoning.fr", "L'auteur l'infère.", "reasoning", {"en": "The author infers it.", "fr": "L'auteur l'infère."}),
])
def test_edit_record_sets_what_an_inferred_claim_rests_on_and_its_reasoning(field, value, path, expected):
    assert edit_record(INFERRED, field, value)[path] == expected


def test_making_a_claim_explicit_drops_its_rests_on_and_its_reasoning():
    """CLAIMS.md: rests_on and reasoning belong to inferred claims; a kept reasoning was saved and never shown."""
    out = edit_record(INFERRED, "link", "explicit")
    assert out["link"] == "explicit" and "rests_on" not in out and "reasoning" not in out
    assert claim_from_dict({**out, "sources": [{"name": "A", "kind": "press"}]}).reasoning == {}


@pytest.mark.parametrize("field,value", [("reasoning.en", "Someone infers it."), ("reasoning.fr", "x"),
                                         ("rests_on", "y")])
def test_an_explicit_claim_gets_no_reasoning_nor_rests_on_and_is_told_how_to_make_it_inferred(field, value):
    with pytest.raises(ChangeRefused) as info:
        edit_record(RECORD, field, value)
    message = str(info.value)
    assert f"claim 'x', field '{field.split('.')[0]}': an explicit claim" in message
    assert "/export, change the claim in the file, /import it" in message


def test_a_reasoning_an_explicit_claim_kept_from_an_older_store_can_be_cleared():
    legacy = {**RECORD, "reasoning": {"en": "Kept from before."}}
    assert claim_from_dict(legacy, stored=True).reasoning  # such a store still opens
    assert "reasoning" not in edit_record(legacy, "reasoning.en", "-")


def test_link_inferred_on_an_explicit_claim_says_how_to_do_it():
    """'an inferred claim needs rests_on' alone left the moderator stuck (a trial)."""
    with pytest.raises(ChangeRefused, match="/export, change the claim in the file, /import it"):
        edit_record(RECORD, "link", "inferred")
    both = {**RECORD, "rests_on": ["y"], "reasoning": {"en": "Someone infers it."}}  # an older store's record
    assert edit_record(both, "link", "inferred")["link"] == "inferred"


def test_check_part_checks_a_reasoning_as_an_inferred_claims():
    from knowledge.edits import check_part

    assert check_part("reasoning.en", "  The author infers it. ") == "The author infers it."
    with pytest.raises(ChangeRefused, match="longer than"):
        check_part("reasoning.en", "x" * 3000)


@pytest.mark.parametrize("field,value,reason", [
    ("text", "x", "text.fr or text.en"), ("id", "y", "stable"), ("status", "retired", "/retire"),
    ("sources.0.name", "x", "sources.1 to sources.2"), ("sources.one.name", "x", "numbered from 1"),
    ("sources.1.colour", "x", "a source has"), ("sources.3.name", "x", "sources.1 to sources.2"),
    ("nothing", "x", "unknown field"), ("title", "  ", "give a value"),
    ("sources.1.date.en", "2024", "only a source's name"), ("sources.1.name.de", "x", "only a source's name"),
    ("stated_in.title.en", "x", "unknown field"),
])
def test_edit_record_refuses_with_a_reason(field, value, reason):
    with pytest.raises(ChangeRefused, match=reason.replace(".", r"\.").replace("/", "/")):
        edit_record(RECORD, field, value)


def test_field_value_and_editable_fields():
    assert field_value(RECORD, "sources.1.date") == "2024"
    assert field_value(RECORD, "sources.4.date") is None
    claim = claim_from_dict(RECORD)
    fields = editable_fields(claim)
    assert "sources.1.quote" in fields and "sources.2.name" in fields and "reasoning.en" not in fields
    assert all(len(f"e:f:{f}".encode()) <= 64 for f in fields)


def test_changed_fields_and_propose_id():
    assert changed_fields(RECORD, {**RECORD, "tags": [], "updated_at": "2026"}) == ["tags"]
    assert changed_fields(None, {"id": "x"}) == ["id"]
    assert propose_id("Le Mali a rompu ses relations avec l'Ukraine") == "mali-rompu-relations-ukraine"
    assert propose_id("Le Mali a rompu", {"mali-rompu"}) == "mali-rompu-2"
    assert len(propose_id("word " * 100)) <= 48


def test_a_name_form_per_language_is_set_then_cleared_back_to_one_text():
    bilingual = edit_record(RECORD, "sources.1.name.en", "A (English)")
    assert bilingual["sources"][0]["name"] == {"fr": "A", "en": "A (English)"}
    assert claim_from_dict(bilingual).sources[0].name_in("en") == "A (English)"
    assert edit_record(bilingual, "sources.1.name.fr", "A (français)")["sources"][0]["name"] == {
        "fr": "A (français)", "en": "A (English)"}
    assert edit_record(bilingual, "sources.1.name.en", "-")["sources"][0]["name"] == "A"
    part = edit_record(edit_record(RECORD, "stated_in.part", "reader comment"), "stated_in.part.fr", "commentaire")
    assert part["stated_in"] == {"part": {"fr": "commentaire", "en": "reader comment"}}
    assert claim_from_dict(part).stated_in_value("part", "fr") == "commentaire"


def test_makes_stated_is_a_change_to_explicit_or_to_an_explicit_claims_sources():
    inferred = claim_from_dict({"id": "i", "text": {"en": "x"}, "link": "inferred", "rests_on": ["e"],
                                "reasoning": {"en": "The author infers x."},
                                "sources": [{"name": "Author", "kind": "author"}]})
    explicit = claim_from_dict({"id": "e", "text": {"en": "x"}, "link": "explicit",
                                "sources": [{"name": "Le Monde", "kind": "press"}]})

    def after(claim, field, value):
        return claim_from_dict(edit_record(claim.to_dict(), field, value))

    assert makes_stated(inferred, after(inferred, "link", "explicit"))
    assert makes_stated(explicit, after(explicit, "sources.1.name", "Reuters"))
    assert makes_stated(explicit, after(explicit, "sources.2.name", "Reuters"))
    assert not makes_stated(explicit, after(explicit, "title", "A title"))
    assert not makes_stated(inferred, after(inferred, "sources.1.name", "Someone"))  # who infers, not who states
    made_inferred = claim_from_dict({**explicit.to_dict(), "link": "inferred", "rests_on": ["i"],
                                     "reasoning": {"en": "Someone infers x."}})
    assert not makes_stated(explicit, made_inferred)
