"""Alembic migrations: they build exactly schema.py, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.script import ScriptDirectory

from newsdesk.store import check_schema, create_engine_for, current_revision, open_store, upgrade
from newsdesk.store.migrate import alembic_config, head_revision, schema_differences


def test_upgrade_builds_exactly_the_declared_schema(database_url: str) -> None:
    assert current_revision(database_url) is None
    upgrade(database_url)
    assert current_revision(database_url) == head_revision()
    assert schema_differences(database_url) == []
    check_schema(database_url)


def test_upgrade_twice_is_harmless(database_url: str) -> None:
    upgrade(database_url)
    upgrade(database_url)
    assert current_revision(database_url) == head_revision()


def test_check_schema_reports_drift(database_url: str) -> None:
    upgrade(database_url)
    engine = create_engine_for(database_url)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP INDEX ix_articles_published")
    engine.dispose()
    differences = schema_differences(database_url)
    assert [d[0] for d in differences] == ["add_index"]
    with pytest.raises(RuntimeError, match="ix_articles_published"):
        check_schema(database_url)


def test_open_store_without_migrate_leaves_the_database_alone(database_url: str) -> None:
    store = open_store(database_url, migrate=False)
    store.close()
    assert current_revision(database_url) is None
    store = open_store(database_url)
    store.close()
    assert current_revision(database_url) == head_revision()


def test_migrations_form_one_line() -> None:
    scripts = ScriptDirectory.from_config(alembic_config())
    assert scripts.get_heads() == [head_revision()]
    revisions = list(scripts.walk_revisions())
    assert revisions[-1].down_revision is None
    assert all(not r.is_branch_point and not r.is_merge_point for r in revisions)
