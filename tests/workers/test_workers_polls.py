"""Polls across worker processes: every source ingested once, each host spaced by its delay."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from worker_rig import Newsroom, add_feeds, queue_rows, wait_until, worker_env, workers

from newsdesk.store import SqlStore

pytestmark = pytest.mark.postgres

DELAY = 0.25


def test_two_workers_space_requests_to_one_host_by_the_delay(
    queue_url: str, queue_store: SqlStore, tmp_path: Path
) -> None:
    with Newsroom(hosts=2) as room:
        busy, quiet = room.hosts
        add_feeds(queue_store, room.feeds(busy, 4, 2) + room.feeds(quiet, 1, 2))
        env = worker_env(
            queue_url,
            tmp_path / "data",
            NEWSDESK_FETCH_HOST_DELAY=str(DELAY),
            NEWSDESK_FETCH_ALLOW_HOSTS=",".join(room.hosts),
        )
        with workers(env, tmp_path, 2, "--concurrency", "2"):
            wait_until(lambda: queue_store.count_articles() == 10, 60, "10 articles stored")
            ran = queue_rows(
                queue_url,
                "SELECT DISTINCT worker_id FROM procrastinate_jobs "
                "WHERE task_name = 'poll_source' AND worker_id IS NOT NULL",
            )
        hits = room.hits_of(busy)
    # Each host saw one request at a time, the next starting DELAY after the previous ended,
    # although both workers polled its sources (its feeds, pages and robots.txt).
    assert len(ran) == 2, "both workers should have polled"
    assert len(hits) >= 4 + 8
    gaps = [b.start - a.end for a, b in itertools.pairwise(hits)]
    assert min(gaps) >= DELAY, gaps
    assert len({a.canonical_url for a in queue_store.list_articles()}) == 10
