"""Run the bot without Telegram: an interactive console chat, or a replay of raw updates."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import itertools
import json
import logging
import os
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import IO, Any, Callable, Iterator

from telegram import Update

from knowledge.text import whole_number

from .app import build_application
from .offline import RecordingRequest
from .render import html_to_text, parse_claim_callback
from .settings import Settings

CONSOLE_USER = {"id": 424242, "is_bot": False, "first_name": "Console"}
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LOG_FILE_NAME = "console.log"  # next to the store


def console_logging(path: Path, level: str) -> Path | None:
    """Keep log records out of the chat: they go to the file path; errors also to stderr, marked 'log:'.
    The file used, or None when it cannot be written (then stderr gets WARNING and above, marked)."""
    root = logging.getLogger()
    root.setLevel(level)
    marked = logging.StreamHandler(sys.stderr)
    marked.setFormatter(logging.Formatter("log: %(levelname)s %(name)s: %(message)s"))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        to_file = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        marked.setLevel(max(logging.WARNING, root.level))
        root.addHandler(marked)
        return None
    to_file.setFormatter(logging.Formatter(LOG_FORMAT))
    root.addHandler(to_file)
    marked.setLevel(logging.ERROR)
    root.addHandler(marked)
    return path


def quiet_on_closed_pipe(main: Callable[[], int]) -> int:
    """main(), then flush stdout; when stdout's reader left early (`| head`), end quietly with status 1
    (Python's recipe, in the signal module's docs: the interpreter's own last flush goes to devnull)."""
    try:
        code = main()
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


def _console_update(update_id: int, text: str, language_code: str | None,
                    document: dict[str, Any] | None = None) -> dict[str, Any]:
    user = dict(CONSOLE_USER)
    if language_code:
        user["language_code"] = language_code
    message: dict[str, Any] = {"message_id": update_id, "date": int(time.time()),
                               "chat": {"id": CONSOLE_USER["id"], "type": "private", "first_name": "Console"},
                               "from": user}
    if document is not None:
        message["document"] = document
        if text:
            message["caption"] = text
        return {"update_id": update_id, "message": message}
    message["text"] = text
    if text.startswith("/"):
        command = text.split()[0]
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
    return {"update_id": update_id, "message": message}


def _tap_update(update_id: int, data: str, markup: dict[str, Any], language_code: str | None,
                text: str = "…") -> dict[str, Any]:
    user = dict(CONSOLE_USER)
    if language_code:
        user["language_code"] = language_code
    message = {"message_id": 100_000 + update_id, "date": int(time.time()),
               "chat": {"id": CONSOLE_USER["id"], "type": "private", "first_name": "Console"},
               "from": {"id": 1000001, "is_bot": True, "first_name": "Claim bot"}, "text": text or "…",
               "reply_markup": markup}
    return {"update_id": update_id, "callback_query": {"id": f"console-{update_id}", "from": user,
                                                       "chat_instance": "console", "data": data, "message": message}}


def _upload(request: RecordingRequest, line: str) -> tuple[dict[str, Any] | None, str]:
    """'@PATH [caption]': the document to send, or an error to show."""
    path_text, _, caption = line[1:].strip().partition(" ")
    path = Path(path_text).expanduser()
    try:
        content = path.read_bytes()
    except OSError as exc:
        return None, f"(cannot read {path}: {exc.strerror})"
    return request.add_file(f"console-{path.name}-{len(request.files)}", content, path.name), caption.strip()


async def console(settings: Settings, stdin: IO[str] = sys.stdin, stdout: IO[str] = sys.stdout,
                  language_code: str | None = None, echo: bool = False, log_file: Path | None = None) -> None:
    """One question a line on stdin, the bot's replies as plain text on stdout.

    '#N' taps button N of the last replies; '@PATH [caption]' sends a file as a document (e.g. for /import).
    A document the bot sends (/export) is saved next to the store, under its own name, and the path shown.
    log_file: where console_logging sends the logs, named in the interactive greeting.
    """
    request = RecordingRequest(settings.bot_username)
    app = build_application(settings, request=request)
    interactive = stdin.isatty()
    lines = _stdin_lines(stdin)
    async with app:
        await app.start()  # the job queue: step-by-step moderator changes time out as on Telegram
        try:
            await _chat(app, request, lines, stdout, interactive, language_code, echo, log_file,
                        downloads=settings.db_path.parent)
        except asyncio.CancelledError:  # Ctrl-C: stop cleanly, no traceback
            stdout.write("\n")
        finally:
            await app.stop()


def _stdin_lines(stdin: IO[str]) -> asyncio.Queue[str]:
    """Lines of stdin ('' at the end) read by a daemon thread, so Ctrl-C never waits for a pending read."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str] = asyncio.Queue()

    def read() -> None:
        while True:
            line = stdin.readline()
            loop.call_soon_threadsafe(queue.put_nowait, line)
            if not line:
                return

    threading.Thread(target=read, name="console-stdin", daemon=True).start()
    return queue


QUIT_COMMANDS = ("/quit", "/exit")


async def _chat(app: Any, request: RecordingRequest, lines: asyncio.Queue[str], stdout: IO[str],
                interactive: bool, language_code: str | None, echo: bool, log_file: Path | None = None,
                downloads: Path | None = None) -> None:
    taps: list[tuple[str, dict[str, Any], str]] = []  # the buttons '#N' can tap: (callback data, keyboard, message)
    request.take()
    if interactive:
        stdout.write("Claim bot console (no Telegram token set). Ask a question; /help for commands; "
                     "#N taps button N; @FILE sends a file; /quit or Ctrl-D to quit."
                     + (f" Logs go to {log_file}." if log_file else "") + "\n")
    for update_id in itertools.count(1):
        if interactive:
            stdout.write("> ")
            stdout.flush()
        line = await lines.get()
        if not line:
            break
        text = line.strip()
        if not text:
            continue
        if text.lower() in QUIT_COMMANDS:  # the console's own: the bot has no such command
            break
        if echo and not interactive:  # a transcript: show what was typed
            stdout.write(f"> {text}\n")
        if text.startswith("#") and (number := whole_number(text[1:])) is not None:
            if not 1 <= number <= len(taps):
                stdout.write(f"(no button #{number})\n\n")
                continue
            data = _tap_update(update_id, *taps[number - 1][:2], language_code, text=taps[number - 1][2])
        elif text.startswith("@"):
            document, caption = _upload(request, text)
            if document is None:
                stdout.write(caption + "\n\n")
                continue
            data = _console_update(update_id, caption, language_code, document)
        else:
            data = _console_update(update_id, text, language_code)
        await app.process_update(Update.de_json(data, app.bot))
        await _settle(app)
        calls = request.take()
        if any("reply_markup" in c.params and c.method in ("sendMessage", "editMessageText") for c in calls):
            taps = []
        _write_calls(calls, stdout, taps, downloads)
        stdout.flush()


async def _settle(app: Any) -> None:
    """Let tasks the update started (correction notices) finish, so their messages print in order."""
    pending = [t for t in app.bot_data.get("correction_notice_tasks", ())]
    if pending:
        await asyncio.gather(*pending, return_exceptions=True)


def save_document(folder: Path, name: str, content: bytes) -> Path:
    """Write a document the bot sent into folder under its own name (another file is never overwritten:
    claims-….yaml, then claims-…-2.yaml); the path written. OSError when it cannot be written."""
    base = Path(name).name.strip()
    stem, suffix = (Path(base).stem, Path(base).suffix) if base and not base.startswith(".") else ("document", "")
    folder.mkdir(parents=True, exist_ok=True)
    for number in itertools.count(1):
        path = folder / (f"{stem}{suffix}" if number == 1 else f"{stem}-{number}{suffix}")
        try:
            with open(path, "xb") as out:
                out.write(content)
            return path
        except FileExistsError:
            continue
    raise AssertionError("unreachable")


def _write_calls(calls: list[Any], stdout: IO[str], taps: list[tuple[str, dict[str, Any], str]],
                 downloads: Path | None = None) -> None:
    for call in calls:
        if call.method == "answerCallbackQuery" and call.params.get("text"):
            stdout.write(f"({call.params['text']})\n\n")
        if call.method == "sendDocument":
            for name, content in call.files.values():
                where = ""
                if downloads is not None:
                    try:
                        saved = save_document(downloads, name, content)
                        where = f", saved as {saved}" + (
                            "" if saved.name == name else f" ({Path(name).name} was there already)")
                    except OSError as exc:
                        where = f", not saved ({exc.strerror or exc.__class__.__name__})"
                stdout.write(f"📎 {name} ({len(content)} bytes){where}\n")
            if call.params.get("caption"):
                caption = call.params["caption"]
                stdout.write((html_to_text(caption) if call.params.get("parse_mode") == "HTML" else caption) + "\n")
            stdout.write("\n")
        if "text" not in call.params or call.method not in ("sendMessage", "editMessageText"):
            continue
        target = f"[to {call.params['chat_id']}] " if call.params.get("chat_id") != CONSOLE_USER["id"] else ""
        shown = html_to_text(call.params["text"])
        stdout.write(target + shown + "\n")
        markup = call.params.get("reply_markup") or {}
        for row in markup.get("inline_keyboard", []):
            others = []
            for button in row:
                data = button.get("callback_data", "")
                if data.startswith(("c:", "cq:")):
                    taps.append((data, markup, shown))
                    stdout.write(f"  #{len(taps)} [{button['text']}]  (or /claim {parse_claim_callback(data)[1]})\n")
                else:
                    taps.append((data, markup, shown))
                    others.append(f"[{button['text']}] #{len(taps)}")
            if others:
                stdout.write("  " + "   ".join(others) + "\n")
        stdout.write("\n")


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


@contextlib.contextmanager
def throwaway_store(settings: Settings) -> Iterator[Settings]:
    """settings with the store, question log, chat settings and backups in a temporary folder, removed
    afterwards; the store is created there from the bundled claims (knowledge/curated/)."""
    with tempfile.TemporaryDirectory(prefix="claimbot-replay-") as folder:
        yield dataclasses.replace(settings, db_path=Path(folder) / "claims.json", questions_path=None,
                                  backup_dir=None, surfaces=dataclasses.replace(settings.surfaces, chats_path=None))


def replay_file(settings: Settings, name: str, throwaway: bool) -> int:
    """--replay NAME ('-': stdin); throwaway: on a temporary copy of the bundled claims, so that test
    updates never reach the real store or question log (data/ by default)."""
    if name == "-":
        sys.stdin.reconfigure(errors="replace")  # a stray byte spoils one line, not the run
        source: IO[str] = sys.stdin
    else:
        try:
            source = open(name, encoding="utf-8", errors="replace")
        except OSError as exc:
            print(f"error: cannot read {name}: {exc.strerror}", file=sys.stderr)
            return 1
    with source, (throwaway_store(settings) if throwaway else contextlib.nullcontext(settings)) as used:
        return asyncio.run(replay(used, source))


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
                record: dict[str, Any] = {"update_id": update.update_id, "method": call.method, "params": call.params}
                if call.files:  # an upload (sendDocument): its name and size, not its bytes
                    record["files"] = {part: {"name": name, "bytes": len(content)}
                                       for part, (name, content) in call.files.items()}
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
            out.flush()  # fed step by step ('-'), the next line may depend on these calls (a button's data)
    return 1 if bad else 0
