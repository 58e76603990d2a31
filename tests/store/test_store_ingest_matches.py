"""find_ingest_matches: the one read behind each ingest decision, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsdesk.domain.models import Article, FetchAttempt, FetchOutcome, Source
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
        ([second.canonical_url, second.canonical_url], second.id),
        # One or two URLs take a statement of their own, more an expanding list: both in order.
        (["https://news.example/a", "https://news.example/b", second.canonical_url], second.id),
        ([first.canonical_url, "https://news.example/a", second.canonical_url], first.id),
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


def test_key_and_hash_matches_do_not_stand_in_for_each_other(
    store: SqlStore, sources: tuple[int, int]
) -> None:
    # Both are read in one statement: a row found only by its hash is not the key's article,
    # and a row found only by the key is not the hash's.
    by_hash_only = store.save_article(_article(1, sources[0], guid="g-1", content_hash="same"))
    by_key_only = store.save_article(_article(2, sources[0], guid="g-2", content_hash="other"))
    for guid, urls in (("g-404", ["https://news.example/404"]), (None, []), ("g-404", [])):
        key, by_hash = store.find_ingest_matches(
            source_id=sources[0], guid=guid, canonical_urls=urls, content_hash="same"
        )
        assert key is None and by_hash is not None and by_hash.id == by_hash_only.id
    for guid, urls in (("g-2", []), (None, [by_key_only.canonical_url])):
        key, by_hash = store.find_ingest_matches(
            source_id=sources[0], guid=guid, canonical_urls=urls, content_hash="none"
        )
        assert by_hash is None and key is not None and key.id == by_key_only.id
    # One article that is both: the same article twice.
    key, by_hash = store.find_ingest_matches(
        source_id=sources[0],
        guid="g-1",
        canonical_urls=[by_key_only.canonical_url],
        content_hash="same",
    )
    assert key is not None and by_hash is not None
    assert key.id == by_hash.id == by_hash_only.id


def test_without_source_or_guid_only_urls_count(store: SqlStore, sources: tuple[int, int]) -> None:
    stored = store.save_article(_article(1, sources[0], guid="g-1"))
    assert store.find_ingest_matches(
        source_id=None, guid="g-1", canonical_urls=[], content_hash="none"
    ) == (None, None)
    key, _ = store.find_ingest_matches(
        source_id=None, guid=None, canonical_urls=[stored.canonical_url], content_hash="none"
    )
    assert key is not None and key.id == stored.id


def test_stored_entries_of_a_feed_in_one_read(store: SqlStore, sources: tuple[int, int]) -> None:
    mine, other = sources
    store.save_article(_article(1, mine, updated=T0))
    store.save_article(_article(2, other))  # found by URL from any source
    store.save_article(_article(3, other, guid="guid-9"))  # same GUID, other source: not by GUID
    found = store.find_stored_entries(
        source_id=mine,
        guids=["guid-1", "guid-9", "guid-404"],
        canonical_urls=["https://news.example/2", "https://news.example/404"],
    )
    assert sorted((e.source_id, e.guid, e.canonical_url, e.updated) for e in found) == [
        (mine, "guid-1", "https://news.example/1", T0),
        (other, "guid-2", "https://news.example/2", None),
    ]


def test_stored_entries_of_a_long_feed_span_several_queries(
    store: SqlStore, sources: tuple[int, int]
) -> None:
    for n in range(0, 1000, 7):
        store.save_article(_article(n, sources[0]))
    found = store.find_stored_entries(
        source_id=sources[0],
        guids=[f"guid-{n}" for n in range(1000)],
        canonical_urls=[f"https://news.example/{n}" for n in range(1000)],
    )
    assert sorted(int(e.canonical_url.rsplit("/", 1)[1]) for e in found) == list(range(0, 1000, 7))


def test_fetch_log_rows_are_written_with_the_article(
    store: SqlStore, sources: tuple[int, int]
) -> None:
    attempts = [
        FetchAttempt(sources[0], f"https://news.example/{n}", T0, FetchOutcome.OK, 200, 10, 0.1)
        for n in (1, 2)
    ]
    store.save_article(_article(1, sources[0]), fetch_attempts=attempts)
    assert sorted(a.url for a in store.recent_fetch_attempts(sources[0])) == [
        "https://news.example/1",
        "https://news.example/2",
    ]
    # A failed save writes neither the article nor its fetch log rows.
    with pytest.raises(ValueError, match="does not exist"):
        store.save_article(
            _article(5, sources[0], id=12345),
            fetch_attempts=[FetchAttempt(sources[0], "https://x.example/", T0, FetchOutcome.OK)],
        )
    assert len(store.recent_fetch_attempts(sources[0])) == 2
    store.record_fetch_attempts([])  # nothing to write is not an error
