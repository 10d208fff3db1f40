"""Raw Telegram update JSON for the surface tests, and a harness that feeds it to the real Application."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from telegram import Update

from knowledge.base import ClaimBase

from bot.app import build_application
from bot.offline import ApiCall, RecordingRequest
from bot.settings import Settings
from bot.surfaces import SurfaceSettings

BOT = "claimbot"
BOT_ID = 1000001
DATE = 1722800000
GROUP = {"id": -1001500000001, "type": "supergroup", "title": "Sahel news"}
OLD_GROUP = {"id": -4500001, "type": "group", "title": "Sahel news"}
CHANNEL = {"id": -1001700000001, "type": "channel", "title": "Daily brief", "username": "dailybrief"}
DISCUSSION = {"id": -1001700000002, "type": "supergroup", "title": "Daily brief chat"}
ALICE = {"id": 71, "is_bot": False, "first_name": "Alice", "language_code": "en"}
BRUNO = {"id": 72, "is_bot": False, "first_name": "Bruno", "language_code": "fr"}
ADMIN = {"id": 73, "is_bot": False, "first_name": "Ada", "language_code": "en"}
ANONYMOUS_ADMIN_BOT = {"id": 1087968824, "is_bot": True, "first_name": "Group", "username": "GroupAnonymousBot"}
CLAIMBOT_USER = {"id": BOT_ID, "is_bot": True, "first_name": "Claim bot", "username": BOT}

MALI_CLAIM = "Le 4 août 2024, le Mali a rompu ses relations diplomatiques avec l'Ukraine"


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def message(text: str | None = None, *, chat: dict = GROUP, sender: dict | None = ALICE, message_id: int = 1,
            caption: str | None = None, reply_to: dict | None = None, **extra: Any) -> dict[str, Any]:
    """A Message object as Telegram sends it; a leading /command gets its bot_command entity."""
    out: dict[str, Any] = {"message_id": message_id, "date": DATE, "chat": chat}
    if sender is not None:
        out["from"] = sender
    if text is not None:
        out["text"] = text
        if text.startswith("/"):
            out["entities"] = [{"type": "bot_command", "offset": 0, "length": utf16_len(text.split()[0])}]
    if caption is not None:
        out["caption"] = caption
        out["photo"] = [{"file_id": "p1", "file_unique_id": "u1", "width": 90, "height": 90}]
    if reply_to is not None:
        out["reply_to_message"] = reply_to
    out.update(extra)
    return out


def channel_post(text: str | None = None, *, message_id: int = 1, chat: dict = CHANNEL, **extra: Any) -> dict:
    """A channel post: no `from`, `sender_chat` is the channel itself."""
    return message(text, chat=chat, sender=None, message_id=message_id, sender_chat=chat, **extra)


def admin_member(user_id: int) -> dict[str, Any]:
    rights = ("can_be_edited", "is_anonymous", "can_manage_chat", "can_delete_messages", "can_manage_video_chats",
              "can_restrict_members", "can_promote_members", "can_change_info", "can_invite_users",
              "can_post_stories", "can_edit_stories", "can_delete_stories")
    return {"status": "administrator", "user": {"id": user_id, "is_bot": False, "first_name": "?"},
            **{right: False for right in rights}}


class ScriptedRequest(RecordingRequest):
    """RecordingRequest that knows who is an admin and which channel has a linked discussion group."""

    def __init__(self, admins: set[int] = frozenset(), linked: dict[int, int] | None = None,
                 bot_is_admin: bool = False) -> None:
        super().__init__(BOT, BOT_ID)
        self.admins = set(admins) | ({BOT_ID} if bot_is_admin else set())
        self.linked = linked or {}

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getChatMember" and params.get("user_id") in self.admins:
            return admin_member(params["user_id"])
        result = super()._result(method, params)
        if method == "getChat" and params.get("chat_id") in self.linked:
            result["linked_chat_id"] = self.linked[params["chat_id"]]
        return result


class Harness:
    """The real Application, offline: feed raw update dicts, get the Bot API calls they caused."""

    def __init__(self, app, request: ScriptedRequest) -> None:
        self.app = app
        self.request = request
        self.errors: list[BaseException] = []
        self._ids = itertools.count(1)

        async def keep(update: object, context) -> None:
            self.errors.append(context.error)

        app.add_error_handler(keep)

    async def feed(self, *payloads: dict[str, Any]) -> list[ApiCall]:
        """Each payload is an Update without update_id ({"message": ...}); returns every call made."""
        for payload in payloads:
            data = {"update_id": next(self._ids), **payload}
            await self.app.process_update(Update.de_json(data, self.app.bot))
        if self.errors:
            raise AssertionError(f"a handler failed: {self.errors!r}")
        return self.request.take()


def sends(calls: list[ApiCall]) -> list[ApiCall]:
    """The calls that put something in a chat (lookups such as getChatMember left out)."""
    return [c for c in calls if c.method not in ("getChatMember", "getChat")]


def make_settings(tmp_path: Path, **surface_overrides: Any) -> Settings:
    return Settings(db_path=tmp_path / "claims.json", bot_username=BOT, rate_limit=False,
                    surfaces=SurfaceSettings(**surface_overrides))


async def start_harness(tmp_path: Path, base, request: ScriptedRequest | None = None, **surface_overrides: Any):
    request = request or ScriptedRequest()
    app = build_application(make_settings(tmp_path, **surface_overrides), request=request, base=base)
    await app.initialize()
    request.take()
    return Harness(app, request)


@pytest.fixture(scope="session")
def base(tmp_path_factory) -> ClaimBase:
    """The curated claim base, opened once (the surface tests only read it)."""
    return ClaimBase.open(tmp_path_factory.mktemp("base") / "claims.json")


RETIRED_PREMISE = "fla-ukrainian-drone-training"
THESIS = "article-thesis-ukraine-indirectly-aids-jihadists"  # rests on RETIRED_PREMISE, among others
RETIRED_MARK = "⚠️ [retired by the moderators]"


@pytest.fixture
def retired_base(tmp_path) -> ClaimBase:
    """The curated base with one premise of the article's thesis retired, as /retire leaves it."""
    from knowledge.audit import Curator

    opened = ClaimBase.open(tmp_path / "retired" / "claims.json")
    Curator(opened).retire(RETIRED_PREMISE, "test", moderator=1)
    return opened


def premise_line(text: str, claim_id: str) -> str:
    """The line of a reply that shows claim_id."""
    return next(line for line in text.splitlines() if f"<code>{claim_id}</code>" in line)


@pytest_asyncio.fixture
async def bot(tmp_path, base):
    """A harness with default settings and no admins."""
    harness = await start_harness(tmp_path, base)
    yield harness
    await harness.app.shutdown()
