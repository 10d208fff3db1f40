"""Who moderates: numeric user ids from settings, or members of the moderators' group. Never usernames."""

from __future__ import annotations

import functools
import html
import logging
import time
from typing import Any, Awaitable, Callable

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType, ParseMode
from telegram.error import TelegramError
from telegram.ext import ContextTypes, ConversationHandler

from .handlers.common import reply_lang
from .i18n_mod import tm
from .services import services

log = logging.getLogger(__name__)
MEMBERSHIP_TTL = 300.0  # seconds a getChatMember answer is trusted
CACHE_KEY = "moderator_membership"
MAX_CACHED = 10_000     # membership answers kept
MEMBER_STATUSES = {ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.MEMBER}
REFUSED, WRONG_CHAT = "refused", "wrong_chat"  # keys of bot/i18n_mod.py

Callback = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[Any]]


async def is_moderator(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """True for a user id in MODERATOR_IDS, or a member of MODERATOR_CHAT_ID (cached for a few minutes)."""
    user = update.effective_user
    if user is None or user.is_bot:
        return False
    settings = services(context).settings
    if user.id in settings.moderator_ids:
        return True
    if not settings.moderator_chat_id:
        return False
    cache: dict[int, tuple[bool, float]] = context.bot_data.setdefault(CACHE_KEY, {})
    known = cache.get(user.id)
    if known is not None and known[1] > time.monotonic():
        return known[0]
    try:
        member = await context.bot.get_chat_member(settings.moderator_chat_id, user.id)
        member_now = member.status in MEMBER_STATUSES or (
            member.status == ChatMemberStatus.RESTRICTED and bool(getattr(member, "is_member", False)))
    except TelegramError as exc:
        log.warning("moderation: cannot check user %s in the moderators' group (%s)", user.id,
                    exc.__class__.__name__)
        member_now = False
    if len(cache) >= MAX_CACHED:  # anyone can try a moderator command: expired answers go, then the oldest
        now = time.monotonic()
        for key in [k for k, (_, until) in cache.items() if until <= now]:
            del cache[key]
        while len(cache) >= MAX_CACHED:
            del cache[next(iter(cache))]
    cache[user.id] = (member_now, time.monotonic() + MEMBERSHIP_TTL)
    return member_now


def in_moderation_chat(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    chat = update.effective_chat
    return chat is not None and (chat.type == ChatType.PRIVATE or chat.id == services(context).settings.moderator_chat_id)


async def refuse(update: Update, context: ContextTypes.DEFAULT_TYPE, what: str, key: str = REFUSED) -> None:
    """Say no, briefly, in the asker's language; log who asked (ids only, never the message or any secret)."""
    user, chat = update.effective_user, update.effective_chat
    log.warning("moderation: refused %s for user %s in chat %s", what, user.id if user else None,
                chat.id if chat else None)
    text = tm(reply_lang(update, context), key)
    query = update.callback_query
    if query is not None:
        await query.answer(text, show_alert=True)
    elif chat is not None:
        await context.bot.send_message(chat.id, html.escape(text, quote=False), parse_mode=ParseMode.HTML)


def moderators_only(callback: Callback) -> Callback:
    """Run the callback for moderators in a private chat or the moderators' group; refuse anyone else."""

    @functools.wraps(callback)
    async def guarded(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Any:
        what = _what(update, callback)
        if not await is_moderator(update, context):
            await refuse(update, context, what)
            return ConversationHandler.END
        if not in_moderation_chat(update, context):
            await refuse(update, context, what, WRONG_CHAT)
            return ConversationHandler.END
        return await callback(update, context)

    return guarded


def _what(update: Update, callback: Callback) -> str:
    message = update.effective_message
    if update.callback_query is not None:
        return f"button {(update.callback_query.data or '')[:6]!r}"
    text = (message.text or message.caption or "") if message else ""
    if text.startswith("/"):
        return text.split()[0].split("@")[0][:32]
    return callback.__name__
