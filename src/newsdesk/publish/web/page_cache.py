"""Rendered anonymous pages kept by one web process (publish.web.caching decides what goes in).

Each page is kept with the store's content version it was rendered at (migration 0015: a
number the database changes on every committed change to what reading pages show). A page
is served only while the version read at the start of the request is still that one and it
is younger than the time to live: so an edit made through any web process or command is
seen by every process on its next request, and the time to live only bounds what depends on
the clock (the 48-hour window of the top lists). Least recently used pages go first once
the pages and their keys take more than the memory bound.

``SingleFlight`` coalesces misses: while one request renders a page (a key at a content
version), identical requests on the same event loop wait for it instead of rendering it too,
then read the cache like any request; when nothing was kept (an error, an answer made for a
member) each of them renders on its own, so an error is never handed on.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

ENTRY_OVERHEAD_BYTES = 512  # the key, the entry and its header tuples, roughly


@dataclass(frozen=True)
class CachedPage:
    """One rendered answer: its status, final headers (ETag included) and body."""

    version: int  # the content version it was rendered at
    stored_at: float  # the cache's clock when it was rendered
    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes
    etag: str
    last_modified: datetime

    @property
    def size(self) -> int:
        headers = sum(len(name) + len(value) for name, value in self.headers)
        return len(self.body) + headers + ENTRY_OVERHEAD_BYTES


class PageCache:
    """A bounded least-recently-used map of request targets to rendered pages."""

    def __init__(
        self, *, max_bytes: int, seconds: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.max_bytes = max(0, max_bytes)
        self.seconds = max(0.0, seconds)
        self.clock = clock
        self._pages: OrderedDict[str, CachedPage] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0 and self.seconds > 0

    def get(self, key: str, version: int) -> CachedPage | None:
        """The page kept for key if it was rendered at this content version and is fresh."""
        with self._lock:
            page = self._pages.get(key)
            if page is None:
                return None
            if page.version != version or self.clock() - page.stored_at >= self.seconds:
                self._drop(key)
                return None
            self._pages.move_to_end(key)
            return page

    def put(self, key: str, page: CachedPage) -> None:
        """Keep page for key (a page bigger than an eighth of the bound is not kept)."""
        if not self.enabled or _cost(key, page) > self.max_bytes // 8:
            return
        with self._lock:
            self._drop(key)
            self._pages[key] = page
            self._bytes += _cost(key, page)
            while self._bytes > self.max_bytes and self._pages:
                self._drop(next(iter(self._pages)))

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._pages)

    @property
    def bytes(self) -> int:
        return self._bytes

    def _drop(self, key: str) -> None:
        page = self._pages.pop(key, None)
        if page is not None:
            self._bytes -= _cost(key, page)


RENDER_PATIENCE_SECONDS = 10.0  # how long an identical miss waits for a render in progress


@dataclass
class Flight:
    """One render in progress: the loop it runs on and what its waiters wait for."""

    loop: asyncio.AbstractEventLoop
    done: asyncio.Event
    waiters: int = 0


class SingleFlight:
    """The renders in progress in one process, per flight key (the caller's key: the page and
    the content version). take() makes the caller the leader of a key that has none, or says
    another leads; wait() waits for that one; land() ends a flight and wakes its waiters."""

    def __init__(self, *, patience_seconds: float = RENDER_PATIENCE_SECONDS) -> None:
        self._flights: dict[str, Flight] = {}
        self._lock = threading.Lock()
        self.patience_seconds = patience_seconds

    def take(self, key: str) -> Flight | None:
        """A new flight the caller leads (it must land() it), or None: one is in progress."""
        with self._lock:
            if key in self._flights:
                return None
            flight = Flight(asyncio.get_running_loop(), asyncio.Event())
            self._flights[key] = flight
            return flight

    async def wait(self, key: str) -> bool:
        """Wait until the flight of key lands; False when there is none to wait for here (it
        landed already, or runs on another event loop, whose event cannot be awaited here) or
        when it has not landed within the patience: a render stuck on a lock or a slow query
        must not hold every identical request with it, so the waiter renders on its own."""
        with self._lock:
            flight = self._flights.get(key)
            if flight is None or flight.loop is not asyncio.get_running_loop():
                return False
            flight.waiters += 1
        try:
            await asyncio.wait_for(flight.done.wait(), self.patience_seconds)
        except TimeoutError:
            with self._lock:
                flight.waiters -= 1
            return False
        return True

    def land(self, key: str, flight: Flight) -> None:
        """End the flight and wake its waiters (again: nothing more happens)."""
        with self._lock:
            if self._flights.get(key) is flight:
                del self._flights[key]
        flight.done.set()

    def waiters(self, key: str) -> int:
        """How many requests wait for the flight of key (0 when none is in progress)."""
        with self._lock:
            flight = self._flights.get(key)
            return flight.waiters if flight is not None else 0

    def __len__(self) -> int:
        return len(self._flights)


def _cost(key: str, page: CachedPage) -> int:
    """The memory a kept page is counted at: the page and its key (the request target, which
    a client chooses)."""
    return page.size + len(key)
