"""Four eyes for explicit links: /pending lists the changes waiting for a second moderator, its ✅ / ✖ buttons
approve or reject one, /reject <n> [reason] rejects with a reason. The work is done in knowledge/approval.py."""

from __future__ import annotations

import contextlib
import logging

from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from knowledge.approval import ProposalRefused
from knowledge.audit import ADD, EDIT
from knowledge.model import claim_from_dict
from knowledge.text import whole_number

from ..i18n_mod import tm, tn
from ..moderators import moderators_only
from ..render import Reply, esc, render_claim, shorten
from ..render_mod import moderator_name, render_done, render_pending_list, render_pending_one
from ..services import services
from .common import send
from .mod_common import base_of, curator, mod_lang, rest_of, say_key, send_notices_later, user_id, who_to_tell
from .replies import LANG_KEY

log = logging.getLogger(__name__)
APPROVE, REJECT = "pa:y:", "pa:n:"


def pending_number(text: str) -> int | None:
    """The number of a pending change as moderators type it: 3, P3, p3 or #3."""
    return whole_number(text.strip().lstrip("#").lstrip("Pp"))


@moderators_only
async def pending_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/pending: the changes waiting for a second moderator; /pending <n>: one in full, open or decided."""
    args, lang, moderation = context.args or [], mod_lang(update, context), curator(context)
    if not args:
        waiting = [(p, moderation.outdated(p)) for p in moderation.proposals()]
        await send(update, context, render_pending_list(waiting, lang))
        return
    number = pending_number(args[0]) if len(args) == 1 else None
    pending = moderation.proposal(number) if number is not None else None
    if pending is None:
        await say_key(update, context, "approve_unknown" if number is not None else "usage_pending",
                      **({"id": number} if number is not None else {}))
        return
    card = None
    if pending.action in (ADD, EDIT) and len(pending.changes) == 1 and pending.changes[0].after is not None:
        card = render_claim(base_of(context), claim_from_dict(pending.changes[0].after, stored=True), lang)
    outdated = moderation.outdated(pending) if pending.open else []
    await send(update, context, render_pending_one(pending, outdated, lang, card))


@moderators_only
async def approve_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """pa:y:<n>:<token>: apply pending change n as proposed, unless its author taps it or a claim changed since."""
    query = update.callback_query
    number, token = _button(query.data or "", APPROVE)
    lang, reviewer = mod_lang(update, context), user_id(update)
    try:
        entry = curator(context).approve(number, reviewer, token=token, backup_dir=services(context).settings.backups)
    except ProposalRefused as exc:
        await _refused(update, context, exc)
        return
    await query.answer()
    await _drop_buttons(update, number)
    pending = curator(context).proposal(number)
    author = moderator_name(entry.moderator, entry.via, lang)
    log.info("moderation: change P%s by user %s approved by user %s as change #%s", number, entry.moderator,
             reviewer, entry.id)
    found = who_to_tell(update, context, entry)
    extra = [tm(lang, "approved_extra", author=esc(author), id=number, who=esc(moderator_name(reviewer, "", lang)))]
    if found:
        extra.append(tm(lang, "telling", people=tn(lang, "n_people", len(found)),
                        days=tn(lang, "n_days", services(context).settings.correction_notice_days)))
    await send(update, context, render_done(entry, lang, extra))
    send_notices_later(context, found)
    if pending is not None and pending.origin:  # an /add from the review queue: its questions are answered now
        services(context).questions.resolve(list(pending.origin), reviewer, f"added:{entry.changes[0].claim_id}")
    await _tell_author(context, entry.moderator, reviewer, "author_approved", lang, id=number, entry=entry.id)


@moderators_only
async def reject_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """pa:n:<n>:<token>: close pending change n unapplied, without a reason (/reject <n> <reason> gives one)."""
    number, token = _button(update.callback_query.data or "", REJECT)
    await _reject(update, context, number, "", token)


@moderators_only
async def reject_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/reject <n> [reason]."""
    args = context.args or []
    number = pending_number(args[0]) if args else None
    if number is None:
        await say_key(update, context, "usage_reject")
        return
    await _reject(update, context, number, rest_of(update, 1), None)


async def _reject(update: Update, context: ContextTypes.DEFAULT_TYPE, number: int, reason: str,
                  token: str | None) -> None:
    lang, reviewer = mod_lang(update, context), user_id(update)
    try:
        pending = curator(context).reject(number, reviewer, reason, token=token)
    except ProposalRefused as exc:
        await _refused(update, context, exc)
        return
    if update.callback_query is not None:
        await update.callback_query.answer()
        await _drop_buttons(update, number)
    log.info("moderation: change P%s by user %s rejected by user %s", number, pending.author, reviewer)
    why = tm(lang, "reason", reason=esc(shorten(pending.reason, 500))) if pending.reason else ""
    await say_key(update, context, "rejected_done", id=number, reason=why,
                  author=esc(moderator_name(pending.author, pending.via, lang)))
    await _tell_author(context, pending.author, reviewer, "author_rejected", lang, id=number, reason=why)


def _button(data: str, prefix: str) -> tuple[int, str]:
    number, _, token = data[len(prefix):].partition(":")
    return whole_number(number) or 0, token


async def _refused(update: Update, context: ContextTypes.DEFAULT_TYPE, exc: ProposalRefused) -> None:
    """Why nothing changed: an alert under a tapped button (the buttons stay), else a reply; a proposal whose
    claims changed since gets a message either way, naming them."""
    lang = mod_lang(update, context)
    if exc.why == "outdated":
        if update.callback_query is not None:
            await update.callback_query.answer()
        ids = ", ".join(f"<code>{esc(i)}</code>" for i in exc.claims[:10])
        await say_key(update, context, "approve_outdated", ids=ids, id=exc.pending_id)
        return
    status = ""
    if exc.why == "decided":
        decided = curator(context).proposal(exc.pending_id)
        status = decided.status if decided is not None else "open"
        status = tm(lang, f"status_{status}")
    key = {"own": "approve_own", "stale": "approve_stale", "decided": "approve_decided"}.get(exc.why, "approve_unknown")
    text = tm(lang, key, id=exc.pending_id, status=esc(status))
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    else:
        await send(update, context, Reply(text))


async def _drop_buttons(update: Update, number: int) -> None:
    """Take the decided change's ✅ / ✖ off the message the tap came from; the others' stay."""
    query = update.callback_query
    markup = getattr(query.message, "reply_markup", None) if query is not None else None
    if markup is None:
        return
    mine = (f"{APPROVE}{number}:", f"{REJECT}{number}:")
    rows = [row for row in markup.inline_keyboard if not any(str(b.callback_data or "").startswith(mine) for b in row)]
    with contextlib.suppress(TelegramError):
        await query.edit_message_reply_markup(InlineKeyboardMarkup(rows) if rows else None)


async def _tell_author(context: ContextTypes.DEFAULT_TYPE, author: int | None, reviewer: int, key: str,
                       lang: str, **values: object) -> None:
    """Tell the author, in private, what became of their change (not when they decided it themselves): in their
    /lang choice, else the reviewer's language."""
    if author is None or author == reviewer:
        return
    chosen = (context.application.user_data.get(author) or {}).get(LANG_KEY) or lang
    text = tm(chosen, key, who=esc(moderator_name(reviewer, "", chosen)), **values)
    try:
        await context.bot.send_message(author, text, parse_mode=ParseMode.HTML)
    except TelegramError as exc:
        log.info("moderation: the author of a pending change was not told (%s)", exc.__class__.__name__)
