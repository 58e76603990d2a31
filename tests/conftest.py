"""Fixtures shared by every test area: a database URL on each supported backend, a store."""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterator

import pytest
import structlog
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from database_templates import DatabaseTemplates
from newsdesk.store import SqlStore, open_store
from smtp_sink import SmtpSink

# The demo site, uvicorn and Chromium fixtures, shared by the publish and deliver tests.
pytest_plugins = ["research_data", "site_fixtures"]

TEST_DATABASE_ENV = "NEWSDESK_TEST_DATABASE_URL"


@pytest.fixture(autouse=True)
def _logging_as_before() -> Iterator[None]:
    """Undo a test's `configure_logging` (every CLI command in CliRunner runs it): its handler
    writes to the stderr the test captured, which is closed after the test, so a later record
    from a thread that outlives the test (an SMTP sink's "connection lost") printed
    "--- Logging error ---" tracebacks in the middle of the run."""
    root = logging.getLogger()
    level = root.level
    yield
    for handler in list(root.handlers):
        if isinstance(handler.formatter, structlog.stdlib.ProcessorFormatter):
            root.removeHandler(handler)
    root.setLevel(level)
    structlog.reset_defaults()


def _postgres_server_url() -> str:
    url = os.environ.get(TEST_DATABASE_ENV)
    if url:
        return url
    message = (
        f"{TEST_DATABASE_ENV} is not set; start the test server with "
        f'`export {TEST_DATABASE_ENV}="$(scripts/pg.sh)"`'
    )
    if os.environ.get("CI"):
        pytest.fail(f"PostgreSQL tests must run in CI: {message}", pytrace=False)
    pytest.skip(message)


def _fresh_postgres_schema(server_url: str) -> Iterator[str]:
    """The server's database seen through a new, empty schema (first on the search_path).

    A schema is much cheaper to create than a database, and as isolated for these tests.
    """
    schema = f"newsdesk_t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        url = make_url(server_url).update_query_dict({"options": f"-csearch_path={schema}"})
        try:
            yield url.render_as_string(hide_password=False)
        finally:
            with admin.connect() as connection:
                connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    finally:
        admin.dispose()


@pytest.fixture(scope="session")
def database_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseTemplates]:
    templates = DatabaseTemplates(tmp_path_factory.mktemp("templates"))
    try:
        yield templates
    finally:
        templates.close()


# Fixtures whose first use of database_url is open_store, which migrates it: a test that takes
# one of them gets a copy of a migrated database instead (tests/database_templates.py), the
# state open_store would have made, without running the migrations again.
_MIGRATED_FIRST = {"store", "empty_site"}


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
    ]
)
def database_url(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    database_templates: DatabaseTemplates,
) -> Iterator[str]:
    """URL of an empty database: a SQLite file, or a fresh PostgreSQL schema. For a test that
    takes `store` or `empty_site`, the database is already migrated (see _MIGRATED_FIRST)."""
    migrated = not _MIGRATED_FIRST.isdisjoint(request.fixturenames)
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("db") / "newsdesk.db"
        if migrated:
            database_templates.sqlite_copy(path)
        yield f"sqlite:///{path}"
        return
    server_url = _postgres_server_url()
    clone = database_templates.postgres_database(server_url) if migrated else None
    yield from clone if clone is not None else _fresh_postgres_schema(server_url)


@pytest.fixture(
    scope="module",
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
    ],
)
def module_database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Like database_url, one per test module and backend: for tests that only read."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'newsdesk.db'}"
        return
    yield from _fresh_postgres_schema(_postgres_server_url())


@pytest.fixture
def store(database_url: str) -> Iterator[SqlStore]:
    """A migrated store on database_url, closed after the test."""
    opened = open_store(database_url)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """URL of an empty PostgreSQL schema, for what only PostgreSQL has (the job queue)."""
    yield from _fresh_postgres_schema(_postgres_server_url())


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    """A fresh aiosmtpd server on 127.0.0.1 that accepts and records every message."""
    with SmtpSink() as sink:
        yield sink
