"""The database-backed rate limiter: the same decisions as in memory, shared by every process
on the database (two stores on one database stand for two web processes or machines)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from newsdesk.domain.ratelimit import MemoryRateLimiter, RateLimit, RateLimiter
from newsdesk.store import SqlStore, open_store
from newsdesk.store.ratelimit_repo import PRUNE_EVERY_SECONDS, hashed_key
from newsdesk.store.schema import rate_counters

MINUTE = RateLimit("test-minute", 3, 60.0)
LONG = RateLimit("test-long", 5, 3600.0)


@pytest.fixture
def second_store(database_url: str, store: SqlStore) -> Iterator[SqlStore]:
    """Another store on the same database: another web process."""
    other = open_store(database_url, migrate=False)
    yield other
    other.close()


def _script(limiter: RateLimiter) -> list[object]:
    """One sequence of calls; every limiter must give the same answers."""
    answers: list[object] = [
        limiter.hit("203.0.113.7", [MINUTE, LONG], now=moment)
        for moment in (0.0, 1.0, 2.0, 3.0, 30.0, 59.0)
    ]
    answers.append(limiter.check("203.0.113.7", [MINUTE], now=61.0))
    answers.append(limiter.hit("203.0.113.7", [MINUTE], now=80.5))
    answers.append(limiter.hit("2001:db8::/64", [MINUTE], now=80.5))
    for _ in range(4):
        limiter.record("failures", [MINUTE], now=90.0)
    answers.append(limiter.check("failures", [MINUTE], now=91.0))
    answers.append(limiter.hit("203.0.113.7", [LONG], now=100.0))
    answers.append(limiter.hit("203.0.113.7", [LONG], now=101.0))
    return answers


def test_the_database_limiter_decides_exactly_like_the_memory_one(store: SqlStore) -> None:
    assert _script(store.rate_limiter()) == _script(MemoryRateLimiter())


def test_two_processes_share_one_limit(store: SqlStore, second_store: SqlStore) -> None:
    first, second = store.rate_limiter(), second_store.rate_limiter()
    assert first.hit("198.51.100.1", [MINUTE], now=0.0).allowed
    assert second.hit("198.51.100.1", [MINUTE], now=1.0).allowed
    assert first.hit("198.51.100.1", [MINUTE], now=2.0).allowed
    refused = second.hit("198.51.100.1", [MINUTE], now=3.0)
    assert not refused.allowed and refused.retry_after > 0
    assert not first.check("198.51.100.1", [MINUTE], now=3.0).allowed


def test_a_concurrent_burst_gets_exactly_the_limit_through(
    store: SqlStore, second_store: SqlStore
) -> None:
    limiters = [store.rate_limiter(), second_store.rate_limiter()]
    burst = RateLimit("test-burst", 10, 3600.0)
    results: list[bool] = []
    lock = threading.Lock()
    start = threading.Barrier(8)

    def client(index: int) -> None:
        start.wait()
        for _ in range(5):
            allowed = limiters[index % 2].hit("burst", [burst], now=10.0).allowed
            with lock:
                results.append(allowed)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 40
    assert results.count(True) == 10  # never more, and refusals did not eat the allowance


def test_keys_are_stored_hashed_and_expired_counters_are_pruned(
    store: SqlStore, second_store: SqlStore
) -> None:
    limiter = store.rate_limiter()
    limiter.hit("alice@example.com", [MINUTE], now=0.0)
    limiter.hit("bob@example.com", [MINUTE], now=0.0)

    def keys() -> list[str]:
        with store.engine.connect() as connection:
            return sorted(connection.execute(select(rate_counters.c.key)).scalars())

    assert keys() == sorted([hashed_key("alice@example.com"), hashed_key("bob@example.com")])
    assert "alice" not in "".join(keys())
    # Two windows on, a hit prunes its own key's old counters...
    limiter.hit("alice@example.com", [MINUTE], now=200.0)
    assert keys() == sorted([hashed_key("alice@example.com"), hashed_key("bob@example.com")])
    # ...and every few minutes every expired counter goes (bob never came back).
    second_store.rate_limiter().hit("carol@example.com", [MINUTE], now=PRUNE_EVERY_SECONDS + 1e3)
    assert keys() == [hashed_key("carol@example.com")]
