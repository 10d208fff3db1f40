"""Moderators' changes: one write per change with its audit entry, refusals change nothing, undo is exact."""

from __future__ import annotations

import json
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowledge.audit import Curator
from knowledge.base import ClaimBase
from knowledge.edits import ChangeRefused
from knowledge.storage import AtomicJSONStorage, encode_json, plain

from helpers.clock import Clock

FIELDS = ["text.en", "text.fr", "title", "aliases", "tags", "stated_in.part", "reasoning.en", "link",
          "sources.1.date", "sources.1.quote", "sources.2.name", "rests_on"]
VALUES = ["A new wording", "Une autre formulation", "-", "x | y | z", "2024-07", "2024-13", "inferred",
          "explicit", "someone", "mali-cuts-ties-with-ukraine", "no-such-claim", "", "   "]


def snapshot(base: ClaimBase) -> list[dict]:
    return [c.to_dict() for c in base.store.all()]


@pytest.fixture
def base(tmp_path):
    opened = ClaimBase.open(tmp_path / "claims.json")
    yield opened
    opened.close()


def random_change(curator: Curator, rng: random.Random, moderator: int) -> None:
    """One random moderator action; may be refused."""
    ids = [c.id for c in curator.store.all()]
    claim_id = rng.choice(ids + ["no-such-claim"])
    action = rng.randrange(7)
    if action == 0:
        curator.edit(claim_id, rng.choice(FIELDS), rng.choice(VALUES), moderator)
    elif action == 1:
        curator.add_alias(claim_id, rng.choice(["GUR Mali", "Yusov said", "drones", ""]), moderator)
    elif action == 2:
        curator.link(claim_id, rng.choice(ids), moderator)
    elif action == 3:
        curator.retire(claim_id, rng.choice(["duplicate", ""]), moderator)
    elif action == 4:
        curator.restore(claim_id, moderator)
    elif action == 5:
        new_id = f"added-{rng.randrange(10_000)}"
        curator.add({"id": new_id, "text": {"en": f"Claim {new_id}"}, "link": "explicit",
                     "sources": [{"name": "Someone", "kind": rng.choice(["press", "gossip"])}]}, moderator)
    else:
        curator.edit(claim_id, "sources.1.kind", rng.choice(["press", "other", "rumour"]), moderator)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_undoing_100_random_edits_restores_the_base_exactly(tmp_path, seed):
    base = ClaimBase.open(tmp_path / "claims.json")
    curator = Curator(base, clock=Clock())
    original = snapshot(base)
    rng = random.Random(seed)
    done, refused = [], 0
    while len(done) < 100:
        before = snapshot(base)
        head = base.store.audit_head()
        try:
            random_change(curator, rng, moderator=rng.choice([11, 22]))
        except ChangeRefused:
            refused += 1
            assert snapshot(base) == before and base.store.audit_head() == head  # a refusal changes nothing
            continue
        done.append(base.store.audit_head())
    assert refused > 0 and snapshot(base) != original
    for entry_id in reversed(done):
        curator.undo(entry_id, moderator=33)
    assert snapshot(base) == original
    base.close()
    reopened = ClaimBase.open(tmp_path / "claims.json")
    assert snapshot(reopened) == original
    assert len(reopened.store.audit_entries()) == 200
    # the index follows: every active claim is findable by its own id-bearing text again
    assert {c.id for c in reopened.store.all(include_retired=False)} == {c["id"] for c in original
                                                                         if c["status"] == "active"}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), count=st.integers(1, 15))
def test_undo_in_reverse_order_is_exact_for_any_sequence(tmp_path_factory, seed, count):
    base = ClaimBase.open(tmp_path_factory.mktemp("h") / "claims.json")
    curator = Curator(base, clock=Clock())
    original = snapshot(base)
    rng = random.Random(seed)
    done = []
    for _ in range(count * 3):
        try:
            random_change(curator, rng, moderator=5)
            done.append(base.store.audit_head())
        except ChangeRefused:
            pass
    for entry_id in reversed(done):
        curator.undo(entry_id, moderator=5)
    assert snapshot(base) == original
    base.close()


def test_a_change_and_its_audit_entry_are_one_write(base, monkeypatch):
    writes = []
    real_write = AtomicJSONStorage.write

    def counting_write(self, data):
        writes.append(data)
        real_write(self, data)

    monkeypatch.setattr(AtomicJSONStorage, "write", counting_write)
    curator = Curator(base)
    claim = base.store.all()[0]
    entry = curator.edit(claim.id, "text.en", "Changed wording", moderator=7)
    assert len(writes) == 1
    written = writes[0]
    assert plain(written["audit"][str(entry.id)])["changes"][0]["after"]["text"]["en"] == "Changed wording"
    assert any(plain(doc)["text"].get("en") == "Changed wording" for doc in written["claims"].values())
    on_disk = json.loads(base.store.path.read_text())
    assert on_disk == json.loads(encode_json(written))


def test_audit_entry_records_moderator_time_action_before_after(base):
    curator = Curator(base, clock=Clock())
    claim = base.store.all()[0]
    entry = curator.retire(claim.id, "superseded by a better claim", moderator=4242)
    stored = base.store.audit_entry(entry.id)
    assert stored["moderator"] == 4242 and stored["action"] == "retire"
    assert stored["time"] == entry.time and entry.time.startswith("2026-01-01T00:0")
    assert stored["note"] == "superseded by a better claim"
    change = stored["changes"][0]
    assert change["before"]["status"] == "active" and change["after"]["status"] == "retired"
    assert change["before"] == claim.to_dict()
    assert base.search(claim.text_in("en")).best is None or base.search(claim.text_in("en")).best.id != claim.id


def test_invalid_change_is_refused_with_reason_and_changes_nothing(base):
    curator = Curator(base)
    claim = next(c for c in base.store.all() if c.link == "explicit")
    before, head = snapshot(base), base.store.audit_head()
    cases = [
        ("sources.1.date", "2024-13", "must be YYYY"),
        ("link", "maybe", "'explicit' or 'inferred'"),
        ("sources.1", "-", None),  # may leave an explicit claim without a source
        ("id", "new-id", "ids are stable"),
        ("colour", "red", "unknown field"),
        ("sources.1.url", "not a url", "http(s)"),
    ]
    for field, value, reason in cases:
        if field == "sources.1" and len(claim.sources) > 1:
            continue
        with pytest.raises(ChangeRefused) as info:
            curator.edit(claim.id, field, value, moderator=1)
        if reason:
            assert reason in str(info.value)
        assert snapshot(base) == before and base.store.audit_head() == head
    with pytest.raises(ChangeRefused, match="cycle"):
        inferred, step = next((c, base.get(d)) for c in base.store.all() for d in c.rests_on
                              if base.get(d).link == "inferred")  # only an inferred claim takes /link
        curator.link(step.id, inferred.id, moderator=1)
    with pytest.raises(ChangeRefused, match="changes nothing"):
        curator.edit(claim.id, "text.en", claim.text["en"], moderator=1)
    assert snapshot(base) == before and base.store.audit_head() == head


def test_link_and_rests_on_are_refused_on_an_explicit_claim_and_changing_to_explicit_drops_rests_on(base):
    curator = Curator(base)
    explicit = next(c for c in base.store.all() if c.link == "explicit")
    other = next(c for c in base.store.all() if c.id != explicit.id and explicit.id not in c.rests_on)
    before, head = snapshot(base), base.store.audit_head()
    with pytest.raises(ChangeRefused, match=f"^{explicit.id} is explicit: its source states it"):
        curator.link(explicit.id, other.id, moderator=1)
    with pytest.raises(ChangeRefused, match="field 'rests_on': an explicit claim rests on no other claim"):
        curator.edit(explicit.id, "rests_on", other.id, moderator=1)
    assert snapshot(base) == before and base.store.audit_head() == head
    inferred = next(c for c in base.store.all() if c.link == "inferred" and c.sources and c.rests_on)
    entry = curator.edit(inferred.id, "link", "explicit", moderator=1)
    assert base.get(inferred.id).link == "explicit" and base.get(inferred.id).rests_on == ()
    assert entry.changes[0].before["rests_on"] == list(inferred.rests_on)  # shown in the reply, kept for undo
    curator.undo(entry.id, moderator=1)
    assert base.get(inferred.id).rests_on == inferred.rests_on


def test_an_explicit_claim_stored_with_reasoning_before_the_rule_is_told_how_to_clear_it(tmp_path):
    """A reasoning set on an explicit claim was saved (a trial): such a store opens, every change to the claim is
    refused until it is cleared, and the refusal says how, with one command."""
    path = tmp_path / "claims.json"
    ClaimBase.open(path).close()
    data = json.loads(path.read_text(encoding="utf-8"))
    (row,) = [r for r in data["claims"].values() if r["id"] == "mali-cuts-ties-with-ukraine"]
    row["reasoning"] = {"en": "Saved by an /edit before the rule."}
    path.write_text(json.dumps(data), encoding="utf-8")
    base = ClaimBase.open(path)
    curator = Curator(base)
    assert base.get("mali-cuts-ties-with-ukraine").reasoning  # the store opens
    with pytest.raises(ChangeRefused) as info:
        curator.add_alias("mali-cuts-ties-with-ukraine", "Mali Kyiv", moderator=1)
    assert "field 'reasoning': an explicit claim has no reasoning" in str(info.value)
    assert str(info.value).endswith("/edit mali-cuts-ties-with-ukraine link explicit clears them")
    entry = curator.edit("mali-cuts-ties-with-ukraine", "link", "explicit", moderator=1)
    assert entry.changes[0].after.get("reasoning") is None
    curator.add_alias("mali-cuts-ties-with-ukraine", "Mali Kyiv", moderator=1)
    base.close()


def test_undo_of_an_add_removes_it_and_undo_twice_is_refused(base):
    curator = Curator(base)
    entry = curator.add({"id": "fresh", "text": {"fr": "Une affirmation"}, "link": "explicit",
                         "sources": [{"name": "X", "kind": "press"}]}, moderator=1)
    assert base.get("fresh") is not None and base.search("Une affirmation").best.id == "fresh"
    undo = curator.undo(entry.id, moderator=1)
    assert base.get("fresh") is None and undo.undoes == entry.id
    assert "fresh" not in base.matcher
    with pytest.raises(ChangeRefused, match="already undone by change #2"):
        curator.undo(entry.id, moderator=1)
    curator.undo(undo.id, moderator=1)  # undoing the undo puts it back
    assert base.get("fresh") is not None


def test_an_add_that_reuses_an_id_or_breaks_a_rule_is_refused(base):
    curator = Curator(base)
    taken = base.store.all()[0].id
    with pytest.raises(ChangeRefused, match="already used"):
        curator.add({"id": taken, "text": {"en": "x"}, "link": "inferred", "reasoning": {"en": "y"},
                     "rests_on": [base.store.all()[1].id]}, 1)
    with pytest.raises(ChangeRefused, match="needs rests_on"):
        curator.add({"id": "no-basis", "text": {"en": "x"}, "link": "inferred", "reasoning": {"en": "y"}}, 1)
    with pytest.raises(ChangeRefused, match="needs reasoning"):
        curator.add({"id": "no-reasoning", "text": {"en": "x"}, "link": "inferred", "rests_on": [taken]}, 1)
    with pytest.raises(ChangeRefused, match="needs at least one source"):
        curator.add({"id": "no-source", "text": {"en": "x"}, "link": "explicit"}, 1)
    with pytest.raises(ChangeRefused, match="not in the base"):
        curator.add({"id": "dangling", "text": {"en": "x"}, "link": "inferred", "rests_on": ["nope"],
                     "reasoning": "y"}, 1)
    assert base.store.audit_head() == 0


def test_history_lists_the_changes_of_one_claim(base):
    curator = Curator(base)
    first, second = base.store.all()[:2]
    curator.add_alias(first.id, "another name", 1)
    curator.add_alias(second.id, "other", 1)
    curator.edit(first.id, "tags", "a, b", 2)
    assert [(e.action, e.moderator) for e in curator.history(first.id)] == [("alias", 1), ("edit", 2)]
    assert curator.history(first.id)[1].changes[0].after["tags"] == ["a", "b"]


def test_backup_copies_claims_and_audit(base, tmp_path):
    curator = Curator(base)
    curator.add_alias(base.store.all()[0].id, "x y", 1)
    copy = base.store.backup(tmp_path / "bk")
    assert json.loads(copy.read_text()) == json.loads(base.store.path.read_text())


@pytest.mark.parametrize("field, value, message", [
    ("stated_in.date", "July", "must be YYYY, YYYY-MM or YYYY-MM-DD"),
    ("stated_in.url", "javascript:alert(1)", "must be an http(s) address"),
])
def test_stated_in_date_and_url_are_checked_as_a_sources_are(base, field, value, message):
    """The trial: /edit <id> stated_in.date July was saved and shown to readers."""
    curator = Curator(base)
    before = snapshot(base)
    for edit in (lambda: curator.preview_edit("mali-cuts-ties-with-ukraine", field, value),
                 lambda: curator.edit("mali-cuts-ties-with-ukraine", field, value, 7)):
        with pytest.raises(ChangeRefused) as info:
            edit()
        assert f"claim 'mali-cuts-ties-with-ukraine', field '{field}': {message}" in str(info.value)
    assert snapshot(base) == before and base.store.audit_head() == 0
    curator.edit("mali-cuts-ties-with-ukraine", field, {"stated_in.date": "2024-08", "stated_in.url":
                                                      "https://example.org/article"}[field], 7)
    assert base.get("mali-cuts-ties-with-ukraine").stated_in[field.split(".")[1]] in ("2024-08",
                                                                                       "https://example.org/article")


def test_a_store_holding_an_unchecked_stated_in_date_opens_and_the_claim_must_be_corrected_to_change(tmp_path):
    """A store saved before the check: the bot still starts; a change to that claim names the field to correct."""
    path = tmp_path / "claims.json"
    ClaimBase.open(path).close()
    data = json.loads(path.read_text(encoding="utf-8"))
    row = next(r for r in data["claims"].values() if r["id"] == "mali-cuts-ties-with-ukraine")
    row["stated_in"]["date"] = "July"
    path.write_text(json.dumps(data), encoding="utf-8")
    base = ClaimBase.open(path)
    assert base.get("mali-cuts-ties-with-ukraine").stated_in["date"] == "July"
    curator = Curator(base)
    with pytest.raises(ChangeRefused) as info:
        curator.add_alias("mali-cuts-ties-with-ukraine", "Mali Ukraine rupture", 7)
    assert "field 'stated_in.date'" in str(info.value)
    curator.edit("mali-cuts-ties-with-ukraine", "stated_in.date", "2024-08", 7)
    curator.add_alias("mali-cuts-ties-with-ukraine", "Mali Ukraine rupture", 7)
    assert base.store.audit_head() == 2
    base.close()
