"""Faults from the issue: concurrent ingesters with a reader, and kill -9 mid-ingest.

Real OS processes (multiprocessing, spawn) against one SQLite file or PostgreSQL database.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import time
from datetime import UTC, datetime, timedelta
from multiprocessing.process import BaseProcess
from multiprocessing.synchronize import Barrier, Event
from pathlib import Path

import pytest
from sqlalchemy import text

from newsdesk.domain.models import Article, Source
from newsdesk.store import SqlStore, create_engine_for, current_revision, open_store, upgrade
from newsdesk.store.migrate import head_revision

ARTICLE_COUNT = 200
T0 = datetime(2026, 3, 1, tzinfo=UTC)
SPAWN = multiprocessing.get_context("spawn")


def article(n: int, source_id: int) -> Article:
    return Article(
        source_id=source_id,
        url=f"https://race.example/{n}",
        canonical_url=f"https://race.example/{n}",
        guid=f"race-{n}",
        title=f"Race {n}",
        text="word " * 200,
        html="<p>" + "word " * 200 + "</p>",
        published=T0 + timedelta(minutes=n),
        content_hash=f"h{n}",
        fingerprint=n.to_bytes(4, "big") * 32,
    )


def ingest(
    url: str, source_id: int, order_seed: int | None, start: Barrier, results: object
) -> None:
    numbers = list(range(ARTICLE_COUNT))
    if order_seed is not None:
        random.Random(order_seed).shuffle(numbers)
    store = open_store(url)
    start.wait()
    ids = {}
    for n in numbers:
        saved = store.save_article(article(n, source_id))
        ids[n] = (saved.id, saved.story_id)
    store.close()
    results.put(ids)  # type: ignore[attr-defined]


def read_while(store: SqlStore, writers: list[BaseProcess]) -> int:
    """Read as a web page would until the writers exit; check each read is consistent."""
    reads = 0
    last_count = 0
    while any(writer.is_alive() for writer in writers):
        count = store.count_articles()
        assert count >= last_count, "article count went backwards"
        last_count = count
        for listed in store.list_articles(limit=25):
            assert listed.story_id is not None, f"article {listed.id} visible without its story"
        for story in store.list_stories(limit=25):
            assert story.article_count >= 1, f"story {story.id} visible without its article"
        reads += 1
        time.sleep(0.01)  # leave the CPU to the writers on small machines
    return reads


def ingest_forever(url: str, source_id: int, ready: Event) -> None:
    store = open_store(url, migrate=False)
    n = 0
    while True:
        store.save_article(article(n, source_id))
        n += 1
        if n == 20:
            ready.set()


def _source_id(url: str) -> int:
    store = open_store(url)
    added = store.add_source(Source(url="https://race.example/feed"))
    store.close()
    assert added.id is not None
    return added.id


def _integrity_ok(url: str) -> bool:
    if not url.startswith("sqlite"):
        return True
    engine = create_engine_for(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    finally:
        engine.dispose()


@pytest.mark.slow
def test_two_ingesters_and_a_reader_at_once(database_url: str) -> None:
    source_id = _source_id(database_url)
    reader = open_store(database_url, migrate=False)
    start = SPAWN.Barrier(3)
    results = SPAWN.Queue()
    writers = [
        SPAWN.Process(target=ingest, args=(database_url, source_id, seed, start, results))
        for seed in (None, 7)
    ]
    for writer in writers:
        writer.start()
    try:
        start.wait(timeout=120)
        reads = read_while(reader, writers)  # this test's process is the third one
    finally:
        reader.close()
        for writer in writers:
            writer.join(timeout=120)
    assert [writer.exitcode for writer in writers] == [0, 0]
    assert reads > 0
    first_ids, second_ids = results.get(timeout=10), results.get(timeout=10)
    assert first_ids == second_ids  # both writers got the one stored row for every article

    store = open_store(database_url, migrate=False)
    try:
        assert store.count_articles() == ARTICLE_COUNT
        stories = store.list_stories()
        assert len(stories) == ARTICLE_COUNT  # no orphan story from a losing writer
        assert all(story.article_count == 1 for story in stories)
    finally:
        store.close()
    assert _integrity_ok(database_url)


@pytest.mark.slow
def test_kill_9_mid_ingest_leaves_no_half_written_article(database_url: str) -> None:
    source_id = _source_id(database_url)
    ready = SPAWN.Event()
    process = SPAWN.Process(target=ingest_forever, args=(database_url, source_id, ready))
    process.start()
    try:
        assert ready.wait(60)
        time.sleep(0.05)
    finally:
        assert process.pid is not None
        os.kill(process.pid, signal.SIGKILL)
        process.join(timeout=30)
    assert process.exitcode == -signal.SIGKILL
    assert _integrity_ok(database_url)

    store = open_store(database_url)
    try:
        stored = store.list_articles()
        assert len(stored) >= 20
        assert all(a.story_id is not None and a.text == "word " * 200 for a in stored)
        # Re-running the ingest completes it without duplicates.
        for n in range(len(stored) + 10):
            store.save_article(article(n, source_id))
        assert store.count_articles() == len(stored) + 10
        assert len(store.list_stories()) == len(stored) + 10
    finally:
        store.close()
    assert _integrity_ok(database_url)


def migrate_at_once(url: str, start: Barrier) -> None:
    start.wait()
    upgrade(url)


@pytest.mark.slow
def test_two_processes_migrating_a_fresh_database_at_once(database_url: str) -> None:
    start = SPAWN.Barrier(2)
    processes = [
        SPAWN.Process(target=migrate_at_once, args=(database_url, start)) for _ in range(2)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
    assert [process.exitcode for process in processes] == [0, 0]
    assert current_revision(database_url) == head_revision()
    assert _integrity_ok(database_url)


def test_opening_a_database_another_connection_is_writing_waits_for_wal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite refuses the switch to WAL at once, busy timeout or not, while another connection
    writes to a database still in its rollback journal: the flake of the test above, where
    the second process opened the fresh database as the first began migrating it."""
    import sqlite3

    import newsdesk.store.engine as engine_module

    path = tmp_path / "fresh.db"
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("CREATE TABLE early (x INTEGER)")
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO early VALUES (1)")
    waits: list[float] = []

    def writer_finishes(seconds: float) -> None:  # the first wait: the other writer commits
        waits.append(seconds)
        if writer.in_transaction:
            writer.execute("COMMIT")

    monkeypatch.setattr(engine_module, "_sleep", writer_finishes)
    engine = create_engine_for(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
    finally:
        engine.dispose()
        writer.close()
    assert waits == [engine_module.WAL_RETRY_SECONDS]
    assert mode == "wal"
