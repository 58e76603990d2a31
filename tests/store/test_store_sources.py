"""SourceStore behaviour of SqlStore, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.exc import StatementError

from newsdesk.domain.models import FetchAttempt, FetchOutcome, Source, SourceKind
from newsdesk.store import SqlStore

T0 = datetime(2026, 3, 1, 12, 0, 0, 123456, tzinfo=UTC)


def test_add_source_assigns_id_and_created_at(store: SqlStore) -> None:
    added = store.add_source(Source(url="https://example.org/feed.xml", name="Example"))
    assert added.id is not None
    assert added.created_at is not None
    assert added.created_at.tzinfo is UTC
    assert store.get_source(added.id) == added


def test_every_source_field_round_trips(store: SqlStore) -> None:
    source = Source(
        url="https://example.org/sitemap.xml",
        name="Sitemap",
        kind=SourceKind.SITEMAP,
        interval_seconds=900,
        feed_only=True,
        weight=2.5,
        enabled=False,
        disabled_reason="gone",
        etag='W/"abc"',
        last_modified="Sun, 01 Mar 2026 12:00:00 GMT",
        next_fetch_at=T0,
        last_attempt_at=T0 - timedelta(hours=1),
        last_success_at=T0 - timedelta(days=1),
        consecutive_failures=3,
        last_error="timeout",
        created_at=T0 - timedelta(days=30),
    )
    added = store.add_source(source)
    loaded = store.get_source_by_url(source.url)
    assert loaded == added
    assert loaded is not None
    assert loaded.kind is SourceKind.SITEMAP


def test_times_come_back_as_the_same_instant_in_utc(store: SqlStore) -> None:
    paris = timezone(timedelta(hours=2))
    local = datetime(2026, 6, 1, 14, 30, 15, 500, tzinfo=paris)
    added = store.add_source(Source(url="https://example.org/a", next_fetch_at=local))
    assert added.id is not None
    loaded = store.get_source(added.id)
    assert loaded is not None
    assert loaded.next_fetch_at == local
    assert loaded.next_fetch_at is not None
    assert loaded.next_fetch_at.utcoffset() == timedelta(0)
    assert loaded.next_fetch_at.hour == 12


def test_naive_times_are_refused(store: SqlStore) -> None:
    with pytest.raises(StatementError, match="naive datetime"):
        store.add_source(Source(url="https://example.org/a", next_fetch_at=datetime(2026, 1, 1)))
    assert store.list_sources() == []


def test_duplicate_url_raises_value_error(store: SqlStore) -> None:
    store.add_source(Source(url="https://example.org/feed"))
    with pytest.raises(ValueError, match="already exists"):
        store.add_source(Source(url="https://example.org/feed", name="again"))
    assert len(store.list_sources()) == 1


def test_missing_sources_are_none(store: SqlStore) -> None:
    assert store.get_source(12345) is None
    assert store.get_source_by_url("https://nowhere.example/") is None


def test_list_sources_in_insertion_order(store: SqlStore) -> None:
    urls = [f"https://example.org/{n}" for n in range(3)]
    for url in urls:
        store.add_source(Source(url=url))
    assert [source.url for source in store.list_sources()] == urls


def test_update_source_persists_schedule_validators_and_health(store: SqlStore) -> None:
    added = store.add_source(Source(url="https://example.org/feed"))
    added.etag = '"v2"'
    added.last_modified = "Mon, 02 Mar 2026 00:00:00 GMT"
    added.next_fetch_at = T0
    added.last_attempt_at = T0
    added.consecutive_failures = 2
    added.last_error = "http status: 503"
    added.enabled = False
    added.disabled_reason = "too many failures"
    store.update_source(added)
    assert added.id is not None
    assert store.get_source(added.id) == added


def test_update_of_a_removed_source_is_ignored(store: SqlStore) -> None:
    added = store.add_source(Source(url="https://example.org/feed"))
    assert added.id is not None
    assert store.remove_source(added.id)
    store.update_source(added)
    assert store.get_source(added.id) is None


def test_update_source_without_id_is_an_error(store: SqlStore) -> None:
    with pytest.raises(ValueError, match="id is None"):
        store.update_source(Source(url="https://example.org/feed"))


def test_remove_source_reports_whether_it_existed(store: SqlStore) -> None:
    added = store.add_source(Source(url="https://example.org/feed"))
    assert added.id is not None
    assert store.remove_source(added.id) is True
    assert store.remove_source(added.id) is False
    assert store.list_sources() == []


def test_due_sources_are_enabled_and_due_never_fetched_first(store: SqlStore) -> None:
    now = T0
    later = store.add_source(
        Source(url="https://example.org/later", next_fetch_at=now + timedelta(seconds=1))
    )
    due_late = store.add_source(Source(url="https://example.org/due-late", next_fetch_at=now))
    due_early = store.add_source(
        Source(url="https://example.org/due-early", next_fetch_at=now - timedelta(hours=1))
    )
    never = store.add_source(Source(url="https://example.org/never"))
    store.add_source(Source(url="https://example.org/off", enabled=False))
    due = store.due_sources(now)
    assert [s.url for s in due] == [never.url, due_early.url, due_late.url]
    assert later.url not in {s.url for s in due}
    assert [s.url for s in store.due_sources(now + timedelta(days=1))][-1] == later.url


def test_fetch_attempts_newest_first_and_filtered_by_source(store: SqlStore) -> None:
    a = store.add_source(Source(url="https://a.example/feed"))
    b = store.add_source(Source(url="https://b.example/feed"))
    assert a.id is not None
    assert b.id is not None
    first = FetchAttempt(
        source_id=a.id,
        url=a.url,
        started_at=T0,
        outcome=FetchOutcome.OK,
        status=200,
        bytes=1234,
        duration_seconds=0.25,
    )
    second = FetchAttempt(
        source_id=a.id,
        url=a.url,
        started_at=T0 + timedelta(minutes=5),
        outcome=FetchOutcome.ERROR,
        error="timeout: read",
        duration_seconds=30.0,
    )
    other = FetchAttempt(
        source_id=b.id,
        url=b.url,
        started_at=T0 + timedelta(minutes=1),
        outcome=FetchOutcome.NOT_MODIFIED,
        status=304,
    )
    unattached = FetchAttempt(
        source_id=None,
        url="https://c.example/",
        started_at=T0 + timedelta(minutes=2),
        outcome=FetchOutcome.OK,
        status=200,
    )
    for attempt in (first, second, other, unattached):
        store.record_fetch_attempt(attempt)
    assert store.recent_fetch_attempts(a.id) == [second, first]
    assert store.recent_fetch_attempts() == [second, unattached, other, first]
    assert store.recent_fetch_attempts(limit=2) == [second, unattached]
    loaded = store.recent_fetch_attempts(a.id)[0]
    assert loaded.outcome is FetchOutcome.ERROR


def test_removing_a_source_deletes_its_fetch_log(store: SqlStore) -> None:
    a = store.add_source(Source(url="https://a.example/feed"))
    b = store.add_source(Source(url="https://b.example/feed"))
    assert a.id is not None
    assert b.id is not None
    for source in (a, b):
        store.record_fetch_attempt(
            FetchAttempt(
                source_id=source.id, url=source.url, started_at=T0, outcome=FetchOutcome.OK
            )
        )
    store.remove_source(a.id)
    assert store.recent_fetch_attempts(a.id) == []
    assert [attempt.source_id for attempt in store.recent_fetch_attempts()] == [b.id]
