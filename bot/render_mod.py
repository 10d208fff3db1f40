"""Moderators' replies as Telegram HTML in their language (bot/i18n_mod.py), and the notices people get when a
claim changes."""

from __future__ import annotations

import re
from typing import Any

from knowledge.approval import APPROVED, REJECTED, Pending
from knowledge.audit import AuditEntry
from knowledge.base import ClaimBase
from knowledge.changes import change_parts, describe_part
from knowledge.edits import typed_field
from knowledge.importing import DELETE, RETIRE, ImportPlan, Planned, Predating, changes_of
from knowledge.model import Claim, ClaimError
from knowledge.review import RETIRED, Group, Notice, Stats
from knowledge.text import fold, guess_lang

from .i18n import t
from .i18n_mod import action_name, tm, tn
from .render import DETAIL, MAX_CALLBACK, MAX_MESSAGE, Reply, esc, fit, render_claim, shorten, size, units

MAX_LISTED = 10
MAX_DAYS_LISTED = 31  # /stats lists the most recent days with questions, a month of them at most


def render_help(lang: str, pending: int = 0, second_moderator: bool = False) -> Reply:
    """/modhelp: the moderator commands and the fields /edit takes; /pending with how many changes wait, and
    what waits when EXPLICIT_NEEDS_SECOND_MODERATOR is on."""
    text = tm(lang, "help", fields=esc(tm(lang, "fields_help")), pending=tn(lang, "n_waiting", pending))
    if second_moderator:
        commands, _, fields = text.partition("\n\n")
        text = f"{commands}\n{tm(lang, 'help_pending_on')}\n\n{fields}"
    return Reply(text)


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


def moderator_name(moderator: int | None, via: str, lang: str) -> str:
    """Plain text: "moderator 111", or where the change came from (cli) when no moderator made it."""
    return tm(lang, "by_moderator", id=moderator) if moderator is not None else (via or "?")


def entry_head(entry: AuditEntry, lang: str) -> str:
    who = moderator_name(entry.moderator, entry.via, lang)
    if entry.proposal is not None and entry.approved_by is not None:
        who += ", " + tm(lang, "approved_by", id=entry.approved_by)
    what = esc(action_name(lang, entry.action)) + (f" {esc(shorten(entry.note, 120))}" if entry.note else "")
    return f"<b>#{entry.id}</b> · {esc(when(entry.time))} · {esc(who)} · {what}"


def change_lines(entry: AuditEntry, lang: str, claim_id: str | None = None, max_fields: int = 6) -> list[str]:
    lines = []
    for change in entry.changes:
        if claim_id is not None and change.claim_id != claim_id:
            continue
        prefix = "" if claim_id is not None else f"<code>{esc(change.claim_id)}</code> "
        if change.before is None:
            lines.append(f"  {prefix}{tm(lang, 'added')}")
        elif change.after is None:
            lines.append(f"  {prefix}{tm(lang, 'removed')}")
        else:
            lines.extend(part_lines(change_parts(change.before, change.after), lang, f"  {prefix}", max_fields))
    return lines


def part_lines(parts: list[tuple[str, Any, Any]], lang: str, indent: str, max_fields: int = 6,
               limit: int = 160) -> list[str]:
    """One line a changed part, "path: before → after" (changes.describe_part), the first max_fields of them."""
    lines = []
    for path, before, after in parts[:max_fields]:
        what = describe_part(before, after, limit, more=tm(lang, "items_more"))
        lines.append(f"{indent}{esc(path)}{t(lang, 'colon')}{esc(what)}")
    if len(parts) > max_fields:
        lines.append(f"{indent}{tm(lang, 'and_more', n=len(parts) - max_fields)}")
    return lines


def render_history(claim_id: str, entries: list[AuditEntry], lang: str, proposals: list[Pending] | None = None,
                   *, gone: AuditEntry | None = None) -> Reply:
    """The latest changes to a claim, who made them (and who approved them), then its proposed changes that were
    not applied: waiting for a second moderator, or rejected (by whom, why). gone: the change that took the claim
    out of the base (an undone /add), said first."""
    proposals = [p for p in proposals or [] if p.status != APPROVED]  # an approved one is among the entries
    if not entries and not proposals:
        return Reply(tm(lang, "history_none", id=esc(claim_id)))
    if not entries:
        return Reply(fit([tm(lang, "history_none", id=esc(claim_id)), *_proposal_parts(proposals, lang)]))
    changes = tn(lang, "n_changes", len(entries))
    parts = [tm(lang, "history_gone", id=esc(claim_id), entry=gone.id)] if gone is not None else []
    if len(entries) > MAX_LISTED:  # the older ones: on the command line
        parts.append(tm(lang, "history_head_latest", id=esc(claim_id), shown=MAX_LISTED, changes=changes))
    else:
        parts.append(tm(lang, "history_head", id=esc(claim_id), changes=changes))
    for entry in entries[-MAX_LISTED:]:
        parts.append(entry_head(entry, lang))
        parts.extend(change_lines(entry, lang, claim_id))
    parts.extend(_proposal_parts(proposals, lang))
    parts.append(tm(lang, "history_undo"))
    return Reply(fit(parts))


def _proposal_parts(proposals: list[Pending], lang: str) -> list[str]:
    if not proposals:
        return []
    parts = [tm(lang, "history_proposals")]
    for pending in proposals[-MAX_LISTED:]:
        parts.extend([pending_head(pending, lang), "  " + decision_line(pending, lang)])
    return parts


def render_done(entry: AuditEntry, lang: str, extra: list[str] | None = None) -> Reply:
    parts = [tm(lang, "done", id=entry.id, action=esc(action_name(lang, entry.action)))]
    parts.extend(change_lines(entry, lang))
    parts.extend(extra or [])
    return Reply(fit(parts))


PENDING_LISTED = 10  # pending changes /pending lists, each with its buttons


def pending_head(pending: Pending, lang: str) -> str:
    """"P3 · when · moderator 111 · edit sources.1.quote", as entry_head for an audit entry."""
    what = esc(action_name(lang, pending.action)) + (f" {esc(shorten(pending.note, 120))}" if pending.note else "")
    return (f"<b>P{pending.id}</b> · {esc(when(pending.time))} · {esc(moderator_name(pending.author, pending.via, lang))}"
            f" · {what}")


def pending_lines(pending: Pending, lang: str, *, claims: int = 3, fields: int = 4, limit: int = 160) -> list[str]:
    """What a pending change would change, with /history's change lines: the claims it makes stated by their
    sources first; a new claim part by part."""
    changes = sorted(pending.changes, key=lambda c: c.claim_id not in pending.stated)
    lines = []
    for change in changes[:claims]:
        name = f"<code>{esc(change.claim_id)}</code>"
        if change.before is None:
            lines.append(f"  {name} {tm(lang, 'pending_new_claim')}")
            parts = [part for part in change_parts(None, change.after) if part[0] != "status"]
            lines.extend(part_lines(parts, lang, "    ", fields, limit))
        elif change.after is None:
            lines.append(f"  {name} {tm(lang, 'removed')}")
        else:
            lines.extend(part_lines(change_parts(change.before, change.after), lang, f"  {name} ", fields, limit))
    if len(changes) > claims:
        lines.append("  " + tm(lang, "pending_claims_more", n=len(changes) - claims, id=pending.id))
    return lines


def pending_buttons(pending: Pending, lang: str) -> list[tuple[str, str]]:
    """✅ approve and ✖ reject: pa:y|n:<pending id>:<its token>."""
    row = [(tm(lang, "button_approve", id=pending.id), f"pa:y:{pending.id}:{pending.token}"),
           (tm(lang, "button_reject", id=pending.id), f"pa:n:{pending.id}:{pending.token}")]
    assert all(len(data.encode()) <= MAX_CALLBACK for _, data in row)
    return row


def _ids(ids: list[str] | tuple[str, ...]) -> str:
    return ", ".join(f"<code>{esc(i)}</code>" for i in ids[:PLAN_NOTED]) + (
        f" (+{len(ids) - PLAN_NOTED})" if len(ids) > PLAN_NOTED else "")


def decision_line(pending: Pending, lang: str, reviewer: str | None = None) -> str:
    """Waiting, approved by whom as which change, or rejected by whom and why."""
    who = esc(reviewer or moderator_name(pending.reviewer, "?", lang))
    reason = tm(lang, "reason", reason=esc(pending.reason)) if pending.reason else ""
    if pending.status == APPROVED:
        return tm(lang, "pending_approved_by", who=who, entry=pending.entry, time=esc(when(pending.reviewed_at)))
    if pending.status == REJECTED:
        return tm(lang, "pending_rejected_by", who=who, time=esc(when(pending.reviewed_at)), reason=reason)
    return tm(lang, "status_open")


def render_pending_list(waiting: list[tuple[Pending, list[str]]], lang: str) -> Reply:
    """/pending: every open pending change (with the claims changed since it was proposed), oldest first, with
    its change lines and ✅ / ✖ buttons."""
    if not waiting:
        return Reply(tm(lang, "pending_none"))
    parts: list = [tm(lang, "pending_head", changes=tn(lang, "n_pending", len(waiting)))]
    buttons = []
    for pending, outdated in waiting[:PENDING_LISTED]:
        parts.append(pending_head(pending, lang))
        parts.extend((line, DETAIL) for line in pending_lines(pending, lang))
        if outdated:
            parts.append("  " + tm(lang, "pending_outdated", ids=_ids(outdated)))
        buttons.append(pending_buttons(pending, lang))
    if len(waiting) > PENDING_LISTED:
        parts.append(tm(lang, "pending_more", n=len(waiting) - PENDING_LISTED))
    return Reply(fit(parts), buttons)


def render_pending_one(pending: Pending, outdated: list[str], lang: str, card: Reply | None = None) -> Reply:
    """/pending <n>: one pending change in full (every claim, more parts each), the reminder of what explicit
    means, the card readers would see for a one-claim change, and ✅ / ✖ while it is open."""
    status = pending.status
    parts: list = [tm(lang, "pending_one_head", id=pending.id, status=esc(tm(lang, f"status_{status}"))),
                   pending_head(pending, lang)]
    parts.extend((line, DETAIL) for line in pending_lines(pending, lang, claims=40, fields=12, limit=300))
    if pending.stated:
        parts.append(tm(lang, "pending_stated", ids=_ids(pending.stated)))
    if pending.open:
        if outdated:
            parts.append(tm(lang, "pending_outdated", ids=_ids(outdated)))
        parts.append(tm(lang, "pending_reminder"))
    else:
        parts.append(decision_line(pending, lang))
    if card is not None:
        parts.extend([(tm(lang, "pending_card"), DETAIL), (card.text, DETAIL)])
    return Reply(fit(parts), [pending_buttons(pending, lang)] if pending.open else [])


def render_pending_waiting(pending: Pending, lang: str) -> Reply:
    """What the author reads when a change they confirmed waits for a second moderator."""
    parts: list = [tm(lang, "pending_waiting", id=pending.id), pending_head(pending, lang)]
    parts.extend((line, DETAIL) for line in pending_lines(pending, lang))
    return Reply(fit(parts))


def render_refused(reason: str, lang: str) -> Reply:
    """A change the domain refused: the reason as knowledge/ words it (English), in a sentence in lang."""
    return Reply(tm(lang, "not_changed", reason=esc(shorten(reason, 1500))))


def plan_counts(plan: ImportPlan, lang: str) -> str:
    """What an import does, counted: "2 new, 1 changed, ..." (ImportPlan.counts() in lang)."""
    counted = [("n_new", plan.new), ("n_changed", plan.changed), ("n_retired", plan.retired),
               ("n_restored", plan.restored)] + ([("n_removed", plan.removed)] if plan.missing == DELETE else [])
    return ", ".join([*(tn(lang, key, len(planned)) for key, planned in counted),
                      tn(lang, "n_unchanged", plan.unchanged)])


PLAN_PART_FIELDS = 4  # changed parts shown a claim in an import's summary
PLAN_PART_LIMIT = 80  # characters of each side of "before → after" there
PLAN_NOTED = 10  # claims named by each warning of an import's summary
DIFF_OPTION = {RETIRE: " --retire-missing", DELETE: " --replace"}  # diff then shows the plan the bot made


def render_plan(plan: ImportPlan, file_name: str, lang: str, apply: str = "", *, held: bool = False) -> Reply:
    """The summary of an uploaded file: what it would change, or every error with its claim id; apply is the
    data of its ✅ Apply button. Above the claims, what to weigh before applying: the claims whose version in the
    file is older than the base's (importing undoes a later change), and those readers would newly read as
    stated by their sources. Then each claim and what changes in it, as many as fit one message. held: ✅ sends
    the import to a second moderator instead (EXPLICIT_NEEDS_SECOND_MODERATOR), and the last line says so."""
    head = tm(lang, "plan_head", name=esc(shorten(file_name, 100)), claims=tn(lang, "n_claims", plan.in_file))
    if plan.errors:
        parts = [head, tm(lang, "plan_rejected", errors=tn(lang, "n_errors", len(plan.errors)))]
        parts.extend(f"• {_error(e, lang)}" for e in plan.errors[:40])
        if len(plan.errors) > 40:
            parts.append(tm(lang, "and_more", n=len(plan.errors) - 40))
        return Reply(fit(parts))
    parts = [head, tm(lang, "plan_would", counts=esc(plan_counts(plan, lang))), *_plan_warnings(plan, lang)]
    tail = tm(lang, ("plan_propose" if held else "plan_apply") if plan.touched else "plan_nothing")  # never cut off
    groups = [(label, planned) for label, planned in (
        ("plan_new", plan.new), ("plan_changed", plan.changed), ("plan_retired", plan.retired),
        ("plan_restored", plan.restored), ("plan_removed", plan.removed)) if planned]
    whole = tm(lang, "plan_whole", option=DIFF_OPTION.get(plan.missing, ""))
    reserve = sum(units(tm(lang, label)) + units(tm(lang, "and_more", n=len(planned))) + 6 for label, planned in groups)
    room = MAX_MESSAGE - size([*parts, tail]) - reserve - units(whole) - 2
    cut = False
    for label, planned in groups:
        parts.append(tm(lang, label))
        shown = 0
        for p in planned[:MAX_PLANNED]:
            block = _planned_lines(p, lang)
            cost = size(block) + 1
            if cost > room:
                break
            parts.extend(block)
            room -= cost
            shown += 1
        if shown < len(planned):
            parts.append("  " + tm(lang, "and_more", n=len(planned) - shown))
            cut = True
    if cut:
        parts.append(whole)
    buttons = [[(tm(lang, "button_apply"), apply), (tm(lang, "button_cancel"), "im:no")]]
    return Reply(fit(parts, tail=tail), buttons if plan.touched else [])


MAX_PLANNED = 15  # claims listed in each group of an import's summary


def _planned_lines(planned: Planned, lang: str) -> list[str]:
    """A claim of an import's summary: its id, then what changes in it (a new or removed claim: the id alone)."""
    parts = changes_of(planned)
    name = f"  <code>{esc(planned.claim_id)}</code>"
    if not parts:
        fields = ", ".join(f for f in planned.fields if f != "status")
        return [name + (f" ({esc(fields)})" if fields else "")]
    return [name, *part_lines(parts, lang, "    ", PLAN_PART_FIELDS, PLAN_PART_LIMIT)]


def _plan_warnings(plan: ImportPlan, lang: str) -> list[str]:
    """The claims whose file version predates the base's change, and the reminder of what explicit means for
    the claims the import makes stated by their sources; each names PLAN_NOTED claims at most."""
    lines = []
    if plan.predating:
        lines.append(tm(lang, "plan_predating"))
        lines.extend("  • " + _predates(f, lang) for f in plan.predating[:PLAN_NOTED])
        if len(plan.predating) > PLAN_NOTED:
            lines.append("  " + tm(lang, "and_more", n=len(plan.predating) - PLAN_NOTED))
    if plan.stated:
        ids = ", ".join(f"<code>{esc(p.claim_id)}</code>" for p in plan.stated[:PLAN_NOTED])
        if len(plan.stated) > PLAN_NOTED:
            ids += " " + tm(lang, "and_more", n=len(plan.stated) - PLAN_NOTED)
        lines.append(tm(lang, "plan_stated", ids=ids))
    return lines


def _predates(found: Predating, lang: str) -> str:
    if found.change is not None:  # changed after the file's exported_at
        return tm(lang, "plan_changed_after", id=esc(found.claim_id), change=found.change,
                  time=esc(found.changed_at), exported=esc(found.exported_at))
    return tm(lang, "plan_predates", id=esc(found.claim_id), file=esc(found.file_date), base=esc(found.base_date))


def _error(exc: ClaimError, lang: str) -> str:
    """One error of a file: its claim, its field as /edit and the change lines name it (sources.1.date, not
    sources[0].date), and the domain's message (English)."""
    who = f"<code>{esc(exc.claim_id)}</code>" if exc.claim_id else esc(exc.where)  # claim #2 (no id, line 5)
    return tm(lang, "plan_error", who=who, field=esc(typed_field(exc.field)), message=esc(exc.message))


def retention_line(keep_days: int | None, lang: str) -> str:
    """How long the question log keeps questions (CLAIMBOT_QUESTIONS_KEEP_DAYS)."""
    return tm(lang, "kept_forever") if keep_days is None else tm(lang, "kept_days", days=tn(lang, "n_days", keep_days))


def render_unmatched(groups: list[Group], days: int, lang: str, *, keep_days: int | None) -> Reply:
    """The review queue; when asked further back than questions are kept, it says how long they are."""
    tail = retention_line(keep_days, lang) if keep_days is not None and days > keep_days else ""
    if not groups:
        none = tm(lang, "unmatched_none", days=tn(lang, "n_days", days))
        return Reply(f"{none}\n{tail}" if tail else none)
    parts = [tm(lang, "unmatched_head", groups=tn(lang, "n_groups", len(groups)), days=tn(lang, "n_last_days", days))]
    buttons = []
    for number, group in enumerate(groups[:MAX_LISTED], 1):
        why = []
        if group.none:
            why.append(tm(lang, "why_none", n=group.none))
        if group.suggested:
            why.append(tm(lang, "why_suggested", n=group.suggested))
        if group.down:
            why.append(f"👎 {group.down}")
        why_last = tm(lang, "why_last", date=esc(group.last[:10]))
        parts.append(f"{number}. <b>{group.count}×</b> « {esc(shorten(group.text, 200))} » "
                     f"<i>({', '.join(why)}{tm(lang, 'semicolon')}{why_last})</i>")
        if group.claims:
            parts.append("    " + tm(lang, "answered_with")
                         + ", ".join(f"<code>{esc(c)}</code>" for c in group.claims[:3]))
        buttons.append([(tm(lang, "button_alias", n=number), f"un:a:{group.key}"),
                        (tm(lang, "button_new", n=number), f"un:n:{group.key}"),
                        (tm(lang, "button_dismiss", n=number), f"un:x:{group.key}")])
    if len(groups) > MAX_LISTED:
        parts.append(tm(lang, "more_groups", more=tn(lang, "n_more_groups", len(groups) - MAX_LISTED)))
    parts.append(tm(lang, "unmatched_legend"))
    return Reply(fit(parts, tail), buttons)


def render_candidates(group: Group, candidates: list[Claim], lang: str) -> Reply:
    parts = [tm(lang, "candidates_head", text=esc(shorten(group.text, 200)), count=group.count)]
    buttons = []
    for claim in candidates:
        data = f"un:s:{group.key}:{claim.id}"
        if len(data.encode()) > MAX_CALLBACK:
            continue
        parts.append(f"• <code>{esc(claim.id)}</code>{t(lang, 'colon')}{esc(shorten(claim.text_in(lang), 160))}")
        buttons.append([(shorten(button_label(claim, lang), 60), data)])
    parts.append(tm(lang, "candidates_or", text=esc(shorten(group.text, 200))))
    return Reply(fit(parts), buttons)


def button_label(claim: Claim, lang: str) -> str:
    """The claim's title when it reads in lang (a title is one untagged text), else its text in lang."""
    return claim.title if claim.title and title_lang(claim) == lang else claim.text_in(lang)


QUOTED_RE = re.compile(r"«[^»]*»|“[^”]*”|\"[^\"]*\"|(?<!\w)'[^']*'(?!\w)")


def title_lang(claim: Claim) -> str | None:
    """The language of a claim's title, None when it cannot be told: guessed from its own words (a quote keeps its
    source's language: "Reader comment: Zelensky 'tente un coup'" is English), else, for a title of names and
    numbers ("Hussein Ghulam joined JNIM around mid-2024"), the language of the claim's text it shares more words
    with."""
    own = QUOTED_RE.sub(" ", claim.title or "")
    guessed = guess_lang(own)
    if guessed or len(claim.text) < 2:
        return guessed
    words = set(fold(own).split())
    shared = sorted(((len(words & set(fold(text).split())), lang) for lang, text in claim.text.items()), reverse=True)
    return shared[0][1] if shared[0][0] > shared[1][0] else None


def render_stats(stats: Stats, base: ClaimBase, changes: int, lang: str, *, keep_days: int | None,
                 pending: int = 0) -> Reply:
    claims = base.store.all()
    active = sum(c.active for c in claims)
    inferred = sum(c.link == "inferred" for c in claims if c.active)
    total = stats.total or 1
    parts = [tm(lang, "stats_head", days=tn(lang, "n_last_days", stats.days)),
             tm(lang, "stats_base", active=tn(lang, "n_active", active),
                explicit=tn(lang, "n_explicit", active - inferred), inferred=tn(lang, "n_inferred", inferred),
                retired=tn(lang, "n_retired", len(claims) - active), changes=tn(lang, "n_recorded", changes)),
             *([tm(lang, "stats_pending", changes=tn(lang, "n_pending", pending))] if pending else []),
             tm(lang, "stats_questions", total=stats.total, answer=_pct(stats.outcomes["answer"], total),
                suggest=_pct(stats.outcomes["suggest"], total), none=_pct(stats.outcomes["none"], total),
                up=stats.up, down=stats.down)]
    busy = [(day, count) for day, count in stats.per_day if count]  # a day without questions says nothing
    parts.append(tm(lang, "per_day" if busy else "per_day_none"))
    if len(busy) > MAX_DAYS_LISTED:
        parts.append(tm(lang, "per_day_earlier", days=tn(lang, "n_earlier_days", len(busy) - MAX_DAYS_LISTED)))
    peak = max((n for _, n in busy), default=0) or 1
    for day, count in busy[-MAX_DAYS_LISTED:]:
        parts.append(f"<code>{esc(day)} {count:>4} {'▇' * round(12 * count / peak)}</code>")
    if stats.top_claims:
        parts.append(tm(lang, "top_claims"))
        parts.extend(f"  {n}× <code>{esc(cid)}</code>" for cid, n in stats.top_claims)
    if stats.top_unmatched:
        parts.append(tm(lang, "top_unmatched"))
        parts.extend(f"  {g.count}× « {esc(shorten(g.text, 120))} »" for g in stats.top_unmatched)
    return Reply(fit(parts, retention_line(keep_days, lang)))


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
