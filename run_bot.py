"""Start the claim bot: polling with TELEGRAM_BOT_TOKEN, else a console chat; or replay updates offline."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import os
import sys
from pathlib import Path

from bot.console import (CONSOLE_USER, LOG_FILE_NAME, LOG_FORMAT, console, console_logging, quiet_on_closed_pipe,
                         replay_file)
from bot.serve import StartupError, hold_store, serve
from bot.settings import Settings
from bot.surfaces import SettingsError
from knowledge.storage import StoreError


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--replay", metavar="FILE",
                        help="raw Update JSON lines ('-' for stdin); print the Bot API calls. Without --db it runs "
                             "on a throwaway copy of the bundled claims in a temporary folder, removed afterwards: "
                             "data/ (or CLAIMBOT_DB) is never touched")
    parser.add_argument("--db", type=Path, help="store file (default data/claims.json or CLAIMBOT_DB; with --replay, "
                                                "a throwaway copy)")
    parser.add_argument("--console", action="store_true", help="console chat even when a token is set")
    parser.add_argument("--lang", choices=("fr", "en"), help="console: the language_code of the console user")
    parser.add_argument("--echo", action="store_true", help="console: repeat each piped line (for transcripts)")
    parser.add_argument("--moderator", action="store_true",
                        help=f"console: the console user (id {CONSOLE_USER['id']}) is a moderator")
    args = parser.parse_args()
    try:
        settings = Settings.from_env(db_path=args.db)
        if args.moderator:
            settings = dataclasses.replace(settings, moderator_ids=settings.moderator_ids | {CONSOLE_USER["id"]})
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    default_level = "INFO" if settings.token and not (args.replay or args.console) else "WARNING"
    level = os.environ.get("LOG_LEVEL", default_level).upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        print("error: LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR", file=sys.stderr)
        return 2
    chat = not args.replay and (args.console or not settings.token)
    if chat:  # log records would land among the chat's replies
        log_file = console_logging(settings.db_path.parent / LOG_FILE_NAME, level)
    else:
        logging.basicConfig(level=level, format=LOG_FORMAT)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its request lines carry the token
    try:
        if args.replay and args.db is None:  # a throwaway copy: nobody else writes it
            return replay_file(settings, args.replay, throwaway=True)
        mode = "--replay" if args.replay else "console" if chat else "webhook" if settings.surfaces.webhook else "polling"
        with hold_store(settings, mode):  # the command line writes no store the bot runs on
            if args.replay:
                return replay_file(settings, args.replay, throwaway=False)
            if chat:
                asyncio.run(console(settings, language_code=args.lang, echo=args.echo, log_file=log_file))
                return 0
            serve(settings)  # polling, or a webhook when WEBHOOK_URL is set
            return 0
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except StartupError as exc:  # Telegram unreachable or the token rejected: one line, no traceback
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    except BrokenPipeError:  # stdout closed early (`| head`): quiet_on_closed_pipe ends quietly
        raise
    except Exception:  # through the log, whose handlers redact the token, never the bare traceback
        logging.getLogger("run_bot").exception("the bot stopped on an error")
        return 1


if __name__ == "__main__":
    sys.exit(quiet_on_closed_pipe(main))
