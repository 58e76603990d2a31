"""Rate limits: the one sliding-window decision, the RateLimiter protocol, an in-memory limiter.

Every surface that limits a client (sign-up per IP and per address, admin login failures;
later sign-in and API quotas) counts hits under a named RateLimit through a RateLimiter:
``MemoryRateLimiter`` below for one process, ``store.ratelimit_repo.StoreRateLimiter`` when
several web processes or machines share one database. Both count per (limit, key, fixed
window) and judge with ``judge``: the hits of the current window plus those of the previous
window weighted by how much of it still lies within the last ``window`` seconds (a sliding-
window counter). Two counters per key whatever the rate, so a database can keep them too.

Times are wall-clock seconds (``time.time()``): processes on several machines share them.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

MAX_KEYS = 100_000
MAX_NAME_CHARS = 40
EPSILON = 1e-9  # float rounding at the exact moment a hit becomes allowed again


@dataclass(frozen=True)
class RateLimit:
    """At most ``limit`` hits per key in any ``window`` seconds, counted under ``name``."""

    name: str  # "signup-ip", "admin-login-minute", …: one set of counters per name
    limit: int
    window: float

    def __post_init__(self) -> None:
        if not self.name or len(self.name) > MAX_NAME_CHARS:
            raise ValueError(f"a rate limit needs a name of 1 to {MAX_NAME_CHARS} characters")
        if self.limit < 0 or not self.window > 0 or not math.isfinite(self.window):
            raise ValueError("a rate limit needs limit >= 0 and a finite window > 0")

    def window_start(self, now: float) -> int:
        """The start (whole seconds) of the fixed window now falls in."""
        return int(math.floor(now / self.window) * self.window)

    def previous_start(self, now: float) -> int:
        return int((math.floor(now / self.window) - 1) * self.window)


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    retry_after: int = 0  # whole seconds until a hit would be allowed; 0 when allowed

    @staticmethod
    def combine(decisions: Sequence[RateDecision]) -> RateDecision:
        """Allowed when every decision allows; then wait for the longest."""
        refused = [d.retry_after for d in decisions if not d.allowed]
        return RateDecision(False, max(refused)) if refused else RateDecision(True)


def estimate(limit: RateLimit, previous: int, current: int, now: float) -> float:
    """Hits within the last ``window`` seconds, as the two fixed windows suggest."""
    into = (now - limit.window_start(now)) / limit.window
    return previous * (1.0 - into) + current


def judge(limit: RateLimit, previous: int, current: int, now: float) -> RateDecision:
    """Would one more hit stay within limit, given the hits counted in the previous and
    current fixed windows? If not, how long until one would (assuming no other hits)."""
    if estimate(limit, previous, current, now) + 1 <= limit.limit + EPSILON:
        return RateDecision(True)
    if limit.limit < 1:
        return RateDecision(False, math.ceil(limit.window))
    start, window, room = limit.window_start(now), limit.window, limit.limit - 1
    if current <= room and previous > 0:
        # Later in this window the previous window's weight has faded enough.
        moment = start + window * (1.0 - (room - current) / previous)
    else:
        # Only in the next window, once this window's hits have faded enough.
        moment = start + window + window * max(0.0, 1.0 - room / current)
    return RateDecision(False, max(1, math.ceil(moment - now)))


class RateLimiter(Protocol):
    """Counts hits per key under named limits; shared by every process that uses the same
    backend. Keys are opaque strings (an IP's rate_key, an email address, …)."""

    def hit(
        self, key: str, limits: Sequence[RateLimit], *, now: float | None = None
    ) -> RateDecision:
        """Count one hit for key under every limit if all of them allow it; a refused hit
        counts nowhere (so a client that keeps trying is not locked out for longer)."""

    def check(
        self, key: str, limits: Sequence[RateLimit], *, now: float | None = None
    ) -> RateDecision:
        """What hit would answer now, counting nothing."""

    def record(self, key: str, limits: Sequence[RateLimit], *, now: float | None = None) -> None:
        """Count one hit under every limit whatever they say (failures that must add up, such
        as wrong passwords: checked with check() before, recorded after)."""


class MemoryRateLimiter:
    """A RateLimiter in this process's memory: for one web process (the SQLite default).

    Bounded: when more than max_keys (limit, key) pairs are counted, the least recently used
    are forgotten, so a flood of distinct keys cannot grow memory without end."""

    def __init__(self, *, max_keys: int = MAX_KEYS, clock: Callable[[], float] = time.time) -> None:
        self._max_keys = max_keys
        self._clock = clock
        # (name, key) -> {window start: hits}, at most the current and the previous window
        self._counts: OrderedDict[tuple[str, str], dict[int, int]] = OrderedDict()
        self._lock = threading.Lock()

    def hit(
        self, key: str, limits: Sequence[RateLimit], *, now: float | None = None
    ) -> RateDecision:
        moment = self._clock() if now is None else now
        with self._lock:
            decision = self._judge(key, limits, moment)
            if decision.allowed:
                self._add(key, limits, moment)
        return decision

    def check(
        self, key: str, limits: Sequence[RateLimit], *, now: float | None = None
    ) -> RateDecision:
        moment = self._clock() if now is None else now
        with self._lock:
            return self._judge(key, limits, moment)

    def record(self, key: str, limits: Sequence[RateLimit], *, now: float | None = None) -> None:
        moment = self._clock() if now is None else now
        with self._lock:
            self._add(key, limits, moment)

    def __len__(self) -> int:
        return len(self._counts)

    def _judge(self, key: str, limits: Sequence[RateLimit], now: float) -> RateDecision:
        decisions = []
        for limit in limits:
            counts = self._counts.get((limit.name, key), {})
            previous = counts.get(limit.previous_start(now), 0)
            current = counts.get(limit.window_start(now), 0)
            decisions.append(judge(limit, previous, current, now))
        return RateDecision.combine(decisions)

    def _add(self, key: str, limits: Sequence[RateLimit], now: float) -> None:
        for limit in limits:
            slot = (limit.name, key)
            counts = self._counts.get(slot)
            if counts is None:
                counts = self._counts[slot] = {}
                while len(self._counts) > self._max_keys:
                    self._counts.popitem(last=False)
            else:
                self._counts.move_to_end(slot)
            start, previous = limit.window_start(now), limit.previous_start(now)
            for old in [s for s in counts if s not in (start, previous)]:
                del counts[old]
            counts[start] = counts.get(start, 0) + 1
