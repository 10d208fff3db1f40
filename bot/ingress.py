"""Incoming updates made safe to handle: unpaired surrogates and control characters replaced.

Telegram's apps cannot send them, but a forged or replayed update can (JSON allows "\\ud800"), and such
text cannot be encoded: PTB's UTF-16 entity parsing, the question log and the Bot API request would
all fail on it. Each one becomes U+FFFD (�), one UTF-16 unit for one, so entity offsets stay right;
surrogates that do pair up are joined into the character they stand for.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from telegram import Update
from telegram.ext import ApplicationHandlerStop, ContextTypes

log = logging.getLogger(__name__)
REPLACEMENT = "\ufffd"
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # C0 controls but tab, newline, carriage return


def clean_text(text: str) -> str:
    """text with paired surrogates joined, unpaired ones and C0 controls (but \\t \\n \\r) replaced by U+FFFD."""
    if _SURROGATE.search(text):
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return _CONTROL.sub(REPLACEMENT, text)


def _clean(value: Any) -> tuple[Any, bool]:
    """A copy of JSON-like value with every string cleaned, and whether anything changed."""
    if isinstance(value, str):
        new = clean_text(value)
        return new, new != value
    if isinstance(value, dict):
        changed = False
        out = {}
        for key, item in value.items():
            out[key], dirty = _clean(item)
            changed = changed or dirty
        return out, changed
    if isinstance(value, list):
        pairs = [_clean(item) for item in value]
        return [item for item, _ in pairs], any(dirty for _, dirty in pairs)
    return value, False


def cleaned_update(update: Update) -> Update | None:
    """A copy of update with its strings cleaned, or None when it needed nothing."""
    data, changed = _clean(update.to_dict())
    return Update.de_json(data, update.get_bot()) if changed else None


async def clean_update(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """First handler of every update: an update with unencodable text is handled as its cleaned copy."""
    if not isinstance(update, Update):
        return
    clean = cleaned_update(update)
    if clean is None:
        return
    log.info("update %s: unpaired surrogates or control characters replaced", update.update_id)
    await context.application.process_update(clean)
    raise ApplicationHandlerStop
