"""Politeness gate: one request in flight per host, a delay between two, a global limit."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class HostGate:
    """Serialises requests per host key (``host:port``) and spaces them ``delay`` apart."""

    def __init__(self, *, delay: float, concurrency: int) -> None:
        self._delay = delay
        self._global = asyncio.Semaphore(concurrency)
        self._locks: dict[str, asyncio.Lock] = {}
        self._last_done: dict[str, float] = {}

    @asynccontextmanager
    async def slot(self, host_key: str) -> AsyncIterator[None]:
        lock = self._locks.setdefault(host_key, asyncio.Lock())
        async with lock:
            last = self._last_done.get(host_key)
            if last is not None:
                wait = last + self._delay - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
            async with self._global:
                try:
                    yield
                finally:
                    self._last_done[host_key] = time.monotonic()
