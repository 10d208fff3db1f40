"""Private chat: /start, /help, /ask, plain questions, /claim, /why, /lang and suggestion buttons."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from ..i18n import SUPPORTED, normalize_lang, t
from ..i18n_mod import tm
from ..moderators import is_moderator
from ..render import Reply, esc, feedback_row, parse_claim_callback, render_claim, render_why
from ..render_surfaces import START_REF, claim_of_payload
from ..services import services
from .common import LANG_KEY, answer_question, reply_lang, send

EXAMPLE_ID = "mali-cuts-ties-with-ukraine"
ELSEWHERE = {"settings": "in_groups_settings", "check": "in_groups_check", "optin": "in_channels",
             "optout": "in_channels"}  # commands of groups and channels: what each gets in private


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet, or open the claim named by a deep-link payload (claim-<id> or cref-<digest>)."""
    if context.args:
        claim_id, claim = claim_of_payload(services(context).base, context.args[0])
        if claim is None and context.args[0].startswith(START_REF):  # a digest, no id to show
            await send(update, context, Reply(esc(t(reply_lang(update, context), "unknown_link"))))
            return
        if claim_id is not None:
            await _show(update, context, claim.id if claim else claim_id, why=False)
            return
    lang = reply_lang(update, context)
    await send(update, context, Reply(t(lang, "start") + t(lang, "help")))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Explain what the bot does and how to ask."""
    await send(update, context, Reply(t(reply_lang(update, context), "help")))


async def privacy_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/privacy: what the bot keeps of questions, and for how long."""
    lang = reply_lang(update, context)
    days = services(context).questions.keep_days
    kept = t(lang, "privacy_forever") if days is None else t(lang, "privacy_days", days=days)
    await send(update, context, Reply(t(lang, "privacy", kept=kept)))


async def ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/ask <question>."""
    question = " ".join(context.args or []).strip()
    if not question:
        await send(update, context, Reply(esc(t(reply_lang(update, context), "ask_usage"))))
        return
    await answer_question(update, context, question)


async def text_question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A plain message is a question."""
    message = update.effective_message
    question = (message.text or message.caption or "").strip() if message else ""
    if not question:
        await send(update, context, Reply(t(reply_lang(update, context), "not_text")))
        return
    await answer_question(update, context, question)


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A file, photo, sticker or voice message: a moderator's file gets how to import it; a reader's caption is
    a question, and no caption gets that only text is read."""
    message = update.effective_message
    if message.document is not None and await is_moderator(update, context):
        await send(update, context, Reply(tm(reply_lang(update, context), "file_without_import")))
        return
    if message.caption and message.caption.strip():
        await text_question(update, context)
        return
    key = "not_a_file" if message.document is not None else "not_text"
    await send(update, context, Reply(esc(t(reply_lang(update, context), key))))


async def claim_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/claim <id> (words after the id are left aside, as in groups)."""
    await _show(update, context, next(iter(context.args or []), ""), why=False)


async def why_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/why <id>: the chain an inferred claim rests on."""
    await _show(update, context, next(iter(context.args or []), ""), why=True)


async def lang_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/lang fr|en."""
    choice = (context.args[0].lower() if context.args else "")
    if choice not in SUPPORTED:  # say what decides the language now, in pick_lang's order
        lang = reply_lang(update, context)
        user = update.effective_user
        chosen = normalize_lang(context.user_data.get(LANG_KEY) if context.user_data is not None else None)
        app_lang = normalize_lang(user.language_code if user else None)
        if chosen or app_lang:
            key = "lang_usage_chosen" if chosen else "lang_usage_telegram"
            usage = t(lang, key, lang=t(lang, f"lang_name_{chosen or app_lang}"))
        else:
            usage = t(lang, "lang_usage_auto")
        await send(update, context, Reply(esc(usage)))
        return
    context.user_data[LANG_KEY] = choice
    await send(update, context, Reply(t(choice, "lang_set")))


async def suggestion_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A tap on a 'did you mean' button opens that claim."""
    query = update.callback_query
    await query.answer()
    qid, claim_id = parse_claim_callback(query.data or "")
    await _show(update, context, claim_id, why=False, feedback_on=qid)


async def _show(update: Update, context: ContextTypes.DEFAULT_TYPE, claim_id: str, *, why: bool,
                feedback_on: str | None = None) -> None:
    """Send one claim (or its chain); opened from a button, in the language of the suggestions tapped (see
    reply_lang); with 👍/👎 on question feedback_on."""
    lang = reply_lang(update, context)
    claim_id = claim_id.strip()
    if not claim_id:
        await send(update, context, Reply(esc(t(lang, "why_usage" if why else "claim_usage", example=EXAMPLE_ID))))
        return
    base = services(context).base
    claim = base.find_id(claim_id)
    if claim is None:
        await send(update, context, Reply(t(lang, "unknown_id", id=f"<code>{esc(claim_id[:64])}</code>")))
        return
    reply = render_why(base, claim, lang) if why else render_claim(base, claim, lang)
    if feedback_on:
        reply.buttons.append(feedback_row(feedback_on))
    await send(update, context, reply)


async def elsewhere_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/settings, /check, /optin or /optout in private: where the command works instead."""
    command = (update.effective_message.text or "").split(maxsplit=1)[0][1:].partition("@")[0].lower()
    text = t(reply_lang(update, context), ELSEWHERE[command], command=f"/{command}",
             bot=esc(context.bot.username or "bot"))
    await send(update, context, Reply(text))


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A command the bot does not know: say so and point to /help (commands for other bots are not ours)."""
    command = (update.effective_message.text or "").split(maxsplit=1)[0]
    target = command.partition("@")[2]
    if target and target.lower() != (context.bot.username or "").lower():
        return
    await send(update, context, Reply(t(reply_lang(update, context), "unknown_command")))
