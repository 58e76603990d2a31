"""procrastinate's known lock issues, reproduced against newsdesk's queue: none may strand a
job or block a lock. (#1446, #1543: a retry to `todo` collides with a queued sibling's
queueing lock and leaves the job `doing` for ever; #1408: a stalled periodic job holding a
lock blocks every later one.)"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from worker_rig import queue_rows

from newsdesk.config import Settings
from newsdesk.workers.jobs import job_types
from newsdesk.workers.jobs.poll import POLL_SOURCE
from newsdesk.workers.jobs.schedule import SCHEDULE
from newsdesk.workers.service import open_queue, queue_options

pytestmark = pytest.mark.postgres


def _settings(url: str) -> Settings:
    return Settings(database_url=url, queue_stalled_seconds=5)


async def _register_worker(app: Any) -> int:
    return int(await app.job_manager.register_worker())


def _kill(url: str, worker_id: int) -> None:
    queue_rows(
        url,
        "UPDATE procrastinate_workers SET last_heartbeat = now() - interval '1 hour' "
        "WHERE id = %s RETURNING id",
        worker_id,
    )


def test_no_job_type_retries_through_the_queue(queue_url: str) -> None:
    queue = open_queue(_settings(queue_url), queue_options(_settings(queue_url)))
    tasks = queue._app.tasks
    assert {job.name for job in job_types()} <= set(tasks)
    assert all(tasks[job.name].retry_strategy is None for job in job_types())


def test_a_stalled_poll_with_a_sibling_queued_is_failed_and_frees_its_lock(
    queue_url: str,
) -> None:
    async def scenario() -> tuple[Any, Any]:
        settings = _settings(queue_url)
        async with open_queue(settings, queue_options(settings)) as queue:
            app = queue._app
            assert await queue.defer(POLL_SOURCE, {"source_id": 7})
            dead = await _register_worker(app)
            stalled = await app.job_manager.fetch_job(queues=None, worker_id=dead)
            _kill(queue_url, dead)
            # The tick queues the source again: allowed, the first poll is no longer `todo`.
            assert await queue.defer(POLL_SOURCE, {"source_id": 7})
            assert not await queue.defer(POLL_SOURCE, {"source_id": 7})  # one waits at most
            assert await queue.fail_stalled() == 1  # where a retry to `todo` would raise
            alive = await _register_worker(app)
            taken = await app.job_manager.fetch_job(queues=None, worker_id=alive)
            return stalled, taken

    stalled, taken = asyncio.run(scenario())
    statuses = dict(queue_rows(queue_url, "SELECT id, status::text FROM procrastinate_jobs"))
    assert statuses[stalled.id] == "failed"
    assert taken is not None and taken.id != stalled.id  # the lock was freed for the sibling
    assert statuses[taken.id] == "doing"


def test_a_stalled_tick_blocks_no_later_tick(queue_url: str) -> None:
    async def scenario() -> tuple[Any, Any]:
        settings = _settings(queue_url)
        async with open_queue(settings, queue_options(settings)) as queue:
            app = queue._app
            await queue.defer(SCHEDULE, {"timestamp": 1})
            dead = await _register_worker(app)
            stalled = await app.job_manager.fetch_job(queues=["schedule"], worker_id=dead)
            _kill(queue_url, dead)
            await queue.defer(SCHEDULE, {"timestamp": 2})
            alive = await _register_worker(app)
            later = await app.job_manager.fetch_job(queues=["schedule"], worker_id=alive)
            await queue.fail_stalled()
            return stalled, later

    stalled, later = asyncio.run(scenario())
    assert later is not None and later.id != stalled.id  # ran while the stalled one hung
    statuses = dict(queue_rows(queue_url, "SELECT id, status::text FROM procrastinate_jobs"))
    assert statuses[stalled.id] == "failed"
