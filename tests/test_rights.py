"""Moderator rights come from numeric user ids (and the moderators' group) only. The moderator commands
and buttons are found in the Application's handlers, so a new one cannot be left out; each is refused
to every kind of non-moderator, changes nothing, and the refusal is logged."""

from __future__ import annotations

import itertools
import logging
import time

import pytest
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler

from bot.handlers.moderation import MOD_COMMANDS as MENU
from test_moderation import EXPLICIT_ID, GROUP, MOD, OTHER, harness, make_settings

ANONYMOUS_ADMIN = {"id": 1087968824, "is_bot": True, "first_name": "Group", "username": "GroupAnonymousBot"}
ARGS = {"edit": f"{EXPLICIT_ID} text.en Changed", "alias": f"{EXPLICIT_ID} a phrase", "retire": f"{EXPLICIT_ID} x",
        "link": f"article-thesis-ukraine-indirectly-aids-jihadists {EXPLICIT_ID}", "restore": EXPLICIT_ID,
        "history": EXPLICIT_ID, "undo": "1", "export": "json", "pending": "1", "reject": "1 not stated"}
BUTTONS = {r"^un:a:": "un:a:abcdefghij", r"^un:s:": f"un:s:abcdefghij:{EXPLICIT_ID}", r"^un:x:": "un:x:abcdefghij",
           r"^un:n:": "un:n:abcdefghij", r"^pa:y:": "pa:y:1:deadbeef", r"^pa:n:": "pa:n:1:deadbeef"}


def guarded(callback) -> bool:
    """Wrapped by bot.moderators.moderators_only."""
    code = getattr(callback, "__code__", None)  # functools.wraps copies the name, not the code
    return code is not None and code.co_qualname == "moderators_only.<locals>.guarded"


def moderator_handlers(app) -> tuple[set[str], set[str], set[str]]:
    """(guarded commands, guarded button patterns, every command name), from the registered handlers."""
    commands, patterns, every = set(), set(), set()
    for handler in itertools.chain.from_iterable(app.handlers.values()):
        inner = handler.entry_points if isinstance(handler, ConversationHandler) else [handler]
        for h in inner:
            if isinstance(h, CommandHandler):
                every |= set(h.commands)
                if guarded(h.callback):
                    commands |= set(h.commands)
            elif isinstance(h, CallbackQueryHandler) and guarded(h.callback):
                patterns.add(h.pattern.pattern)
    return commands, patterns, every


@pytest.fixture(scope="module")
def discovered(tmp_path_factory):
    import asyncio

    async def find():
        async with harness(make_settings(tmp_path_factory.mktemp("rights"))) as bot:
            return moderator_handlers(bot.app)
    return asyncio.run(find())


def test_every_moderator_command_is_guarded_and_tested(discovered):
    commands, patterns, every = discovered
    menu = {name for name, _ in MENU["en"]}
    assert menu == {name for name, _ in MENU["fr"]}
    assert commands == menu - {"cancel"}  # /cancel with nothing open just says so
    assert commands <= every and patterns == set(BUTTONS)
    assert {"ask", "claim", "why", "lang", "start", "help"} & commands == set()  # user commands stay open


def identities() -> dict[str, dict]:
    """Who sends, and where: none of them is a moderator (all are named @admin: names never count)."""
    person = {"id": OTHER, "is_bot": False, "first_name": "O", "username": "admin"}
    private = {"id": OTHER, "type": "private", "first_name": "O"}
    group = {"id": GROUP, "type": "supergroup", "title": "Moderators"}
    return {
        "a stranger in private": {"from": person, "chat": private},
        "a stranger in the moderators' group": {"from": person, "chat": group},
        "the group's anonymous admin": {"from": ANONYMOUS_ADMIN, "chat": group, "sender_chat": group},
        "a bot sending with a moderator's id": {"from": {"id": MOD, "is_bot": True, "first_name": "B",
                                                         "username": "admin"}, "chat": private | {"id": MOD}},
    }


NAMES = sorted({name for name, _ in MENU["en"]} - {"cancel"})


@pytest.mark.parametrize("who", list(identities()))
@pytest.mark.parametrize("command", NAMES)
async def test_moderator_command_refused(tmp_path, caplog, command, who):
    async with harness(make_settings(tmp_path)) as bot:
        sender = identities()[who]
        text = f"/{command} {ARGS.get(command, '')}".strip()
        before = bot.snapshot()
        log_before = bot.settings.question_log.read_bytes() if bot.settings.question_log.exists() else b""
        message = {"message_id": 7, "date": int(time.time()), "text": text,
                   "entities": [{"type": "bot_command", "offset": 0, "length": len(command) + 1}], **sender}
        with caplog.at_level(logging.WARNING):
            calls = await bot.run({"update_id": 1, "message": message})
        sent = [c for c in calls if c.method == "sendMessage"]
        assert len(sent) == 1 and "for the moderators" in sent[0].params["text"]
        assert not any(c.method in ("sendDocument", "getFile") for c in calls)
        assert bot.snapshot() == before
        assert (bot.settings.question_log.read_bytes() if bot.settings.question_log.exists() else b"") == log_before
        assert f"moderation: refused /{command} for user {sender['from']['id']}" in caplog.text


@pytest.mark.parametrize("pattern", list(BUTTONS))
async def test_moderator_button_refused(tmp_path, caplog, pattern):
    async with harness(make_settings(tmp_path)) as bot:
        before = bot.snapshot()
        with caplog.at_level(logging.WARNING):
            calls = await bot.tap(BUTTONS[pattern], user=OTHER)
        answers = [c for c in calls if c.method == "answerCallbackQuery"]
        assert len(answers) == 1 and "for the moderators" in answers[0].params["text"]
        assert [c.method for c in calls if c.method not in ("answerCallbackQuery", "getChatMember")] == []
        assert bot.snapshot() == before and f"for user {OTHER}" in caplog.text


async def test_a_channel_post_with_a_moderator_command_changes_nothing(tmp_path):
    async with harness(make_settings(tmp_path)) as bot:
        before = bot.snapshot()
        channel = {"id": -100777, "type": "channel", "title": "C"}
        for number, command in enumerate(NAMES, 1):
            text = f"/{command} {ARGS.get(command, '')}".strip()
            calls = await bot.run({"update_id": number, "channel_post": {
                "message_id": number, "date": int(time.time()), "chat": channel, "sender_chat": channel,
                "text": text, "entities": [{"type": "bot_command", "offset": 0, "length": len(command) + 1}]}})
            assert not any(c.method in ("sendDocument", "getFile") for c in calls)
            assert all("for the moderators" in c.params.get("text", "") for c in calls if c.method == "sendMessage")
        assert bot.snapshot() == before


async def test_the_same_command_from_the_moderators_numeric_id_works(tmp_path):
    """The control: the refusals above are about who sends, not about the commands."""
    async with harness(make_settings(tmp_path)) as bot:
        calls = await bot.send(f"/retire {EXPLICIT_ID} superseded", user=MOD)
        assert "Saved" in " ".join(c.params.get("text", "") for c in calls)
        assert not bot.base.get(EXPLICIT_ID).active
