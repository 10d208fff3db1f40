"""A per-user question throttle whose memory is bounded (least recently seen users are forgotten)."""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from typing import Callable

ALLOW, WARN, DENY = "allow", "warn", "deny"


@dataclass
class _Window:
    times: deque[float] = field(default_factory=deque)
    warned: bool = False


class QuestionThrottle:
    """At most limit questions per user in any period of seconds; the first refusal says so, later ones are silent."""

    def __init__(self, limit: int, seconds: float, max_users: int = 10_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.seconds = seconds
        self.max_users = max_users
        self.clock = clock
        self._users: OrderedDict[int, _Window] = OrderedDict()

    def __len__(self) -> int:
        return len(self._users)

    def check(self, user_id: int) -> str:
        """ALLOW (and count the question), WARN (first refusal in this window) or DENY."""
        now = self.clock()
        window = self._users.get(user_id)
        if window is None:
            window = self._users[user_id] = _Window()
            while len(self._users) > self.max_users:
                self._users.popitem(last=False)
        else:
            self._users.move_to_end(user_id)
        while window.times and now - window.times[0] >= self.seconds:
            window.times.popleft()
        if len(window.times) < self.limit:
            window.times.append(now)
            window.warned = False
            return ALLOW
        if window.warned:
            return DENY
        window.warned = True
        return WARN


# --- PTB's per-user and per-chat dicts -----------------------------------------------------------------
# PTB keeps a user_data dict for every user (and a chat_data dict for every chat) whose update touched
# context.user_data, even just to read it: one per user who ever wrote to the bot. Empty ones are
# dropped after each update; of those that hold something (a /lang choice, a moderator's draft), the
# MAX_USERS_KEPT most recent stay.
LAST_GROUP = 1_000  # the handler group trim_state runs in, after every other handler
MAX_USERS_KEPT = 50_000
MAX_CHATS_KEPT = 50_000


def trim_ptb_state(application, update: object) -> None:
    """Forget the update's user and chat dicts when empty; cap how many are kept, oldest out first."""
    user = getattr(update, "effective_user", None)
    chat = getattr(update, "effective_chat", None)
    if user is not None and user.id in application.user_data and not application.user_data[user.id]:
        application.drop_user_data(user.id)
    if chat is not None and chat.id in application.chat_data and not application.chat_data[chat.id]:
        application.drop_chat_data(chat.id)
    while len(application.user_data) > MAX_USERS_KEPT:
        application.drop_user_data(next(iter(application.user_data)))
    while len(application.chat_data) > MAX_CHATS_KEPT:
        application.drop_chat_data(next(iter(application.chat_data)))


async def trim_state(update: object, context) -> None:
    """Last handler of every update (bot/app.py)."""
    trim_ptb_state(context.application, update)
