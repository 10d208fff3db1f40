"""Four eyes for explicit links (EXPLICIT_NEEDS_SECOND_MODERATOR): a change that would have readers read that a
claim's named sources state it themselves does not go live when its author confirms it. It waits, as a pending
change in the store file, until another moderator approves it (then it is applied exactly as proposed, with both
moderators in the audit log, and can be undone like any change) or rejects it (who, when, why).

Pending changes live in the store file's own "pending" table, so that approving one (claims, audit entry, the
pending row marked approved) is one atomic write; readers never see them (the matcher reads the claims only)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterable

from .audit import ADD, EDIT, IMPORT, AuditEntry, Change, Curator
from .edits import ChangeRefused, makes_stated
from .model import Claim, claim_from_dict

OPEN, APPROVED, REJECTED = "open", "approved", "rejected"
HELD_ACTIONS = frozenset({ADD, EDIT, IMPORT})  # the only changes that can make a claim stated by its sources
MAX_REASON = 500  # characters of a rejection's reason kept

Pair = tuple[Claim | None, Claim | None]


class ProposalRefused(ChangeRefused):
    """An approval or rejection that cannot be made; why says which case (the bot words each one)."""

    def __init__(self, why: str, message: str, pending_id: int, claims: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.why = why  # unknown | decided | stale | own | outdated
        self.pending_id = pending_id
        self.claims = claims


def stated_ids(pairs: Iterable[Pair]) -> list[str]:
    """The claims a change would have readers read as stated by their sources where they did not before: a new
    explicit claim, a claim made explicit, an explicit claim whose sources (names, kinds, dates, quotes, urls)
    change (edits.makes_stated). Retired or not: a retired claim can be restored without a second look."""
    return [after.id for before, after in pairs
            if after is not None and after.link == "explicit" and (before is None or makes_stated(before, after))]


@dataclass(frozen=True)
class Pending:
    """A change waiting for a second moderator, or decided: who proposed it, and every claim before → after."""

    id: int
    token: str  # in its buttons' data: a button made for another proposal (a store restored) does nothing
    time: str
    author: int | None
    action: str
    changes: tuple[Change, ...]
    note: str = ""
    via: str = "telegram"
    stated: tuple[str, ...] = ()  # the claims it makes stated by their sources
    origin: tuple[str, ...] = ()  # review-queue questions a proposed /add came from
    status: str = OPEN
    reviewer: int | None = None
    reviewed_at: str = ""
    reason: str = ""
    entry: int | None = None  # the audit entry it became, once approved

    @property
    def open(self) -> bool:
        return self.status == OPEN

    def touches(self, claim_id: str) -> bool:
        return any(c.claim_id == claim_id for c in self.changes)

    @classmethod
    def from_record(cls, pending_id: int, record: dict[str, Any]) -> "Pending":
        return cls(
            id=pending_id, token=record.get("token", ""), time=record.get("time", ""), author=record.get("author"),
            action=record.get("action", "?"),
            changes=tuple(Change(c["id"], c.get("before"), c.get("after")) for c in record.get("changes") or []),
            note=record.get("note") or "", via=record.get("via") or "", stated=tuple(record.get("stated") or ()),
            origin=tuple(record.get("origin") or ()), status=record.get("status", OPEN),
            reviewer=record.get("reviewer"), reviewed_at=record.get("reviewed_at") or "",
            reason=record.get("reason") or "", entry=record.get("entry"))

    def to_record(self) -> dict[str, Any]:
        record: dict[str, Any] = {"token": self.token, "time": self.time, "author": self.author, "via": self.via,
                                  "action": self.action, "note": self.note, "stated": list(self.stated),
                                  "changes": [c.to_dict() for c in self.changes], "status": self.status}
        if self.origin:
            record["origin"] = list(self.origin)
        if not self.open:
            record.update(reviewer=self.reviewer, reviewed_at=self.reviewed_at, reason=self.reason)
        if self.entry is not None:
            record["entry"] = self.entry
        return record


class ReviewingCurator(Curator):
    """A Curator that, with hold_stated (EXPLICIT_NEEDS_SECOND_MODERATOR), turns an add, edit or import that
    makes a claim stated by its sources into a Pending instead of applying it; add, edit and apply_import then
    return that Pending. Approving and rejecting work whether or not hold_stated is on (changes proposed while it
    was on stay decidable)."""

    def __init__(self, base: Any, *, hold_stated: bool = False, **kwargs: Any) -> None:
        super().__init__(base, **kwargs)
        self.hold_stated = hold_stated

    def holds(self, action: str, pairs: Iterable[Pair]) -> bool:
        """Whether this change would wait for a second moderator."""
        return self.hold_stated and action in HELD_ACTIONS and bool(stated_ids(pairs))

    # --- proposing --------------------------------------------------------------------------------
    def preview_add(self, record: dict[str, Any]) -> Claim:
        claim = super().preview_add(record)
        waiting = next((p for p in self.proposals() if p.action == ADD and p.touches(claim.id)), None)
        if waiting is not None:
            raise ChangeRefused(f"the id {claim.id!r} is already proposed (pending change P{waiting.id}); "
                                f"choose another")
        return claim

    def add(self, record: dict[str, Any], moderator: int | None, *, note: str = "",  # type: ignore[override]
            origin: Iterable[str] = ()) -> AuditEntry | Pending:
        claim = self.preview_add(record)
        if self.holds(ADD, [(None, claim)]):
            return self.propose(ADD, moderator, [(None, claim)], note, origin=origin)
        return super()._commit(ADD, moderator, [(None, claim)], note)

    def apply_import(self, pairs: Iterable[Pair], moderator: int | None, *,  # type: ignore[override]
                     note: str = "", backup: bool = True, backup_dir: str | Path | None = None,
                     replace_with: list[Claim] | None = None) -> tuple[AuditEntry | Pending, Path | None]:
        """As Curator.apply_import; a held import is proposed whole (an import is all or nothing), and nothing
        is backed up until it is approved."""
        pairs = list(pairs)
        if pairs and replace_with is None and self.holds(IMPORT, pairs):
            return self.propose(IMPORT, moderator, pairs, note), None
        return super().apply_import(pairs, moderator, note=note, backup=backup, backup_dir=backup_dir,
                                    replace_with=replace_with)

    def _commit(self, action: str, moderator: int | None, pairs: list[Pair], note: str = "",
                **kwargs: Any) -> Any:
        if kwargs.get("replace_with") is None and kwargs.get("proposal") is None and self.holds(action, pairs):
            return self.propose(action, moderator, pairs, note)
        return super()._commit(action, moderator, pairs, note, **kwargs)

    def propose(self, action: str, author: int | None, pairs: list[Pair], note: str = "", *,
                origin: Iterable[str] = ()) -> Pending:
        """Record the change as pending, in one write of the pending table; the claims stay as they are."""
        changes = tuple(Change((after or before).id, before.to_dict() if before else None,
                               after.to_dict() if after else None) for before, after in pairs)
        draft = Pending(0, secrets.token_hex(4), self._now(), author, action, changes, note, self.via,
                        stated=tuple(stated_ids(pairs)), origin=tuple(origin))
        return replace(draft, id=self.store.write_pending(None, draft.to_record()))

    # --- reading --------------------------------------------------------------------------------
    def proposals(self, *, everything: bool = False) -> list[Pending]:
        """The open pending changes, oldest first; every one ever proposed with everything."""
        found = [Pending.from_record(i, r) for i, r in self.store.pending_entries()]
        return found if everything else [p for p in found if p.open]

    def proposal(self, pending_id: int) -> Pending | None:
        record = self.store.pending_entry(pending_id)
        return Pending.from_record(pending_id, record) if record is not None else None

    def outdated(self, pending: Pending) -> list[str]:
        """The claims of a pending change that changed since it was proposed (it can then not be applied as
        proposed)."""
        found = []
        for change in pending.changes:
            current = self.store.get(change.claim_id)
            if (current.to_dict() if current is not None else None) != change.before:
                found.append(change.claim_id)
        return found

    # --- deciding ---------------------------------------------------------------------------------
    def approve(self, pending_id: int, reviewer: int | None, *, token: str | None = None,
                backup_dir: str | Path | None = None) -> AuditEntry:
        """Apply an open pending change exactly as proposed (each claim dated the day it goes live), recorded as
        its author's change approved by reviewer, in one write that also marks it approved. Refused (nothing
        written) by its own author, or when one of its claims changed since it was proposed. An import is
        backed up first, as any import."""
        pending = self._open(pending_id, token)
        if pending.author is not None and pending.author == reviewer:
            raise ProposalRefused("own", f"pending change P{pending.id} is yours: another moderator approves it",
                                  pending.id)
        changed = self.outdated(pending)
        if changed:
            raise ProposalRefused("outdated", f"{', '.join(changed)} changed since pending change P{pending.id} "
                                  f"was proposed; it cannot be applied as proposed: reject it and propose it again",
                                  pending.id, tuple(changed))
        pairs: list[Pair] = []
        for change in pending.changes:
            before = self.store.get(change.claim_id)
            after = None
            if change.after is not None:
                after = claim_from_dict({**change.after, "updated_at": self._today()}, stored=True)
            pairs.append((before, after))
        if pending.action == IMPORT:
            self.store.backup(backup_dir)
        decided = replace(pending, status=APPROVED, reviewer=reviewer, reviewed_at=self._now(),
                          entry=self.store.audit_head() + 1)  # the id the one write gives the entry
        entry = super()._commit(pending.action, pending.author, pairs, pending.note, approved_by=reviewer,
                                proposal=pending.id, pending={pending.id: decided.to_record()})
        assert entry.id == decided.entry
        return entry

    def reject(self, pending_id: int, reviewer: int | None, reason: str = "", *,
               token: str | None = None) -> Pending:
        """Close an open pending change unapplied, recording who and why (its author may withdraw it)."""
        pending = self._open(pending_id, token)
        reason = " ".join(reason.split())[:MAX_REASON]
        decided = replace(pending, status=REJECTED, reviewer=reviewer, reviewed_at=self._now(), reason=reason)
        self.store.write_pending(pending.id, decided.to_record())
        return decided

    # --- plumbing -----------------------------------------------------------------------------------
    def _open(self, pending_id: int, token: str | None) -> Pending:
        pending = self.proposal(pending_id)
        if pending is None:
            raise ProposalRefused("unknown", f"there is no pending change P{pending_id}", pending_id)
        if token is not None and token != pending.token:
            raise ProposalRefused("stale", f"this button is not pending change P{pending_id}'s", pending_id)
        if not pending.open:
            raise ProposalRefused("decided", f"pending change P{pending_id} was already {pending.status}", pending_id)
        return pending

    def _now(self) -> str:
        return self.clock().replace(microsecond=0).isoformat()
