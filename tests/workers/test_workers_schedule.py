"""Scheduling without duplicates: the tick fires once per period however many workers run, and
a source is never polled by two workers at once however often it is queued."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path
from typing import Any, cast

import pytest
from worker_rig import Newsroom, add_feeds, queue_rows, wait_until, worker_env, workers

from newsdesk.config import Settings
from newsdesk.store import SqlStore
from newsdesk.workers.context import WorkerContext
from newsdesk.workers.jobs.schedule import tick
from newsdesk.workers.service import open_queue, queue_options

pytestmark = pytest.mark.postgres

TICKS = 1000
DRIVERS = 4


def test_tick_fires_exactly_once_per_period_with_five_workers(
    queue_url: str, tmp_path: Path
) -> None:
    env = worker_env(queue_url, tmp_path / "data", NEWSDESK_QUEUE_QUEUES="schedule")
    with workers(env, tmp_path, 5, "--concurrency", "1") as started:
        wait_until(
            lambda: len(queue_rows(queue_url, "SELECT 1 FROM procrastinate_workers")) == 5,
            60,
            "five workers registered",
        )
        first = queue_rows(queue_url, "SELECT count(*) FROM procrastinate_jobs")[0][0]
        wait_until(
            lambda: (
                queue_rows(queue_url, "SELECT count(*) FROM procrastinate_jobs")[0][0] >= first + 5
            ),
            30,
            "five more ticks",
        )
        assert all(worker.process.poll() is None for worker in started)
    jobs = dict(
        queue_rows(
            queue_url,
            "SELECT (args->>'timestamp')::bigint, count(*) FROM procrastinate_jobs "
            "WHERE task_name = 'schedule' GROUP BY 1",
        )
    )
    ran = [
        period
        for (period,) in queue_rows(
            queue_url, "SELECT period FROM periodic_runs WHERE job = 'schedule' ORDER BY period"
        )
    ]
    assert len(ran) >= 5
    assert ran == list(range(ran[0], ran[0] + len(ran))), ran  # every period, none skipped
    assert set(ran) <= set(jobs)  # each run was one of the jobs procrastinate deferred …
    # … once: a job deferred twice for one period (procrastinate's clean-up of older periods
    # lets a late deferrer do that) found its period claimed and did nothing.


def test_two_workers_never_poll_one_source_at_once_over_1000_ticks(
    queue_url: str, queue_store: SqlStore, tmp_path: Path
) -> None:
    with Newsroom(hosts=1, delay=0.02) as room:
        (host,) = room.hosts
        (source_id,) = add_feeds(queue_store, room.feeds(host, 1, 1))
        env = worker_env(
            queue_url,
            tmp_path / "data",
            NEWSDESK_FETCH_ALLOW_HOSTS=host,
            NEWSDESK_QUEUE_POLL_SECONDS="0.1",
        )
        settings = Settings(database_url=queue_url, queue_tick_seconds=1)
        # Ticks come from this process, four at a time, as fast as they can be made (the
        # workers' own, once a second, only add to them), while the source is made due again
        # every few milliseconds, whatever its last poll said.
        with workers(env, tmp_path, 2, "--concurrency", "2"):
            wait_until(
                lambda: len(queue_rows(queue_url, "SELECT 1 FROM procrastinate_workers")) == 2,
                60,
                "both workers registered",
            )
            ticking = threading.Event()
            keeper = threading.Thread(target=_keep_due, args=(queue_store, source_id, ticking))
            drivers = [
                threading.Thread(target=_ticks, args=(settings, queue_store, n))
                for n in range(DRIVERS)
            ]
            ticking.set()
            for thread in (keeper, *drivers):
                thread.start()
            for driver in drivers:
                driver.join()
            ticking.clear()
            keeper.join()
            wait_until(
                lambda: (
                    not queue_rows(
                        queue_url,
                        "SELECT 1 FROM procrastinate_jobs WHERE task_name = 'poll_source' "
                        "AND status IN ('todo', 'doing')",
                    )
                ),
                60,
                "the queued polls to finish",
            )
            polls = queue_rows(
                queue_url,
                "SELECT status::text, worker_id FROM procrastinate_jobs "
                "WHERE task_name = 'poll_source'",
            )
        feed_fetches = [h for h in room.hits_of(host) if h.path.endswith(".xml")]
    (generation,) = queue_rows(
        queue_url, "SELECT generation FROM poll_leases WHERE source_id = %s", source_id
    )[0]
    assert len(polls) < TICKS  # the queueing lock refused most: at most one poll waits
    assert len({worker for _, worker in polls}) == 2, "both workers should have polled"
    assert len(feed_fetches) >= 5  # real polls (a poll of a source not due fetches nothing)
    # Every poll takes the source's next generation first and writes under it last: a poll
    # overlapping another would have had its writes refused and failed.
    assert {status for status, _ in polls} == {"succeeded"}
    assert generation == len(polls)
    assert queue_store.count_articles() == 1


def _keep_due(store: SqlStore, source_id: int, ticking: threading.Event) -> None:
    while ticking.is_set():
        with store.engine.begin() as connection:
            connection.exec_driver_sql(
                "UPDATE sources SET next_fetch_at = NULL WHERE id = %(id)s", {"id": source_id}
            )
        time.sleep(0.005)


def _ticks(settings: Settings, store: SqlStore, driver: int) -> None:
    async def run() -> None:
        queue = open_queue(settings, queue_options(settings))
        async with queue:
            context = WorkerContext(
                settings, store, queue, cast(Any, None), "test", threading.Event()
            )
            for n in range(driver, TICKS, DRIVERS):
                await tick(context, {"timestamp": n + 1})

    asyncio.run(run())
