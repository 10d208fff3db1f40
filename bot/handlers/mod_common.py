"""What the moderators' handlers share: the domain objects, the moderator's drafts, replies in the moderator's
language (the same choice as for readers: /lang, else Telegram's language_code, else English), change notices."""

from __future__ import annotations

import logging
from typing import Any, Callable

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import ContextTypes, ConversationHandler

from knowledge.approval import Pending, ReviewingCurator
from knowledge.audit import AuditEntry
from knowledge.base import ClaimBase
from knowledge.edits import ChangeRefused
from knowledge.review import Notice, notices
from knowledge.storage import StoreChanged
from knowledge.text import whole_number

from ..i18n_mod import tm, tn
from ..render import Reply, esc
from ..render_mod import moderator_name, render_done, render_notice, render_pending_waiting, render_refused
from ..services import services
from ..i18n import pick_lang
from .common import NO_PREVIEW, send
from .replies import LANG_KEY, SEEN_LANG_KEY

log = logging.getLogger(__name__)
END = ConversationHandler.END
NOTICE_TASKS = "correction_notice_tasks"


# --- plumbing -------------------------------------------------------------------------------------

def curator(context: ContextTypes.DEFAULT_TYPE) -> ReviewingCurator:
    """The moderators' changes; with EXPLICIT_NEEDS_SECOND_MODERATOR, those that make a claim stated by its sources
    wait for a second moderator (knowledge/approval.py)."""
    settings = services(context).settings
    return ReviewingCurator(services(context).base, hold_stated=settings.explicit_needs_second_moderator)


def mod_lang(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """The moderator's language: /lang, else Telegram's language, else that of their last question, else English.
    Unlike a reader's tap, a moderator's never goes by the card it is on: 👁 shows a card as a reader of the
    other language sees it, and the conversation stays in the moderator's language."""
    user, data = update.effective_user, context.user_data or {}
    return pick_lang(data.get(LANG_KEY), user.language_code if user else None, None, data.get(SEEN_LANG_KEY))


def base_of(context: ContextTypes.DEFAULT_TYPE) -> ClaimBase:
    return services(context).base


def user_id(update: Update) -> int:
    assert update.effective_user is not None
    return update.effective_user.id


def message_text(update: Update) -> str:
    message = update.effective_message
    return (message.text or "").strip() if message else ""


def rest_of(update: Update, words: int) -> str:
    """The message text after the command and `words` more words, spacing kept."""
    parts = message_text(update).split(None, words + 1)
    return parts[words + 1].strip() if len(parts) > words + 1 else ""


MAX_DAYS = 3650


def days_arg(args: list[str] | None, default: int) -> int | None:
    """The [days] argument of /stats and /unmatched: default when absent, None when it is not one whole
    number from 1 to MAX_DAYS (the caller answers with its usage)."""
    if not args:
        return default
    days = whole_number(args[0]) if len(args) == 1 else None
    return days if days is not None and 1 <= days <= MAX_DAYS else None


def slot(update: Update, context: ContextTypes.DEFAULT_TYPE, name: str) -> dict[str, Any]:
    """A draft for this user in this chat (a moderator may have one /add in private and one in the group)."""
    chat = update.effective_chat
    return context.user_data.setdefault(f"{name}:{chat.id if chat else 0}", {})


async def busy_elsewhere(update: Update, context: ContextTypes.DEFAULT_TYPE, mine: str) -> bool:
    """True (and say so) when another step-by-step change is open in this chat."""
    chat = update.effective_chat
    other = next((n for n in ("add", "edit", "import") if n != mine
                  and context.user_data.get(f"{n}:{chat.id if chat else 0}")), None)
    if other is not None:
        await say_key(update, context, "busy_other", other=other)
    return other is not None


def drop(update: Update, context: ContextTypes.DEFAULT_TYPE, *names: str) -> None:
    chat = update.effective_chat
    for name in names:
        context.user_data.pop(f"{name}:{chat.id if chat else 0}", None)


async def say(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str,
               buttons: list[list[tuple[str, str]]] | None = None) -> None:
    await send(update, context, Reply(text, buttons or []))


async def say_key(update: Update, context: ContextTypes.DEFAULT_TYPE, key: str,
                  buttons: list[list[tuple[str, str]]] | None = None, **values: object) -> None:
    """Say the moderator string key (bot/i18n_mod.py) in the moderator's language; values already escaped."""
    await say(update, context, tm(mod_lang(update, context), key, **values), buttons)


async def tapped(update: Update, clear: bool = True) -> str:
    """Answer a button tap, take its keyboard away (no double taps) unless told not to, and give its data."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    if clear:
        try:
            await query.edit_message_reply_markup(None)
        except TelegramError:
            pass
    return query.data or ""


async def apply_change(update: Update, context: ContextTypes.DEFAULT_TYPE,
                       change: Callable[[ReviewingCurator, int], AuditEntry | Pending]) -> AuditEntry | Pending | None:
    """Make a change as this moderator; reply with what changed, that it waits for a second moderator (the
    Pending is returned), or why nothing changed (None)."""
    lang = mod_lang(update, context)
    try:
        entry = change(curator(context), user_id(update))
    except ChangeRefused as exc:
        await send(update, context, render_refused(str(exc), lang))
        return None
    except StoreChanged as exc:
        await store_changed(update, context, exc)
        return None
    if isinstance(entry, Pending):
        await tell_waiting(update, context, entry)
        return entry
    found = who_to_tell(update, context, entry)
    extra = [tm(lang, "telling", people=tn(lang, "n_people", len(found)),
                days=tn(lang, "n_days", services(context).settings.correction_notice_days))] if found else []
    if entry.action == "retire":
        extra += [tm(lang, "still_rests", id=esc(c.id)) for c in curator(context).dependents(
            entry.changes[0].claim_id)]
    await send(update, context, render_done(entry, lang, extra))
    send_notices_later(context, found)
    return entry


async def store_changed(update: Update, context: ContextTypes.DEFAULT_TYPE, exc: StoreChanged) -> None:
    """A save refused because another program wrote the store since the bot read it: logged, and the moderator
    told that nothing was saved and that the bot needs a restart."""
    who = update.effective_user.id if update.effective_user else None
    log.error("moderation: a change by user %s was not saved: %s", who, exc)
    await say_key(update, context, "store_changed")


async def tell_waiting(update: Update, context: ContextTypes.DEFAULT_TYPE, pending: Pending) -> None:
    """Tell the author their change waits; tell the moderators' group, when it was proposed elsewhere."""
    lang = mod_lang(update, context)
    await send(update, context, render_pending_waiting(pending, lang))
    log.info("moderation: change P%s by user %s waits for a second moderator", pending.id, pending.author)
    group = services(context).settings.moderator_chat_id
    chat = update.effective_chat
    if group and (chat is None or chat.id != group):
        text = tm(lang, "pending_to_group", id=pending.id,
                  who=esc(moderator_name(pending.author, pending.via, lang)))
        try:
            await context.bot.send_message(group, text, parse_mode=ParseMode.HTML)
        except TelegramError as exc:
            log.info("moderation: pending change P%s not announced in the moderators' group (%s)", pending.id,
                     exc.__class__.__name__)


def who_to_tell(update: Update, context: ContextTypes.DEFAULT_TYPE, entry: AuditEntry) -> list[Notice]:
    days = services(context).settings.correction_notice_days
    if days <= 0:
        return []
    return notices(entry, services(context).questions, days=days, exclude=[user_id(update)])


def send_notices_later(context: ContextTypes.DEFAULT_TYPE, found: list[Notice]) -> None:
    if not found:
        return
    task = context.application.create_task(_send_notices(context, found), name="correction-notices")
    tasks: set = context.bot_data.setdefault(NOTICE_TASKS, set())
    tasks.add(task)
    task.add_done_callback(tasks.discard)


async def _send_notices(context: ContextTypes.DEFAULT_TYPE, found: list[Notice]) -> None:
    """Tell each person about the claim they were shown; a person who blocked the bot is skipped."""
    base = base_of(context)
    for notice in found:
        claim = base.get(notice.claim_id)
        if claim is None:
            continue
        try:
            for reply in render_notice(base, claim, notice):
                await context.bot.send_message(notice.user_id, reply.text, parse_mode=ParseMode.HTML,
                                               link_preview_options=NO_PREVIEW)
        except TelegramError as exc:
            log.info("correction notice to user %s not sent (%s)", notice.user_id, exc.__class__.__name__)
