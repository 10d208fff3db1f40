"""knowledge.model: building claims field by field, the base-wide rules, and the dict round trip."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
from hypothesis import given, settings

from knowledge.model import (Claim, ClaimError, InvalidClaim, Source, check_base, claim_from_dict,
                             claims_from_data, find_cycle, validate_items)

from helpers.claims import explicit, inferred, small_base
from helpers.strategies import claim_records


def good(**changes) -> dict:
    """A valid explicit record with every field set; changes replace or (value ...) remove fields."""
    record = {
        "id": "c1",
        "title": "Mali breaks off relations",
        "text": {"fr": "Le Mali a rompu avec l'Ukraine.", "en": "Mali broke off relations with Ukraine."},
        "link": "explicit",
        "sources": [{"name": "Malian government", "kind": "official statement", "date": "2024-08-04",
                     "quote": "avec effet immédiat", "url": "https://example.org/statement"}],
        "stated_in": {"title": "An article", "author": "pgibertie"},
        "aliases": ["Mali Ukraine rupture"],
        "tags": ["mali"],
        "status": "active",
        "updated_at": "2024-08-05",
    }
    for key, value in changes.items():
        if value is ...:
            record.pop(key, None)
        else:
            record[key] = value
    return record


def test_a_full_record_builds_every_field():
    claim = claim_from_dict(good())
    assert claim.id == "c1"
    assert claim.title == "Mali breaks off relations"
    assert dict(claim.text) == {"fr": "Le Mali a rompu avec l'Ukraine.", "en": "Mali broke off relations with Ukraine."}
    assert claim.link == "explicit"
    assert claim.sources == (Source("Malian government", "official statement", "2024-08-04",
                                    "avec effet immédiat", "https://example.org/statement"),)
    assert dict(claim.stated_in) == {"title": "An article", "author": "pgibertie"}
    assert claim.aliases == ("Mali Ukraine rupture",)
    assert claim.tags == ("mali",)
    assert claim.active and claim.updated_at == "2024-08-05"


SOURCE = {"name": "Le Monde", "kind": "press"}


@pytest.mark.parametrize("changes, field", [
    ({"text": ...}, "text"),
    ({"text": 42}, "text"),
    ({"text": {}}, "text"),
    ({"text": {"de": "Mali hat gebrochen"}}, "text"),
    ({"text": {"en": ""}}, "text.en"),
    ({"text": {"en": "   "}}, "text.en"),
    ({"text": {"fr": 12}}, "text.fr"),
    ({"text": {"en": "x" * 2001}}, "text.en"),
    ({"link": ...}, "link"),
    ({"link": "maybe"}, "link"),
    ({"link": "Explicit"}, "link"),
    ({"sources": "Le Monde"}, "sources"),
    ({"sources": [5]}, "sources[0]"),
    ({"sources": [SOURCE, {"kind": "press"}]}, "sources[1].name"),
    ({"sources": [{"name": "  ", "kind": "press"}]}, "sources[0].name"),
    ({"sources": [{"name": "X", "kind": "blog"}]}, "sources[0].kind"),
    ({"sources": [{"name": "X", "kind": "press", "date": "29/07/2024"}]}, "sources[0].date"),
    ({"sources": [{"name": "X", "kind": "press", "url": "javascript:alert(1)"}]}, "sources[0].url"),
    ({"sources": [{"name": "X", "kind": "press", "url": "example.org"}]}, "sources[0].url"),
    ({"sources": [{"name": "X", "kind": "press", "publisher": "Y"}]}, "sources[0].publisher"),
    ({"sources": [{"name": "X", "kind": "press", "quote": 3}]}, "sources[0].quote"),
    ({"sources": [{"name": {}, "kind": "press"}]}, "sources[0].name"),
    ({"sources": [{"name": {"de": "X"}, "kind": "press"}]}, "sources[0].name"),
    ({"sources": [{"name": {"fr": "X", "en": ""}, "kind": "press"}]}, "sources[0].name.en"),
    ({"sources": [{"name": {"fr": "x" * 301}, "kind": "press"}]}, "sources[0].name.fr"),
    ({"sources": [{"name": ["X"], "kind": "press"}]}, "sources[0].name"),
    ({"stated_in": {"part": {"xx": "comments"}}}, "stated_in.part"),
    ({"stated_in": {"part": {"en": " "}}}, "stated_in.part.en"),
    ({"stated_in": {"title": {"en": "Titles are not translated"}}}, "stated_in.title"),
    ({"stated_in": ["An article"]}, "stated_in"),
    ({"stated_in": {"page": "3"}}, "stated_in.page"),
    ({"stated_in": {"title": "T", "date": "July"}}, "stated_in.date"),  # as a source's date
    ({"stated_in": {"title": "T", "date": "29/07/2024"}}, "stated_in.date"),
    ({"stated_in": {"title": "T", "date": "2024-02-30"}}, "stated_in.date"),
    ({"stated_in": {"title": "T", "url": "javascript:alert(1)"}}, "stated_in.url"),  # as a source's url
    ({"stated_in": {"title": "T", "url": "example.org"}}, "stated_in.url"),
    ({"stated_in": {"title": "T", "url": "https://example.org/a b"}}, "stated_in.url"),
    ({"aliases": 5}, "aliases"),
    ({"aliases": ["ok", ""]}, "aliases[1]"),
    ({"aliases": ["x" * 301]}, "aliases[0]"),
    ({"tags": [1]}, "tags[0]"),
    ({"status": "draft"}, "status"),
    ({"title": 5}, "title"),
    ({"updated_at": 5}, "updated_at"),
    ({"rests_on": [""]}, "rests_on[0]"),
    ({"reasoning": {"xx": "because"}}, "reasoning"),
    ({"colour": "red"}, "colour"),
])
def test_each_bad_field_names_the_claim_and_the_field(changes, field):
    with pytest.raises(ClaimError) as info:
        claim_from_dict(good(**changes))
    assert info.value.claim_id == "c1"
    assert info.value.field == field
    assert "'c1'" in str(info.value) and repr(field) in str(info.value)


@pytest.mark.parametrize("raw", [None, "a claim", ["c1"], 3])
def test_a_record_that_is_not_a_mapping_is_refused(raw):
    with pytest.raises(ClaimError) as info:
        claim_from_dict(raw)
    assert info.value.field == "claim"


@pytest.mark.parametrize("cid", ["a", "A-b_c.d:e", "x" * 48, "2024", "mali-cuts-ties-with-ukraine"])
def test_valid_ids(cid):
    assert claim_from_dict(good(id=cid)).id == cid


@pytest.mark.parametrize("cid", ["", "x" * 49, "has space", "été", "a/b", "a#b", "<b>", "abc\n", "\nabc",
                                 "a\tb", None, ["c1"], 1.5, True])
def test_invalid_ids_are_refused_on_the_id_field(cid):
    record = good(id=cid) if cid is not None else good(id=...)
    with pytest.raises(ClaimError) as info:
        claim_from_dict(record)
    assert info.value.field == "id"


def test_an_integer_id_becomes_text():
    assert claim_from_dict(good(id=2024)).id == "2024"


@pytest.mark.parametrize("value, stored", [
    ("2025", "2025"),
    ("2024-10", "2024-10"),
    ("2024-07-29", "2024-07-29"),
    ("2024-02-29", "2024-02-29"),
    (2025, "2025"),
    (dt.date(2024, 7, 29), "2024-07-29"),
])
def test_source_dates_as_precise_as_known(value, stored):
    claim = claim_from_dict(good(sources=[{"name": "X", "kind": "press", "date": value}]))
    assert claim.sources[0].date == stored


@pytest.mark.parametrize("value", ["24", "2024-7", "2024-13", "2024-00", "2024-07-32", "2024-02-30",
                                   "2023-02-29", "2024-04-31", "2024/07/29", "2024-07-29T10:00", "July 2024",
                                   "2024-07-29\n"])
def test_bad_source_dates_are_refused(value):
    with pytest.raises(ClaimError) as info:
        claim_from_dict(good(sources=[{"name": "X", "kind": "press", "date": value}]))
    assert info.value.field == "sources[0].date"


def test_an_explicit_claim_needs_a_source():
    with pytest.raises(ClaimError) as info:
        claim_from_dict(good(sources=[]))
    assert (info.value.claim_id, info.value.field) == ("c1", "sources")
    with pytest.raises(ClaimError):
        claim_from_dict(good(sources=...))


def fields_of(raw, **kwargs) -> list[tuple[str | None, str]]:
    with pytest.raises(InvalidClaim) as info:
        claim_from_dict(raw, **kwargs)
    return [(e.claim_id, e.field) for e in info.value.errors]


def test_an_inferred_claim_needs_rests_on_and_reasoning():
    """CLAIMS.md: an inferred claim records what it rests on AND, in one sentence, who infers what."""
    assert fields_of(good(link="inferred", sources=[])) == [("c1", "rests_on"), ("c1", "reasoning")]
    assert fields_of(good(link="inferred", sources=[], reasoning="The author infers it.")) == [("c1", "rests_on")]
    assert fields_of(good(link="inferred", sources=[], rests_on=["c0"])) == [("c1", "reasoning")]
    both = claim_from_dict(good(link="inferred", sources=[], rests_on=["c0"], reasoning="The author infers it."))
    assert both.rests_on == ("c0",) and both.reasoning_in("en") == "The author infers it."


def test_a_stored_inferred_claim_from_the_older_rule_still_loads():
    """The store was written when either field sufficed: it must still open; new input must not."""
    old = good(link="inferred", sources=[], reasoning="The author infers it.")
    assert claim_from_dict(old, stored=True).reasoning_in("en") == "The author infers it."
    assert fields_of(old) == [("c1", "rests_on")]
    assert fields_of(good(link="inferred", sources=[]), stored=True) == [("c1", "rests_on"), ("c1", "reasoning")]


def test_a_claim_cannot_rest_on_itself():
    with pytest.raises(ClaimError) as info:
        claim_from_dict(good(link="inferred", rests_on=["c1"], reasoning="r"))
    assert info.value.field == "rests_on" and "itself" in info.value.message


def test_an_explicit_claim_rests_on_no_other_claim():
    """CLAIMS.md: rests_on belongs to inferred claims; an explicit claim's source states it whole."""
    with pytest.raises(ClaimError) as info:
        claim_from_dict(good(rests_on=["c0"]))
    assert (info.value.claim_id, info.value.field) == ("c1", "rests_on")
    assert "only an inferred claim has rests_on" in info.value.message
    assert claim_from_dict(good(rests_on=[])).rests_on == ()
    assert claim_from_dict(good(rests_on=["c0"]), stored=True).rests_on == ("c0",)  # a store written before opens


def test_an_explicit_claim_has_no_reasoning():
    """CLAIMS.md: reasoning says who infers what, so it belongs to inferred claims; on an explicit claim it was
    saved and never shown to readers."""
    with pytest.raises(ClaimError) as info:
        claim_from_dict(good(reasoning="Someone infers it."))
    assert (info.value.claim_id, info.value.field) == ("c1", "reasoning")
    assert "an explicit claim has no reasoning" in info.value.message
    assert claim_from_dict(good(reasoning="Kept."), stored=True).reasoning_in("en") == "Kept."  # older stores open


def test_the_curated_claims_follow_the_rules_of_a_claim_file():
    from knowledge.store import curated_items

    items = curated_items()
    claims, errors = validate_items(items)
    assert errors == [] and len(claims) == len(items) > 0
    assert not [c.id for c in claims if c.link == "explicit" and (c.reasoning or c.rests_on)]


def test_defaults_fill_plain_text_link_and_source():
    claim = claim_from_dict({"id": "plain", "text": "Texte en français"}, default_lang="fr",
                            default_link="explicit", default_source="Le Monde")
    assert dict(claim.text) == {"fr": "Texte en français"}
    assert claim.link == "explicit"
    assert claim.sources == (Source("Le Monde", "other"),)
    own = claim_from_dict({"id": "own", "text": "x", "link": "inferred", "reasoning": "r", "rests_on": ["c0"],
                           "sources": [{"name": "Mine", "kind": "author"}]},
                          default_link="explicit", default_source="Le Monde")
    assert own.link == "inferred" and [s.name for s in own.sources] == ["Mine"]


def test_texts_are_stripped_and_duplicate_aliases_dropped():
    claim = claim_from_dict(good(text={"en": "  Mali broke off.  "}, aliases=["Mali", " Mali ", "Bamako"]))
    assert claim.text["en"] == "Mali broke off."
    assert claim.aliases == ("Mali", "Bamako")


def test_text_in_falls_back_to_the_other_language():
    claim = claim_from_dict(good(text={"fr": "Seulement en français"}))
    assert claim.text_in("en") == "Seulement en français"
    assert claim.text_in("fr") == "Seulement en français"
    assert claim.reasoning_in("en") == ""


# --- across the base ------------------------------------------------------

def test_the_small_base_is_valid():
    claims = claims_from_data(small_base())
    assert len(claims) == len(small_base())


def test_ids_must_be_unique():
    records = small_base() + [explicit("mali-cuts-ties", "Another text", source="Other")]
    with pytest.raises(ClaimError) as info:
        claims_from_data(records)
    assert (info.value.claim_id, info.value.field) == ("mali-cuts-ties", "id")


def test_rests_on_ids_must_exist():
    records = small_base() + [inferred("dangling", "It rests on nothing real.", rests_on=["no-such-claim"])]
    with pytest.raises(ClaimError) as info:
        claims_from_data(records)
    assert (info.value.claim_id, info.value.field) == ("dangling", "rests_on")
    assert "no-such-claim" in str(info.value)


def _claims(edges: dict[str, list[str]]) -> dict[str, Claim]:
    return {cid: claim_from_dict(inferred(cid, f"claim {cid}", rests_on=deps, reasoning="r") if deps
                                 else explicit(cid, f"claim {cid}"))
            for cid, deps in edges.items()}


@pytest.mark.parametrize("edges", [
    {"a": ["b"], "b": ["a"]},
    {"a": ["b"], "b": ["c"], "c": ["a"]},
    {"x": ["a"], "a": ["b"], "b": ["c"], "c": ["b"]},
    {"a": ["b", "c"], "b": [], "c": ["d"], "d": ["e"], "e": ["c"]},
])
def test_find_cycle_returns_a_real_cycle(edges):
    by_id = _claims(edges)
    cycle = find_cycle(by_id)
    assert cycle is not None and cycle[0] == cycle[-1] and len(cycle) >= 3
    for here, there in zip(cycle, cycle[1:]):
        assert there in edges[here]
    with pytest.raises(ClaimError) as info:
        check_base(by_id.values())
    assert info.value.field == "rests_on" and info.value.claim_id in edges and "cycle" in str(info.value)


@pytest.mark.parametrize("edges", [
    {"a": []},
    {"a": ["b"], "b": []},
    {"top": ["l", "r"], "l": ["bottom"], "r": ["bottom"], "bottom": []},  # a diamond is not a cycle
    {"a": ["b", "c"], "b": ["c"], "c": []},
])
def test_find_cycle_finds_none_in_a_dag(edges):
    assert find_cycle(_claims(edges)) is None
    check_base(_claims(edges).values())


def test_a_long_chain_does_not_hit_the_recursion_limit():
    edges = {f"n{i}": [f"n{i + 1}"] for i in range(5000)}
    edges["n5000"] = []
    assert find_cycle(_claims(edges)) is None
    edges["n5000"] = ["n0"]
    assert len(find_cycle(_claims(edges))) == 5002


def test_validate_items_reports_every_bad_claim():
    records = small_base()
    records[1]["link"] = "maybe"
    records[3]["sources"] = []
    claims, errors = validate_items(records)
    assert [(e.claim_id, e.field) for e in errors] == [("niger-cuts-ties", "link"), ("drone-training", "sources")]
    assert len(claims) == len(records) - 2


def test_validate_items_checks_the_base_when_every_claim_builds():
    records = small_base()
    records[0]["id"] = records[1]["id"]  # mali-cuts-ties is gone, and article-thesis rests on it
    claims, errors = validate_items(records)
    assert [(e.claim_id, e.field, e.position) for e in errors] == [
        ("niger-cuts-ties", "id", 2), ("article-thesis", "rests_on", 6)]


# --- round trip -----------------------------------------------------------

def test_to_dict_round_trip_of_the_small_base():
    for record in small_base():
        claim = claim_from_dict(record)
        again = claim_from_dict(claim.to_dict())
        assert again == claim
        assert json.loads(json.dumps(claim.to_dict())) == claim.to_dict()


def test_to_dict_does_not_share_state_with_the_claim():
    claim = claim_from_dict(good())
    data = claim.to_dict()
    data["text"]["en"] = "changed"
    data["aliases"].append("new")
    assert claim.text["en"] == "Mali broke off relations with Ukraine."
    assert "new" not in claim.aliases


@settings(max_examples=150, deadline=None)
@given(claim_records())
def test_property_to_dict_then_claim_from_dict_is_identity(record):
    claim = claim_from_dict(copy.deepcopy(record))
    data = claim.to_dict()
    assert claim_from_dict(data) == claim
    assert claim_from_dict(data).to_dict() == data
    assert dict(claim.text) == record["text"]
    assert [s.to_dict() for s in claim.sources] == record["sources"]


def test_a_source_name_may_have_a_form_per_language_and_round_trips():
    record = good(sources=[{"name": {"fr": "Gouvernement de transition du Mali", "en": "Transitional government of Mali"},
                            "kind": "official statement"}, {"name": "Le Monde", "kind": "press"}],
                  stated_in={"title": "Un article", "part": {"fr": "commentaire d'un lecteur", "en": "reader comment"}})
    claim = claim_from_dict(record)
    bilingual, plain = claim.sources
    assert bilingual.name_in("en") == "Transitional government of Mali"
    assert bilingual.name_in("fr") == "Gouvernement de transition du Mali"
    assert plain.name_in("en") == plain.name_in("fr") == "Le Monde" and plain.names == {}
    assert claim.stated_in_value("part", "fr") == "commentaire d'un lecteur"
    assert claim.stated_in_value("part", "en") == "reader comment" and claim.stated_in_value("title", "en") == "Un article"
    data = claim.to_dict()
    assert data["sources"][0]["name"] == record["sources"][0]["name"] and data["sources"][1]["name"] == "Le Monde"
    assert data["stated_in"]["part"] == record["stated_in"]["part"]
    assert claim_from_dict(json.loads(json.dumps(data))) == claim


def test_a_name_in_one_language_only_is_shown_in_both():
    source = claim_from_dict(good(sources=[{"name": {"fr": "ONU"}, "kind": "official statement"}])).sources[0]
    assert source.name_in("en") == source.name_in("fr") == source.name == "ONU"


# --- every error of a claim, in file order ------------------------------------

TRIAL = {"id": "a1", "text": {"fr": "", "en": "Something"}, "link": "explicit",
         "sources": [{"name": "X", "kind": "blog", "url": "notaurl", "date": "2024-13-45"}], "rests_on": ["ghost"]}


def test_every_field_error_of_a_claim_is_reported_not_only_the_first():
    with pytest.raises(InvalidClaim) as info:
        claim_from_dict(TRIAL)
    errors = info.value.errors
    assert [(e.claim_id, e.field) for e in errors] == [
        ("a1", "text.fr"), ("a1", "sources[0].kind"), ("a1", "sources[0].date"), ("a1", "sources[0].url"),
        ("a1", "rests_on")]  # an explicit claim rests on nothing
    assert (info.value.claim_id, info.value.field) == ("a1", "text.fr")  # reads as its first error
    assert all(repr(e.field) in str(info.value) for e in errors) and str(info.value).startswith("claim 'a1'")
    assert info.value.rests_on == ("ghost",)  # kept, so the file check can name an unknown id too


@pytest.mark.parametrize("value", ["2024-13-45", "2024-07-29T10:00", "2024-07-29 (approx.)", "x" * 400, ["2024"]])
def test_a_bad_date_says_the_format_whatever_its_length(value):
    with pytest.raises(ClaimError) as info:
        claim_from_dict(good(sources=[{"name": "X", "kind": "press", "date": value}]))
    assert info.value.field == "sources[0].date"
    assert "must be YYYY, YYYY-MM or YYYY-MM-DD" in info.value.message


def test_a_claim_without_id_is_named_by_its_position_and_line():
    assert str(ClaimError(None, "id", "bad")) == "claim without id, field 'id': bad"
    assert str(ClaimError(None, "id", "bad").at(3)) == "claim #3 (no id), field 'id': bad"
    assert str(ClaimError(None, "id", "bad").at(3, 12)) == "claim #3 (no id, line 12), field 'id': bad"
    assert str(ClaimError("c1", "id", "bad").at(3, 12)) == "claim 'c1', field 'id': bad"


def test_validate_items_lists_every_error_in_file_order():
    records = small_base()
    records[0]["link"] = "maybe"                        # 1: a field error
    del records[2]["id"]                                # 3: no id, and its other field errors
    records[2]["sources"][0]["date"] = "soon"
    records[4]["rests_on"] = ["ghost", "drone-training"]  # 5: names a claim not in the file
    records[3]["sources"] = []                          # 4: explicit without a source
    claims, errors = validate_items(records, lines=[10, 20, 30, 40, 50, 60, 70, 80])
    assert [(e.position, e.claim_id, e.field) for e in errors] == [
        (1, "mali-cuts-ties", "link"), (3, None, "id"), (3, None, "sources[0].date"),
        (4, "drone-training", "sources"), (5, "ukraine-helped-rebels", "rests_on")]
    assert str(errors[1]).startswith("claim #3 (no id, line 30), field 'id'")
    assert "'ghost'" in errors[-1].message
    assert [c.id for c in claims] == [records[i]["id"] for i in (1, 4, 5, 6, 7)]


def test_a_claim_without_id_that_rests_on_an_unknown_id_is_told_so_by_its_position():
    records = small_base()
    del records[4]["id"]                                # 5: inferred, no id
    records[4]["rests_on"] = ["ghost", "drone-training"]
    records[5]["rests_on"] = ["mali-cuts-ties"]         # 6: no longer names the id-less claim
    records[6]["sources"] = []                          # 7: fails on its own, its id still known
    records.append({"text": {"en": "Rests on one that failed."}, "link": "inferred", "rests_on": ["fr-only"],
                    "reasoning": {"en": "Someone infers it."}, "sources": [{"name": "X", "kind": "press"}],
                    "stated_in": {"title": "T"}})  # 9: no id; fr-only failed on its own, not blamed twice
    _, errors = validate_items(records, lines=[10, 20, 30, 40, 50, 60, 70, 80, 90])
    assert [(e.position, e.claim_id, e.field) for e in errors] == [
        (5, None, "id"), (5, None, "rests_on"), (7, "fr-only", "sources"), (9, None, "id")]
    assert str(errors[1]) == "claim #5 (no id, line 50), field 'rests_on': names 'ghost', which is not in this file"


# --- updated_at, tags and a missing id, as the trial found them ---------------------------------------

@pytest.mark.parametrize("value", ["yesterday", "2024", "2024-08", "2024-02-30", "2024-8-5", "2024-08-05T10:00",
                                   dt.datetime(2024, 8, 5, 10, 0), 20240805, ["2024-08-05"]])
def test_updated_at_must_be_a_whole_iso_date(value):
    with pytest.raises(ClaimError) as info:
        claim_from_dict(good(updated_at=value))
    assert (info.value.claim_id, info.value.field) == ("c1", "updated_at")
    assert str(info.value) == "claim 'c1', field 'updated_at': must be a date YYYY-MM-DD (a real date)"


@pytest.mark.parametrize("value, expected", [("2024-08-05", "2024-08-05"), (" 2024-08-05 ", "2024-08-05"),
                                             (dt.date(2024, 8, 5), "2024-08-05"), ("", None), (None, None)])
def test_updated_at_as_a_date_or_absent(value, expected):
    assert claim_from_dict(good(updated_at=value)).updated_at == expected


def test_a_stored_updated_at_written_before_the_rule_still_loads():
    """A store written before updated_at was checked must still open (nothing lost); a file import is refused."""
    assert claim_from_dict(good(updated_at="yesterday"), stored=True).updated_at == "yesterday"


@pytest.mark.parametrize("value, expected", [("a, b", ("a", "b")), ("mali,niger ,  , sahel", ("mali", "niger", "sahel")),
                                             ("one tag", ("one tag",)), ("a\nb", ("a", "b")),
                                             (["a, b"], ("a, b",)), (["x", "y"], ("x", "y"))])
def test_tags_as_one_text_are_split_on_commas_as_edit_splits_them(value, expected):
    from knowledge.edits import edit_record
    assert claim_from_dict(good(tags=value)).tags == expected
    if isinstance(value, str):  # /edit <id> tags <value> gives the same tags
        assert claim_from_dict(edit_record(good(), "tags", value)).tags == expected


@pytest.mark.parametrize("record", [good(id=...), good(id=None), good(id="")])
def test_a_missing_id_is_said_to_be_required(record):
    with pytest.raises(ClaimError) as info:
        claim_from_dict(record)
    assert info.value.field == "id" and info.value.claim_id is None
    assert info.value.message.startswith("is required")


@pytest.mark.parametrize("date, kept", [("2024", "2024"), ("2024-07", "2024-07"), (" 2024-07-29 ", "2024-07-29"),
                                        (2024, "2024"), (dt.date(2024, 7, 29), "2024-07-29")])
def test_stated_in_date_takes_what_a_sources_date_takes(date, kept):
    claim = claim_from_dict(good(stated_in={"title": "T", "date": date, "url": "https://example.org/a"}))
    assert claim.stated_in["date"] == kept and claim.stated_in["url"] == "https://example.org/a"
    source = claim_from_dict(good(sources=[{"name": "X", "kind": "press", "date": date}])).sources[0]
    assert source.date == kept


def test_a_stored_stated_in_date_or_url_saved_before_they_were_checked_still_loads():
    """A store written before stated_in.date and .url were checked must still open: the bot would not start."""
    record = good(stated_in={"title": "T", "date": "July", "url": "javascript:alert(1)"})
    claim = claim_from_dict(record, stored=True)
    assert dict(claim.stated_in) == {"title": "T", "date": "July", "url": "javascript:alert(1)"}
    with pytest.raises(InvalidClaim) as info:  # anything else, and any change to the claim, is checked
        claim_from_dict(claim.to_dict())
    assert [e.field for e in info.value.errors] == ["stated_in.date", "stated_in.url"]
    with pytest.raises(ClaimError):
        claim_from_dict(good(stated_in={"title": "T", "date": "x" * 400}), stored=True)  # still a text that fits
