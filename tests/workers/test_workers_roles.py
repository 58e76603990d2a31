"""The roles: `newsdesk db upgrade` sets up the queue, `newsdesk worker` refuses what it cannot
run, `newsdesk web` keeps serving with every worker down, `newsdesk workers status` reports."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from worker_rig import Newsroom, Worker, add_feeds, cli, queue_rows, wait_until, worker_env

from newsdesk.queue.procrastinate_queue import queue_schema_version
from newsdesk.store import SqlStore, check_schema, upgrade
from ports import listening_port

pytestmark = pytest.mark.postgres


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cli(*args), env=env, capture_output=True, text=True, check=False)


def test_db_upgrade_sets_up_the_queue_once_and_the_schema_check_ignores_it(
    postgres_url: str, tmp_path: Path
) -> None:
    env = worker_env(postgres_url, tmp_path / "data")
    first = _run(env, "db", "upgrade")
    again = _run(env, "db", "upgrade")
    assert first.returncode == again.returncode == 0, first.stderr + again.stderr
    version = queue_schema_version(postgres_url)
    assert version is not None
    assert f"job queue schema: procrastinate {version}" in first.stdout
    assert f"job queue schema: procrastinate {version}" in again.stdout
    check_schema(postgres_url)  # newsdesk's tables match its metadata; the queue's are apart


def test_worker_refuses_sqlite_a_database_without_the_queue_and_unknown_queues(
    postgres_url: str, tmp_path: Path
) -> None:
    sqlite = worker_env("", tmp_path / "data")
    del sqlite["NEWSDESK_DATABASE_URL"]
    on_sqlite = _run(sqlite, "worker")
    assert on_sqlite.returncode == 1
    assert "needs PostgreSQL" in on_sqlite.stderr
    upgrade(postgres_url)  # newsdesk's tables, not the queue's
    env = worker_env(postgres_url, tmp_path / "data")
    missing = _run(env, "worker")
    assert missing.returncode == 1
    assert "newsdesk db upgrade" in missing.stderr
    unknown = _run(env, "worker", "--queues", "poll,nope")
    assert unknown.returncode == 1
    assert "unknown queues nope" in unknown.stderr
    bad_format = _run(env, "workers", "status", "--format", "xml")
    assert bad_format.returncode != 0
    assert "--format must be table or jsonl" in bad_format.stderr


def test_import_and_the_sqlite_path_never_load_the_queue_library() -> None:
    code = (
        "import sys, newsdesk, newsdesk.cli.app, newsdesk.bootstrap, newsdesk.queue, "
        "newsdesk.workers.jobs\n"
        "newsdesk.workers.jobs.job_types()\n"
        "assert 'procrastinate' not in sys.modules, 'procrastinate imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read()


def test_the_site_keeps_serving_with_every_worker_down(
    queue_url: str, queue_store: SqlStore, tmp_path: Path
) -> None:
    with Newsroom(hosts=1) as room:
        (host,) = room.hosts
        add_feeds(queue_store, room.feeds(host, 1, 2))
        env = worker_env(
            queue_url,
            tmp_path / "data",
            NEWSDESK_FETCH_ALLOW_HOSTS=host,
            NEWSDESK_QUEUE_STALLED_SECONDS="2",
            NEWSDESK_QUEUE_QUEUES="schedule,poll,enrich",
        )
        web = subprocess.Popen(
            cli("web", "--port", "0"),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            worker = Worker(env, tmp_path / "worker.log")
            try:
                wait_until(lambda: queue_store.count_articles() == 2, 60, "two articles stored")
                # The polls queued their enrichment, which a worker ran.
                wait_until(
                    lambda: all(
                        queue_store.get_enrichment(a.id) is not None
                        for a in queue_store.list_articles()
                        if a.id is not None
                    ),
                    60,
                    "both articles enriched",
                )
            finally:
                worker.kill()
            # Every worker is down (one killed, none left): the site serves what they stored.
            port = listening_port(web.pid)
            wait_until(lambda: _up(port), 60, "the site to answer")
            status, _ = _get(f"http://127.0.0.1:{port}/")
            assert status == 200
            status, body = _get(f"http://127.0.0.1:{port}/api/v1/articles")
            assert status == 200
            assert len(json.loads(body)["items"]) == 2
            wait_until(
                lambda: bool(
                    queue_rows(
                        queue_url,
                        "SELECT 1 FROM procrastinate_workers "
                        "WHERE last_heartbeat < now() - interval '2 seconds'",
                    )
                ),
                30,
                "the killed worker's heartbeat to go stale",
            )
            report = _run(env, "workers", "status", "--format", "jsonl")
            table = _run(env, "workers", "status")
        finally:
            web.terminate()
            web.wait(20)
    assert report.returncode == 0, report.stderr
    lines = [json.loads(line) for line in report.stdout.splitlines()]
    dead = [line for line in lines if line["kind"] == "worker"]
    assert len(dead) == 1
    assert dead[0]["stalled"] is True  # silent for longer than NEWSDESK_QUEUE_STALLED_SECONDS
    assert {line["queue"] for line in lines if line["kind"] == "queue"} >= {
        "poll",
        "schedule",
        "enrich",
    }
    assert table.returncode == 0, table.stderr
    assert "workers: 1" in table.stdout
    assert "STALLED" in table.stdout


def _up(port: int) -> bool:
    try:
        return _get(f"http://127.0.0.1:{port}/healthz")[0] == 200
    except OSError:
        return False
