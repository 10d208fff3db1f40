"""What importing a claim file would do to the base: new, changed, retired, restored, removed, and
every error with its claim id; the claims readers would then read as stated by their sources, and the claims
whose version in the file is older than the base's. Nothing is written here; audit.Curator.apply_import
applies a plan."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any, Iterable, Mapping, Sequence

from .changes import change_parts, describe_part
from .edits import changed_fields, makes_stated
from .model import Claim, ClaimError, check_records, claim_from_dict
from .questions import parse_time

KEEP, RETIRE, DELETE = "keep", "retire", "delete"  # what happens to base claims missing from the file
MISSING_MODES = (KEEP, RETIRE, DELETE)


@dataclass(frozen=True)
class Planned:
    """One claim the import would touch."""

    claim_id: str
    before: Claim | None
    after: Claim | None
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class Predating:
    """A claim whose version in the file differs from the base's and is older than the base's last change of it:
    changed in the audit log after the file's exported_at (change, changed_at, exported_at set), or, in a file
    without exported_at, dated (updated_at) before the base's. Importing the file undoes that change."""

    claim_id: str
    file_date: str  # the file's updated_at for the claim ("" when it has none)
    base_date: str  # the base's
    change: int | None = None  # the audit entry that changed the claim after the export
    changed_at: str = ""       # its time, and the file's exported_at: "2026-01-15 14:03:07 UTC"
    exported_at: str = ""


@dataclass
class ImportPlan:
    in_file: int = 0
    missing: str = KEEP
    new: list[Planned] = field(default_factory=list)
    changed: list[Planned] = field(default_factory=list)
    retired: list[Planned] = field(default_factory=list)
    restored: list[Planned] = field(default_factory=list)
    removed: list[Planned] = field(default_factory=list)
    unchanged: int = 0
    errors: list[ClaimError] = field(default_factory=list)
    final: list[Claim] = field(default_factory=list)  # the whole base after the import, in order
    stated: list[Planned] = field(default_factory=list)  # active explicit claims new, or newly stated, see _stated
    predating: list[Predating] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def touched(self) -> list[Planned]:
        return [*self.new, *self.changed, *self.retired, *self.restored, *self.removed]

    def pairs(self) -> list[tuple[Claim | None, Claim | None]]:
        return [(p.before, p.after) for p in self.touched]

    def counts(self) -> str:
        text = (f"{len(self.new)} new, {len(self.changed)} changed, {len(self.retired)} retired, "
                f"{len(self.restored)} restored")
        if self.missing == DELETE:
            text += f", {len(self.removed)} removed"
        return text + f", {self.unchanged} unchanged"


def plan_import(current: Sequence[Claim], items: Iterable[Any], *, missing: str = KEEP, today: date | None = None,
                default_lang: str = "en", default_link: str | None = None,
                default_source: str | None = None, lines: Sequence[int | None] = (),
                exported_at: datetime | None = None,
                audit: Iterable[tuple[int, Mapping[str, Any]]] = ()) -> ImportPlan:
    """Check every record of a file against the base; the plan lists every error, not just the first, in
    file order. lines: the line each record starts on, when known (see io.parse_located). exported_at: when the
    file was exported (io.ClaimFile), with audit, the base's audit entries (ClaimStore.audit_entries), to find
    the claims changed after the export."""
    if missing not in MISSING_MODES:
        raise ValueError(f"missing must be one of {MISSING_MODES}")
    plan = ImportPlan(missing=missing)
    checked = check_records(items, lines=lines, default_lang=default_lang, default_link=default_link,
                            default_source=default_source)
    plan.in_file = checked.count
    incoming, failed = checked.claims, checked.failed

    by_id = {c.id: c for c in current}
    latest = _latest_changes(audit) if exported_at is not None else {}
    stamp = (today or date.today()).isoformat()
    if missing == DELETE:
        after = dict(incoming)
    else:
        after = dict(by_id)
        after.update(incoming)
        if missing == RETIRE:
            for claim_id, claim in by_id.items():
                if claim_id not in incoming and claim_id not in failed and claim.active:
                    after[claim_id] = _dated(claim, stamp, status="retired")
    looked_in = "this file (the base is replaced by it)" if missing == DELETE else "this file nor in the base"
    plan.errors = checked.in_file_order([*checked.errors, *checked.cross_errors(after, looked_in)])

    for claim_id, claim in list(after.items()):
        before = by_id.get(claim_id)
        if before is None:
            plan.new.append(Planned(claim_id, None, claim))
            continue
        fields = tuple(changed_fields(before.to_dict(), claim.to_dict()))
        if not fields:  # the same claim, whatever date the file gives it: the base keeps its own
            after[claim_id] = before
            plan.unchanged += 1
            continue
        if claim_id in incoming:
            found = _changed_after(before, claim, exported_at, latest.get(claim_id)) or _predating(before, claim)
            if found is not None:
                plan.predating.append(found)
            # dated the day it changes in the base, as every other change is: a later import of an older file
            # can then tell that it would undo this one
            after[claim_id] = claim = _dated(claim, stamp)
        planned = Planned(claim_id, before, claim, fields)
        if before.active and not claim.active:
            plan.retired.append(planned)
        elif claim.active and not before.active:
            plan.restored.append(planned)
        else:
            plan.changed.append(planned)
    plan.final = list(after.values())
    if missing == DELETE:
        plan.removed = [Planned(c.id, c, None) for c in current if c.id not in after]
    plan.stated = [p for p in [*plan.new, *plan.changed, *plan.restored] if _stated(p)]
    return plan


def _dated(claim: Claim, stamp: str, **changes: str) -> Claim:
    record = claim.to_dict()
    record.update(changes, updated_at=stamp)
    return claim_from_dict(record, stored=True)  # as it loaded


def _stated(planned: Planned) -> bool:
    """Whether readers would read, after the import, that the claim's sources state it themselves where they did
    not before (CLAIMS.md): a new explicit claim, a claim made explicit, an explicit claim's sources changed. As
    /edit, which shows the card and a reminder first (edits.makes_stated)."""
    after = planned.after
    if after is None or not after.active or after.link != "explicit":
        return False
    return planned.before is None or makes_stated(planned.before, after)


def _latest_changes(audit: Iterable[tuple[int, Mapping[str, Any]]]) -> dict[str, tuple[int, datetime]]:
    """Each claim's latest audit entry: its id and time (a time without a zone is UTC, as Curator's clock)."""
    latest: dict[str, tuple[int, datetime]] = {}
    for entry_id, record in audit:
        try:
            moment = parse_time(str(record.get("time") or ""))
        except ValueError:  # an entry without a readable time: nothing to compare
            continue
        for change in record.get("changes") or []:
            claim_id = change.get("id") if isinstance(change, Mapping) else None
            if claim_id and (claim_id not in latest or latest[claim_id][1] <= moment):
                latest[claim_id] = (entry_id, moment)
    return latest


def _changed_after(before: Claim, in_file: Claim, exported_at: datetime | None,
                   latest: tuple[int, datetime] | None) -> Predating | None:
    """The file's version of a claim, which differs from the base's, when the base changed the claim after the
    file was exported. Both times are cut to the second: a change the same second counts, as it may be later."""
    if exported_at is None or latest is None or latest[1] < exported_at.replace(microsecond=0):
        return None
    return Predating(before.id, (in_file.updated_at or "")[:10], (before.updated_at or "")[:10], latest[0],
                     _utc(latest[1]), _utc(exported_at))


def _utc(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def _predating(before: Claim, in_file: Claim) -> Predating | None:
    """The file's version of a claim, which differs from the base's, dated before the base's (see Predating).
    Dates are whole days: a change made the day the file's version is dated is not seen (an export's
    exported_at tells it, see _changed_after)."""
    file_day, base_day = _day(in_file.updated_at), _day(before.updated_at)
    if file_day is None or base_day is None or file_day >= base_day:
        return None
    return Predating(before.id, file_day.isoformat(), base_day.isoformat())


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:  # a stored date of another form: nothing to compare
        return None


def predating_line(found: Predating) -> str:
    if found.change is not None:
        return (f"{found.claim_id} was changed by #{found.change} at {found.changed_at}, after this file was "
                f"exported ({found.exported_at}); importing this file's version undoes it")
    return (f"this file's version of {found.claim_id} ({found.file_date}) predates the base's change of "
            f"{found.base_date}; importing it undoes it")


def changes_of(planned: Planned) -> list[tuple[str, object, object]]:
    """What the import changes in a claim it keeps, part by part (changes.change_parts); the status of a retired
    or restored claim is left out, its group says it."""
    if planned.before is None or planned.after is None:
        return []
    parts = change_parts(planned.before.to_dict(), planned.after.to_dict())
    if planned.before.status != planned.after.status:
        parts = [part for part in parts if part[0] != "status"]
    return parts


def describe(plan: ImportPlan, limit: int = 50) -> list[str]:
    """Plain-text lines: one per touched claim, each followed by its changes in full ("  path: before → after"),
    then one per error."""
    lines: list[str] = []
    groups = [("+", plan.new, "new"), ("~", plan.changed, None), ("-", plan.retired, "retired"),
              ("^", plan.restored, "restored"), ("x", plan.removed, "removed")]
    for mark, planned, label in groups:
        for p in planned[:limit]:
            others = [f for f in p.fields if f != "status"]
            what = ", ".join(p.fields) if not label else label + (f"; {', '.join(others)}" if others else "")
            lines.append(f"{mark} {p.claim_id} ({what})")
            lines.extend(f"    {path}: {describe_part(before, after, limit=None)}"
                         for path, before, after in changes_of(p))
        if len(planned) > limit:
            lines.append(f"{mark} … and {len(planned) - limit} more")
    for exc in plan.errors[:limit]:
        lines.append(f"error: {exc}")
    if len(plan.errors) > limit:
        lines.append(f"error: … and {len(plan.errors) - limit} more")
    return lines
