"""What importing a claim file would do to the base: new, changed, retired, restored, removed, and
every error with its claim id. Nothing is written here; audit.Curator.apply_import applies a plan."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable, Sequence

from .edits import changed_fields
from .model import Claim, ClaimError, check_records, claim_from_dict

KEEP, RETIRE, DELETE = "keep", "retire", "delete"  # what happens to base claims missing from the file
MISSING_MODES = (KEEP, RETIRE, DELETE)


@dataclass(frozen=True)
class Planned:
    """One claim the import would touch."""

    claim_id: str
    before: Claim | None
    after: Claim | None
    fields: tuple[str, ...] = ()


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
                default_source: str | None = None, lines: Sequence[int | None] = ()) -> ImportPlan:
    """Check every record of a file against the base; the plan lists every error, not just the first, in
    file order. lines: the line each record starts on, when known (see io.parse_located)."""
    if missing not in MISSING_MODES:
        raise ValueError(f"missing must be one of {MISSING_MODES}")
    plan = ImportPlan(missing=missing)
    checked = check_records(items, lines=lines, default_lang=default_lang, default_link=default_link,
                            default_source=default_source)
    plan.in_file = checked.count
    incoming, failed = checked.claims, checked.failed

    by_id = {c.id: c for c in current}
    if missing == DELETE:
        after = dict(incoming)
    else:
        after = dict(by_id)
        after.update(incoming)
        if missing == RETIRE:
            stamp = (today or date.today()).isoformat()
            for claim_id, claim in by_id.items():
                if claim_id not in incoming and claim_id not in failed and claim.active:
                    record = claim.to_dict()
                    record.update(status="retired", updated_at=stamp)
                    after[claim_id] = claim_from_dict(record, stored=True)  # as it loaded
    looked_in = "this file (the base is replaced by it)" if missing == DELETE else "this file nor in the base"
    plan.errors = checked.in_file_order([*checked.errors, *checked.cross_errors(after, looked_in)])
    plan.final = list(after.values())

    for claim_id, claim in after.items():
        before = by_id.get(claim_id)
        if before is None:
            plan.new.append(Planned(claim_id, None, claim))
            continue
        old, new = before.to_dict(), claim.to_dict()
        if old == new:
            plan.unchanged += 1
            continue
        planned = Planned(claim_id, before, claim, tuple(changed_fields(old, new) or ["updated_at"]))
        if before.active and not claim.active:
            plan.retired.append(planned)
        elif claim.active and not before.active:
            plan.restored.append(planned)
        else:
            plan.changed.append(planned)
    if missing == DELETE:
        plan.removed = [Planned(c.id, c, None) for c in current if c.id not in after]
    return plan


def describe(plan: ImportPlan, limit: int = 50) -> list[str]:
    """Plain-text lines: one per touched claim, then one per error."""
    lines: list[str] = []
    groups = [("+", plan.new, "new"), ("~", plan.changed, None), ("-", plan.retired, "retired"),
              ("^", plan.restored, "restored"), ("x", plan.removed, "removed")]
    for mark, planned, label in groups:
        for p in planned[:limit]:
            others = [f for f in p.fields if f != "status"]
            what = ", ".join(p.fields) if not label else label + (f"; {', '.join(others)}" if others else "")
            lines.append(f"{mark} {p.claim_id} ({what})")
        if len(planned) > limit:
            lines.append(f"{mark} … and {len(planned) - limit} more")
    for exc in plan.errors[:limit]:
        lines.append(f"error: {exc}")
    if len(plan.errors) > limit:
        lines.append(f"error: … and {len(plan.errors) - limit} more")
    return lines
