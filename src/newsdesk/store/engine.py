"""Engines configured for newsdesk: SQLite tuned for concurrent processes, or PostgreSQL."""

from __future__ import annotations

import importlib.util
import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError

from newsdesk.domain import NewsdeskError

SQLITE_BUSY_TIMEOUT_MS = 30_000
WAL_RETRY_SECONDS = 0.05
_sleep = time.sleep  # tests replace it to act while the switch to WAL waits

# Execution option for transactions that only read: on SQLite they start with a plain
# (deferred) BEGIN, so readers never queue behind writers in WAL mode.
READ_ONLY = "newsdesk_read_only"


def create_engine_for(url: str) -> Engine:
    """An engine for a SQLAlchemy URL: ``sqlite:///path`` or ``postgresql+psycopg://…``.

    On SQLite every transaction takes the write lock when it begins, unless its connection
    comes from read_connection(): use that for reads outside SqlStore, or a read held open
    makes writers (even in the same thread) wait for the busy timeout.
    """
    parsed = _parsed(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(url)
    if backend == "postgresql":
        if parsed.get_driver_name() == "psycopg" and importlib.util.find_spec("psycopg") is None:
            raise RuntimeError("PostgreSQL support needs psycopg: pip install 'newsdesk[postgres]'")
        return create_engine(url, pool_pre_ping=True)
    raise DatabaseUrlError(
        f"unsupported database URL scheme {parsed.drivername!r} (NEWSDESK_DATABASE_URL): "
        "use sqlite:///PATH or postgresql://USER@HOST/DB"
    )


class DatabaseUrlError(NewsdeskError, ValueError):
    """A database URL newsdesk cannot open (a ValueError, as it was before it had a name)."""


def read_connection(engine: Engine) -> Connection:
    """A connection whose transactions only read (no write lock taken on SQLite)."""
    return engine.connect().execution_options(**{READ_ONLY: True})


def _parsed(url: str) -> URL:
    try:
        return make_url(url)
    except ArgumentError as error:
        raise DatabaseUrlError(
            "NEWSDESK_DATABASE_URL is not a database URL: use sqlite:///PATH or "
            "postgresql://USER@HOST/DB"
        ) from error


def sqlite_file(url: str) -> Path | None:
    """The file a SQLite URL names; None for an in-memory or ``file:`` URI database, and for
    every other backend."""
    parsed = _parsed(url)
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    if database.startswith("file:"):
        return None
    return Path(database).expanduser()


def _sqlite_engine(url: str) -> Engine:
    path = sqlite_file(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
    event.listen(engine, "connect", _configure_sqlite_connection)
    event.listen(engine, "begin", _begin_sqlite_transaction)
    return engine


def _configure_sqlite_connection(dbapi_connection: Any, _record: object) -> None:
    # Take BEGIN away from the sqlite3 module so _begin_sqlite_transaction decides its kind.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        _set_wal(cursor)
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def _set_wal(cursor: Any) -> None:
    """Switch to WAL, waiting up to the busy timeout. SQLite answers "database is locked" at
    once, without its busy handler, while another connection writes to a database not yet in
    WAL: two processes opening a fresh database at the same moment (a first `serve --workers`,
    parallel migrations) would otherwise fail."""
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() >= deadline:
                raise
        else:
            return
        _sleep(WAL_RETRY_SECONDS)


def _begin_sqlite_transaction(connection: Connection) -> None:
    # A deferred transaction that reads and then writes cannot wait for a concurrent writer:
    # SQLite fails it at once with "database is locked". Taking the write lock up front makes
    # writers queue on the busy timeout instead.
    if connection.get_execution_options().get(READ_ONLY):
        connection.exec_driver_sql("BEGIN")
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
