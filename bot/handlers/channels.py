"""Channels: /optin and /optout, and one context note under a post that strongly matches a claim.

A channel opts in when one of its admins posts /optin in it (only admins can post in a channel), or
when its id is listed in CHANNEL_OPT_IN; /optout stops the notes either way. The note goes under the
post's automatic copy in the linked discussion group (a comment) when the channel has one, else as a
reply in the channel; `/optin channel` keeps notes in the channel. One note per post at most; edited
posts never trigger one; channels that did not opt in get nothing.
"""

from __future__ import annotations

import logging

from telegram import Message, MessageOriginChannel, Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from knowledge.matcher import ANSWER
from knowledge.passages import search_text
from knowledge.text import guess_lang

from ..chats import ChatSettings
from ..i18n import DEFAULT_LANG
from ..i18n_surfaces import ts
from ..render import Reply, esc
from ..render_surfaces import context_note
from ..services import services
from ..surfaces import surfaces
from .replies import reply_to

log = logging.getLogger(__name__)
IN_CHANNEL_WORDS = frozenset({"channel", "here", "canal", "ici"})
LANG_WORDS = frozenset({"fr", "en"})


def opted_in(context: ContextTypes.DEFAULT_TYPE, channel_id: int, settings: ChatSettings) -> bool:
    if settings.channel_opt_in is not None:
        return settings.channel_opt_in
    return channel_id in surfaces(context).settings.channel_opt_in


async def linked_chat_id(context: ContextTypes.DEFAULT_TYPE, channel_id: int) -> int | None:
    """The channel's linked discussion group, from getChat; None when it has none or Telegram cannot say."""
    try:
        return (await context.bot.get_chat(channel_id)).linked_chat_id
    except TelegramError as exc:
        log.warning("getChat failed for a channel: %s", exc.__class__.__name__)
        return None


async def optin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/optin [channel] [fr|en], posted in the channel by one of its admins."""
    post = update.channel_post
    words = {w.lower() for w in context.args or []}
    if words - LANG_WORDS - IN_CHANNEL_WORDS or len(words & LANG_WORDS) > 1:  # a typo opts in to nothing
        settings = surfaces(context).chats.get(post.chat.id)
        await reply_to(context, post, Reply(esc(ts(settings.lang or DEFAULT_LANG, "optin_usage"))))
        return
    lang = next(iter(words & LANG_WORDS), None)
    linked = await linked_chat_id(context, post.chat.id)
    note_in = "channel" if linked is None or words & IN_CHANNEL_WORDS else "discussion"
    chats = surfaces(context).chats
    settings = chats.update(post.chat.id, channel_opt_in=True, note_in=note_in, linked_chat_id=linked,
                            lang=lang or chats.get(post.chat.id).lang)
    lang = settings.lang or DEFAULT_LANG
    where = ts(lang, "optin_where_discussion" if note_in == "discussion" else "optin_where_channel")
    await reply_to(context, post, Reply(esc(ts(lang, "optin_done", where=where))))


async def optout(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/optout, posted in the channel: no more notes."""
    post = update.channel_post
    settings = surfaces(context).chats.update(post.chat.id, channel_opt_in=False)
    await reply_to(context, post, Reply(esc(ts(settings.lang or DEFAULT_LANG, "optout_done"))))


async def on_post(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A new channel post: a note in the channel itself when that is where this channel's notes go."""
    post = update.channel_post
    chats = surfaces(context).chats
    settings = chats.get(post.chat.id)
    if not opted_in(context, post.chat.id, settings):
        return
    if settings.note_in is None:  # opted in by CHANNEL_OPT_IN: find out once where notes go
        linked = await linked_chat_id(context, post.chat.id)
        settings = chats.update(post.chat.id, note_in="channel" if linked is None else "discussion",
                                linked_chat_id=linked)
    if settings.note_in == "channel":
        await note(context, post, post.chat.id, post.message_id, settings)


async def on_discussion_copy(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A channel post's automatic copy in the linked discussion group: the note goes under it, as a comment."""
    copy = update.effective_message
    channel = copy.sender_chat
    if channel is None:
        return
    settings = surfaces(context).chats.get(channel.id)
    if not opted_in(context, channel.id, settings) or settings.note_in == "channel":
        return
    origin = copy.forward_origin
    post_id = origin.message_id if isinstance(origin, MessageOriginChannel) else copy.message_id
    await note(context, copy, channel.id, post_id, settings)


async def note(context: ContextTypes.DEFAULT_TYPE, target: Message, channel_id: int, post_id: int,
               settings: ChatSettings) -> None:
    """One context note per post, only on a strong match."""
    sf = surfaces(context)
    if sf.chats.was_noted(channel_id, post_id):
        return
    text = (target.text or target.caption or "").strip()
    if not text:
        return
    base = services(context).base
    result = search_text(base, text, top=2, thresholds=sf.settings.strong_thresholds)
    if result.outcome != ANSWER or result.best is None:
        return
    lang = settings.lang or guess_lang(text) or DEFAULT_LANG
    await reply_to(context, target, context_note(base, result.best.claim, lang, context.bot.username, post=True))
    sf.chats.mark_noted(channel_id, post_id)
