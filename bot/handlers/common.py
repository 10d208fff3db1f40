"""Helpers shared by the handlers: reply language, sending a Reply, answering a question."""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from knowledge.matcher import ANSWER
from knowledge.passages import search_text
from knowledge.text import is_small_talk

from ..i18n import guess_lang, normalize_lang, t
from ..render import Reply, feedback_row, render_result
from ..services import services
from .replies import (LANG_KEY, NO_PREVIEW, SEEN_LANG_KEY, question_allowed, reply_lang, reply_to,  # noqa: F401
                      send_options)

log = logging.getLogger(__name__)


def question_lang(update: Update, context: ContextTypes.DEFAULT_TYPE, question: str, *, weak: bool = False) -> str:
    """reply_lang for a question; when the question's language decides (no /lang, no usable Telegram language),
    it is remembered for the replies that carry no question: /help, button taps, a bare "Wagner?". A weak
    sign (a "merci" in an English conversation) is remembered only when nothing is yet."""
    lang = reply_lang(update, context, question)
    user = update.effective_user
    data = context.user_data
    if (data is not None and not normalize_lang(data.get(LANG_KEY))
            and not normalize_lang(user.language_code if user else None) and guess_lang(question)
            and not (weak and data.get(SEEN_LANG_KEY))):
        data[SEEN_LANG_KEY] = lang
    return lang


async def send(update: Update, context: ContextTypes.DEFAULT_TYPE, reply: Reply) -> Message:
    """Send a Reply to the chat of the update, as a reply to the user's message where there is one."""
    chat = update.effective_chat
    assert chat is not None
    message = update.effective_message
    if message is not None and update.callback_query is None:
        return await reply_to(context, message, reply)
    return await context.bot.send_message(chat_id=chat.id, text=reply.text, parse_mode=ParseMode.HTML,
                                          api_kwargs=send_options(reply))


async def answer_question(update: Update, context: ContextTypes.DEFAULT_TYPE, question: str) -> None:
    """Look the question up, log it for the moderators, and reply; a "hello" or "thanks" gets what the bot
    does instead, and is not a question for the moderators' review queue."""
    if not await question_allowed(update, context):  # per-user throttle (bot/limits.py)
        return
    svc = services(context)
    small_talk = is_small_talk(question)
    lang = question_lang(update, context, question, weak=small_talk)
    if small_talk:
        await send(update, context, Reply(t(lang, "small_talk")))
        return
    result = search_text(svc.base, question)  # long posts are searched passage by passage
    user = update.effective_user
    chat = update.effective_chat
    asked = svc.questions.record(question, result.outcome, [m.id for m in result.matches],
                                 user_id=user.id if user else None, chat_type=chat.type if chat else None,
                                 lang=lang, chat_id=chat.id if chat else None)
    reply = render_result(svc.base, result, lang, asked.key)
    if result.outcome == ANSWER:  # no-match and suggest-only questions are in the review queue already
        reply.buttons.append(feedback_row(asked.key))
    await send(update, context, reply)
