"""Groups: /ask, /check, replies to the bot, @mentions, admin /settings, auto-check, migrated group ids.

Silent unless asked: only a confident match gets a claim card; a likely one gets one line with a
deep link to private; a no-match gets one line only after an explicit /ask, /check or @mention.
Edited messages never trigger anything (the bot answers the message as first sent).
"""

from __future__ import annotations

import logging
from urllib.parse import parse_qs, urlsplit

from telegram import (Bot, BotCommand, BotCommandScopeAllChatAdministrators, BotCommandScopeAllGroupChats, Message,
                      MessageEntity, Update)
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from knowledge.matcher import ANSWER, NONE, SUGGEST
from knowledge.model import Claim
from knowledge.passages import search_text
from knowledge.text import fold, is_small_talk, whole_number

from ..i18n_surfaces import ts
from ..render import feedback_row, render_claim, render_why, shorten
from ..render_surfaces import (HOUR_CHOICES, SETTINGS_PREFIX, claim_of_payload, context_note, group_suggestion, plain,
                               settings_panel, why_for)
from ..services import services
from ..surfaces import surfaces
from .common import reply_lang
from .replies import bot_can_read, is_admin, keyboard, question_allowed, reply_to

log = logging.getLogger(__name__)
MIN_AUTO_CHECK_WORDS = 4
SHOW_WORDS = frozenset({"yes", "y", "ok", "okay", "sure", "show", "oui", "ouais", "voir", "montre", "1"})
WHY_WORDS = frozenset({"why", "how", "source", "sources", "pourquoi", "comment", "preuve", "proof"})


GROUP_COMMANDS = {
    "en": [("ask", "Look a claim up"), ("check", "Reply to a message to look up what it says"),
           ("why", "What an inferred claim rests on: an id, or reply to my card"),
           ("claim", "Show a claim: an id, or reply to my message"), ("help", "What this bot does here")],
    "fr": [("ask", "Chercher une affirmation"), ("check", "En réponse à un message : chercher ce qu'il affirme"),
           ("why", "Sur quoi repose une affirmation inférée : un identifiant, ou en réponse à ma fiche"),
           ("claim", "Afficher une affirmation : un identifiant, ou en réponse à mon message"),
           ("help", "Ce que fait ce bot ici")],
}
ADMIN_COMMANDS = {"en": [("settings", "Group settings (admins)")], "fr": [("settings", "Réglages du groupe (admins)")]}


async def set_group_commands(bot: Bot) -> None:
    """The command menu in groups; admins also see /settings."""
    for lang, commands in GROUP_COMMANDS.items():
        code = None if lang == "en" else lang
        await bot.set_my_commands([BotCommand(*c) for c in commands], scope=BotCommandScopeAllGroupChats(),
                                  language_code=code)
        await bot.set_my_commands([BotCommand(*c) for c in commands + ADMIN_COMMANDS[lang]],
                                  scope=BotCommandScopeAllChatAdministrators(), language_code=code)


def group_lang(update: Update, context: ContextTypes.DEFAULT_TYPE, question: str | None = None) -> str:
    """The group's reply language if its admins set one, else the asker's."""
    chat = update.effective_chat
    chosen = surfaces(context).chats.get(chat.id).lang if chat else None
    return chosen or reply_lang(update, context, question)


def command_rest(message: Message) -> str:
    """The text after the leading /command[@bot], newlines kept."""
    text = message.text or ""
    entity = message.entities[0] if message.entities else None
    cut = len(message.parse_entity(entity)) if entity and entity.type == MessageEntity.BOT_COMMAND else 0
    return text[cut:].strip()


def replied_to(message: Message) -> Message | None:
    """The message this one replies to; in a forum topic, the topic's opening service message does not count."""
    target = message.reply_to_message
    return None if target is None or target.forum_topic_created is not None else target


def message_text(message: Message) -> str:
    return (message.text or message.caption or "").strip()


async def answer_in_group(update: Update, context: ContextTypes.DEFAULT_TYPE, question: str, *,
                          explicit: bool) -> None:
    """Search with the group thresholds: a card when confident, one line when likely, one line or silence else."""
    svc, sf = services(context), surfaces(context)
    message = update.effective_message
    lang = group_lang(update, context, question)
    result = search_text(svc.base, question, top=3, thresholds=sf.settings.group_thresholds)
    user = update.effective_user
    asked = None
    if explicit or result.outcome != NONE:  # a "thanks" in reply to the bot is not a question
        asked = svc.questions.record(question, result.outcome, [m.id for m in result.matches],
                                     user_id=user.id if user else None, chat_type=update.effective_chat.type)
    if result.outcome == ANSWER and result.best is not None:
        card = render_claim(svc.base, result.best.claim, lang, why_for(context.bot.username))
        if asked is not None:
            card.buttons.append(feedback_row(asked.key))
        await reply_to(context, message, card)
    elif result.outcome == SUGGEST and result.best is not None:
        await reply_to(context, message, group_suggestion(result.best.claim, lang, context.bot.username,
                                                          other_numbers=result.best.other_numbers_from is not None))
    elif explicit:
        await reply_to(context, message, plain(lang, "none"))


async def answer_asked(update: Update, context: ContextTypes.DEFAULT_TYPE, question: str) -> None:
    """An explicit /ask or /check: counted against the asker's throttle, then answered (a "thanks" checked
    is no question: one line, and nothing for the review queue)."""
    if is_small_talk(question):
        await reply_to(context, update.effective_message, plain(group_lang(update, context, question), "none"))
        return
    if await question_allowed(update, context):
        await answer_in_group(update, context, question, explicit=True)


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/help@bot or /start@bot in a group: what the bot does here, in one short message."""
    await reply_to(context, update.effective_message,
                   plain(group_lang(update, context), "group_help", bot=context.bot.username))


async def ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/ask@bot <question>; a bare /ask in reply to a message checks that message."""
    message = update.effective_message
    question = command_rest(message)
    if not question and (replied_to(message) is not None or message.quote is not None):
        await check(update, context)
        return
    if is_small_talk(question):  # "/ask@bot hello" asks nothing either
        await reply_to(context, message, plain(group_lang(update, context), "ask_usage", bot=context.bot.username))
        return
    await answer_asked(update, context, question)


async def check(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/check@bot in reply to a message: look up its text or caption (or the quoted part of it)."""
    message = update.effective_message
    target = replied_to(message)
    quoted = message.quote.text if message.quote is not None else ""
    if target is None and not quoted:
        rest = command_rest(message)
        if rest:  # "/check <text>" works like /ask
            await answer_asked(update, context, rest)
            return
        await reply_to(context, message, plain(group_lang(update, context), "check_usage", bot=context.bot.username))
        return
    text = quoted or (message_text(target) if target is not None else "")
    if not text:
        await reply_to(context, message, plain(group_lang(update, context), "check_no_text"))
        return
    await answer_asked(update, context, text)


async def why_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/why@bot <id>, or /why@bot in reply to one of the bot's messages: the chain an inferred claim rests on."""
    await show_claim(update, context, why=True)


async def claim_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/claim@bot <id>, or /claim@bot in reply to one of the bot's messages: that claim's card."""
    await show_claim(update, context, why=False)


async def show_claim(update: Update, context: ContextTypes.DEFAULT_TYPE, *, why: bool) -> None:
    """The claim named after the command, else the one the replied-to bot message is about; counted against the
    asker's throttle like /ask; one usage line when neither names a claim."""
    message = update.effective_message
    lang = group_lang(update, context)
    bot_name = context.bot.username
    words = command_rest(message).split()
    target = replied_to(message)
    claim = None
    if words:
        claim = services(context).base.find_id(words[0])
    elif target is not None and target.from_user is not None and target.from_user.id == context.bot.id:
        claim = referenced_claim(context, target)  # None for a bot message about no claim ("no claim matches")
    if claim is None and not words:
        await reply_to(context, message, plain(lang, "why_usage" if why else "claim_usage", bot=bot_name))
        return
    if not await question_allowed(update, context):
        return
    if claim is None:
        await reply_to(context, message, plain(lang, "unknown_id", id=shorten(words[0], 64), bot=bot_name))
        return
    base = services(context).base
    reply = render_why(base, claim, lang) if why else render_claim(base, claim, lang, why_for(bot_name))
    await reply_to(context, message, reply)


async def on_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any other group message: a reply to the bot, an @mention of it, or (when enabled) an auto-check."""
    message = update.effective_message
    text = message_text(message)
    replied = replied_to(message)
    if replied is not None and replied.from_user is not None and replied.from_user.id == context.bot.id:
        await follow_up(update, context, replied, text)
        return
    mentioned, question = strip_mention(message, context.bot.username)
    if mentioned:
        if question and is_small_talk(question):  # "@bot thanks!": a group stays quiet
            return
        if question and await question_allowed(update, context):
            await answer_in_group(update, context, question, explicit=True)
        elif not question:
            await reply_to(context, message, plain(group_lang(update, context), "ask_usage", bot=context.bot.username))
        return
    await auto_check(update, context, message, text)


def strip_mention(message: Message, bot_username: str) -> tuple[bool, str]:
    """Whether the message @mentions the bot, and its text without that mention (entities count UTF-16 units)."""
    entities = message.parse_entities([MessageEntity.MENTION]) if message.text else \
        message.parse_caption_entities([MessageEntity.MENTION])
    text = message.text or message.caption or ""
    target = f"@{bot_username}".lower()
    for entity, value in entities.items():
        if value.lower() == target:
            utf16 = text.encode("utf-16-le")
            before = utf16[: 2 * entity.offset].decode("utf-16-le")
            after = utf16[2 * (entity.offset + entity.length):].decode("utf-16-le")
            return True, f"{before.strip()} {after.strip()}".strip(" ,:")
    return False, text


async def follow_up(update: Update, context: ContextTypes.DEFAULT_TYPE, bot_message: Message, text: str) -> None:
    """A reply to one of the bot's messages: 'yes' opens the claim it named, 'why' its chain, else a new question."""
    svc = services(context)
    claim = referenced_claim(context, bot_message)
    words = fold(text).split()
    if claim is not None and 0 < len(words) <= 3 and words[0] in SHOW_WORDS | WHY_WORDS:
        lang = group_lang(update, context, text)
        show_why = words[0] in WHY_WORDS and claim.link == "inferred"
        reply = (render_why(svc.base, claim, lang) if show_why
                 else render_claim(svc.base, claim, lang, why_for(context.bot.username)))
        await reply_to(context, update.effective_message, reply)
        return
    if not is_small_talk(text) and await question_allowed(update, context):  # "thanks" to the bot: quiet
        await answer_in_group(update, context, text, explicit=False)


def referenced_claim(context: ContextTypes.DEFAULT_TYPE, bot_message: Message) -> Claim | None:
    """The claim a bot message is about: its deep link (claim-<id>) or the id shown in code at its end."""
    base = services(context).base
    found: list[str] = []
    for entity, value in bot_message.parse_entities([MessageEntity.TEXT_LINK, MessageEntity.CODE]).items():
        if entity.type == MessageEntity.TEXT_LINK and entity.url:
            start = parse_qs(urlsplit(entity.url).query).get("start", [""])[0]
            claim_id, claim = claim_of_payload(base, start)
            if claim is not None:
                found.append(claim.id)
        elif entity.type == MessageEntity.CODE:
            found.append(value)
    for claim_id in reversed(found):
        claim = base.get(claim_id)
        if claim is not None:
            return claim
    return None


async def auto_check(update: Update, context: ContextTypes.DEFAULT_TYPE, message: Message, text: str) -> None:
    """When the group's admins turned it on: a strong match gets one note, once per claim per period."""
    sf = surfaces(context)
    chat = update.effective_chat
    settings = sf.chats.get(chat.id)
    if not settings.auto_check or len(fold(text).split()) < MIN_AUTO_CHECK_WORDS:
        return
    if message.via_bot is not None and message.via_bot.id == context.bot.id:
        return  # a claim card someone sent through inline mode
    if message.from_user is not None and message.from_user.is_bot and message.sender_chat is None:
        return
    base = services(context).base
    result = search_text(base, text, top=2, thresholds=sf.settings.strong_thresholds)
    if result.outcome != ANSWER or result.best is None:
        return
    hours = settings.auto_hours if settings.auto_hours is not None else sf.settings.auto_check_hours
    claim = result.best.claim
    if sf.chats.recently_answered(chat.id, claim.id, hours):
        return
    lang = settings.lang or reply_lang(update, context, text)
    await reply_to(context, message, context_note(base, claim, lang, context.bot.username, post=False))
    sf.chats.mark_answered(chat.id, claim.id, hours)


async def settings_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/settings: the group's admins get the settings panel; anyone else a short refusal."""
    message = update.effective_message
    chat = update.effective_chat
    lang = group_lang(update, context)
    if not await is_admin(context, chat, update.effective_user, message.sender_chat):
        await reply_to(context, message, plain(lang, "admins_only"))
        return
    sf = surfaces(context)
    settings = sf.chats.get(chat.id)
    can_read = await bot_can_read(context, chat) if settings.auto_check else True
    await reply_to(context, message, settings_panel(settings, lang, sf.settings.auto_check_hours, can_read))


async def settings_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A tap on the settings panel: checked against getChatMember again, then saved and shown."""
    query = update.callback_query
    chat = query.message.chat if query.message is not None else None
    lang = group_lang(update, context)
    if chat is None or chat.type not in (chat.GROUP, chat.SUPERGROUP):
        await query.answer()
        return
    if not await is_admin(context, chat, query.from_user):
        await query.answer(ts(lang, "admins_only"), show_alert=True)
        return
    changes = settings_change(query.data or "")
    if changes is None:
        await query.answer()
        return
    sf = surfaces(context)
    settings = sf.chats.update(chat.id, **changes)
    lang = settings.lang or lang
    can_read = await bot_can_read(context, chat) if settings.auto_check else True
    panel = settings_panel(settings, lang, sf.settings.auto_check_hours, can_read)
    try:
        await query.edit_message_text(panel.text, parse_mode=ParseMode.HTML, reply_markup=keyboard(panel))
    except BadRequest as exc:  # the same choice tapped twice ("not modified"), or a panel too old to edit
        log.info("settings panel not edited: %s", exc.message)
    await query.answer(ts(lang, "saved"))


def settings_change(data: str) -> dict[str, object] | None:
    """The ChatSettings changes a settings button asks for; None for anything unknown."""
    name, _, value = data.removeprefix(SETTINGS_PREFIX).partition(":")
    if name == "lang" and value in ("auto", "fr", "en"):
        return {"lang": None if value == "auto" else value}
    if name == "auto" and value in ("on", "off"):
        return {"auto_check": value == "on"}
    if name == "hours" and whole_number(value) in HOUR_CHOICES:
        return {"auto_hours": float(value)}
    return None


async def migrate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A group became a supergroup with a new id: its settings (and chat_data) move to the new id."""
    message = update.effective_message
    old = message.migrate_from_chat_id or message.chat.id
    new = message.migrate_to_chat_id or message.chat.id
    if surfaces(context).chats.move(old, new):
        log.info("chat settings moved to the migrated group id")
    if context.application.chat_data.get(old):
        context.application.migrate_chat_data(old_chat_id=old, new_chat_id=new)
