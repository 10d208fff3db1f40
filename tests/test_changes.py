"""What a change did, part by part: before and after never read the same."""

from __future__ import annotations

from hypothesis import given, strategies as st

from knowledge.changes import MAX_ITEMS, change_parts, changed_parts, compact, describe_part


def test_a_list_shows_the_items_it_gained_and_lost():
    """A rests_on or aliases list longer than the line was cut alike on both sides (a trial)."""
    ids = [f"a-rather-long-claim-id-number-{i}" for i in range(6)]
    assert compact(ids) == compact(ids + ["new-one"])  # what the line showed before
    assert describe_part(ids, ids + ["new-one"]) == "+ new-one"
    assert describe_part(ids + ["new-one"], ids[1:]) == f"− {ids[0]} · − new-one"
    assert describe_part(None, ["a", "b"]) == "+ a · + b"
    assert describe_part(["a"], None) == "− a"
    many = describe_part([], [f"alias {i}" for i in range(MAX_ITEMS + 3)])
    assert many.endswith(f"+ alias {MAX_ITEMS - 1} · (+3 more)")


def test_long_texts_that_shorten_alike_are_shown_around_their_first_difference():
    before, after = "https://example.org/" + "a" * 200 + "/x", "https://example.org/" + "a" * 200 + "/y"
    assert compact(before) == compact(after)  # what the line showed before
    line = describe_part(before, after)
    old, new = line.split(" → ")
    assert old != new and old.endswith("/x") and new.endswith("/y") and old.startswith("…")
    assert len(old) <= 160 and len(new) <= 160
    middle_before, middle_after = "x" * 300 + "A" + "y" * 300, "x" * 300 + "B" + "y" * 300
    old, new = describe_part(middle_before, middle_after).split(" → ")
    assert "A" in old and "B" in new and old.startswith("…") and old.endswith("…")


def test_short_values_read_as_before_and_after():
    assert describe_part(None, "https://example.org/x") == "∅ → https://example.org/x"
    assert describe_part("inferred", "explicit") == "inferred → explicit"


def test_parts_name_the_dotted_path_that_changed():
    before = {"id": "c", "stated_in": {"title": "A long title " * 20}, "sources": [{"name": "A", "kind": "press"}],
              "updated_at": "2024-01-01"}
    after = {"id": "c", "stated_in": {"title": "A long title " * 20, "part": "reader comment"},
             "sources": [{"name": "A", "kind": "press", "date": "2024"}], "reasoning": {"en": "Who infers what."},
             "updated_at": "2024-02-02"}
    assert change_parts(before, after) == [("stated_in.part", None, "reader comment"),
                                           ("sources.1.date", None, "2024"),
                                           ("reasoning.en", None, "Who infers what.")]
    assert changed_parts("rests_on", ["a"], ["a", "b"]) == [("rests_on", ["a"], ["a", "b"])]


texts = st.text(st.characters(blacklist_characters="→"), min_size=1, max_size=400)
values = st.none() | st.recursive(  # as claim records hold them: no empty value inside
    texts, lambda inner: st.lists(inner, min_size=1, max_size=8)
    | st.dictionaries(st.text(min_size=1, max_size=5), inner, min_size=1, max_size=4), max_leaves=20)


@given(values, values)
def test_property_different_values_never_read_the_same(before, after):
    if before == after:
        return
    parts = changed_parts("field", before, after)
    assert parts
    for _, b, a in parts:
        line = describe_part(b, a)
        if " → " in line and b != a and compact(b, None) != compact(a, None):
            old, new = line.split(" → ", 1)
            assert old != new
