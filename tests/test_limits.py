"""The per-user question throttle: a sliding window, one polite refusal, bounded memory."""

from __future__ import annotations

from bot.limits import ALLOW, DENY, WARN, QuestionThrottle


def make(limit=3, seconds=60.0, max_users=100):
    now = [0.0]
    return QuestionThrottle(limit, seconds, max_users, clock=lambda: now[0]), now


def test_limit_then_one_warning_then_silence():
    throttle, now = make()
    assert [throttle.check(1) for _ in range(6)] == [ALLOW, ALLOW, ALLOW, WARN, DENY, DENY]
    assert throttle.check(2) == ALLOW  # another user is not affected


def test_the_window_slides():
    throttle, now = make(limit=2, seconds=60)
    assert throttle.check(1) == ALLOW
    now[0] = 30
    assert throttle.check(1) == ALLOW
    assert throttle.check(1) == WARN
    now[0] = 60  # the first question left the window
    assert throttle.check(1) == ALLOW
    assert throttle.check(1) == WARN  # a new window of refusals gets its own polite reply


def test_memory_is_bounded_least_recent_first():
    throttle, now = make(limit=1, max_users=3)
    for user in (1, 2, 3):
        throttle.check(user)
    throttle.check(1)  # 1 is now the most recent
    throttle.check(4)
    assert len(throttle) == 3
    assert throttle.check(1) == DENY  # 1 was remembered (and already warned)
    assert throttle.check(2) == ALLOW  # 2 was forgotten: a fresh start
