"""A Bot API that answers locally and records every call: for the console, replays and tests.

Calls that Telegram would refuse (bot/api_rules.py: bad HTML, too long, bad buttons) get its 400 answer."""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from telegram.request import BaseRequest, RequestData

from .api_rules import call_problem, params_json

OFFLINE_TOKEN = "123456:offline"
RESTRICTED_FLAGS = ("can_send_messages", "can_send_audios", "can_send_documents", "can_send_photos",
                    "can_send_videos", "can_send_video_notes", "can_send_voice_notes", "can_send_polls",
                    "can_send_other_messages", "can_add_web_page_previews", "can_change_info",
                    "can_invite_users", "can_pin_messages", "can_manage_topics")


@dataclass
class ApiCall:
    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # uploads: part -> (file name, content)


class RecordingRequest(BaseRequest):
    """Answers every Bot API method without a network and keeps the calls in order."""

    def __init__(self, bot_username: str = "claimbot", bot_id: int = 1000001) -> None:
        self.bot_user = {"id": bot_id, "is_bot": True, "first_name": "Claim bot", "username": bot_username,
                         "can_join_groups": True, "can_read_all_group_messages": False,
                         "supports_inline_queries": True}
        self.calls: list[ApiCall] = []
        self.refused: list[tuple[ApiCall, str]] = []  # calls Telegram would answer with 400, and why
        self._message_ids = itertools.count(1)
        self.files: dict[str, bytes] = {}  # file_id -> content, served by getFile and the file download
        self.member_status: dict[tuple[int, int], str] = {}  # (chat_id, user_id) -> getChatMember status
        self.default_member_status = "member"

    def add_file(self, file_id: str, content: bytes, file_name: str = "file",
                 mime_type: str | None = None) -> dict[str, Any]:
        """Register a file the bot can download; the Document JSON to put in a test update."""
        self.files[file_id] = content
        document = {"file_id": file_id, "file_unique_id": f"u-{file_id}", "file_name": file_name,
                    "file_size": len(content)}
        if mime_type:
            document["mime_type"] = mime_type
        return document

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    @property
    def read_timeout(self) -> float | None:
        return 5.0

    def take(self) -> list[ApiCall]:
        """The calls recorded since the last take."""
        calls, self.calls = self.calls, []
        return calls

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout=None, write_timeout=None, connect_timeout=None,
                         pool_timeout=None) -> tuple[int, bytes]:
        if "/file/bot" in url:  # a file download (File.download_*), not a Bot API method
            content = self.files.get(url.rsplit("/", 1)[-1])
            return (200, content) if content is not None else (404, b"")
        api_method = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data is not None else {}
        as_json = params_json(params)
        problem = call_problem(api_method, params, as_json)
        if problem is not None:  # as Telegram does: 400, and nothing sent
            self.refused.append((ApiCall(api_method, params), problem))
            return 400, json.dumps({"ok": False, "error_code": 400, "description": f"Bad Request: {problem}"},
                                   ensure_ascii=False).encode()
        params = json.loads(as_json)  # what Telegram gets: JSON types only
        files: dict[str, tuple[str, bytes]] = {}
        if request_data is not None and request_data.contains_files:
            for part, upload in request_data.multipart_data.items():
                content = upload[1] if isinstance(upload[1], bytes) else upload[1].read()
                files[part] = (upload[0] or part, content)
        if api_method != "getMe":
            self.calls.append(ApiCall(api_method, params, files))
        if api_method == "getFile" and params.get("file_id") not in self.files:
            return 400, json.dumps({"ok": False, "error_code": 400,
                                    "description": "Bad Request: invalid file_id"}).encode()
        return 200, json.dumps({"ok": True, "result": self._result(api_method, params)}).encode()

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return self.bot_user
        if method in ("sendMessage", "editMessageText"):
            chat_id = params.get("chat_id", 0)
            message = {
                "message_id": params.get("message_id") or next(self._message_ids),
                "date": int(time.time()),
                "chat": {"id": chat_id if isinstance(chat_id, int) else 0, "type": "private"},
                "from": self.bot_user,
                "text": params.get("text", ""),
            }
            return message if method == "sendMessage" or "chat_id" in params else True
        if method == "getChatMember":
            status = self.member_status.get((params.get("chat_id"), params.get("user_id")), self.default_member_status)
            member = {"status": status, "user": {"id": params.get("user_id", 0), "is_bot": False, "first_name": "?"}}
            if status == "restricted":
                member.update(is_member=True, until_date=0, **{k: False for k in RESTRICTED_FLAGS})
            return member
        if method == "getFile":
            file_id = params["file_id"]
            return {"file_id": file_id, "file_unique_id": f"u-{file_id}", "file_size": len(self.files[file_id]),
                    "file_path": f"documents/{file_id}"}
        if method == "sendDocument":
            return {"message_id": next(self._message_ids), "date": int(time.time()),
                    "chat": {"id": params.get("chat_id", 0), "type": "private"}, "from": self.bot_user,
                    "document": {"file_id": "sent", "file_unique_id": "sent"}}
        if method == "getChat":  # a chat with no linked discussion group
            chat_id = params.get("chat_id", 0)
            return {"id": chat_id if isinstance(chat_id, int) else 0, "type": "channel", "title": "?",
                    "accent_color_id": 0, "max_reaction_count": 0,
                    "accepted_gift_types": {"unlimited_gifts": False, "limited_gifts": False,
                                            "unique_gifts": False, "premium_subscription": False,
                                            "gifts_from_channels": False}}
        if method == "getUpdates":
            return []
        return True
