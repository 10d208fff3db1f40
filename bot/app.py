"""build_application: the one place where handlers are registered."""

from __future__ import annotations

import html
import logging

from telegram import BotCommand, BotCommandScopeAllPrivateChats, Update
from telegram.constants import ChatType
from telegram.ext import (Application, ApplicationBuilder, CallbackQueryHandler,
                          ChosenInlineResultHandler, CommandHandler, ContextTypes, InlineQueryHandler,
                          MessageHandler, TypeHandler, filters)
from telegram.request import BaseRequest

from knowledge.base import ClaimBase
from knowledge.questions import QuestionLog
from knowledge.storage import StoreChanged

from .handlers import channels, groups, inline, moderation, private
from .handlers.common import reply_lang, send
from .handlers.mod_common import store_changed
from .i18n import t
from .ingress import clean_update
from .limits import LAST_GROUP, trim_state
from .ordering import BoundedUpdateQueue, ChatOrderedProcessor
from .retry import TOKEN_WATCH, TokenWatch, configure_network, tell_user_of
from .offline import OFFLINE_TOKEN
from .render import Reply
from .services import KEY, Services
from .settings import Settings
from .surfaces import KEY as SURFACES_KEY, SurfaceServices

log = logging.getLogger(__name__)

COMMANDS = {
    "en": [("ask", "Look a claim up"), ("claim", "Show a claim by id"),
           ("why", "What an inferred claim rests on"), ("lang", "Reply language: fr or en"),
           ("privacy", "What I keep of your questions"), ("help", "What this bot does")],
    "fr": [("ask", "Chercher une affirmation"), ("claim", "Afficher une affirmation"),
           ("why", "Sur quoi repose une affirmation inférée"), ("lang", "Langue des réponses : fr ou en"),
           ("privacy", "Ce que je garde de vos questions"), ("help", "Ce que fait ce bot")],
}


async def register_commands(application: Application) -> None:
    """Register the command menu in English (default) and French."""
    scope = BotCommandScopeAllPrivateChats()
    for lang, commands in COMMANDS.items():
        await application.bot.set_my_commands(
            [BotCommand(name, text) for name, text in commands], scope=scope,
            language_code=None if lang == "en" else lang)
    await groups.set_group_commands(application.bot)  # surfaces
    await moderation.register_commands(application, COMMANDS)


class ClaimBotApplication(Application):
    """Registers the command menu when initialized: post_init would run only under run_polling and
    run_webhook, never for the console, --replay or `async with application`."""

    _menu_registered = False

    async def initialize(self) -> None:
        await super().initialize()
        if not self._menu_registered:  # set once done: a start-up retried after a failure registers it then
            await register_commands(self)
            self._menu_registered = True


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failure; tell the user something went wrong, without internals."""
    if isinstance(context.error, StoreChanged) and isinstance(update, Update) and update.effective_chat:
        try:  # a moderator's save that apply_change did not catch (/import's Apply)
            await store_changed(update, context, context.error)
        except Exception:
            log.warning("could not send the store-changed reply")
        return
    log.error("update failed: %s", context.error.__class__.__name__, exc_info=context.error)
    if (isinstance(update, Update) and update.effective_chat and update.effective_chat.type == ChatType.PRIVATE
            and tell_user_of(context.error)):  # not when Telegram is failing, or the answer may have arrived
        try:
            await send(update, context, Reply(html.escape(t(reply_lang(update, context), "error"))))
        except Exception:  # the error reply itself failed: logging is all that is left
            log.warning("could not send the error reply")


def build_application(settings: Settings, request: BaseRequest | None = None,
                      base: ClaimBase | None = None) -> Application:
    """The bot with every handler; request replaces the network (tests, console, replay)."""
    builder: ApplicationBuilder = (Application.builder().application_class(ClaimBotApplication)
                                   .token(settings.token or OFFLINE_TOKEN))
    watch = TokenWatch()
    if request is not None:
        builder = builder.request(request).get_updates_request(request).updater(None)
    else:
        builder = configure_network(builder, settings, watch)  # retries, flood limits, timeouts (bot/retry.py)
    builder = builder.concurrent_updates(ChatOrderedProcessor(settings.concurrent_updates))
    builder = builder.update_queue(BoundedUpdateQueue(settings.pending_updates, settings.pending_updates))
    application = builder.build()
    watch.application = application  # a token revoked while running stops the bot
    application.bot_data[TOKEN_WATCH] = watch
    questions = QuestionLog(settings.question_log, keep_days=settings.questions_keep_days)
    application.bot_data[KEY] = Services(
        base=base or ClaimBase.open(settings.db_path, backups=settings.backups),
        questions=questions,
        settings=settings,
    )
    questions.prune_if_due()  # at start, then at most once a day, checked as questions are appended

    # --- moderation (issue 4) -------------------------------------------------------------------
    # First, so that a moderator's step-by-step /add, /edit or /import gets its typed answers before the
    # private-chat question handler does. Rights are checked inside (bot/moderators.py).
    application.add_handlers(moderation.handlers(settings))
    # --- end moderation --------------------------------------------------------------------------

    private_chat = filters.ChatType.PRIVATE
    application.add_handlers([
        CommandHandler("start", private.start, filters=private_chat),
        CommandHandler("help", private.help_command, filters=private_chat),
        CommandHandler("ask", private.ask, filters=private_chat),
        CommandHandler("claim", private.claim_command, filters=private_chat),
        CommandHandler("why", private.why_command, filters=private_chat),
        CommandHandler("lang", private.lang_command, filters=private_chat),
        CommandHandler("privacy", private.privacy_command, filters=private_chat),
        CommandHandler(list(private.ELSEWHERE), private.elsewhere_command, filters=private_chat),
        CallbackQueryHandler(private.suggestion_button, pattern=r"^cq?:"),
        # files, photos, stickers: the cheap test first, since every text message goes through this filter
        MessageHandler((filters.Document.ALL | ~filters.TEXT & ~filters.CAPTION) & private_chat
                       & filters.UpdateType.MESSAGE & ~filters.StatusUpdate.ALL, private.not_text),
        MessageHandler(private_chat & (filters.TEXT | filters.CAPTION) & ~filters.COMMAND & ~filters.UpdateType.EDITED,
                       private.text_question),
    ])
    # --- surfaces: groups, channels, inline mode (issue 5) --------------------------------------------
    application.bot_data[SURFACES_KEY] = SurfaceServices.create(settings.surfaces, settings.db_path,
                                                                offline=request is not None)
    group_chat = filters.ChatType.GROUPS & ~filters.UpdateType.EDITED  # edits never trigger anything
    channel_post = filters.UpdateType.CHANNEL_POST                   # new posts only, not edits
    application.add_handlers([
        MessageHandler(filters.StatusUpdate.MIGRATE, groups.migrate),
        CommandHandler(["help", "start"], groups.help_command, filters=group_chat),
        CommandHandler("ask", groups.ask, filters=group_chat),
        CommandHandler("check", groups.check, filters=group_chat),
        CommandHandler("why", groups.why_command, filters=group_chat),
        CommandHandler("claim", groups.claim_command, filters=group_chat),
        CommandHandler("settings", groups.settings_command, filters=group_chat),
        CallbackQueryHandler(groups.settings_button, pattern=r"^gs:"),
        MessageHandler(group_chat & filters.IS_AUTOMATIC_FORWARD, channels.on_discussion_copy),
        MessageHandler(group_chat & (filters.TEXT | filters.CAPTION) & ~filters.COMMAND, groups.on_message),
        CommandHandler("optin", channels.optin, filters=channel_post),
        CommandHandler("optout", channels.optout, filters=channel_post),
        MessageHandler(channel_post & (filters.TEXT | filters.CAPTION) & ~filters.COMMAND, channels.on_post),
        InlineQueryHandler(inline.inline_query),
        ChosenInlineResultHandler(inline.chosen_result),
    ])
    # --- end surfaces ---------------------------------------------------------------------------------
    application.add_handler(  # last: only commands no handler above took
        MessageHandler(filters.ChatType.PRIVATE & filters.COMMAND & ~filters.UpdateType.EDITED,
                       private.unknown_command))
    # --- reliability (issue 6): before any handler, text that cannot be encoded is replaced ------------
    application.add_handler(TypeHandler(Update, clean_update), group=-1)
    application.add_handler(TypeHandler(Update, trim_state), group=LAST_GROUP)  # bounded per-user state
    application.add_error_handler(on_error)
    return application
