"""Run the bot without Telegram: an interactive console chat, or a replay of raw updates."""

from __future__ import annotations

import asyncio
import itertools
import json
import sys
import time
from typing import IO, Any

from telegram import Update

from .app import build_application
from .offline import RecordingRequest
from .render import html_to_text
from .settings import Settings

CONSOLE_USER = {"id": 424242, "is_bot": False, "first_name": "Console"}


def _console_update(update_id: int, text: str, language_code: str | None) -> dict[str, Any]:
    user = dict(CONSOLE_USER)
    if language_code:
        user["language_code"] = language_code
    message: dict[str, Any] = {"message_id": update_id, "date": int(time.time()),
                               "chat": {"id": CONSOLE_USER["id"], "type": "private", "first_name": "Console"},
                               "from": user, "text": text}
    if text.startswith("/"):
        command = text.split()[0]
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
    return {"update_id": update_id, "message": message}


async def console(settings: Settings, stdin: IO[str] = sys.stdin, stdout: IO[str] = sys.stdout,
                  language_code: str | None = None) -> None:
    """One question a line on stdin, the bot's replies as plain text on stdout."""
    request = RecordingRequest(settings.bot_username)
    app = build_application(settings, request=request)
    interactive = stdin.isatty()
    async with app:
        request.take()
        if interactive:
            stdout.write("Claim bot console (no Telegram token set). Ask a question; /help for commands; "
                         "Ctrl-D to quit.\n")
        for update_id in itertools.count(1):
            if interactive:
                stdout.write("> ")
                stdout.flush()
            line = await asyncio.to_thread(stdin.readline)
            if not line:
                break
            text = line.strip()
            if not text:
                continue
            await app.process_update(Update.de_json(_console_update(update_id, text, language_code), app.bot))
            for call in request.take():
                if "text" in call.params:
                    stdout.write(html_to_text(call.params["text"]) + "\n")
                    markup = call.params.get("reply_markup") or {}
                    for row in markup.get("inline_keyboard", []):
                        for button in row:
                            stdout.write(f"  [{button['text']}]  /claim {button['callback_data'][2:]}\n")
                    stdout.write("\n")
            stdout.flush()


class BadUpdate(ValueError):
    """A replay line that is not a raw Telegram Update."""


def _parse_update(line: str, bot: Any) -> Update:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BadUpdate(f"not valid JSON: {exc.msg}") from exc
    if not isinstance(data, dict):
        kind = {list: "array", str: "string", bool: "boolean", type(None): "null"}.get(type(data), "number")
        raise BadUpdate(f"a JSON {kind}, not an object")
    if not isinstance(data.get("update_id"), int) or isinstance(data.get("update_id"), bool):
        raise BadUpdate("no integer update_id")
    try:
        return Update.de_json(data, bot)
    except Exception as exc:  # PTB raises TypeError, KeyError, AttributeError... on malformed parts
        raise BadUpdate(f"malformed update: {exc.__class__.__name__}") from exc


async def replay(settings: Settings, source: IO[str], out: IO[str] = sys.stdout) -> int:
    """Run raw Update JSON lines through the bot offline; print one JSON line per Bot API call."""
    request = RecordingRequest(settings.bot_username)
    app = build_application(settings, request=request)
    bad = 0
    async with app:
        request.take()
        for number, line in enumerate(source, 1):
            if not line.strip():
                continue
            try:
                update = _parse_update(line, app.bot)
            except BadUpdate as exc:
                print(f"line {number}: not a Telegram update ({exc})", file=sys.stderr)
                bad += 1
                continue
            await app.process_update(update)
            for call in request.take():
                out.write(json.dumps({"update_id": update.update_id, "method": call.method, "params": call.params},
                                     ensure_ascii=False) + "\n")
    return 1 if bad else 0
