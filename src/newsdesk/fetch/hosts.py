"""Politeness gates: one request in flight per host, a delay between two, a global limit.

``HostGate`` holds this state in the process (``newsdesk run``, the CLI). ``SharedHostGate``
holds it in a lease per host that every fetching process claims atomically (``newsdesk
worker`` on several machines), so politeness is per host, not per process.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Protocol

# A waiting claimer asks again at least this often: a request in flight may end (and its
# delay start) long before the claim it took would expire.
LEASE_POLL_SECONDS = 0.25


class HostSlots(Protocol):
    """What the Fetcher asks before each request (each redirect hop) to a host."""

    def slot(self, host_key: str) -> AbstractAsyncContextManager[None]: ...


class HostLeases(Protocol):
    """A lease per host held in shared storage (newsdesk.store implements it)."""

    def claim_host(self, host: str, *, holder: str, hold_seconds: float) -> float:
        """0.0 when holder now holds host for at most hold_seconds, else seconds to wait."""

    def release_host(self, host: str, *, holder: str, delay: float) -> None:
        """End holder's claim; the next request may start delay seconds from now."""


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


class SharedHostGate:
    """Like HostGate, with the per-host state in leases shared by every process.

    Within the process one request per host waits for the lease at a time (no point in
    several asking); the lease then orders this process against the others. A claim lasts at
    most ``hold_seconds`` (the request deadline and a margin): a process that dies holding it
    delays the host by that much, never lets two requests overlap.
    """

    def __init__(
        self, leases: HostLeases, *, delay: float, concurrency: int, hold_seconds: float
    ) -> None:
        self._leases = leases
        self._delay = delay
        self._hold = hold_seconds
        self._global = asyncio.Semaphore(concurrency)
        self._locks: dict[str, asyncio.Lock] = {}

    @asynccontextmanager
    async def slot(self, host_key: str) -> AsyncIterator[None]:
        lock = self._locks.setdefault(host_key, asyncio.Lock())
        async with lock:
            holder = uuid.uuid4().hex
            while True:
                wait = self._leases.claim_host(host_key, holder=holder, hold_seconds=self._hold)
                if wait <= 0:
                    break
                await asyncio.sleep(min(wait, LEASE_POLL_SECONDS))
            try:
                async with self._global:
                    yield
            finally:
                self._leases.release_host(host_key, holder=holder, delay=self._delay)
