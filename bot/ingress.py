"""Incoming updates made safe to handle: unpaired surrogates and control characters replaced.

Telegram's apps cannot send them, but a forged or replayed update can (JSON allows "\\ud800"), and such
text cannot be encoded: PTB's UTF-16 entity parsing, the question log and the Bot API request would
all fail on it. Each one becomes U+FFFD (�), one UTF-16 unit for one, so entity offsets stay right;
surrogates that do pair up are joined into the character they stand for.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from operator import attrgetter
from typing import Any

from telegram import Bot, TelegramObject, Update
from telegram.ext import ApplicationHandlerStop, ContextTypes

log = logging.getLogger(__name__)
REPLACEMENT = "\ufffd"
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # C0 controls but tab, newline, carriage return
_UNSAFE = re.compile(r"[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f]")
_NOT_DATA = frozenset({"_bot", "_frozen", "_id_attrs"})
_GETTERS: dict[type, Callable[[Any], tuple[Any, ...]]] = {}
_PLAIN = frozenset({bool, int, float, datetime})


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


def _data_getter(cls: type) -> Callable[[Any], tuple[Any, ...]]:
    """One call that reads every data slot of a Telegram object class (not the bot, not cached views)."""
    getter = _GETTERS.get(cls)
    if getter is None and issubclass(cls, Bot):  # what the bot holds is not the update's
        getter = _GETTERS[cls] = lambda obj: ()
    if getter is None:
        found: dict[str, None] = {}
        for klass in cls.__mro__:
            slots = getattr(klass, "__slots__", ())
            for name in (slots,) if isinstance(slots, str) else slots:
                if name not in _NOT_DATA and not name.startswith("_effective"):
                    found[name] = None
        names = tuple(found)

        def getter(obj: Any, names: tuple[str, ...] = names) -> tuple[Any, ...]:
            return tuple(getattr(obj, name, None) for name in names)

        if names:
            fast = attrgetter(*names)
            getter = (lambda obj: (fast(obj),)) if len(names) == 1 else _or_slow(fast, getter)
        _GETTERS[cls] = getter
    return getter


def _or_slow(fast: Callable[[Any], Any], slow: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any], tuple[Any, ...]]:
    def read(obj: Any) -> tuple[Any, ...]:
        try:
            return fast(obj)
        except AttributeError:  # a slot never set
            return slow(obj)
    return read


def needs_cleaning(value: Any) -> bool:
    """Whether any string inside value (a Telegram object, or JSON-like data) has something clean_text changes.

    Reads the objects' slots instead of building update.to_dict(): nearly every update is clean, and
    this check is what each of them pays."""
    kind = type(value)
    if kind is str:
        return _UNSAFE.search(value) is not None
    if kind in _PLAIN or value is None:
        return False
    if isinstance(value, TelegramObject):
        items: Iterable[Any] = _data_getter(kind)(value)  # none for a Bot
    elif isinstance(value, (list, tuple)):
        items = value
    elif isinstance(value, Mapping):  # api_kwargs is a read-only mapping
        items = [*value.keys(), *value.values()]
    elif isinstance(value, str):
        return _UNSAFE.search(value) is not None
    else:
        return False
    for item in filter(None, items):  # None, False, 0, "" and () need nothing
        if isinstance(item, str):  # most items: checked here rather than in a call of their own
            if _UNSAFE.search(item) is not None:
                return True
        elif type(item) not in _PLAIN and needs_cleaning(item):
            return True
    return False


def cleaned_update(update: Update) -> Update | None:
    """A copy of update with its strings cleaned, or None when it needed nothing."""
    if not needs_cleaning(update):
        return None
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
