"""The one rate-limit decision (a sliding-window counter) and the in-memory limiter.

The database-backed limiter is held to the same behaviour in tests/store/test_store_rate_limits.py.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.domain.ratelimit import MemoryRateLimiter, RateDecision, RateLimit, estimate, judge

HOUR = RateLimit("test-hour", 3, 3600.0)


def test_the_previous_window_fades_out_as_the_current_one_goes_on() -> None:
    # 3 hits in [0, 3600); at 3600 + 900 a quarter of the current window is gone.
    assert estimate(HOUR, 3, 0, 3600.0) == 3.0
    assert estimate(HOUR, 3, 1, 4500.0) == pytest.approx(3 * 0.75 + 1)
    assert estimate(HOUR, 3, 0, 7199.0) == pytest.approx(3 / 3600)


def test_a_refused_hit_says_when_the_next_one_would_pass() -> None:
    # Two hits last window, three this one: full until this window's hits fade next window.
    decision = judge(HOUR, 2, 3, 3600.0 + 1800.0)
    assert not decision.allowed
    # next window starts at 7200; 3 * (1 - y) + 1 <= 3 from y = 1/3 of it: 7200 + 1200
    assert decision.retry_after == 7200 + 1200 - 5400
    # One hit left this window but the previous one still weighs: wait for it to fade.
    decision = judge(HOUR, 4, 1, 3600.0)
    assert not decision.allowed
    assert decision.retry_after == 2700  # 4 * (1 - x) + 1 + 1 <= 3 from x = 3/4
    assert judge(HOUR, 4, 1, 3600.0 + decision.retry_after).allowed


@settings(deadline=None, max_examples=300, derandomize=True)
@given(
    limit=st.integers(min_value=1, max_value=50),
    previous=st.integers(min_value=0, max_value=200),
    current=st.integers(min_value=0, max_value=200),
    into=st.floats(min_value=0.0, max_value=0.999),
)
def test_retry_after_is_the_first_whole_second_that_passes(
    limit: int, previous: int, current: int, into: float
) -> None:
    rule = RateLimit("p", limit, 60.0)
    now = 6000.0 + into * 60.0
    decision = judge(rule, previous, current, now)
    if decision.allowed:
        assert estimate(rule, previous, current, now) + 1 <= limit
        return

    def counts_at(moment: float) -> tuple[int, int]:
        """(previous, current) at a later moment, no other hits meanwhile."""
        windows_on = (rule.window_start(moment) - rule.window_start(now)) // 60
        return {0: (previous, current), 1: (current, 0)}.get(windows_on, (0, 0))

    later = now + decision.retry_after
    assert judge(rule, *counts_at(later), later).allowed
    earlier = later - 1
    if decision.retry_after > 1:
        assert not judge(rule, *counts_at(earlier), earlier).allowed


def test_memory_limiter_allows_the_limit_then_refuses_and_refusals_do_not_count() -> None:
    limiter = MemoryRateLimiter()
    minute = RateLimit("test-minute", 3, 60.0)
    assert [limiter.hit("ip", [minute], now=t).allowed for t in (0.0, 1.0, 2.0, 3.0)] == [
        True,
        True,
        True,
        False,
    ]
    for moment in range(4, 60):
        assert not limiter.hit("ip", [minute], now=float(moment)).allowed
    # The refused hits did not count: next window, the three old hits fade as it goes on.
    assert not limiter.hit("ip", [minute], now=60.0).allowed
    assert limiter.hit("ip", [minute], now=80.5).allowed  # 3 * (1 - 20.5/60) + 1 <= 3


def test_every_limit_must_allow_and_a_refusal_counts_under_none() -> None:
    limiter = MemoryRateLimiter()
    short, long = RateLimit("short", 2, 10.0), RateLimit("long", 3, 1000.0)
    assert limiter.hit("k", [short, long], now=0.0).allowed
    assert limiter.hit("k", [short, long], now=1.0).allowed
    refused = limiter.hit("k", [short, long], now=2.0)  # short is full, long is not
    assert refused == RateDecision(False, refused.retry_after) and refused.retry_after > 0
    assert limiter.hit("k", [short, long], now=25.0).allowed  # long counted 3 only now
    assert not limiter.hit("k", [long], now=26.0).allowed


def test_check_counts_nothing_and_record_counts_whatever_the_limit() -> None:
    limiter = MemoryRateLimiter()
    rule = RateLimit("failures", 2, 60.0)
    assert limiter.check("k", [rule], now=0.0).allowed
    assert limiter.check("k", [rule], now=0.0).allowed
    for _ in range(5):
        limiter.record("k", [rule], now=1.0)
    assert not limiter.check("k", [rule], now=2.0).allowed
    assert limiter.check("other", [rule], now=2.0).allowed


def test_keys_and_limit_names_are_independent() -> None:
    limiter = MemoryRateLimiter()
    one = RateLimit("one", 1, 60.0)
    assert limiter.hit("a@example.com", [one], now=0.0).allowed
    assert limiter.hit("b@example.com", [one], now=0.0).allowed
    assert limiter.hit("a@example.com", [RateLimit("two", 1, 60.0)], now=0.0).allowed
    assert not limiter.hit("a@example.com", [one], now=1.0).allowed


def test_memory_is_bounded_by_forgetting_the_least_recent_keys() -> None:
    limiter = MemoryRateLimiter(max_keys=100)
    rule = RateLimit("flood", 1, 3600.0)
    for i in range(10_000):
        limiter.hit(f"flood{i}@example.com", [rule], now=1.0)
    assert len(limiter) == 100
    assert not limiter.hit("flood9999@example.com", [rule], now=2.0).allowed  # recent: kept


@pytest.mark.parametrize(
    ("name", "limit", "window"), [("x", -1, 60.0), ("x", 1, 0.0), ("", 1, 1.0), ("x" * 41, 1, 1.0)]
)
def test_nonsense_limits_are_refused(name: str, limit: int, window: float) -> None:
    with pytest.raises(ValueError, match="rate limit"):
        RateLimit(name, limit, window)
