"""Per-chat settings of groups and channels, kept in one JSON file written atomically."""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

from knowledge.storage import StoreError, atomic_write_text, load_json_file

MAX_ANSWERED = 500   # auto-check memory per chat: claim id -> time of the last answer
MAX_NOTED = 200      # channel posts that got a note, per channel
NOTE_IN = ("channel", "discussion")


@dataclass(frozen=True)
class ChatSettings:
    lang: str | None = None               # None: each user's own language
    auto_check: bool = False
    auto_hours: float | None = None       # None: the bot-wide default
    answered: dict[str, float] = field(default_factory=dict)
    channel_opt_in: bool | None = None    # None: the CHANNEL_OPT_IN setting decides
    note_in: str | None = None            # where channel notes go; None: not known yet
    linked_chat_id: int | None = None
    noted: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["noted"] = list(self.noted)
        return {k: v for k, v in out.items() if v is not None and v != {} and v != []}

    @classmethod
    def from_dict(cls, raw: Any) -> "ChatSettings":
        if not isinstance(raw, dict):
            raise ValueError("not an object")
        lang = raw.get("lang")
        note_in = raw.get("note_in")
        hours = raw.get("auto_hours")
        return cls(
            lang=lang if lang in ("fr", "en") else None,
            auto_check=raw.get("auto_check") is True,
            auto_hours=float(hours) if isinstance(hours, (int, float)) and hours >= 0 else None,
            answered={str(k): float(v) for k, v in dict(raw.get("answered") or {}).items()},
            channel_opt_in=raw["channel_opt_in"] if isinstance(raw.get("channel_opt_in"), bool) else None,
            note_in=note_in if note_in in NOTE_IN else None,
            linked_chat_id=int(raw["linked_chat_id"]) if raw.get("linked_chat_id") else None,
            noted=tuple(int(x) for x in raw.get("noted") or ()),
        )


class ChatStore:
    """ChatSettings by chat id. Every change rewrites the file atomically (temp file, fsync, os.replace)."""

    def __init__(self, path: str | Path, clock: Callable[[], float] = time.time) -> None:
        self.path = Path(path)
        self.clock = clock
        self._chats: dict[int, ChatSettings] = {}
        data = load_json_file(self.path)
        for key, raw in ((data or {}).get("chats") or {}).items():
            try:
                self._chats[int(key)] = ChatSettings.from_dict(raw)
            except (ValueError, TypeError) as exc:
                raise StoreError(f"chat settings file {self.path}: chat {key}: {exc}") from exc

    def get(self, chat_id: int) -> ChatSettings:
        return self._chats.get(chat_id) or ChatSettings()

    def __contains__(self, chat_id: int) -> bool:
        return chat_id in self._chats

    def update(self, chat_id: int, **changes: Any) -> ChatSettings:
        """Change some settings of one chat and save; returns the new settings."""
        new = replace(self.get(chat_id), **changes)
        self._save({**self._chats, chat_id: new})
        return new

    def move(self, old_id: int, new_id: int) -> bool:
        """A group became a supergroup: its settings follow it to the new id. False when there was nothing to move."""
        if old_id not in self._chats or old_id == new_id:
            return False
        chats = dict(self._chats)
        chats[new_id] = chats.pop(old_id)
        self._save(chats)
        return True

    # --- auto-check: at most one answer per claim per chat per period
    def recently_answered(self, chat_id: int, claim_id: str, hours: float) -> bool:
        when = self.get(chat_id).answered.get(claim_id)
        return when is not None and self.clock() - when < hours * 3600

    def mark_answered(self, chat_id: int, claim_id: str, hours: float) -> None:
        now = self.clock()
        keep = {k: v for k, v in self.get(chat_id).answered.items() if now - v < hours * 3600}
        keep[claim_id] = now
        if len(keep) > MAX_ANSWERED:
            keep = dict(sorted(keep.items(), key=lambda kv: kv[1])[-MAX_ANSWERED:])
        self.update(chat_id, answered=keep)

    # --- channels: one note per post
    def was_noted(self, channel_id: int, post_id: int) -> bool:
        return post_id in self.get(channel_id).noted

    def mark_noted(self, channel_id: int, post_id: int) -> None:
        self.update(channel_id, noted=(*self.get(channel_id).noted, post_id)[-MAX_NOTED:])

    def _save(self, chats: dict[int, ChatSettings]) -> None:
        data = {"version": 1, "chats": {str(k): v.to_dict() for k, v in chats.items()}}
        atomic_write_text(self.path, json.dumps(data, ensure_ascii=False, indent=1))
        self._chats = chats  # only once the file holds them
