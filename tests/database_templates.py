"""Migrated databases for tests, made by copying one migrated once per session.

Every test that takes the `store` fixture (about 900 of them, half on each backend) used to run
all of Alembic's migrations on an empty database: 0.3-0.5 s on SQLite, 0.9 s on PostgreSQL
(schema, migrations, drop) on a lightly loaded machine, several times that under load. The
state a migration leaves does not depend on the test, so it is made once per session and copied
(SQLite setup under 0.1 s; PostgreSQL clone, open and drop 0.44 s):

- SQLite: the migrated file is copied (the template is closed, so its WAL is checkpointed);
- PostgreSQL: a database is created with the migrated one as its TEMPLATE (a file copy on the
  server), and dropped after the test. If the role may not create databases, each test gets a
  fresh schema migrated by Alembic, as before.

The store still runs `upgrade` on the copy (a no-op at head), so a copy that is not at head
would be migrated rather than used as it is.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from newsdesk.store import upgrade


class DatabaseTemplates:
    """Lazily made migrated templates, one per backend, for one test session (one per xdist
    worker: names are random, files are in the worker's own temporary directory)."""

    def __init__(self, directory: Path) -> None:
        self._directory = directory
        self._sqlite: Path | None = None
        self._postgres: dict[str, str | None] = {}  # server URL -> template database name

    def sqlite_copy(self, target: Path) -> None:
        """A migrated SQLite database at target (which must not exist yet)."""
        if self._sqlite is None:
            template = self._directory / "migrated.db"
            upgrade(f"sqlite:///{template}")
            self._sqlite = template
        assert not target.exists()
        shutil.copyfile(self._sqlite, target)

    def postgres_database(self, server_url: str) -> Iterator[str] | None:
        """URL of a new, migrated database (dropped when the iterator ends), or None if this
        server's role may not create databases."""
        template = self._postgres_template(server_url)
        if template is None:
            return None
        return self._clone(server_url, template)

    def _postgres_template(self, server_url: str) -> str | None:
        if server_url in self._postgres:
            return self._postgres[server_url]
        name = f"newsdesk_tpl_{uuid.uuid4().hex[:16]}"
        try:
            _admin_sql(server_url, f'CREATE DATABASE "{name}"')
        except DBAPIError:
            self._postgres[server_url] = None  # no CREATEDB: schemas migrated per test
            return None
        upgrade(_database_url(server_url, name))
        self._postgres[server_url] = name
        return name

    def _clone(self, server_url: str, template: str) -> Iterator[str]:
        name = f"newsdesk_t_{uuid.uuid4().hex[:16]}"
        _admin_sql(server_url, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        try:
            yield _database_url(server_url, name)
        finally:
            _drop_database(server_url, name)

    def close(self) -> None:
        for server_url, name in self._postgres.items():
            if name is not None:
                _drop_database(server_url, name)
        self._postgres.clear()


def _database_url(server_url: str, database: str) -> str:
    return make_url(server_url).set(database=database).render_as_string(hide_password=False)


def _admin_sql(server_url: str, statement: str) -> None:
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(statement)
    finally:
        admin.dispose()


def _drop_database(server_url: str, name: str) -> None:
    # FORCE: a connection a test left open must not keep the database (PostgreSQL 13+; an
    # older server is asked without it).
    try:
        _admin_sql(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    except DBAPIError:
        _admin_sql(server_url, f'DROP DATABASE IF EXISTS "{name}"')
