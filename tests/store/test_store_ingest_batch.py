"""IngestBatch: ingest decisions and saves in one transaction, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from newsdesk.domain.models import Article, FetchAttempt, FetchOutcome, Source
from newsdesk.store import SqlStore
from newsdesk.store.schema import stories

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
def source_id(store: SqlStore) -> int:
    source = store.add_source(Source(url="https://news.example/feed.xml"))
    assert source.id is not None
    return source.id


def test_the_batch_reads_its_own_writes_and_others_see_them_after_commit(
    store: SqlStore, source_id: int
) -> None:
    batch = store.ingest_batch()
    first = batch.save_article(_article(1, source_id))
    by_key, by_hash = batch.find_ingest_matches(
        source_id=source_id,
        guid="guid-other",
        canonical_urls=["https://news.example/9"],
        content_hash="hash-1",
    )
    assert by_key is None and by_hash is not None and by_hash.id == first.id
    assert batch.pending == 1 and batch.age_seconds() >= 0
    assert store.count_articles() == 0  # not committed: other connections see nothing yet
    batch.commit()
    assert batch.pending == 0 and batch.age_seconds() == 0
    assert store.count_articles() == 1
    assert store.get_article(first.id) is not None  # type: ignore[arg-type]


def test_one_failed_save_leaves_the_others_of_the_batch(store: SqlStore, source_id: int) -> None:
    batch = store.ingest_batch()
    attempt = FetchAttempt(source_id, "https://news.example/1", T0, FetchOutcome.OK, 200)
    batch.save_article(_article(1, source_id), fetch_attempts=[attempt])
    with pytest.raises(ValueError, match="does not exist"):
        batch.save_article(
            _article(2, source_id, id=4242),
            fetch_attempts=[FetchAttempt(source_id, "https://x.example/", T0, FetchOutcome.OK)],
        )
    batch.save_article(_article(3, source_id))
    batch.commit()
    assert sorted(a.canonical_url for a in store.list_articles()) == [
        "https://news.example/1",
        "https://news.example/3",
    ]
    assert [a.url for a in store.recent_fetch_attempts(source_id)] == ["https://news.example/1"]


def test_a_save_that_fails_in_the_database_is_undone_alone(store: SqlStore, source_id: int) -> None:
    # The article row is refused after its new story went in: the story goes too, and the
    # transaction takes the next save (PostgreSQL refuses every statement after an error
    # unless the savepoint was rolled back).
    batch = store.ingest_batch()
    batch.save_article(_article(1, source_id))
    with pytest.raises(ValueError, match="cannot save article"):
        batch.save_article(_article(2, source_id, text=None))
    batch.save_article(_article(3, source_id))
    batch.commit()
    stored = store.list_articles()
    assert sorted(a.canonical_url for a in stored) == [
        "https://news.example/1",
        "https://news.example/3",
    ]
    with store.engine.connect() as connection:  # list_stories skips stories without articles
        titles = connection.execute(select(stories.c.title).order_by(stories.c.title)).scalars()
        assert list(titles) == ["Headline 1", "Headline 3"]


def test_a_batch_given_up_stores_nothing(store: SqlStore, source_id: int) -> None:
    batch = store.ingest_batch()
    batch.save_article(_article(1, source_id))
    batch.rollback()
    assert store.count_articles() == 0
    batch.save_article(_article(2, source_id))  # the batch opens a new transaction
    batch.commit()
    assert [a.canonical_url for a in store.list_articles()] == ["https://news.example/2"]


def test_fetch_log_rows_are_written_at_commit_with_their_articles(
    store: SqlStore, source_id: int
) -> None:
    batch = store.ingest_batch()
    for n in (1, 2):
        attempt = FetchAttempt(source_id, f"https://news.example/{n}", T0, FetchOutcome.OK, 200)
        batch.save_article(_article(n, source_id), fetch_attempts=[attempt])
    assert store.recent_fetch_attempts(source_id) == []  # nothing before the commit
    batch.commit()
    assert sorted(a.url for a in store.recent_fetch_attempts(source_id)) == [
        "https://news.example/1",
        "https://news.example/2",
    ]
    batch.save_article(
        _article(3, source_id),
        fetch_attempts=[FetchAttempt(source_id, "https://news.example/3", T0, FetchOutcome.OK)],
    )
    batch.rollback()  # a batch given up drops its fetch log rows with its articles
    batch.commit()
    assert len(store.recent_fetch_attempts(source_id)) == 2
