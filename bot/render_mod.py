"""Moderators' replies as Telegram HTML (English), and the notices people get when a claim changes."""

from __future__ import annotations

from typing import Any

from knowledge.audit import AuditEntry
from knowledge.base import ClaimBase
from knowledge.edits import FIELDS_HELP, changed_fields
from knowledge.importing import ImportPlan
from knowledge.model import Claim, ClaimError
from knowledge.review import RETIRED, Group, Notice, Stats

from .render import MAX_CALLBACK, MAX_MESSAGE, Reply, esc, fit, render_claim, shorten

MAX_LISTED = 10

HELP = (
    "<b>Moderator commands</b>\n"
    "/add: a new claim, step by step (/cancel stops)\n"
    "/edit &lt;id&gt;: change a claim step by step; /edit &lt;id&gt; &lt;field&gt; &lt;value&gt; in one go\n"
    "/alias &lt;id&gt; &lt;phrase&gt;: another way people ask for it\n"
    "/link &lt;id&gt; &lt;rests-on-id&gt;: what an inferred claim rests on\n"
    "/retire &lt;id&gt; &lt;reason&gt; · /restore &lt;id&gt;: retired claims never answer, their history stays\n"
    "/history &lt;id&gt;: who changed what and when · /undo &lt;change-id&gt;\n"
    "/export [json]: the whole base as a file · /import: check a YAML/JSON file, apply on confirm\n"
    "/unmatched [days]: questions with no answer or a 👎 · /stats [days]\n\n"
    f"<i>Fields</i>: {esc(FIELDS_HELP)}"
)

USER = {
    "en": {
        "thanks_up": "Thanks for your feedback.",
        "thanks_down": "Thanks. The moderators will review this question.",
        "corrected": "ℹ️ A claim you were shown on {date} has been corrected by the moderators. Here it is now:",
        "retired": "ℹ️ A claim you were shown on {date} has been retired by the moderators:",
    },
    "fr": {
        "thanks_up": "Merci pour votre avis.",
        "thanks_down": "Merci. Les modérateurs examineront cette question.",
        "corrected": "ℹ️ Une affirmation qui vous a été montrée le {date} a été corrigée par les modérateurs. "
                     "La voici désormais :",
        "retired": "ℹ️ Une affirmation qui vous a été montrée le {date} a été retirée par les modérateurs :",
    },
}


def user_text(lang: str | None, key: str, **values: object) -> str:
    return USER.get(lang or "en", USER["en"])[key].format(**values)


def when(iso: str) -> str:
    return iso[:16].replace("T", " ") + (" UTC" if iso.endswith("+00:00") else "")


def compact(value: Any, limit: int = 160) -> str:
    """A field value on one line, for before → after."""
    if value is None or value == [] or value == {}:
        text = "∅"
    elif isinstance(value, dict):
        text = "; ".join(f"{k}: {compact(v, limit)}" for k, v in value.items())
    elif isinstance(value, list):
        text = " | ".join(compact(v, limit) for v in value)
    else:
        text = str(value)
    return shorten(text, limit)


def entry_head(entry: AuditEntry) -> str:
    who = f"moderator {entry.moderator}" if entry.moderator is not None else (entry.via or "?")
    what = entry.action + (f" {esc(shorten(entry.note, 120))}" if entry.note else "")
    return f"<b>#{entry.id}</b> · {esc(when(entry.time))} · {esc(who)} · {what}"


def change_lines(entry: AuditEntry, claim_id: str | None = None, max_fields: int = 6) -> list[str]:
    lines = []
    for change in entry.changes:
        if claim_id is not None and change.claim_id != claim_id:
            continue
        prefix = "" if claim_id is not None else f"<code>{esc(change.claim_id)}</code> "
        if change.before is None:
            lines.append(f"  {prefix}added")
        elif change.after is None:
            lines.append(f"  {prefix}removed")
        else:
            for field in changed_fields(change.before, change.after)[:max_fields]:
                lines.append(f"  {prefix}{esc(field)}: {esc(compact(change.before.get(field)))} → "
                             f"{esc(compact(change.after.get(field)))}")
    return lines


def render_history(claim: Claim, entries: list[AuditEntry]) -> Reply:
    if not entries:
        return Reply(f"No recorded change to <code>{esc(claim.id)}</code> (it came with the base).")
    parts = [f"History of <code>{esc(claim.id)}</code> ({len(entries)} changes, newest last):"]
    for entry in entries[-MAX_LISTED:]:
        parts.append(entry_head(entry))
        parts.extend(change_lines(entry, claim.id))
    parts.append("Undo one with /undo &lt;change-id&gt;.")
    return Reply(fit(parts))


def render_done(entry: AuditEntry, extra: list[str] | None = None) -> Reply:
    parts = [f"✅ Saved as change <b>#{entry.id}</b> ({esc(entry.action)}). Undo: /undo {entry.id}"]
    parts.extend(change_lines(entry))
    parts.extend(extra or [])
    return Reply(fit(parts))


def render_refused(reason: str) -> Reply:
    return Reply(f"❌ Not changed: {esc(shorten(reason, 1500))}")


def render_plan(plan: ImportPlan, file_name: str) -> Reply:
    """The summary of an uploaded file: what it would change, or every error with its claim id."""
    head = f"📄 <b>{esc(shorten(file_name, 100))}</b>: {plan.in_file} claims."
    if plan.errors:
        parts = [head, f"❌ <b>Rejected</b>: {len(plan.errors)} error(s). Nothing was changed; "
                       "fix the file and send it again."]
        parts.extend(f"• {_error(e)}" for e in plan.errors[:40])
        if len(plan.errors) > 40:
            parts.append(f"… and {len(plan.errors) - 40} more")
        return Reply(fit(parts))
    parts = [head, f"Importing would give: {esc(plan.counts())}."]
    for label, planned in (("New", plan.new), ("Changed", plan.changed), ("Retired", plan.retired),
                           ("Restored", plan.restored), ("Removed", plan.removed)):
        if planned:
            parts.append(f"<b>{label}</b>:")
            for p in planned[:15]:
                fields = ", ".join(f for f in p.fields if f != "status")
                parts.append(f"  <code>{esc(p.claim_id)}</code>" + (f" ({esc(fields)})" if fields else ""))
            if len(planned) > 15:
                parts.append(f"  … and {len(planned) - 15} more")
    if plan.touched:
        parts.append("A backup of the base is made before anything is written. Apply?")
    else:
        parts.append("The file changes nothing.")
    return Reply(fit(parts), [[("✅ Apply", "im:ok"), ("✖ Cancel", "im:no")]] if plan.touched else [])


def _error(exc: ClaimError) -> str:
    who = f"<code>{esc(exc.claim_id)}</code>" if exc.claim_id else esc(f"({exc.where})")
    return f"{who}, field <code>{esc(exc.field)}</code>: {esc(exc.message)}"


def render_unmatched(groups: list[Group], days: int) -> Reply:
    if not groups:
        return Reply(f"Nothing to review: every question of the last {days} days got an answer, "
                     "and none got a 👎.")
    parts = [f"<b>To review</b> ({len(groups)} group{'s' if len(groups) > 1 else ''}, last {days} days): "
             "questions with no answer "
             "(nothing found, or only suggestions) or a 👎, similar ones grouped."]
    buttons = []
    for number, group in enumerate(groups[:MAX_LISTED], 1):
        why = []
        if group.none:
            why.append(f"no match {group.none}")
        if group.suggested:
            why.append(f"only suggestions {group.suggested}")
        if group.down:
            why.append(f"👎 {group.down}")
        parts.append(f"{number}. <b>{group.count}×</b> « {esc(shorten(group.text, 200))} » "
                     f"<i>({', '.join(why)}; last {esc(group.last[:10])})</i>")
        if group.claims:
            parts.append("    answered with: " + ", ".join(f"<code>{esc(c)}</code>" for c in group.claims[:3]))
        buttons.append([(f"{number}. ➕ alias", f"un:a:{group.key}"), (f"{number}. 🆕 new claim", f"un:n:{group.key}"),
                        (f"{number}. 🗑 dismiss", f"un:x:{group.key}")])
    if len(groups) > MAX_LISTED:
        parts.append(f"… and {len(groups) - MAX_LISTED} more groups.")
    parts.append("➕ makes the question an alias of a claim; 🆕 starts /add with it; 🗑 takes it off the list.")
    return Reply(fit(parts), buttons)


def render_candidates(group: Group, candidates: list[Claim], lang: str) -> Reply:
    parts = [f"Attach « {esc(shorten(group.text, 200))} » ({group.count}×) as an alias of which claim?"]
    buttons = []
    for claim in candidates:
        data = f"un:s:{group.key}:{claim.id}"
        if len(data.encode()) > MAX_CALLBACK:
            continue
        parts.append(f"• <code>{esc(claim.id)}</code>: {esc(shorten(claim.text_in(lang), 160))}")
        buttons.append([(shorten(claim.title or claim.text_in(lang), 60), data)])
    parts.append(f"Or send: /alias &lt;id&gt; {esc(shorten(group.text, 200))}")
    return Reply(fit(parts), buttons)


def render_stats(stats: Stats, base: ClaimBase, changes: int) -> Reply:
    claims = base.store.all()
    active = sum(c.active for c in claims)
    inferred = sum(c.link == "inferred" for c in claims if c.active)
    total = stats.total or 1
    parts = [f"<b>Stats, last {stats.days} days</b>",
             f"Base: {active} active claims ({active - inferred} explicit, {inferred} inferred), "
             f"{len(claims) - active} retired; {changes} recorded changes.",
             f"Questions: {stats.total}. Answered {_pct(stats.outcomes['answer'], total)}, "
             f"suggested {_pct(stats.outcomes['suggest'], total)}, none {_pct(stats.outcomes['none'], total)}. "
             f"Feedback: 👍 {stats.up} · 👎 {stats.down}.",
             "<b>Per day</b>:"]
    peak = max((n for _, n in stats.per_day), default=0) or 1
    for day, count in stats.per_day:
        parts.append(f"<code>{esc(day)} {count:>4} {'▇' * round(12 * count / peak)}</code>")
    if stats.top_claims:
        parts.append("<b>Top claims</b>:")
        parts.extend(f"  {n}× <code>{esc(cid)}</code>" for cid, n in stats.top_claims)
    if stats.top_unmatched:
        parts.append("<b>Top unmatched</b> (/unmatched):")
        parts.extend(f"  {g.count}× « {esc(shorten(g.text, 120))} »" for g in stats.top_unmatched)
    return Reply(fit(parts))


def _pct(part: int, whole: int) -> str:
    return f"{part} ({100 * part / whole:.0f}%)"


def render_notice(base: ClaimBase, claim: Claim, notice: Notice) -> list[Reply]:
    """What a person shown the claim gets: one message, or the notice then the card when both do not fit."""
    lang = notice.lang or "en"
    head = user_text(lang, RETIRED if notice.kind == RETIRED else "corrected", date=esc(notice.shown_at[:10]))
    card = render_claim(base, claim, lang)
    if len(head) + 2 + len(card.text) <= MAX_MESSAGE:
        return [Reply(f"{head}\n\n{card.text}")]
    return [Reply(head), card]
