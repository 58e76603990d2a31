"""The content version (migration 0015): every committed change to a reading table changes
it, reads and rolled-back writes do not, and every process on the database sees it."""

from __future__ import annotations

from sqlalchemy import inspect, text

from newsdesk.domain import Article, Source
from newsdesk.domain.enrichment import Enrichment, SectorLabel
from newsdesk.store import SqlStore, open_store
from newsdesk.store.content_version_repo import CONTENT_TABLES


def _article(store: SqlStore, slug: str, source: Source | None = None) -> Article:
    return store.save_article(
        Article(
            source_id=source.id if source else None,
            url=f"https://news.example/{slug}",
            canonical_url=f"https://news.example/{slug}",
            title=f"Title {slug}",
            text=f"Text of {slug}.\n\nSecond paragraph.",
        )
    )


def test_each_kind_of_edit_changes_the_version(store: SqlStore) -> None:
    seen = [store.content_version()]

    def changed() -> bool:
        seen.append(store.content_version())
        return seen[-1] != seen[-2]

    source = store.add_source(Source(url="https://wire.example/f", name="Wire"))
    assert changed()
    article = _article(store, "a", source)
    assert changed()
    assert article.id is not None
    store.save_enrichment(
        Enrichment(
            article_id=article.id, version="t", summary="s", sectors=(SectorLabel("oil-gas", 0.9),)
        )
    )
    assert changed()
    store.set_editor_sectors(article.id, ["mining"])  # an editor's correction
    assert changed()
    other = _article(store, "b")
    assert changed()
    assert other.id is not None and other.story_id is not None
    with store.engine.begin() as connection:  # a story merge
        connection.execute(
            text("UPDATE articles SET story_id = :story WHERE id = :id"),
            {"story": article.story_id, "id": other.id},
        )
    assert changed()
    # Reads change nothing.
    store.article_detail(article.id)
    store.list_story_listings(limit=5)
    assert not changed()


def test_a_rolled_back_write_leaves_no_newer_content(store: SqlStore) -> None:
    article = _article(store, "a")
    before = store.content_version()
    with store.engine.connect() as connection:
        transaction = connection.begin()
        connection.execute(
            text("UPDATE articles SET title = 'x' WHERE id = :id"), {"id": article.id}
        )
        transaction.rollback()
    detail = store.article_detail(int(article.id or 0))
    assert detail is not None and detail.article.title == "Title a"
    # SQLite rolls the counter back; PostgreSQL's deferred trigger never ran.
    assert store.content_version() == before


def test_another_process_sees_the_change(database_url: str) -> None:
    first, second = open_store(database_url), open_store(database_url)
    try:
        before = second.content_version()
        _article(first, "a")
        assert second.content_version() != before
    finally:
        first.close()
        second.close()


def test_every_reading_table_has_its_triggers(store: SqlStore) -> None:
    """A later migration that rebuilds a table on SQLite drops its triggers: this fails then."""
    dialect = store.engine.dialect.name
    with store.engine.connect() as connection:
        if dialect == "sqlite":
            rows = connection.execute(
                text("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            ).scalars()
            expected = {
                f"content_version_{table}_{operation}"
                for table in CONTENT_TABLES
                for operation in ("insert", "update", "delete")
            }
        else:
            rows = connection.execute(
                text(
                    "SELECT tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                    "WHERE c.relnamespace = current_schema()::regnamespace"
                )
            ).scalars()
            expected = {f"content_version_{table}" for table in CONTENT_TABLES}
        assert expected <= set(rows)
    assert set(CONTENT_TABLES) <= set(inspect(store.engine).get_table_names())
