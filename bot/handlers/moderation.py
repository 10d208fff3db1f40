"""Moderators' one-step commands, the review queue's buttons, 👍/👎 feedback, and where it is all registered.

Thin handlers: the work is done in knowledge.audit, importing and review; the step-by-step changes
(/add, /edit, /import) are in mod_flows.py.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone

from telegram import BotCommand, BotCommandScopeChat, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import Application, BaseHandler, CallbackQueryHandler, CommandHandler, ContextTypes

from knowledge.edits import ChangeRefused
from knowledge.io import dump_claims
from knowledge.review import compute_stats, group_like, group_of, resolutions, review_queue
from knowledge.text import whole_number

from ..i18n_mod import tm, tn
from ..moderators import moderators_only
from ..render import esc, shorten
from ..render_mod import render_candidates, render_help, render_history, render_stats, render_unmatched, user_text
from ..services import KEY, services
from ..settings import Settings
from .common import reply_lang, send
from . import mod_approval
from .mod_common import (MAX_DAYS, apply_change, base_of, curator, days_arg, mod_lang, rest_of, say_key, tapped,
                         user_id)
from .mod_flows import COMMAND_MESSAGE, conversations, not_yours

log = logging.getLogger(__name__)


# --- one-step commands ----------------------------------------------------------------------------

@moderators_only
async def mod_help(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/modhelp: the moderator commands, and how many changes wait for a second moderator."""
    waiting = len(curator(context).proposals())
    await send(update, context, render_help(mod_lang(update, context), waiting,
                                            services(context).settings.explicit_needs_second_moderator))


@moderators_only
async def alias_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/alias <id> <phrase>."""
    args, phrase = context.args or [], rest_of(update, 1)
    if not args or not phrase:
        await say_key(update, context, "usage_alias")
        return
    entry = await apply_change(update, context, lambda c, uid: c.add_alias(args[0], phrase, uid))
    questions = services(context).questions
    group = group_like(questions, phrase) if entry is not None else None
    if group is not None:  # the phrase came from the review queue: it is dealt with
        questions.resolve(group.qids, user_id(update), f"alias:{entry.changes[0].claim_id}")


@moderators_only
async def link_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/link <id> <rests-on-id>."""
    args = context.args or []
    if len(args) != 2:
        await say_key(update, context, "usage_link")
        return
    await apply_change(update, context, lambda c, uid: c.link(args[0], args[1], uid))


@moderators_only
async def retire_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/retire <id> <reason>."""
    args, reason = context.args or [], rest_of(update, 1)
    if not args or not reason:
        await say_key(update, context, "usage_retire")
        return
    await apply_change(update, context, lambda c, uid: c.retire(args[0], reason, uid))


@moderators_only
async def restore_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/restore <id>."""
    args = context.args or []
    if len(args) != 1:
        await say_key(update, context, "usage_restore")
        return
    await apply_change(update, context, lambda c, uid: c.restore(args[0], uid))


@moderators_only
async def undo_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/undo <change-id>."""
    args = context.args or []
    number = whole_number(args[0].lstrip("#")) if len(args) == 1 else None
    if number is None:
        await say_key(update, context, "usage_undo")
        return
    await apply_change(update, context, lambda c, uid: c.undo(number, uid))


@moderators_only
async def history_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/history <id>."""
    args = context.args or []
    if len(args) != 1:
        await say_key(update, context, "usage_history")
        return
    lang, moderation = mod_lang(update, context), curator(context)
    try:
        claim_id, gone = moderation.claim(args[0]).id, None
    except ChangeRefused:  # a claim no longer in the base (an undone /add) still has its history
        wanted = args[0].strip().lower()
        entries = [e for e in moderation.entries() for c in e.changes if c.claim_id.lower() == wanted]
        if not entries:  # nothing was being changed: no "Not changed"
            await say_key(update, context, "no_such_claim", id=esc(shorten(args[0], 64)))
            return
        claim_id = next(c.claim_id for c in entries[-1].changes if c.claim_id.lower() == wanted)
        gone = entries[-1]
    proposals = [p for p in moderation.proposals(everything=True) if p.touches(claim_id)]
    await send(update, context, render_history(claim_id, moderation.history(claim_id), lang, proposals, gone=gone))


@moderators_only
async def export_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/export [json]: the whole base as a document."""
    kind = "json" if context.args and context.args[0].lower() == "json" else "yaml"
    claims = base_of(context).store.all()
    active = sum(c.active for c in claims)
    now = datetime.now(timezone.utc)
    stamp = now.strftime("%Y%m%d-%H%M%S")  # two exports a minute apart: two names
    lang = mod_lang(update, context)
    await context.bot.send_document(
        update.effective_chat.id, document=dump_claims(claims, kind, exported_at=now).encode("utf-8"),
        filename=f"claims-{stamp}.{kind}",
        caption=tm(lang, "export_caption", claims=tn(lang, "n_claims", len(claims)),
                   active=tn(lang, "n_active_short", active), retired=tn(lang, "n_retired", len(claims) - active)),
        parse_mode=ParseMode.HTML)


@moderators_only
async def unmatched_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/unmatched [days]: the review queue."""
    days = days_arg(context.args, 30)
    if days is None:
        await say_key(update, context, "usage_unmatched", max=MAX_DAYS)
        return
    questions = services(context).questions
    reply = render_unmatched(review_queue(questions, days=days), days, mod_lang(update, context),
                             keep_days=questions.keep_days)
    await send(update, context, reply)


@moderators_only
async def stats_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/stats [days]."""
    days = days_arg(context.args, 14)
    if days is None:
        await say_key(update, context, "usage_stats", max=MAX_DAYS)
        return
    svc = services(context)
    stats = compute_stats(svc.questions, days=days)
    await send(update, context, render_stats(stats, svc.base, svc.base.store.audit_head(), mod_lang(update, context),
                                             keep_days=svc.questions.keep_days, pending=len(curator(context).proposals())))


async def nothing_to_cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/cancel outside a conversation."""
    await say_key(update, context, "nothing_to_cancel")


# --- the review queue's buttons -------------------------------------------------------------------

@moderators_only
async def queue_alias_choices(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """un:a:<qid>: which claim should the question become an alias of?"""
    qid = (await tapped(update, clear=False))[5:]
    svc = services(context)
    group = group_of(svc.questions, qid)
    if group is None:
        await say_key(update, context, "question_gone")
        return
    lang = mod_lang(update, context)
    found = [m.claim for m in svc.base.search(group.text, top=5).matches]
    answered = [c for c in (svc.base.get(i) for i in group.claims) if c is not None]
    candidates = list({c.id: c for c in [*answered, *found]}.values())[:5]
    await send(update, context, render_candidates(group, candidates, lang))


@moderators_only
async def queue_set_alias(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """un:s:<qid>:<claim id>: attach the question as an alias; the group leaves the queue."""
    qid, _, claim_id = (await tapped(update))[5:].partition(":")
    questions = services(context).questions
    group = group_of(questions, qid)
    if group is None:
        await say_key(update, context, "question_gone")
        return
    entry = await apply_change(update, context, lambda c, uid: c.add_alias(claim_id, group.text, uid))
    if entry is not None:
        questions.resolve(group.qids, user_id(update), f"alias:{entry.changes[0].claim_id}")


@moderators_only
async def queue_dismiss(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """un:x:<qid>: take the group off the queue (off-topic, spam, answered elsewhere)."""
    qid = (await tapped(update, clear=False))[5:]
    questions = services(context).questions
    group = group_of(questions, qid)
    if group is None:
        await say_key(update, context, "question_gone")
        return
    done = resolutions(questions, group.qids)
    left = [qid for qid in group.qids if qid not in done]
    if not left:  # a second tap, or dealt with otherwise since the list was shown: nothing more is written
        how, _, claim_id = (done.get(group.key) or next(iter(done.values()))).value.partition(":")
        key = {"alias": "already_alias", "added": "already_added"}.get(how, "already_dismissed")
        await say_key(update, context, key, text=esc(shorten(group.text, 200)), id=esc(claim_id))
        return
    questions.resolve(left, user_id(update), "dismissed")
    await say_key(update, context, "dismissed", text=esc(shorten(group.text, 200)),
                  questions=tn(mod_lang(update, context), "n_questions", len(left)))


async def feedback_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """fb:u|d:<qid>: anyone's 👍/👎 on a reply; 👎 puts the question in the review queue."""
    query = update.callback_query
    data = query.data or ""
    up, qid = data[3:4] == "u", data[5:]
    services(context).questions.vote(qid, up, update.effective_user.id if update.effective_user else None)
    lang = reply_lang(update, context)  # for a tap: the language of the card it is on
    await query.answer(user_text(lang, "thanks_up" if up else "thanks_down"))
    markup = getattr(query.message, "reply_markup", None)
    if markup is not None:
        rows = [row for row in markup.inline_keyboard
                if not any(str(b.callback_data or "").startswith("fb:") for b in row)]
        try:
            await query.edit_message_reply_markup(InlineKeyboardMarkup(rows) if rows else None)
        except TelegramError:
            pass


async def expired_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button of a finished, timed-out or someone else's conversation."""
    data, tapper = update.callback_query.data or "", update.effective_user
    key = not_yours(data, tapper.id if tapper else None) or "step_over"
    await update.callback_query.answer(tm(mod_lang(update, context), key), show_alert=True)


# --- registration -------------------------------------------------------------------------------------

MOD_COMMANDS = {
    "en": [("add", "New claim, step by step"), ("edit", "Change a claim"), ("alias", "Add an alias"),
           ("link", "Add what a claim rests on"), ("retire", "Retire a claim"), ("restore", "Restore a claim"),
           ("history", "Changes to a claim"), ("undo", "Undo a change"), ("export", "The base as a file"),
           ("import", "Import a claim file"), ("pending", "Changes waiting for a second moderator"),
           ("reject", "Reject a pending change"), ("unmatched", "Questions to review"), ("stats", "Stats"),
           ("cancel", "Stop a step-by-step change"), ("modhelp", "Moderator commands")],
    "fr": [("add", "Nouvelle affirmation, pas à pas"), ("edit", "Modifier une affirmation"),
           ("alias", "Ajouter un alias"), ("link", "Ajouter ce sur quoi repose une affirmation"),
           ("retire", "Retirer une affirmation"), ("restore", "Restaurer une affirmation"),
           ("history", "Modifications d'une affirmation"), ("undo", "Annuler une modification"),
           ("export", "La base dans un fichier"), ("import", "Importer un fichier d'affirmations"),
           ("pending", "Modifications en attente d'un second modérateur"),
           ("reject", "Refuser une modification en attente"),
           ("unmatched", "Questions à examiner"), ("stats", "Statistiques"),
           ("cancel", "Arrêter une modification pas à pas"), ("modhelp", "Commandes des modérateurs")],
}


async def register_commands(application: Application, user_commands: dict[str, list[tuple[str, str]]]) -> None:
    """Show the user and moderator commands in the moderators' chats, in English and, for a moderator whose
    Telegram is in French, in French (a chat the bot cannot reach is skipped)."""
    settings: Settings = application.bot_data[KEY].settings
    chats = [*sorted(settings.moderator_ids), *([settings.moderator_chat_id] if settings.moderator_chat_id else [])]
    for chat_id in chats:
        try:
            for lang, mod_commands in MOD_COMMANDS.items():
                commands = [BotCommand(name, text) for name, text in [*user_commands[lang], *mod_commands]]
                await application.bot.set_my_commands(commands, scope=BotCommandScopeChat(chat_id),
                                                      language_code=None if lang == "en" else lang)
        except TelegramError as exc:
            log.info("moderator commands not shown in chat %s (%s)", chat_id, exc.__class__.__name__)


def handlers(settings: Settings) -> list[BaseHandler]:
    """Every moderation handler, in order; register them before the private-chat text handler."""
    steps = conversations(settings)
    commands = {"modhelp": mod_help, "alias": alias_command, "link": link_command, "retire": retire_command,
                "restore": restore_command, "undo": undo_command, "history": history_command,
                "export": export_command, "unmatched": unmatched_command, "stats": stats_command,
                "cancel": nothing_to_cancel, "pending": mod_approval.pending_command,
                "reject": mod_approval.reject_command}
    return [
        *steps,
        *(CommandHandler(name, callback, filters=COMMAND_MESSAGE) for name, callback in commands.items()),
        CallbackQueryHandler(feedback_button, pattern=r"^fb:[ud]:"),
        CallbackQueryHandler(queue_alias_choices, pattern=r"^un:a:"),
        CallbackQueryHandler(queue_set_alias, pattern=r"^un:s:"),
        CallbackQueryHandler(queue_dismiss, pattern=r"^un:x:"),
        CallbackQueryHandler(mod_approval.approve_button, pattern=rf"^{mod_approval.APPROVE}"),
        CallbackQueryHandler(mod_approval.reject_button, pattern=rf"^{mod_approval.REJECT}"),
        CallbackQueryHandler(expired_button, pattern=r"^(add|ed|im):"),
    ]
