"""knowledge.store: first-start seeding, reload, validation on every write, atomic failures."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from knowledge import storage
from knowledge.model import Claim, ClaimError, claim_from_dict
from knowledge.store import ClaimStore, curated_claims, curated_items
from knowledge.storage import StoreError

from helpers.claims import explicit, inferred

PATHS = ["claims.json", "not/yet/there/claims.json", "with space/base é.json"]


@pytest.fixture(params=PATHS)
def any_path(request, tmp_path: Path) -> Path:
    return tmp_path / request.param


def disk_claims(path: Path) -> dict[str, dict]:
    """The claims as written in the file, by id."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return {doc["id"]: doc for doc in data["claims"].values()}


def fail_writes(monkeypatch) -> None:
    def boom(*args, **kwargs):
        raise OSError(5, "Input/output error")
    monkeypatch.setattr(storage.os, "replace", boom)


# --- first start ----------------------------------------------------------

def test_the_curated_base_is_valid_and_not_empty():
    claims = curated_claims()
    assert len(claims) == len(curated_items()) >= 20
    assert {c.link for c in claims} == {"explicit", "inferred"}


def test_first_start_seeds_from_the_curated_yaml_whatever_the_path(any_path):
    assert not any_path.exists()
    store = ClaimStore(any_path)
    expected = {c.id: c for c in curated_claims()}
    assert any_path.is_file()
    assert {c.id: c for c in store.all()} == expected
    assert set(disk_claims(any_path)) == set(expected)
    store.close()


def test_first_start_with_a_relative_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    store = ClaimStore(Path("data/claims.json"))
    assert (tmp_path / "data" / "claims.json").is_file() and len(store) == len(curated_items())


def test_first_start_with_an_explicit_seed(any_path, claims):
    store = ClaimStore(any_path, seed=claims)
    assert [c.id for c in store.all()] == [c.id for c in claims]
    meta = json.loads(any_path.read_text(encoding="utf-8"))["meta"]
    assert meta["1"]["schema"] == 1 and meta["1"]["created_at"]


def test_an_invalid_seed_writes_nothing(any_path, claims):
    broken = claims + [claim_from_dict(inferred("dangling", "x", rests_on=["missing"]))]
    with pytest.raises(ClaimError):
        ClaimStore(any_path, seed=broken)
    assert not any_path.exists()


def test_an_existing_store_is_never_reseeded(any_path, claims):
    ClaimStore(any_path, seed=claims[:2]).close()
    again = ClaimStore(any_path, seed=claims)
    assert [c.id for c in again.all()] == [c.id for c in claims[:2]]


def test_an_existing_empty_object_is_an_empty_base_not_a_reseed(tmp_path):
    path = tmp_path / "claims.json"
    path.write_text("{}", encoding="utf-8")
    assert len(ClaimStore(path)) == 0


@pytest.mark.parametrize("content", ["", "\n", "{not json", "[]", '{"claims": {"1": {"id": "x y"}}}',
                                     '{"claims": {"1": {"id": "a", "text": "t", "link": "explicit"}}}'])
def test_an_existing_empty_or_damaged_file_is_a_store_error_never_a_reset(tmp_path, content):
    path = tmp_path / "claims.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(StoreError) as info:
        ClaimStore(path)
    assert str(path) in str(info.value)
    assert path.read_text(encoding="utf-8") == content


def test_a_damaged_claim_in_the_file_is_named(tmp_path):
    path = tmp_path / "claims.json"
    path.write_text(json.dumps({"claims": {"1": {"id": "a", "text": "t", "link": "perhaps"}}}), encoding="utf-8")
    with pytest.raises(StoreError) as info:
        ClaimStore(path)
    assert "'a'" in str(info.value) and "'link'" in str(info.value)


# --- reading and reloading ------------------------------------------------

def test_reload_from_disk_gives_the_same_claims(store, store_path, claims):
    reopened = ClaimStore(store_path)
    assert reopened.all() == store.all() == claims
    assert all(reopened.get(c.id) == c for c in claims)


def test_get_contains_len_and_retired(store, claims):
    assert len(store) == len(claims)
    assert "mali-cuts-ties" in store and "nope" not in store
    assert store.get("nope") is None
    assert store.get("mali-cuts-ties").sources[0].name == "Malian transitional government"
    active = store.all(include_retired=False)
    assert "retired-claim" not in {c.id for c in active} and len(active) == len(claims) - 1


# --- put ------------------------------------------------------------------

def test_put_adds_a_claim_that_survives_a_reload(store, store_path):
    new = claim_from_dict(explicit("burkina-too", "Burkina Faso also criticised Ukraine.", source="AFP"))
    store.put(new)
    assert store.get("burkina-too") == new
    assert ClaimStore(store_path).get("burkina-too") == new
    assert disk_claims(store_path)["burkina-too"] == new.to_dict()


def test_put_replaces_a_claim_in_place(store, store_path, claims):
    changed = dataclasses.replace(store.get("niger-cuts-ties"), text={"en": "Niger cut ties too."})
    store.put(changed)
    assert len(store) == len(claims)
    reopened = ClaimStore(store_path)
    assert reopened.get("niger-cuts-ties").text == {"en": "Niger cut ties too."}
    assert len(reopened) == len(claims)
    assert len(json.loads(store_path.read_text(encoding="utf-8"))["claims"]) == len(claims)


def test_put_then_put_many_then_put_again(store, store_path):
    store.put(claim_from_dict(explicit("one", "One.")))
    store.put_many([claim_from_dict(explicit("two", "Two."))])
    store.put(claim_from_dict(explicit("one", "One, changed.")))
    store.put(claim_from_dict(explicit("three", "Three.")))
    reopened = ClaimStore(store_path)
    assert reopened.get("one").text["en"] == "One, changed."
    assert {"one", "two", "three"} <= {c.id for c in reopened.all()}
    assert len(reopened) == len(store)


@pytest.mark.parametrize("bad", [
    lambda: claim_from_dict(inferred("dangling", "Rests on a ghost.", rests_on=["ghost"])),
    lambda: claim_from_dict(inferred("yusov-information", "Now rests on its dependant.",
                                     rests_on=["ukraine-helped-rebels"])),  # a cycle
])
def test_put_refuses_a_claim_that_breaks_the_base_and_changes_nothing(store, store_path, bad):
    before_file = store_path.read_bytes()
    before = store.all()
    with pytest.raises(ClaimError) as info:
        store.put(bad())
    assert info.value.field == "rests_on"
    assert store.all() == before
    assert store_path.read_bytes() == before_file


@pytest.mark.parametrize("bad, field", [
    (Claim(id="no-source", text={"en": "Explicit without a source."}, link="explicit"), "sources"),
    (Claim(id="bad id", text={"en": "An id with a space."}, link="inferred", reasoning={"en": "r"}), "id"),
    (Claim(id="no-text", text={}, link="inferred", reasoning={"en": "r"}), "text"),
    (Claim(id="odd-link", text={"en": "x"}, link="probable", reasoning={"en": "r"}), "link"),
])
def test_put_refuses_a_claim_object_that_would_not_load_back(store, store_path, bad, field):
    """A Claim built by hand skips claim_from_dict: storing it would make the file unreadable."""
    before_file = store_path.read_bytes()
    with pytest.raises(ClaimError) as info:
        store.put(bad)
    assert info.value.field == field
    assert store_path.read_bytes() == before_file
    with pytest.raises(ClaimError):
        store.put_many([bad])
    assert store_path.read_bytes() == before_file
    assert ClaimStore(store_path).all() == store.all()


def test_a_failed_put_leaves_memory_and_disk_as_before(store, store_path, monkeypatch):
    before_file = store_path.read_bytes()
    before = store.all()
    fail_writes(monkeypatch)
    with pytest.raises(OSError):
        store.put(claim_from_dict(explicit("new-one", "A new claim.")))
    with pytest.raises(OSError):
        store.put(dataclasses.replace(store.get("mali-cuts-ties"), text={"en": "Changed."}))
    monkeypatch.undo()
    assert store.all() == before and "new-one" not in store
    assert store_path.read_bytes() == before_file
    # the store still works, and nothing of the failed writes comes back with the next one
    store.put(claim_from_dict(explicit("after", "Written after the failure.")))
    reopened = ClaimStore(store_path)
    assert "new-one" not in reopened and reopened.get("mali-cuts-ties") == before[0]
    assert reopened.all() == store.all() and "after" in reopened


def test_a_failed_put_many_leaves_memory_and_disk_as_before(store, store_path, monkeypatch):
    before_file = store_path.read_bytes()
    before = store.all()
    fail_writes(monkeypatch)
    with pytest.raises(OSError):
        store.put_many([claim_from_dict(explicit("x1", "X one."))], replace=True)
    monkeypatch.undo()
    assert store.all() == before
    assert store_path.read_bytes() == before_file
    store.put(claim_from_dict(explicit("x2", "X two.")))
    assert ClaimStore(store_path).all() == store.all()


def test_a_failed_json_encoding_leaves_the_store_consistent(store, store_path, monkeypatch):
    before_file = store_path.read_bytes()

    def broken_encode(*args, **kwargs):
        raise ValueError("cannot encode")

    monkeypatch.setattr(storage, "encode_json", broken_encode)
    with pytest.raises(ValueError):
        store.put(claim_from_dict(explicit("enc", "Encoding fails.")))
    monkeypatch.undo()
    assert "enc" not in store and store_path.read_bytes() == before_file


# --- put_many -------------------------------------------------------------

def test_put_many_adds_and_replaces_by_id(store, store_path, claims):
    incoming = [claim_from_dict(explicit("mali-cuts-ties", "Mali broke off relations, new wording.")),
                claim_from_dict(explicit("brand-new", "A brand new claim."))]
    store.put_many(incoming)
    assert len(store) == len(claims) + 1
    reopened = ClaimStore(store_path)
    assert reopened.get("mali-cuts-ties").text["en"] == "Mali broke off relations, new wording."
    assert reopened.get("brand-new") == incoming[1]
    assert reopened.get("article-thesis") == store.get("article-thesis")


def test_put_many_replace_makes_the_base_exactly_the_input(store, store_path):
    incoming = [claim_from_dict(explicit("only-a", "A.")),
                claim_from_dict(inferred("only-b", "B.", rests_on=["only-a"]))]
    store.put_many(incoming, replace=True)
    assert store.all() == incoming
    assert ClaimStore(store_path).all() == incoming
    assert set(disk_claims(store_path)) == {"only-a", "only-b"}


def test_put_many_replace_cannot_drop_a_claim_others_rest_on(store, store_path):
    before_file = store_path.read_bytes()
    with pytest.raises(ClaimError) as info:
        store.put_many([claim_from_dict(inferred("lonely", "x", rests_on=["mali-cuts-ties"]))], replace=True)
    assert (info.value.claim_id, info.value.field) == ("lonely", "rests_on")
    assert store_path.read_bytes() == before_file


def test_put_many_refuses_the_whole_batch_for_one_bad_claim(store, store_path, claims):
    before_file = store_path.read_bytes()
    batch = [claim_from_dict(explicit(f"ok-{i}", f"Fine claim {i}.")) for i in range(30)]
    batch.insert(17, claim_from_dict(inferred("bad-17", "Rests on nothing.", rests_on=["nothing-here"])))
    with pytest.raises(ClaimError) as info:
        store.put_many(batch)
    assert info.value.claim_id == "bad-17"
    assert store.all() == claims and store_path.read_bytes() == before_file


def test_put_many_refuses_the_same_id_twice_in_one_batch(store, store_path):
    before_file = store_path.read_bytes()
    twice = [claim_from_dict(explicit("dup", "First version.")), claim_from_dict(explicit("dup", "Second."))]
    with pytest.raises(ClaimError) as info:
        store.put_many(twice)
    assert (info.value.claim_id, info.value.field) == ("dup", "id")
    assert store_path.read_bytes() == before_file


def test_put_many_inside_a_batch_claims_may_rest_on_each_other_in_any_order(store):
    later = claim_from_dict(inferred("uses-later", "Uses a later claim.", rests_on=["defined-later"]))
    store.put_many([later, claim_from_dict(explicit("defined-later", "Defined later."))])
    assert store.get("uses-later").rests_on == ("defined-later",)


# --- read-only opening and older stores ------------------------------------------

def test_a_store_opened_without_create_refuses_a_missing_file_and_writes_nothing(tmp_path):
    path = tmp_path / "not" / "there" / "claims.json"
    with pytest.raises(StoreError, match="does not exist"):
        ClaimStore(path, create=False)
    assert not (tmp_path / "not").exists()
    ClaimStore(path).close()  # the default still seeds a new store
    assert len(ClaimStore(path, create=False)) == len(curated_claims())


def test_a_store_written_when_inferred_claims_needed_only_one_of_rests_on_or_reasoning_still_opens(tmp_path):
    """Older stores may hold an inferred claim with reasoning and no rests_on: the bot must still start."""
    path = tmp_path / "claims.json"
    ClaimStore(path).close()
    data = json.loads(path.read_text(encoding="utf-8"))
    doc = next(d for d in data["claims"].values() if d["link"] == "inferred")
    del doc["rests_on"]
    path.write_text(json.dumps(data), encoding="utf-8")
    store = ClaimStore(path)
    assert store.get(doc["id"]).rests_on == () and store.get(doc["id"]).reasoning
    with pytest.raises(ClaimError) as info:  # but it is not written back without what it rests on
        store.put(store.get(doc["id"]))
    assert (info.value.claim_id, info.value.field) == (doc["id"], "rests_on")


def test_two_stores_on_one_file_the_later_write_is_refused_and_the_first_kept(store, store_path):
    """The bot's store and a command line's, both opened on one file: the command line writes change #1; the
    bot, still holding the file as it read it, must not write its own #1 over it."""
    cli = ClaimStore(store_path)
    aliased = dataclasses.replace(cli.get("mali-cuts-ties"), aliases=("from the command line",))
    assert cli.commit([aliased], audit={"action": "alias", "note": "cli"}) == 1
    mine = dataclasses.replace(store.get("mali-cuts-ties"), aliases=("from the bot",))
    with pytest.raises(storage.StoreChanged):
        store.commit([mine], audit={"action": "alias", "note": "bot"})
    with pytest.raises(storage.StoreChanged):
        store.check_current()
    assert store.get("mali-cuts-ties").aliases != ("from the bot",)  # memory as before the refused write
    assert store.audit_head() == 0
    reopened = ClaimStore(store_path)
    assert reopened.get("mali-cuts-ties").aliases == ("from the command line",)
    assert [plain_entry["note"] for _, plain_entry in reopened.audit_entries()] == ["cli"]
    cli.close()
    reopened.close()
