"""What worker processes share through the database: poll generations that fence late writes,
per-host claims that space requests, and the periods a periodic job ran for."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsdesk.domain import Article, FencedOut, FetchAttempt, FetchOutcome, Source
from newsdesk.store import SqlStore


def _article(source_id: int, n: int) -> Article:
    return Article(
        source_id=source_id,
        url=f"https://wire.example/{n}",
        canonical_url=f"https://wire.example/{n}",
        title=f"Story {n}",
        text="Copper prices rose.",
        content_hash=f"hash-{n}",
    )


def test_a_later_poll_fences_out_every_write_of_the_earlier_one(store: SqlStore) -> None:
    source = store.add_source(Source(url="https://wire.example/feed.xml"))
    assert source.id is not None
    first = store.begin_poll(source.id, holder="worker-a")
    assert first is not None
    store.save_article(_article(source.id, 1), fence=first)  # the newest poll: accepted
    second = store.begin_poll(source.id, holder="worker-b")
    assert second is not None and second.generation == first.generation + 1
    attempt = FetchAttempt(
        source_id=source.id,
        url=source.url,
        started_at=datetime(2026, 1, 1, tzinfo=UTC),
        outcome=FetchOutcome.OK,
        status=200,
        bytes=1,
        duration_seconds=0.1,
    )
    with pytest.raises(FencedOut):
        store.save_article(_article(source.id, 2), fence=first)
    with pytest.raises(FencedOut):
        store.record_fetch_attempt(attempt, fence=first)
    with pytest.raises(FencedOut):
        store.update_source(source, fence=first)
    assert store.count_articles() == 1
    assert store.recent_fetch_attempts(source.id) == []
    store.save_article(_article(source.id, 2), fence=second)
    assert store.count_articles() == 2
    assert store.begin_poll(source.id + 1000, holder="worker-c") is None  # no such source


def test_a_host_is_claimed_by_one_holder_until_its_release_and_delay(store: SqlStore) -> None:
    assert store.claim_host("wire.example:443", holder="a", hold_seconds=30) == 0.0
    waiting = store.claim_host("wire.example:443", holder="b", hold_seconds=30)
    assert 0 < waiting <= 30  # until the claim would expire
    assert store.claim_host("other.example:443", holder="b", hold_seconds=30) == 0.0
    store.release_host("wire.example:443", holder="b", delay=0)  # not b's: ignored
    assert store.claim_host("wire.example:443", holder="b", hold_seconds=30) > 0
    store.release_host("wire.example:443", holder="a", delay=20)
    after_release = store.claim_host("wire.example:443", holder="b", hold_seconds=30)
    assert 0 < after_release <= 20  # the delay after a's request, not a's whole claim


def test_a_release_after_the_claim_expired_leaves_the_next_holder_alone(
    store: SqlStore,
) -> None:
    assert store.claim_host("wire.example:443", holder="a", hold_seconds=0) == 0.0
    assert store.claim_host("wire.example:443", holder="b", hold_seconds=30) == 0.0  # a expired
    store.release_host("wire.example:443", holder="a", delay=0)  # a, late: ignored
    assert store.claim_host("wire.example:443", holder="c", hold_seconds=30) > 0


def test_a_period_is_claimed_once(store: SqlStore) -> None:
    assert store.claim_period("schedule", 1_796_476_929)
    assert not store.claim_period("schedule", 1_796_476_929)
    assert store.claim_period("schedule", 1_796_476_930)
    assert store.claim_period("digests", 1_796_476_929)
    assert store.forget_periods("schedule", before=1_796_476_930) == 1
