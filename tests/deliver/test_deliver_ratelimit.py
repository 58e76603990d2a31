"""The sliding-window limiter behind the sign-up rate limits."""

from __future__ import annotations

import pytest

from newsdesk.deliver.ratelimit import SlidingWindowLimiter


def test_allows_limit_hits_per_window_then_refuses_until_the_oldest_expires() -> None:
    limiter = SlidingWindowLimiter(3, 60.0)
    assert [limiter.allow("ip", now=t) for t in (0.0, 10.0, 20.0, 30.0)] == [
        True,
        True,
        True,
        False,
    ]
    assert not limiter.allow("ip", now=59.9)
    assert limiter.allow("ip", now=60.1)  # the hit at 0.0 left the window
    assert not limiter.allow("ip", now=60.2)


def test_refused_hits_do_not_extend_the_block() -> None:
    limiter = SlidingWindowLimiter(1, 10.0)
    assert limiter.allow("a", now=0.0)
    for moment in range(1, 10):
        assert not limiter.allow("a", now=float(moment))
    assert limiter.allow("a", now=10.5)


def test_keys_are_independent() -> None:
    limiter = SlidingWindowLimiter(1, 60.0)
    assert limiter.allow("a@example.com", now=0.0)
    assert limiter.allow("b@example.com", now=0.0)
    assert not limiter.allow("a@example.com", now=1.0)


def test_memory_is_bounded_by_forgetting_the_least_recent_keys() -> None:
    limiter = SlidingWindowLimiter(1, 3600.0, max_keys=100)
    for i in range(10_000):
        limiter.allow(f"flood{i}@example.com", now=1.0)
    assert len(limiter._hits) == 100
    assert not limiter.allow("flood9999@example.com", now=2.0)  # recent keys are kept


@pytest.mark.parametrize(("limit", "window"), [(-1, 60.0), (1, 0.0)])
def test_nonsense_limits_are_refused(limit: int, window: float) -> None:
    with pytest.raises(ValueError, match="rate limit"):
        SlidingWindowLimiter(limit, window)
