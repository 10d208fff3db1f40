"""Four eyes for explicit links: a change that makes a claim stated by its sources waits, in the store file, for a
second moderator; approved, it is applied exactly as proposed with both moderators recorded; rejected, it is
closed with who and why. Readers never see it meanwhile."""

from __future__ import annotations

import pytest

from knowledge.approval import APPROVED, OPEN, REJECTED, Pending, ProposalRefused, ReviewingCurator, stated_ids
from knowledge.audit import Curator
from knowledge.base import ClaimBase
from knowledge.importing import plan_import
from knowledge.model import claim_from_dict
from knowledge.store import PENDING_TABLE
from knowledge.storage import load_json_file

from helpers.clock import Clock

AUTHOR, SECOND, THIRD = 111, 333, 444
EXPLICIT_ID = "mali-cuts-ties-with-ukraine"
INFERRED_ID = "yusov-words-read-as-implicit-admission"
NEW = {"id": "zorblax-signed", "text": {"en": "Zorblax signed the accord in Kidal."}, "link": "explicit",
       "sources": [{"name": "Tester", "kind": "press", "date": "2024"}]}


@pytest.fixture
def base(tmp_path):
    opened = ClaimBase.open(tmp_path / "claims.json")
    yield opened
    opened.close()


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def curator(base, clock):
    return ReviewingCurator(base, hold_stated=True, clock=clock)


def file_bytes(base: ClaimBase) -> bytes:
    return base.store.path.read_bytes()


def test_what_makes_a_claim_stated(base):
    explicit, inferred = base.get(EXPLICIT_ID), base.get(INFERRED_ID)
    quoted = explicit.to_dict()
    quoted["sources"][0]["quote"] = "a quote"
    retitled = explicit.to_dict()
    retitled["title"] = "Another title"
    assert stated_ids([(None, claim_from_dict(NEW))]) == ["zorblax-signed"]
    assert stated_ids([(explicit, claim_from_dict(quoted))]) == [EXPLICIT_ID]
    assert stated_ids([(explicit, claim_from_dict(retitled))]) == []
    assert stated_ids([(explicit, None), (None, inferred)]) == []


def test_an_edit_that_makes_a_claim_explicit_waits_and_the_claim_stays_as_it_was(base, curator):
    before = base.get(INFERRED_ID)
    head = base.store.audit_head()
    pending = curator.edit(INFERRED_ID, "link", "explicit", AUTHOR)
    assert isinstance(pending, Pending) and pending.open and pending.stated == (INFERRED_ID,)
    assert base.get(INFERRED_ID) == before and base.store.audit_head() == head
    assert [p.id for p in curator.proposals()] == [pending.id]
    (change,) = pending.changes
    assert change.before == before.to_dict() and change.after["link"] == "explicit"
    assert "rests_on" not in change.after  # exactly what /edit previewed: an explicit claim rests on nothing


def test_changes_that_state_nothing_new_go_live_at_once(base, curator):
    entry = curator.edit(EXPLICIT_ID, "title", "Mali breaks with Kyiv", AUTHOR)
    assert not isinstance(entry, Pending) and base.get(EXPLICIT_ID).title == "Mali breaks with Kyiv"
    entry = curator.retire(EXPLICIT_ID, "duplicate", AUTHOR)
    assert not isinstance(entry, Pending)
    entry = curator.restore(EXPLICIT_ID, AUTHOR)  # it was live before: no second look
    assert not isinstance(entry, Pending) and curator.proposals() == []


def test_a_new_explicit_claim_waits_and_no_reader_can_find_it(base, curator):
    pending = curator.add(NEW, AUTHOR, origin=["q1", "q2"])
    assert isinstance(pending, Pending) and pending.origin == ("q1", "q2")
    assert base.get("zorblax-signed") is None
    assert all(m.claim.id != "zorblax-signed" for m in base.search("Zorblax signed the accord in Kidal").matches)
    with pytest.raises(Exception, match="already proposed"):  # the id is taken by the proposal
        curator.add(NEW, THIRD)


def test_with_the_rule_off_everything_goes_live_at_once(base, clock):
    curator = ReviewingCurator(base, hold_stated=False, clock=clock)
    entry = curator.add(NEW, AUTHOR)
    assert not isinstance(entry, Pending) and base.get("zorblax-signed") is not None
    assert not isinstance(curator.edit(INFERRED_ID, "link", "explicit", AUTHOR), Pending)
    assert curator.proposals() == []


def test_approval_applies_exactly_the_proposal_records_both_and_is_undoable(base, curator):
    pending = curator.edit(EXPLICIT_ID, "sources.1.quote", "Mali breaks off relations with Ukraine", AUTHOR)
    proposed = pending.changes[0].after
    entry = curator.approve(pending.id, SECOND, token=pending.token)
    live = base.get(EXPLICIT_ID).to_dict()
    assert {k: v for k, v in live.items() if k != "updated_at"} == {
        k: v for k, v in proposed.items() if k != "updated_at"}
    assert live["updated_at"] == "2026-01-01"  # dated the day it went live
    assert (entry.moderator, entry.approved_by, entry.proposal, entry.action) == (AUTHOR, SECOND, pending.id, "edit")
    recorded = curator.entry(entry.id)
    assert (recorded.moderator, recorded.approved_by, recorded.proposal) == (AUTHOR, SECOND, pending.id)
    decided = curator.proposal(pending.id)
    assert (decided.status, decided.reviewer, decided.entry) == (APPROVED, SECOND, entry.id)
    assert curator.proposals() == []
    undone = curator.undo(entry.id, THIRD)
    assert base.get(EXPLICIT_ID).to_dict() == pending.changes[0].before and undone.undoes == entry.id


def test_approval_is_one_write_of_claims_audit_and_pending_row(base, curator, monkeypatch):
    pending = curator.edit(INFERRED_ID, "link", "explicit", AUTHOR)
    writes = []
    real = base.store.db.storage.write
    monkeypatch.setattr(base.store.db.storage, "write", lambda data: (writes.append(data), real(data)))
    curator.approve(pending.id, SECOND)
    assert len(writes) == 1
    on_disk = load_json_file(base.store.path)
    assert on_disk["claims"] and str(pending.id) in on_disk[PENDING_TABLE]


def test_a_failed_approval_write_leaves_claim_audit_and_proposal_as_they_were(base, curator, monkeypatch):
    pending = curator.edit(INFERRED_ID, "link", "explicit", AUTHOR)
    before = file_bytes(base)
    monkeypatch.setattr("knowledge.storage.os.replace", lambda *a: (_ for _ in ()).throw(OSError(28, "disk full")))
    with pytest.raises(OSError):
        curator.approve(pending.id, SECOND)
    monkeypatch.undo()
    assert file_bytes(base) == before
    assert base.get(INFERRED_ID).link == "inferred" and curator.proposal(pending.id).open


def test_the_author_cannot_approve_their_own_change(base, curator):
    pending = curator.edit(INFERRED_ID, "link", "explicit", AUTHOR)
    before = file_bytes(base)
    with pytest.raises(ProposalRefused) as refused:
        curator.approve(pending.id, AUTHOR, token=pending.token)
    assert refused.value.why == "own" and file_bytes(base) == before and curator.proposal(pending.id).open


def test_a_claim_changed_meanwhile_is_not_overwritten(base, curator):
    pending = curator.edit(EXPLICIT_ID, "sources.1.quote", "Mali breaks off relations", AUTHOR)
    later = curator.edit(EXPLICIT_ID, "text.en", "Mali cut its ties with Ukraine.", THIRD)
    assert not isinstance(later, Pending)
    assert curator.outdated(pending) == [EXPLICIT_ID]
    before = file_bytes(base)
    with pytest.raises(ProposalRefused) as refused:
        curator.approve(pending.id, SECOND)
    assert refused.value.why == "outdated" and refused.value.claims == (EXPLICIT_ID,)
    assert file_bytes(base) == before and base.get(EXPLICIT_ID).text["en"] == "Mali cut its ties with Ukraine."
    # a proposal whose id another claim took meanwhile is refused too
    added = curator.add(NEW, AUTHOR)
    Curator(base).add({**NEW, "text": {"en": "Someone else's claim"}}, THIRD)
    with pytest.raises(ProposalRefused, match="changed since"):
        curator.approve(added.id, SECOND)
    assert base.get("zorblax-signed").text["en"] == "Someone else's claim"


def test_rejection_records_who_when_and_why_and_applies_nothing(base, curator):
    pending = curator.add(NEW, AUTHOR)
    decided = curator.reject(pending.id, SECOND, "  the source   only implies it ", token=pending.token)
    assert (decided.status, decided.reviewer, decided.reason) == (REJECTED, SECOND, "the source only implies it")
    assert curator.proposal(pending.id).status == REJECTED and base.get("zorblax-signed") is None
    with pytest.raises(ProposalRefused) as refused:
        curator.approve(pending.id, THIRD)
    assert refused.value.why == "decided"
    withdrawn = curator.reject(curator.add(NEW, AUTHOR).id, AUTHOR)  # the id is free again; its author withdraws it
    assert withdrawn.reviewer == AUTHOR and withdrawn.reason == ""


def test_a_wrong_token_or_id_decides_nothing(base, curator):
    pending = curator.add(NEW, AUTHOR)
    before = file_bytes(base)
    for call in (lambda: curator.approve(pending.id, SECOND, token="deadbeef"),
                 lambda: curator.reject(pending.id, SECOND, token="deadbeef"),
                 lambda: curator.approve(pending.id + 1, SECOND)):
        with pytest.raises(ProposalRefused) as refused:
            call()
        assert refused.value.why in ("stale", "unknown")
    assert file_bytes(base) == before and curator.proposal(pending.id).status == OPEN


def test_pending_changes_survive_a_restart(tmp_path, clock):
    base = ClaimBase.open(tmp_path / "claims.json")
    pending = ReviewingCurator(base, hold_stated=True, clock=clock).add(NEW, AUTHOR)
    base.close()
    reopened = ClaimBase.open(tmp_path / "claims.json")
    curator = ReviewingCurator(reopened, clock=clock)  # the rule turned off meanwhile: still decidable
    (found,) = curator.proposals()
    assert found == pending and reopened.get("zorblax-signed") is None
    curator.approve(found.id, SECOND)
    reopened.close()
    again = ClaimBase.open(tmp_path / "claims.json")
    assert again.get("zorblax-signed") is not None and ReviewingCurator(again).proposals() == []
    again.close()


def test_an_import_that_states_claims_waits_whole_and_is_backed_up_when_approved(base, curator, tmp_path):
    items = [NEW, {**base.get(INFERRED_ID).to_dict(), "title": "A new title"}]
    plan = plan_import(base.store.all(), items)
    claims_before = load_json_file(base.store.path)["claims"]
    pending, backup = curator.apply_import(plan.pairs(), AUTHOR, note="f.yaml", backup_dir=tmp_path / "bk")
    assert isinstance(pending, Pending) and backup is None and not (tmp_path / "bk").exists()
    assert pending.stated == ("zorblax-signed",) and len(pending.changes) == 2
    assert base.get(INFERRED_ID).title != "A new title"  # the import is all or nothing, held whole
    assert load_json_file(base.store.path)["claims"] == claims_before
    entry = curator.approve(pending.id, SECOND, backup_dir=tmp_path / "bk")
    assert entry.action == "import" and entry.note == "f.yaml" and len(list((tmp_path / "bk").iterdir())) == 1
    assert base.get("zorblax-signed") is not None and base.get(INFERRED_ID).title == "A new title"
    # an import that states nothing new goes live at once
    plan = plan_import(base.store.all(), [{**base.get(INFERRED_ID).to_dict(), "title": "Third title"}])
    entry, _ = curator.apply_import(plan.pairs(), AUTHOR, note="g.yaml", backup_dir=tmp_path / "bk")
    assert not isinstance(entry, Pending) and base.get(INFERRED_ID).title == "Third title"


def test_the_command_line_curator_never_holds(base):
    entry = Curator(base, via="cli").add(NEW, None)
    assert entry.id and base.get("zorblax-signed") is not None
