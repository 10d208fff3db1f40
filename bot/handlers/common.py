"""Helpers shared by the handlers: reply language, sending a Reply, answering a question."""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from knowledge.matcher import ANSWER
from knowledge.passages import search_text

from ..i18n import pick_lang
from ..render import Reply, feedback_row, render_result
from ..services import services
from .replies import NO_PREVIEW, keyboard, question_allowed, reply_to

log = logging.getLogger(__name__)
LANG_KEY = "lang"


def reply_lang(update: Update, context: ContextTypes.DEFAULT_TYPE, question: str | None = None) -> str:
    user = update.effective_user
    chosen = context.user_data.get(LANG_KEY) if context.user_data is not None else None
    return pick_lang(chosen, user.language_code if user else None, question)


async def send(update: Update, context: ContextTypes.DEFAULT_TYPE, reply: Reply) -> Message:
    """Send a Reply to the chat of the update, as a reply to the user's message where there is one."""
    chat = update.effective_chat
    assert chat is not None
    message = update.effective_message
    if message is not None and update.callback_query is None:
        return await reply_to(context, message, reply)
    return await context.bot.send_message(chat_id=chat.id, text=reply.text, parse_mode=ParseMode.HTML,
                                          reply_markup=keyboard(reply), link_preview_options=NO_PREVIEW)


async def answer_question(update: Update, context: ContextTypes.DEFAULT_TYPE, question: str) -> None:
    """Look the question up, log it for the moderators, and reply."""
    if not await question_allowed(update, context):  # per-user throttle (bot/limits.py)
        return
    svc = services(context)
    lang = reply_lang(update, context, question)
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
