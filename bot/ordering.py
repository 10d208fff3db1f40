"""Concurrent updates, in order within each chat.

Updates from different chats are handled at the same time (up to a limit), so a slow reply (a Bot
API retry, a flood wait) holds nobody else up; updates of one chat (or, without a chat, of one user)
wait for each other and run in the order they came, so a conversation (a guided /add) never races.
"""

from __future__ import annotations

import asyncio
from typing import Any, Awaitable

from telegram import Update
from telegram.ext import BaseUpdateProcessor


def order_key(update: object) -> int | None:
    """The chat an update belongs to, else its user; None when neither (polls...)."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    return update.effective_user.id if update.effective_user is not None else None


class ChatOrderedProcessor(BaseUpdateProcessor):
    """At most max_concurrent_updates at once; one at a time per chat, first come first served."""

    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._queues: dict[int, list[Any]] = {}  # chat -> [lock, updates waiting or running]
        self.handled = 0  # updates done since start

    def __len__(self) -> int:
        """Chats with an update waiting or running (their locks are forgotten when none is left)."""
        return len(self._queues)

    async def process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        try:
            await self._in_turn(update, coroutine)
        finally:
            self.handled += 1

    async def _in_turn(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = order_key(update)
        if key is None:
            await super().process_update(update, coroutine)
            return
        entry = self._queues.setdefault(key, [asyncio.Lock(), 0])
        entry[1] += 1
        try:
            async with entry[0]:  # the chat's turn first, then a slot: a busy chat holds no slot while waiting
                await super().process_update(update, coroutine)
        finally:
            entry[1] -= 1
            if entry[1] == 0:
                del self._queues[key]

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        await coroutine

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass


class BoundedUpdateQueue(asyncio.Queue):
    """The application's update queue, bounded twice: at most `maxsize` updates wait (put() then waits,
    which slows long polling and the webhook's answer to Telegram) and at most `in_flight` are being
    handled (get() then waits), so a flood cannot grow the bot's memory without limit.

    PTB takes every update off its queue at once and starts a task for it; the updates being handled
    are those taken and not yet marked done (PTB calls task_done() when one is handled)."""

    def __init__(self, maxsize: int, in_flight: int) -> None:
        super().__init__(maxsize)
        self.in_flight = max(1, in_flight)
        self.handling = 0  # updates taken off the queue and not handled yet
        self._slot: asyncio.Future[None] | None = None  # what get() waits on while all slots are taken

    async def get(self) -> Any:
        while self.handling >= self.in_flight:
            self._slot = asyncio.get_running_loop().create_future()
            await self._slot
        return await super().get()  # which takes the item with get_nowait()

    def get_nowait(self) -> Any:
        item = super().get_nowait()
        self.handling += 1
        return item

    def task_done(self) -> None:
        super().task_done()
        self.handling = max(0, self.handling - 1)
        if self._slot is not None and not self._slot.done():
            self._slot.set_result(None)
