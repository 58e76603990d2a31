"""Worker tests: a migrated PostgreSQL schema with the queue's tables, and a data dir."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from newsdesk.queue.procrastinate_queue import apply_queue_schema
from newsdesk.store import SqlStore, open_store, upgrade


@pytest.fixture
def queue_url(postgres_url: str) -> str:
    """A fresh schema with newsdesk's tables and the queue's (what `newsdesk db upgrade` does;
    test_workers_roles runs the command itself)."""
    upgrade(postgres_url)
    apply_queue_schema(postgres_url)
    return postgres_url


@pytest.fixture
def queue_store(queue_url: str) -> Iterator[SqlStore]:
    store = open_store(queue_url, migrate=False)
    try:
        yield store
    finally:
        store.close()
