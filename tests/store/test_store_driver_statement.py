"""DriverStatement: ingest's statements on SQLite's cursor send what SQLAlchemy sent."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Connection, event
from sqlalchemy.exc import IntegrityError

from newsdesk.domain.access import Visibility
from newsdesk.domain.models import Article, Source
from newsdesk.store import SqlStore, articles_repo, ingest_matches, open_store
from newsdesk.store.article_rows import article_values

T0 = datetime(2026, 3, 1, 8, 30, 15, 123456, tzinfo=UTC)


@pytest.fixture
def sqlite_store(tmp_path: Any) -> Iterator[SqlStore]:
    opened = open_store(f"sqlite:///{tmp_path / 'newsdesk.db'}")
    try:
        yield opened
    finally:
        opened.close()


def _article(n: int, story_id: int | None) -> Article:
    return Article(
        source_id=None,
        url=f"https://news.example/{n}?utm=x",
        canonical_url=f"https://news.example/{n}",
        guid=None,
        title=f"Headline {n} — ünïcode",
        text=f"Body {n}.\n\nSecond paragraph.",
        html="<p>Body</p>",
        authors=("A. Writer", "B. Ü"),
        published=T0,
        updated=None,
        language="en",
        content_hash=f"hash-{n}",
        fingerprint=b"\x00\x01\xff" * 4,
        story_id=story_id,
        fetched_at=T0,
        created_at=T0,
        extra={"story_features": ["n:acme", "f:12.5"], "nested": {"k": [1, 2.5, None]}},
        visibility=Visibility.PRO,
        preview_paragraphs=2,
    )


def _sent(connection: Connection) -> list[tuple[str, Any]]:
    statements: list[tuple[str, Any]] = []

    @event.listens_for(connection, "before_cursor_execute")
    def record(_c: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        statements.append((statement, tuple(parameters)))

    return statements


def test_inserts_send_the_sql_and_parameters_sqlalchemy_sends(sqlite_store: SqlStore) -> None:
    with sqlite_store.engine.connect() as connection, connection.begin():
        sent = _sent(connection)
        values = {"title": "A story", "first_seen_at": T0, "last_seen_at": T0}
        through_sqlalchemy = connection.execute(articles_repo._INSERT_STORY, values).scalar_one()
        story_id = articles_repo._STORY_INSERT.returned_one(connection, values)
        assert story_id == through_sqlalchemy + 1
        statement, parameters = sent[0]
        assert articles_repo._STORY_INSERT._prepared(connection.dialect)[0] == statement
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        rows = cursor.execute("SELECT title, first_seen_at, last_seen_at FROM stories").fetchall()
        assert rows[0] == rows[1] == parameters

        first = article_values(_article(1, story_id))
        second = article_values(_article(2, story_id))
        by_sqlalchemy = connection.execute(
            articles_repo._INSERT_UNLESS_DUPLICATE["sqlite"], first
        ).scalar_one_or_none()
        by_driver = articles_repo._SQLITE_ARTICLE_INSERT.returned(connection, second)
        assert by_driver == by_sqlalchemy + 1
        statement, parameters = sent[1]
        sql, binds = articles_repo._SQLITE_ARTICLE_INSERT._prepared(connection.dialect)
        assert sql == statement
        bound = tuple(first[name] if bind is None else bind(first[name]) for name, bind in binds)
        assert bound == parameters
        stored = cursor.execute("SELECT * FROM articles ORDER BY id").fetchall()
        # Every column but the id and the values that name the article stored the same.
        names = [d[0] for d in cursor.description]
        differ = {"id", "url", "canonical_url", "title", "text", "content_hash"}
        for name, one, two in zip(names, stored[0], stored[1], strict=True):
            if name not in differ:
                assert one == two, name
        # A conflict does nothing and returns no id, as through SQLAlchemy.
        assert articles_repo._SQLITE_ARTICLE_INSERT.returned(connection, second) is None


def test_a_driver_error_is_raised_as_sqlalchemy_raises_it(sqlite_store: SqlStore) -> None:
    with sqlite_store.engine.connect() as connection, connection.begin():
        values = article_values(_article(1, story_id=987654))  # no such story: FK violation
        with pytest.raises(IntegrityError):
            articles_repo._SQLITE_ARTICLE_INSERT.returned(connection, values)


def test_other_columns_go_through_sqlalchemy(sqlite_store: SqlStore) -> None:
    with sqlite_store.engine.connect() as connection, connection.begin():
        sent = _sent(connection)
        values = {"title": "A story", "last_seen_at": T0, "first_seen_at": T0}  # other order
        assert articles_repo._STORY_INSERT.returned_one(connection, values) == 1
        assert len(sent) == 1


@pytest.mark.parametrize("with_guid", [False, True])
@pytest.mark.parametrize("urls", [1, 2])
def test_matches_found_nothing_on_the_driver_and_rows_through_sqlalchemy(
    sqlite_store: SqlStore, with_guid: bool, urls: int
) -> None:
    saved = sqlite_store.save_article(_article(1, story_id=None))
    source_id = sqlite_store.add_source(Source(url="https://news.example/feed.xml")).id
    keys = ["https://news.example/9", "https://news.example/8"][:urls]
    with sqlite_store.engine.connect() as connection, connection.begin():
        sent = _sent(connection)
        found = ingest_matches.ingest_matches(
            connection,
            source_id=source_id if with_guid else None,
            guid="guid-9" if with_guid else None,
            canonical_urls=keys,
            content_hash="none",
        )
        assert found == (None, None) and sent == []  # answered on the driver
        statement = ingest_matches._INGEST_MATCHES[with_guid, urls]
        on_driver = ingest_matches._INGEST_MATCHES_ON_DRIVER[with_guid, urls]
        assert on_driver._prepared(connection.dialect)[0] == str(
            statement.compile(dialect=connection.dialect)
        )
        by_key, by_hash = ingest_matches.ingest_matches(
            connection,
            source_id=None,
            guid=None,
            canonical_urls=[*keys[:-1], "https://news.example/1"],
            content_hash="hash-1",
        )
        assert by_key == by_hash == saved and len(sent) == 1  # read through SQLAlchemy
