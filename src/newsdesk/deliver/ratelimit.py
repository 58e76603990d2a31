"""An in-memory sliding-window rate limiter (per process), bounded in memory."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque

MAX_KEYS = 100_000


class SlidingWindowLimiter:
    """At most `limit` hits per key in any `window` seconds; a refused hit does not count."""

    def __init__(self, limit: int, window: float, *, max_keys: int = MAX_KEYS) -> None:
        if limit < 0 or window <= 0:
            raise ValueError("a rate limit needs limit >= 0 and window > 0")
        self.limit = limit
        self.window = window
        self._max_keys = max_keys
        self._hits: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def allow(self, key: str, now: float | None = None) -> bool:
        """Record a hit for key and say whether it is within the limit."""
        moment = time.monotonic() if now is None else now
        with self._lock:
            hits = self._hits.get(key)
            if hits is None:
                hits = self._hits[key] = deque()
                # Keys seen least recently go first when a flood of keys (addresses, IPs)
                # would otherwise grow memory without bound.
                while len(self._hits) > self._max_keys:
                    self._hits.popitem(last=False)
            else:
                self._hits.move_to_end(key)
            while hits and hits[0] <= moment - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return False
            hits.append(moment)
            return True
