"""A small Bot API on 127.0.0.1 for end-to-end tests: updates through getUpdates, sends recorded, faults injected.

getUpdates keeps Telegram's contract: an update stays pending until a later getUpdates confirms it
with offset > its update_id, so an answer lost on the way is delivered again. A fault plan says, for
the n-th call of a method, what goes wrong: "429" (retry_after 1), "500", "502", "400", "drop-before"
(the connection closes before the call is acted on), "drop-after" and "stall-after" (the call IS
acted on, then the connection closes, or the answer comes after the client's timeout).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_USER = {"id": 1000001, "is_bot": True, "first_name": "Claim bot", "username": "claimbot",
            "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": True}


@dataclass
class Sent:
    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)


class FakeBotApi:
    def __init__(self, token: str, plan: dict[str, dict[int, str]] | None = None, stall_seconds: float = 2.0) -> None:
        self.token = token
        self.plan = plan or {}
        self.stall_seconds = stall_seconds
        self.pending: list[dict[str, Any]] = []
        self.sent: list[Sent] = []
        self.calls: dict[str, int] = defaultdict(int)
        self.faults_done: list[tuple[str, int, str]] = []
        self.refusing = False
        self._new_update = asyncio.Event()
        self._message_ids = itertools.count(10_000)
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None
        self.port = 0

    # --- life -----------------------------------------------------------
    async def start(self) -> str:
        app = web.Application()
        app.router.add_route("*", "/{path:.*}", self._handle)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await self._runner.setup()
        self._site = web.TCPSite(self._runner, "127.0.0.1", self.port, reuse_address=True)
        await self._site.start()
        self.port = self._site._server.sockets[0].getsockname()[1]  # noqa: SLF001
        return f"http://127.0.0.1:{self.port}"

    async def refuse_connections(self, seconds: float) -> None:
        """Telegram unreachable for a while: nothing listens on the port."""
        self.refusing = True
        await self._site.stop()
        await asyncio.sleep(seconds)
        self._site = web.TCPSite(self._runner, "127.0.0.1", self.port, reuse_address=True)
        await self._site.start()
        self.refusing = False

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def add_updates(self, updates: list[dict[str, Any]]) -> None:
        self.pending.extend(updates)
        self._new_update.set()

    def sends(self, method: str = "sendMessage") -> list[Sent]:
        return [s for s in self.sent if s.method == method]

    # --- requests -------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = request.match_info["path"]
        prefix = f"bot{self.token}/"
        if not path.startswith(prefix):
            return self._json(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        method = path[len(prefix):]
        params = await self._params(request)
        self.calls[method] += 1
        fault = self.plan.get(method, {}).get(self.calls[method])
        if fault:
            self.faults_done.append((method, self.calls[method], fault))
        if fault == "429":
            return self._json(429, {"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 1",
                                    "parameters": {"retry_after": 1}})
        if fault in ("500", "502"):
            return self._json(int(fault), {"ok": False, "error_code": int(fault), "description": "Internal Server Error"})
        if fault == "400":
            return self._json(400, {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"})
        if fault == "drop-before":
            return self._drop(request, method)
        result = await self._result(method, params)
        if fault == "drop-after":
            return self._drop(request, method)
        if fault == "stall-after":
            await asyncio.sleep(self.stall_seconds)
        return self._json(200, {"ok": True, "result": result})

    @staticmethod
    def _drop(request: web.Request, method: str) -> web.Response:
        """Close the connection without an answer."""
        transport = request.transport
        assert transport is not None, f"{method}: the client left before the fault"
        transport.abort()
        return web.Response()

    @staticmethod
    async def _params(request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            return await request.json()
        form = await request.post()
        params: dict[str, Any] = {}
        for key, value in form.items():
            if key == "text" or not isinstance(value, str):
                params[key] = value
                continue
            try:
                params[key] = json.loads(value)
            except ValueError:
                params[key] = value
        return params

    @staticmethod
    def _json(status: int, body: dict[str, Any]) -> web.Response:
        response = web.json_response(body, status=status)
        response.force_close()  # a new connection per call: a refused port is seen at once
        return response

    async def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT_USER
        if method == "getUpdates":
            offset = int(params.get("offset") or 0)
            self.pending = [u for u in self.pending if u["update_id"] >= offset]
            if not self.pending:
                self._new_update.clear()
                try:
                    await asyncio.wait_for(self._new_update.wait(), timeout=min(float(params.get("timeout") or 0), 0.3))
                except asyncio.TimeoutError:
                    pass
            return self.pending[: int(params.get("limit") or 100)]
        self.sent.append(Sent(method, params))
        if method == "sendMessage":
            chat_id = params.get("chat_id")
            return {"message_id": next(self._message_ids), "date": int(time.time()), "from": BOT_USER,
                    "chat": {"id": chat_id, "type": "private" if int(chat_id) > 0 else "supergroup"},
                    "text": params.get("text", "")}
        return True
