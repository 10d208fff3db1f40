"""What a change did to a claim record, part by part, in plain text: the parts that differ as dotted paths
(stated_in.part, sources.2.date), the items a list gained and lost, and a long text around its first
difference, so that before and after never read the same."""

from __future__ import annotations

from typing import Any

from .edits import changed_fields

EMPTY = "∅"
ARROW = " → "
MAX_ITEMS = 6  # items a list line names; the others are counted


def shorten(text: str, limit: int | None) -> str:
    return text if limit is None or len(text) <= limit else text[: limit - 1].rstrip() + "…"


def compact(value: Any, limit: int | None = 160) -> str:
    """A field value on one line: a mapping as "key: value; …", a list as "a | b"; None when limit is None."""
    if value is None or value == [] or value == {}:
        text = EMPTY
    elif isinstance(value, dict):
        text = "; ".join(f"{k}: {compact(v, limit)}" for k, v in value.items())
    elif isinstance(value, list):
        text = " | ".join(compact(v, limit) for v in value)
    else:
        text = str(value)
    return shorten(text, limit)


def changed_parts(path: str, before: Any, after: Any) -> list[tuple[str, Any, Any]]:
    """The parts of a field that differ, as dotted paths ("stated_in.part", "sources.1.date"): a long title
    that did not change would otherwise fill both sides of "before → after". A mapping that appears or goes
    counts as an empty one; lists of one length are compared item by item (numbered from 1)."""
    if isinstance(before, dict) or isinstance(after, dict):
        if (before is None or isinstance(before, dict)) and (after is None or isinstance(after, dict)):
            before, after = before or {}, after or {}
            keys = list(before) + [k for k in after if k not in before]
            return [part for k in keys if before.get(k) != after.get(k)
                    for part in changed_parts(f"{path}.{k}", before.get(k), after.get(k))]
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        return [part for i, (b, a) in enumerate(zip(before, after), start=1) if b != a
                for part in changed_parts(f"{path}.{i}", b, a)]
    return [(path, before, after)]


def describe_part(before: Any, after: Any, limit: int | None = 160, more: str = "(+{n} more)") -> str:
    """One part's change, "before → after": for a list, the items it gained and lost ("+ a · − b", the first
    MAX_ITEMS, then more counting the others); for two values that would shorten alike, both cut around their
    first difference."""
    if _list_or_none(before) and _list_or_none(after) and (before or after):
        gained = [item for item in after or [] if item not in (before or [])]
        lost = [item for item in before or [] if item not in (after or [])]
        if gained or lost:
            marked = [f"+ {compact(item, limit)}" for item in gained] + [f"− {compact(item, limit)}" for item in lost]
            left = len(marked) - MAX_ITEMS
            return " · ".join(marked[:MAX_ITEMS]) + (" · " + more.format(n=left) if left > 0 else "")
    old, new = compact(before, limit), compact(after, limit)
    if old == new and before != after and limit:  # cut alike: show where they differ
        old, new = _around_difference(compact(before, None), compact(after, None), limit)
    return f"{old}{ARROW}{new}"


def _list_or_none(value: Any) -> bool:
    return value is None or isinstance(value, list)


def _around_difference(before: str, after: str, limit: int) -> tuple[str, str]:
    """Both texts cut to about limit characters from a little before the first character where they differ."""
    first = next((i for i, (b, a) in enumerate(zip(before, after)) if b != a), min(len(before), len(after)))
    start = max(0, first - limit // 3)

    def window(text: str) -> str:
        piece = text[start:start + limit - 2]
        return ("…" if start else "") + piece + ("…" if start + len(piece) < len(text) else "")
    return window(before), window(after)


def change_parts(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[tuple[str, Any, Any]]:
    """Every part of a claim record that a change made differ (updated_at left out), as (path, before, after)."""
    before, after = before or {}, after or {}
    return [part for field in changed_fields(before, after)
            for part in changed_parts(field, before.get(field), after.get(field))]
