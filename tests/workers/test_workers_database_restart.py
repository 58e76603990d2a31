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

import pytest
from worker_rig import Newsroom, Worker, add_feeds, upgrade, wait_until, worker_env

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
                wait_until(lambda: store.count_articles() == 6, 150, "every source stored")
                assert worker.process.poll() is None, "the worker should have reconnected"
            finally:
                worker.stop()
    finally:
        store.close()
    assert "lost the database" in worker.log()
