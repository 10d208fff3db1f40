"""Raw Telegram update dicts, as the Bot API sends them, for Update.de_json and --replay."""

from __future__ import annotations

import itertools
from typing import Any

USER_ID = 5551234
BOT_USERNAME = "claimbot"
DATE = 1722600000  # a fixed time keeps the recorded calls comparable

_update_ids = itertools.count(1000)
_message_ids = itertools.count(1)


def user(user_id: int = USER_ID, language_code: str | None = None, first_name: str = "Ada") -> dict[str, Any]:
    data: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
    if language_code:
        data["language_code"] = language_code
    return data


def chat(chat_id: int = USER_ID, chat_type: str = "private") -> dict[str, Any]:
    if chat_type == "private":
        return {"id": chat_id, "type": "private", "first_name": "Ada"}
    return {"id": chat_id, "type": chat_type, "title": "A group"}


def message(text: str | None = None, *, user_id: int = USER_ID, chat_id: int | None = None,
            chat_type: str = "private", language_code: str | None = None, message_id: int | None = None,
            caption: str | None = None) -> dict[str, Any]:
    """A message; a leading /command gets its bot_command entity, as Telegram adds it."""
    data: dict[str, Any] = {
        "message_id": message_id if message_id is not None else next(_message_ids),
        "date": DATE,
        "chat": chat(chat_id if chat_id is not None else user_id, chat_type),
        "from": user(user_id, language_code),
    }
    if text is not None:
        data["text"] = text
        if text.startswith("/"):
            command = text.split()[0]
            data["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
    if caption is not None:
        data["caption"] = caption
        data["photo"] = [{"file_id": "photo1", "file_unique_id": "u1", "width": 10, "height": 10}]
    return data


def message_update(text: str | None = None, *, update_id: int | None = None, **kwargs: Any) -> dict[str, Any]:
    """An update carrying a new message (plain text or a /command)."""
    return {"update_id": update_id if update_id is not None else next(_update_ids), "message": message(text, **kwargs)}


def command_update(command: str, args: str = "", **kwargs: Any) -> dict[str, Any]:
    """/command args, e.g. command_update("claim", "mali-cuts-ties")."""
    text = f"/{command}" + (f" {args}" if args else "")
    return message_update(text, **kwargs)


def edited_message_update(text: str, **kwargs: Any) -> dict[str, Any]:
    update_id = kwargs.pop("update_id", None)
    return {"update_id": update_id if update_id is not None else next(_update_ids),
            "edited_message": {**message(text, **kwargs), "edit_date": DATE + 5}}


def callback_update(data: str, *, user_id: int = USER_ID, language_code: str | None = None,
                    message_text: str = "No claim matches your question closely. Did you mean:",
                    update_id: int | None = None) -> dict[str, Any]:
    """A tap on an inline button under one of the bot's messages."""
    bot_message = {
        "message_id": next(_message_ids), "date": DATE, "chat": chat(user_id),
        "from": {"id": 1000001, "is_bot": True, "first_name": "Claim bot", "username": BOT_USERNAME},
        "text": message_text,
    }
    return {
        "update_id": update_id if update_id is not None else next(_update_ids),
        "callback_query": {"id": str(next(_update_ids)), "from": user(user_id, language_code),
                           "chat_instance": "ci-1", "data": data, "message": bot_message},
    }
