"""Inline mode: `@bot question` in any chat lists claim cards; choosing one sends the formatted claim."""

from __future__ import annotations

from telegram import (InlineKeyboardButton, InlineKeyboardMarkup, InlineQueryResultArticle, InlineQueryResultsButton,
                      InputTextMessageContent, Update)
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from knowledge.model import Claim
from knowledge.passages import search_text

from ..i18n_surfaces import ts
from ..render import render_claim, shorten
from ..render_surfaces import claim_headline, deep_link, inline_description, why_for
from ..services import services
from ..surfaces import surfaces
from .common import reply_lang
from .replies import NO_PREVIEW

MAX_CARDS = 10
CACHE_SECONDS = 300          # the base changes rarely; the language makes results personal
MIN_QUERY_CHARS = 2
HINT_ID, NONE_ID = "~hint", "~none"   # '~' is never in a claim id
HELP_START = "inline-help"


def claim_card(context: ContextTypes.DEFAULT_TYPE, claim: Claim, lang: str) -> InlineQueryResultArticle:
    base = services(context).base
    card = render_claim(base, claim, lang, why_for(context.bot.username))
    return InlineQueryResultArticle(
        id=claim.id,
        title=claim_headline(claim, lang, 120),
        description=inline_description(claim, lang),
        input_message_content=InputTextMessageContent(card.text, parse_mode=ParseMode.HTML,
                                                      link_preview_options=NO_PREVIEW),
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton(ts(lang, "open_in_bot"),
                                                                 url=deep_link(context.bot.username, claim.id))]]),
    )


def hint(context: ContextTypes.DEFAULT_TYPE, lang: str, query: str) -> InlineQueryResultArticle:
    """The single result of an empty or off-topic query: how to use inline mode."""
    bot = context.bot.username
    if query:
        result_id, title, description = (NONE_ID, ts(lang, "inline_none_title", query=shorten(query, 40)),
                                          ts(lang, "inline_none_desc"))
    else:
        result_id, title, description = HINT_ID, ts(lang, "inline_hint_title"), ts(lang, "inline_hint_desc", bot=bot)
    return InlineQueryResultArticle(
        id=result_id, title=title, description=description,
        input_message_content=InputTextMessageContent(ts(lang, "inline_hint_text", bot=bot)))


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Up to 10 claim cards for the query, best first; a hint when it is empty or matches nothing."""
    query = update.inline_query
    text = query.query.strip()
    lang = reply_lang(update, context, text or None)
    cards = []
    if len(text) >= MIN_QUERY_CHARS:
        least = surfaces(context).settings.inline_min_score
        matches = search_text(services(context).base, text, top=MAX_CARDS).matches
        cards = [claim_card(context, m.claim, lang) for m in matches if m.score >= least]
    await query.answer(
        cards or [hint(context, lang, text if len(text) >= MIN_QUERY_CHARS else "")],
        cache_time=CACHE_SECONDS,
        is_personal=True,
        button=InlineQueryResultsButton(ts(lang, "inline_button"), start_parameter=HELP_START),
    )


async def chosen_result(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """With inline feedback on in @BotFather: log which claim a query led to, for the moderators."""
    chosen = update.chosen_inline_result
    if chosen.result_id.startswith("~"):
        return
    services(context).questions.record(chosen.query, "answer", [chosen.result_id],
                                       user_id=chosen.from_user.id, chat_type="inline")
