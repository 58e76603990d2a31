"""The SQLite engine: pragmas on every connection, writers that queue instead of failing."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import insert

from newsdesk.domain.models import Source, utcnow
from newsdesk.store import create_engine_for, open_store
from newsdesk.store.engine import read_connection
from newsdesk.store.schema import sources


def test_pragmas_hold_on_every_connection(tmp_path: Path) -> None:
    engine = create_engine_for(f"sqlite:///{tmp_path / 'a.db'}")
    try:
        with read_connection(engine) as first, read_connection(engine) as second:
            for connection in (first, second):
                pragma = connection.exec_driver_sql
                assert pragma("PRAGMA journal_mode").scalar() == "wal"
                assert pragma("PRAGMA foreign_keys").scalar() == 1
                assert pragma("PRAGMA busy_timeout").scalar() == 30_000
                assert pragma("PRAGMA synchronous").scalar() == 1  # NORMAL
    finally:
        engine.dispose()


def test_missing_parent_directories_are_created(tmp_path: Path) -> None:
    path = tmp_path / "data" / "nested" / "newsdesk.db"
    store = open_store(f"sqlite:///{path}")
    store.close()
    assert path.is_file()


def test_unknown_database_scheme_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported database URL"):
        create_engine_for("mysql://localhost/newsdesk")


def test_writers_wait_for_the_lock_and_readers_do_not(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a.db'}"
    store = open_store(url)
    holding, read_done, writer_waiting = threading.Event(), threading.Event(), threading.Event()
    written: list[object] = []

    def hold_write_lock() -> None:
        with store.engine.begin() as connection:
            connection.execute(
                insert(sources).values(
                    url="https://held.example/",
                    name="",
                    kind="feed",
                    interval_seconds=60,
                    feed_only=False,
                    weight=1.0,
                    enabled=True,
                    consecutive_failures=0,
                    created_at=utcnow(),
                )
            )
            holding.set()
            # Held until the reader is done (a reader that waited for this lock would give
            # up after the 30 s busy timeout first) and a writer is queued behind it.
            read_done.wait(60)
            writer_waiting.wait(60)
            time.sleep(0.2)  # let the writer reach its BEGIN IMMEDIATE

    def write() -> None:
        writer_waiting.set()
        try:
            written.append(store.add_source(Source(url="https://waiting.example/")))
        except Exception as error:  # reported by the assertion below
            written.append(error)

    holder = threading.Thread(target=hold_write_lock)
    holder.start()
    writer = threading.Thread(target=write)
    try:
        assert holding.wait(10)
        try:
            assert store.list_sources() == []  # sees the last commit, without waiting
        finally:
            read_done.set()
        writer.start()
    finally:
        holder.join()
        writer.join(60)
        store.close()
    # The writer queued behind the held lock instead of failing with "database is locked".
    assert len(written) == 1 and isinstance(written[0], Source), written
    reopened = open_store(url)
    assert [s.url for s in reopened.list_sources()] == [
        "https://held.example/",
        "https://waiting.example/",
    ]
    reopened.close()
