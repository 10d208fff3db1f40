"""A clock for Curator and the approval flow that moves one minute a call, so every change has its own time."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone


class Clock:
    """A clock that moves one minute a call, so every change has its own time."""

    def __init__(self) -> None:
        self.now = datetime(2026, 1, 1, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now
