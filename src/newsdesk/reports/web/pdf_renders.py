"""The report PDFs a web process serves: from the disk cache when any process kept the PDF,
else rendered here, at most ``slots`` at once.

A render takes seconds of CPU, so one account (or a page of links) asking for many PDFs must
not hold every worker: a request that cannot get a render slot within ``wait_seconds`` is
refused (RendersBusyError: a 503 with Retry-After), and at most ``MAX_WAITING_PER_SLOT``
requests per slot wait at all, the others refused at once, so waiting requests hold only a
few of the threads that every synchronous route of the site shares. Identical requests
render once: the first renders while the others wait for it (up to
``SAME_PDF_PATIENCE_SECONDS``), then read the cache; when the cache kept nothing (it cannot
be written, or the render failed) they render in turn.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from newsdesk.reports.pdf_cache import PdfCache

MAX_WAITING_PER_SLOT = 4
SAME_PDF_PATIENCE_SECONDS = 30.0  # longer than a render of the largest report takes
RETRY_AFTER_SECONDS = 10


class RendersBusyError(Exception):
    """No render slot (or no place to wait for one) for this request now."""


@dataclass
class PdfRenders:
    cache: PdfCache = field(default_factory=lambda: PdfCache(None, 0))
    slots: int = 2
    wait_seconds: float = 3.0
    patience_seconds: float = SAME_PDF_PATIENCE_SECONDS

    def __post_init__(self) -> None:
        self._slots = threading.BoundedSemaphore(max(1, self.slots))
        self._lock = threading.Lock()
        self._waiting = 0
        self._flights: dict[str, tuple[threading.Lock, int]] = {}

    def pdf(self, key: str, render: Callable[[], bytes]) -> tuple[bytes, bool]:
        """(the PDF kept under key, or render()'s, which is then kept; whether it was kept)."""
        kept = self.cache.get(key)
        if kept is not None:
            return kept, True
        with self._flight(key):
            kept = self.cache.get(key)  # rendered by the request this one waited for
            if kept is not None:
                return kept, True
            with self._slot():
                pdf = render()
            self.cache.put(key, pdf)
            return pdf, False

    @property
    def waiting(self) -> int:
        return self._waiting

    @contextmanager
    def _slot(self) -> Iterator[None]:
        self._take(self._slots, self.wait_seconds)
        try:
            yield
        finally:
            self._slots.release()

    @contextmanager
    def _flight(self, key: str) -> Iterator[None]:
        with self._lock:
            lock, users = self._flights.get(key, (threading.Lock(), 0))
            self._flights[key] = (lock, users + 1)
        try:
            self._take(lock, self.patience_seconds)
            try:
                yield
            finally:
                lock.release()
        finally:
            with self._lock:
                lock, users = self._flights[key]
                if users == 1:
                    del self._flights[key]
                else:
                    self._flights[key] = (lock, users - 1)

    def _take(self, lock: threading.Lock | threading.BoundedSemaphore, seconds: float) -> None:
        """Acquire lock, waiting up to seconds if there is room to wait; else RendersBusyError."""
        if lock.acquire(blocking=False):
            return
        with self._lock:
            if self._waiting >= MAX_WAITING_PER_SLOT * max(1, self.slots):
                raise RendersBusyError
            self._waiting += 1
        try:
            if not lock.acquire(timeout=seconds):
                raise RendersBusyError
        finally:
            with self._lock:
                self._waiting -= 1
