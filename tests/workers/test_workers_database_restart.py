"""The database restarting under running workers: they reconnect and nothing is lost — a poll
cut off by the restart is done again, and work queued after it is done.

Runs on a throwaway PostgreSQL cluster of its own (scripts/pg.sh with NEWSDESK_PG_DIR and
NEWSDESK_PG_PORT), so restarting it disturbs no other test."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from worker_rig import Newsroom, Worker, add_feeds, queue_rows, upgrade, wait_until, worker_env

from newsdesk.queue.procrastinate_queue import conninfo_from_url
from newsdesk.store import open_store

pytestmark = pytest.mark.postgres

PG_SH = Path(__file__).resolve().parents[2] / "scripts" / "pg.sh"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _pg(directory: Path, port: int, *args: str, mode: str = "fast") -> str:
    env = {
        **os.environ,
        "NEWSDESK_PG_DIR": str(directory),
        "NEWSDESK_PG_PORT": str(port),
        "NEWSDESK_PG_STOP_MODE": mode,
    }
    done = subprocess.run(
        ["bash", str(PG_SH), *args], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.fixture
def own_cluster() -> Iterator[tuple[str, Path, int]]:
    if not os.environ.get("NEWSDESK_TEST_DATABASE_URL"):
        pytest.skip("NEWSDESK_TEST_DATABASE_URL is not set: no PostgreSQL server binaries known")
    # Not under pytest's tmp_path: the server runs as the postgres user, who must reach it.
    directory = Path(tempfile.mkdtemp(prefix="newsdesk-pg-restart-"))
    port = _free_port()
    url = _pg(directory, port)
    # scripts/pg.sh trades durability for speed (synchronous_commit=off): an immediate stop
    # would then lose transactions the workers saw committed, which no deployment does. This
    # cluster crashes on purpose, so its commits are durable, as they are in production.
    with psycopg.connect(conninfo_from_url(url), autocommit=True) as connection:
        connection.execute("ALTER DATABASE newsdesk_test SET synchronous_commit = on")
    try:
        yield url, directory, port
    finally:
        _pg(directory, port, "stop")
        shutil.rmtree(directory, ignore_errors=True)


def test_workers_reconnect_after_a_database_restart_and_lose_nothing(
    own_cluster: tuple[str, Path, int], tmp_path: Path
) -> None:
    url, directory, port = own_cluster
    upgrade(url, tmp_path / "data")
    store = open_store(url, migrate=False)
    try:
        with Newsroom(hosts=1) as room:
            (host,) = room.hosts
            env = worker_env(
                url,
                tmp_path / "data",
                NEWSDESK_FETCH_ALLOW_HOSTS=host,
                NEWSDESK_QUEUE_STALLED_SECONDS="2",
                NEWSDESK_LOG_LEVEL="INFO",  # its ticks and polls, shown if the test fails
            )
            worker = Worker(env, tmp_path / "worker.log")
            try:
                add_feeds(store, room.feeds(host, 1, 2, prefix="before"))
                wait_until(lambda: store.count_articles() == 2, 60, "the first source stored")
                # A poll in flight when the database goes away …
                held = room.hold("/during0/a0.html")
                add_feeds(store, room.feeds(host, 1, 2, prefix="during"))
                wait_until(room.arrived("/during0/a0.html").is_set, 60, "the second poll")
                _pg(directory, port, "stop", mode="immediate")  # as if it crashed
                held.set()
                _pg(directory, port)
                # … is done again, and a source added afterwards is polled too.
                add_feeds(store, room.feeds(host, 1, 2, prefix="after"))
                try:
                    wait_until(lambda: store.count_articles() == 6, 150, "every source stored")
                except AssertionError:
                    print(_state(url))  # shown with the worker's log when the test fails
                    raise
                assert worker.process.poll() is None, "the worker should have reconnected"
            finally:
                worker.stop()
    finally:
        store.close()
    assert "lost the database" in worker.log()


def _state(url: str) -> str:
    jobs = queue_rows(
        url,
        "SELECT id, task_name, status::text, args, queueing_lock, lock, worker_id "
        "FROM procrastinate_jobs WHERE task_name <> 'schedule' ORDER BY id",
    )
    sources = queue_rows(
        url, "SELECT id, next_fetch_at, consecutive_failures, last_error FROM sources"
    )
    workers = queue_rows(url, "SELECT id, last_heartbeat, now() FROM procrastinate_workers")
    return "\n".join(map(str, ["jobs:", *jobs, "sources:", *sources, "workers:", *workers]))
