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
