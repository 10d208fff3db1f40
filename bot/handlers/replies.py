"""Helpers of the handlers: the reply language, reply to one message, who is an admin, the question throttle."""

from __future__ import annotations

from typing import Any

from telegram import (Chat, ChatMember, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, Message,
                      Update, User)
from telegram.constants import ChatMemberStatus, ParseMode
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from ..i18n import language_of_reply, pick_lang
from ..limits import ALLOW, WARN
from ..render import Reply
from ..surfaces import surfaces
from ..render_surfaces import plain

ADMIN_STATUSES = (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)
LANG_KEY = "lang"  # user_data: the /lang choice
SEEN_LANG_KEY = "seen_lang"  # user_data: the language of the last question, kept only when nothing else fixes it
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
NO_PREVIEW_JSON = {"is_disabled": True}  # NO_PREVIEW.to_dict()


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in reply.buttons])


def send_options(reply: Reply, reply_to_id: int | None = None) -> dict[str, Any]:
    """The buttons, no link preview and the message replied to, as the Bot API's JSON (what keyboard(),
    NO_PREVIEW and ReplyParameters become): PTB's generic to_dict of those objects, built for each reply
    only to be turned back into this, cost more than the rest of a reply's handling."""
    options: dict[str, Any] = {"link_preview_options": NO_PREVIEW_JSON}
    if reply.buttons:  # keys in PTB's order (its objects' slots, sorted)
        options["reply_markup"] = {"inline_keyboard": [[{"callback_data": data, "text": label} for label, data in row]
                                                       for row in reply.buttons]}
    if reply_to_id is not None:
        options["reply_parameters"] = {"allow_sending_without_reply": True, "message_id": reply_to_id}
    return options


async def reply_to(context: ContextTypes.DEFAULT_TYPE, message: Message, reply: Reply) -> Message:
    """Send reply in message's chat (and forum topic) as a reply to message."""
    return await context.bot.send_message(
        chat_id=message.chat_id,
        text=reply.text,
        parse_mode=ParseMode.HTML,
        message_thread_id=message.message_thread_id if message.is_topic_message else None,
        api_kwargs=send_options(reply, message.message_id),
    )


def asker_id(message: Message) -> int | None:
    """Whom a question counts against: the user, or the chat an anonymous admin or channel speaks as."""
    if message.sender_chat is not None:
        return message.sender_chat.id
    return message.from_user.id if message.from_user else None


def reply_lang(update: Update, context: ContextTypes.DEFAULT_TYPE, question: str | None = None) -> str:
    """The user's /lang, else Telegram's language, else the question's; else, for a button, the language of the
    message it is on; else the language of the user's last question (set by question_lang); else English."""
    user = update.effective_user
    data = context.user_data if context.user_data is not None else {}
    remembered = data.get(SEEN_LANG_KEY)
    query = update.callback_query
    if question is None and query is not None and query.message is not None:
        shown = getattr(query.message, "text", None) or getattr(query.message, "caption", None)
        remembered = language_of_reply(shown) or remembered  # a tap carries no question
    return pick_lang(data.get(LANG_KEY), user.language_code if user else None, question, remembered)


async def question_allowed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Count one question against the asker; the first refusal in a minute gets a polite reply."""
    message = update.effective_message
    who = asker_id(message) if message is not None else None
    throttle = surfaces(context).throttle
    if who is None or throttle is None:
        return True
    verdict = throttle.check(who)
    if verdict == ALLOW:
        return True
    if verdict == WARN:
        await reply_to(context, message, plain(reply_lang(update, context, message.text or message.caption),
                                               "throttled"))
    return False


async def is_admin(context: ContextTypes.DEFAULT_TYPE, chat: Chat, user: User | None,
                   sender_chat: Chat | None = None) -> bool:
    """True for the group's owner and admins, checked with getChatMember; anonymous admins speak as the group."""
    if sender_chat is not None and sender_chat.id == chat.id:
        return True
    if user is None:
        return False
    try:
        member: ChatMember = await context.bot.get_chat_member(chat.id, user.id)
    except TelegramError:
        return False
    return member.status in ADMIN_STATUSES


async def bot_can_read(context: ContextTypes.DEFAULT_TYPE, chat: Chat) -> bool:
    """Whether the bot sees ordinary messages in chat: privacy mode off, or it is an admin there."""
    if context.bot.bot.can_read_all_group_messages:
        return True
    try:
        member = await context.bot.get_chat_member(chat.id, context.bot.id)
    except TelegramError:
        return False
    return member.status in ADMIN_STATUSES
