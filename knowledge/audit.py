"""Moderators' changes to the base: each one checked like a claim file, written with its audit
entry in one atomic write, listed by claim, and undone exactly."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable

from .base import ClaimBase
from .edits import HOW_TO_MAKE_INFERRED, ChangeRefused, edit_record, refusal
from .model import Claim, ClaimError, check_base, claim_from_dict
from .store import ClaimStore

ADD, EDIT, ALIAS, LINK, RETIRE, RESTORE, UNDO, IMPORT = (
    "add", "edit", "alias", "link", "retire", "restore", "undo", "import")
MAX_NAMED = 5  # changes or claims a refused undo names


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class Change:
    """One claim before and after a change (None: the claim did not exist)."""

    claim_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.claim_id, "before": self.before, "after": self.after}


@dataclass(frozen=True)
class AuditEntry:
    """A change set as recorded: who, when, what, and every claim before → after."""

    id: int
    time: str
    moderator: int | None
    action: str
    changes: tuple[Change, ...]
    note: str = ""
    via: str = "telegram"
    undoes: int | None = None
    approved_by: int | None = None  # the second moderator, for a change that waited for one (approval.py)
    proposal: int | None = None     # the pending change it was, then

    @classmethod
    def from_record(cls, entry_id: int, record: dict[str, Any]) -> "AuditEntry":
        return cls(
            id=entry_id, time=record.get("time", ""), moderator=record.get("moderator"),
            action=record.get("action", "?"), note=record.get("note") or "", via=record.get("via") or "",
            undoes=record.get("undoes"), approved_by=record.get("approved_by"), proposal=record.get("proposal"),
            changes=tuple(Change(c["id"], c.get("before"), c.get("after")) for c in record.get("changes") or []),
        )

    def to_record(self) -> dict[str, Any]:
        record: dict[str, Any] = {"time": self.time, "moderator": self.moderator, "via": self.via,
                                  "action": self.action, "note": self.note,
                                  "changes": [c.to_dict() for c in self.changes]}
        if self.undoes is not None:
            record["undoes"] = self.undoes
        if self.proposal is not None:
            record.update(approved_by=self.approved_by, proposal=self.proposal)
        return record

    def touches(self, claim_id: str) -> bool:
        return any(c.claim_id == claim_id for c in self.changes)


class Curator:
    """Every change a moderator can make, over a ClaimBase. Refusals raise ChangeRefused and change nothing."""

    def __init__(self, base: ClaimBase | ClaimStore, *, clock: Callable[[], datetime] = utcnow,
                 via: str = "telegram") -> None:
        self.base = base  # a ClaimBase keeps its search index in step; a bare store suits command lines
        self.store: ClaimStore = base.store if isinstance(base, ClaimBase) else base
        self.clock = clock
        self.via = via

    # --- reading ------------------------------------------------------
    def claim(self, claim_id: str) -> Claim:
        claim_id = claim_id.strip()
        claim = self.store.get(claim_id) if claim_id else None
        if claim is None and claim_id:
            claim = next((c for c in self.store.all() if c.id.lower() == claim_id.lower()), None)
        if claim is None:
            raise ChangeRefused(f"there is no claim with the id {claim_id[:64]!r}")
        return claim

    def entries(self) -> list[AuditEntry]:
        return [AuditEntry.from_record(i, r) for i, r in self.store.audit_entries()]

    def entry(self, entry_id: int) -> AuditEntry | None:
        record = self.store.audit_entry(entry_id)
        return AuditEntry.from_record(entry_id, record) if record is not None else None

    def history(self, claim_id: str) -> list[AuditEntry]:
        """Every change that touched the claim, oldest first."""
        return [e for e in self.entries() if e.touches(claim_id)]

    def dependents(self, claim_id: str) -> list[Claim]:
        """Active claims that rest on claim_id."""
        return [c for c in self.store.all(include_retired=False) if claim_id in c.rests_on]

    # --- changes --------------------------------------------------------
    def preview_add(self, record: dict[str, Any]) -> Claim:
        """The claim an add would save, checked against the base; nothing is written."""
        record = dict(record)
        record["status"] = "active"
        record["updated_at"] = self._today()
        claim = self._build(record)
        if claim.id in self.store:
            raise ChangeRefused(f"the id {claim.id!r} is already used; choose another")
        try:
            check_base([*self.store.all(), claim])
        except ClaimError as exc:
            raise refusal(exc) from exc
        return claim

    def add(self, record: dict[str, Any], moderator: int | None, *, note: str = "") -> AuditEntry:
        return self._commit(ADD, moderator, [(None, self.preview_add(record))], note)

    def preview_edit(self, claim_id: str, field: str, value: str) -> tuple[Claim, Claim]:
        """The claim before and after an edit, checked on its own; nothing is written."""
        before = self.claim(claim_id)
        record = edit_record(before.to_dict(), field, value)
        record["updated_at"] = self._today()
        after = self._build(record)
        if _same(before.to_dict(), after.to_dict()):
            raise ChangeRefused(f"this changes nothing in {before.id}")
        return before, after

    def edit(self, claim_id: str, field: str, value: str, moderator: int | None) -> AuditEntry:
        before = self.claim(claim_id)
        return self._revise(before, EDIT, moderator, edit_record(before.to_dict(), field, value), note=field)

    def add_alias(self, claim_id: str, phrase: str, moderator: int | None) -> AuditEntry:
        before = self.claim(claim_id)
        phrase = " ".join(phrase.split())
        if not phrase:
            raise ChangeRefused("give the phrase to add as an alias")
        if phrase in before.aliases:
            raise ChangeRefused(f"{phrase!r} is already an alias of {before.id}")
        record = before.to_dict()
        record["aliases"] = [*before.aliases, phrase]
        return self._revise(before, ALIAS, moderator, record, note=phrase)

    def link(self, claim_id: str, rests_on_id: str, moderator: int | None) -> AuditEntry:
        before = self.claim(claim_id)
        target = self.claim(rests_on_id)
        if before.link == "explicit":
            raise ChangeRefused(f"{before.id} is explicit: its source states it, so it rests on no other claim "
                                f"(only an inferred claim records what it rests on); {HOW_TO_MAKE_INFERRED}")
        if target.id in before.rests_on:
            raise ChangeRefused(f"{before.id} already rests on {target.id}")
        record = before.to_dict()
        record["rests_on"] = [*before.rests_on, target.id]
        return self._revise(before, LINK, moderator, record, note=target.id)

    def retire(self, claim_id: str, reason: str, moderator: int | None) -> AuditEntry:
        before = self.claim(claim_id)
        reason = " ".join(reason.split())
        if not reason:
            raise ChangeRefused("say why the claim is retired: /retire <id> <reason>")
        if not before.active:
            raise ChangeRefused(f"{before.id} is already retired")
        record = before.to_dict()
        record["status"] = "retired"
        return self._revise(before, RETIRE, moderator, record, note=reason)

    def restore(self, claim_id: str, moderator: int | None) -> AuditEntry:
        before = self.claim(claim_id)
        if before.active:
            raise ChangeRefused(f"{before.id} is active, there is nothing to restore")
        record = before.to_dict()
        record["status"] = "active"
        return self._revise(before, RESTORE, moderator, record)

    def undo(self, entry_id: int, moderator: int | None) -> AuditEntry:
        """Put every claim of a change back as it was, if none has been changed since and no claim left would
        rest on one the undo removes."""
        entry = self.entry(entry_id)
        if entry is None:
            raise ChangeRefused(f"there is no change #{entry_id}")
        pairs: list[tuple[Claim | None, Claim | None]] = []
        for change in entry.changes:
            current = self.store.get(change.claim_id)
            if (current.to_dict() if current else None) != change.after:
                raise ChangeRefused(self._in_the_way(entry, change.claim_id))
            pairs.append((current, self._build(change.before) if change.before is not None else None))
        removed = {before.id for before, after in pairs if after is None and before is not None}
        for claim_id in sorted(removed):
            resting = [c.id for c in self.store.all() if claim_id in c.rests_on and c.id not in removed]
            if resting:
                names = _listed(resting)
                raise ChangeRefused(f"undoing #{entry.id} would remove {claim_id}, which {names} rests on (its "
                                    f"rests_on names it, and would name a claim that is gone); take {claim_id} out "
                                    f"of its rests_on first, or /retire {claim_id} instead")
        try:
            return self._commit(UNDO, moderator, pairs, note=f"#{entry.id} {entry.action}", undoes=entry.id)
        except ChangeRefused as exc:
            raise ChangeRefused(f"undoing #{entry.id} would break the base: {exc}") from exc

    def _in_the_way(self, entry: AuditEntry, claim_id: str) -> str:
        """Why a change cannot be undone: it was undone already, or the later changes to claim_id, latest first,
        that must be undone before it (a change undone since, and its undo, are not in the way)."""
        later = [e for e in self.entries() if e.id > entry.id]
        undone = {e.undoes for e in later if e.undoes is not None}
        undo = next((e for e in reversed(later) if e.undoes == entry.id), None)
        if undo is not None and undo.id not in undone:
            return f"change #{entry.id} was already undone by change #{undo.id}"
        touching = [e for e in later if e.touches(claim_id)]
        in_way = [e for e in touching if e.id not in undone and e.undoes is None] or touching
        if not in_way:
            return f"claim {claim_id} was changed again since; undo the later changes first"
        shown = _listed([f"#{e.id}" for e in reversed(in_way)])
        if len(in_way) == 1:
            return f"claim {claim_id} was changed again by change {shown}; undo it first"
        return f"claim {claim_id} was changed again by changes {shown}; undo them first, the latest first"

    def apply_import(self, pairs: Iterable[tuple[Claim | None, Claim | None]], moderator: int | None, *,
                     note: str = "", backup: bool = True, backup_dir: str | Path | None = None,
                     replace_with: list[Claim] | None = None) -> tuple[AuditEntry, Path | None]:
        """Apply an import's changes in one write, after a backup of the store file (claims and audit).

        With replace_with, the base becomes exactly those claims, in that order.
        """
        pairs = list(pairs)
        if not pairs:
            raise ChangeRefused("the file changes nothing")
        self.store.check_current()  # no backup of a version the write would then be refused over
        copy = self.store.backup(backup_dir) if backup else None
        return self._commit(IMPORT, moderator, pairs, note, replace_with=replace_with), copy

    # --- plumbing -----------------------------------------------------
    def _today(self) -> str:
        return self.clock().date().isoformat()

    def _build(self, record: dict[str, Any]) -> Claim:
        try:
            return claim_from_dict(record)
        except ClaimError as exc:
            raise refusal(exc) from exc

    def _revise(self, before: Claim, action: str, moderator: int | None, record: dict[str, Any],
                note: str = "") -> AuditEntry:
        record["updated_at"] = self._today()
        try:
            after = self._build(record)
        except ChangeRefused as exc:
            raise ChangeRefused(f"{exc}{_clear_first(before, record)}") from exc
        if _same(before.to_dict(), after.to_dict()):
            raise ChangeRefused(f"this changes nothing in {before.id}")
        return self._commit(action, moderator, [(before, after)], note)

    def _commit(self, action: str, moderator: int | None, pairs: list[tuple[Claim | None, Claim | None]],
                note: str = "", *, undoes: int | None = None, replace_with: list[Claim] | None = None,
                approved_by: int | None = None, proposal: int | None = None,
                pending: dict[int, dict[str, Any]] | None = None) -> AuditEntry:
        """Write the change and its audit entry (and, for an approved proposal, its pending row) in one write."""
        changes = tuple(Change((after or before).id, before.to_dict() if before else None,
                               after.to_dict() if after else None) for before, after in pairs)
        draft = AuditEntry(0, self.clock().replace(microsecond=0).isoformat(), moderator, action, changes,
                           note, self.via, undoes, approved_by, proposal)
        try:
            if replace_with is not None:
                entry_id = self.base.commit(replace_with, audit=draft.to_record(), replace=True, pending=pending)
            else:
                entry_id = self.base.commit([a for _, a in pairs if a is not None],
                                            [b.id for b, a in pairs if a is None and b is not None],
                                            audit=draft.to_record(), pending=pending)
        except ClaimError as exc:
            raise refusal(exc) from exc
        assert entry_id is not None
        return replace(draft, id=entry_id)


def _listed(items: list[str]) -> str:
    """"a", "a and b", "a, b and c"; past MAX_NAMED, "a, …, e and 3 more"."""
    if len(items) > MAX_NAMED:
        return f"{', '.join(items[:MAX_NAMED])} and {len(items) - MAX_NAMED} more"
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _clear_first(before: Claim, record: dict[str, Any]) -> str:
    """For an explicit claim stored with rests_on or reasoning before the rule that it has neither, and still
    holding them after the change: how to clear them, so that the claim can change again."""
    if before.link == "explicit" == record.get("link") and (record.get("rests_on") or record.get("reasoning")):
        return f"; it holds them from before that rule: /edit {before.id} link explicit clears them"
    return ""


def _same(before: dict[str, Any], after: dict[str, Any]) -> bool:
    return {k: v for k, v in before.items() if k != "updated_at"} == {k: v for k, v in after.items() if k != "updated_at"}
