"""find_ingest_matches: the one read behind each ingest decision, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsdesk.domain.models import Article, Source
from newsdesk.store import SqlStore

T0 = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)


def _article(n: int, source_id: int | None, **fields: object) -> Article:
    values: dict[str, object] = {
        "source_id": source_id,
        "url": f"https://news.example/{n}",
        "canonical_url": f"https://news.example/{n}",
        "title": f"Headline {n}",
        "text": f"Body {n}.",
        "guid": f"guid-{n}",
        "content_hash": f"hash-{n}",
        "published": T0,
    }
    values.update(fields)
    return Article(**values)  # type: ignore[arg-type]


@pytest.fixture
def sources(store: SqlStore) -> tuple[int, int]:
    first = store.add_source(Source(url="https://news.example/feed.xml"))
    second = store.add_source(Source(url="https://other.example/feed.xml"))
    assert first.id is not None and second.id is not None
    return first.id, second.id


def test_nothing_stored_finds_nothing(store: SqlStore, sources: tuple[int, int]) -> None:
    assert store.find_ingest_matches(
        source_id=sources[0], guid="g", canonical_urls=["https://x.example/1"], content_hash="h"
    ) == (None, None)


def test_guid_of_the_source_wins_over_a_url_match(
    store: SqlStore, sources: tuple[int, int]
) -> None:
    by_url = store.save_article(_article(1, sources[1], guid="other"))
    by_guid = store.save_article(_article(2, sources[0], guid="g-7"))
    key, _ = store.find_ingest_matches(
        source_id=sources[0],
        guid="g-7",
        canonical_urls=[by_url.canonical_url],
        content_hash="none",
    )
    assert key is not None and key.id == by_guid.id


def test_a_guid_of_another_source_is_not_a_match(store: SqlStore, sources: tuple[int, int]) -> None:
    store.save_article(_article(1, sources[1], guid="shared-guid"))
    assert store.find_ingest_matches(
        source_id=sources[0],
        guid="shared-guid",
        canonical_urls=["https://news.example/elsewhere"],
        content_hash="none",
    ) == (None, None)


def test_urls_are_tried_in_the_order_given(store: SqlStore, sources: tuple[int, int]) -> None:
    first = store.save_article(_article(1, sources[0]))
    second = store.save_article(_article(2, sources[0]))
    for urls, expected in (
        ([second.canonical_url, first.canonical_url], second.id),
        ([first.canonical_url, second.canonical_url], first.id),
        (["https://news.example/missing", second.canonical_url], second.id),
    ):
        key, _ = store.find_ingest_matches(
            source_id=sources[0], guid=None, canonical_urls=urls, content_hash="none"
        )
        assert key is not None and key.id == expected


def test_hash_match_is_the_earliest_and_independent_of_the_key(
    store: SqlStore, sources: tuple[int, int]
) -> None:
    earliest = store.save_article(_article(1, sources[0], content_hash="same"))
    store.save_article(_article(2, sources[1], content_hash="same"))
    keyed = store.save_article(_article(3, sources[0]))
    key, by_hash = store.find_ingest_matches(
        source_id=sources[0],
        guid=keyed.guid,
        canonical_urls=["https://news.example/new"],
        content_hash="same",
    )
    assert key is not None and key.id == keyed.id
    assert by_hash is not None and by_hash.id == earliest.id
    assert by_hash.text == earliest.text  # whole rows, as find_article returns them


def test_without_source_or_guid_only_urls_count(store: SqlStore, sources: tuple[int, int]) -> None:
    stored = store.save_article(_article(1, sources[0], guid="g-1"))
    assert store.find_ingest_matches(
        source_id=None, guid="g-1", canonical_urls=[], content_hash="none"
    ) == (None, None)
    key, _ = store.find_ingest_matches(
        source_id=None, guid=None, canonical_urls=[stored.canonical_url], content_hash="none"
    )
    assert key is not None and key.id == stored.id
