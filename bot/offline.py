"""A Bot API that answers locally and records every call: for the console, replays and tests.

Calls that Telegram would refuse (bot/api_rules.py: bad HTML, too long, bad buttons) get its 400 answer."""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass
from typing import Any

from telegram.request import BaseRequest, RequestData

from .api_rules import call_problem

OFFLINE_TOKEN = "123456:offline"


@dataclass
class ApiCall:
    method: str
    params: dict[str, Any]


class RecordingRequest(BaseRequest):
    """Answers every Bot API method without a network and keeps the calls in order."""

    def __init__(self, bot_username: str = "claimbot", bot_id: int = 1000001) -> None:
        self.bot_user = {"id": bot_id, "is_bot": True, "first_name": "Claim bot", "username": bot_username,
                         "can_join_groups": True, "can_read_all_group_messages": False,
                         "supports_inline_queries": True}
        self.calls: list[ApiCall] = []
        self.refused: list[tuple[ApiCall, str]] = []  # calls Telegram would answer with 400, and why
        self._message_ids = itertools.count(1)

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
        api_method = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data is not None else {}
        problem = call_problem(api_method, params)
        if problem is not None:  # as Telegram does: 400, and nothing sent
            self.refused.append((ApiCall(api_method, params), problem))
            return 400, json.dumps({"ok": False, "error_code": 400, "description": f"Bad Request: {problem}"},
                                   ensure_ascii=False).encode()
        params = json.loads(json.dumps(params, default=str))
        if api_method != "getMe":
            self.calls.append(ApiCall(api_method, params))
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
            return {"status": "member", "user": {"id": params.get("user_id", 0), "is_bot": False, "first_name": "?"}}
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
