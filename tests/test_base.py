"""knowledge.base: the store and the matcher kept in step."""

from __future__ import annotations

import dataclasses

import pytest

from knowledge import storage
from knowledge.base import ClaimBase, curated_synonyms
from knowledge.model import ClaimError, claim_from_dict
from knowledge.store import ClaimStore

from helpers.claims import explicit, inferred

CAMELS = "Tuareg caravans crossed the Sahara with ten thousand camels."


def test_open_seeds_a_new_store_from_the_curated_base(tmp_path):
    base = ClaimBase.open(tmp_path / "claims.json")
    assert len(base.store) >= 20 and len(base.matcher) == len(base.store.all(include_retired=False))


def test_retired_claims_are_not_searchable_but_can_be_read(base):
    assert "retired-claim" not in base.matcher and base.get("retired-claim") is not None
    result = base.search("A retired claim about the old Sahara caravans.")
    assert "retired-claim" not in [m.id for m in result.matches]


def test_save_makes_a_claim_searchable_at_once_and_durable(base, store_path):
    base.save(claim_from_dict(explicit("camels", CAMELS, source="Travel book")))
    assert base.search(CAMELS).best.id == "camels"
    assert ClaimStore(store_path).get("camels") is not None


def test_save_of_a_retired_version_takes_it_out_of_the_index(base):
    retired = dataclasses.replace(base.get("mali-cuts-ties"), status="retired")
    base.save(retired)
    assert "mali-cuts-ties" not in base.matcher
    assert "mali-cuts-ties" not in [m.id for m in base.search("Mali broke off relations with Ukraine").matches]


def test_a_refused_save_leaves_the_index_alone(base):
    with pytest.raises(ClaimError):
        base.save(claim_from_dict(inferred("camels", CAMELS, rests_on=["ghost"])))
    assert "camels" not in base.matcher and base.get("camels") is None


def test_a_failed_write_leaves_the_index_alone(base, monkeypatch):
    monkeypatch.setattr(storage.os, "replace", lambda *a: (_ for _ in ()).throw(OSError("disk full")))
    with pytest.raises(OSError):
        base.save(claim_from_dict(explicit("camels", CAMELS)))
    assert "camels" not in base.matcher and base.search(CAMELS).outcome == "none"


def test_import_claims_adds_or_replaces_the_index_with_the_store(base):
    base.import_claims([claim_from_dict(explicit("camels", CAMELS))])
    assert base.search(CAMELS).best.id == "camels" and "mali-cuts-ties" in base.matcher
    base.import_claims([claim_from_dict(explicit("only", "Only this claim about glaciers in Norway."))],
                       replace=True)
    assert len(base.matcher) == 1 and "camels" not in base.matcher
    assert base.search(CAMELS).matches == [] and base.search("glaciers in Norway").best.id == "only"


def test_find_id_forgives_case_and_spaces(base):
    assert base.find_id("  Mali-Cuts-TIES ").id == "mali-cuts-ties"
    assert base.find_id("mali") is None


def test_rests_on_and_chain(base):
    thesis = base.get("article-thesis")
    assert [c.id for c in base.rests_on(thesis)] == ["ukraine-helped-rebels", "mali-cuts-ties"]
    assert [(d, c.id) for d, c in base.chain(thesis)] == [
        (0, "article-thesis"), (1, "ukraine-helped-rebels"), (2, "yusov-information"), (2, "drone-training"),
        (1, "mali-cuts-ties")]


def test_chain_lists_a_shared_claim_once(tmp_path):
    records = [explicit("bottom", "Bottom."), inferred("left", "Left.", rests_on=["bottom"]),
               inferred("right", "Right.", rests_on=["bottom"]), inferred("top", "Top.", rests_on=["left", "right"])]
    base = ClaimBase(ClaimStore(tmp_path / "d.json", seed=[claim_from_dict(r) for r in records]))
    assert [c.id for _, c in base.chain(base.get("top"))] == ["top", "left", "bottom", "right"]


def test_curated_synonyms_load():
    synonyms = curated_synonyms()
    assert "gur" in synonyms.expand(["hur"]) and "jnim" in synonyms.expand(["gsim"])
