"""A worker process: its store, the shared politeness gate, an ingest session, the queue."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import threading
from dataclasses import replace
from typing import TYPE_CHECKING

from newsdesk.config import Settings

if TYPE_CHECKING:
    from newsdesk.queue import QueueOptions, QueueReport
    from newsdesk.queue.procrastinate_queue import ProcrastinateQueue
    from newsdesk.store import SqlStore
    from newsdesk.workers.context import WorkerContext

log = logging.getLogger(__name__)

# A host claim outlives the request deadline by this much before another process may take it.
HOST_CLAIM_MARGIN_SECONDS = 1.0


def queue_options(
    settings: Settings, *, concurrency: int | None = None, queues: tuple[str, ...] | None = None
) -> QueueOptions:
    from newsdesk.bootstrap import queue_options as configured

    options = configured(settings)
    return replace(
        options,
        concurrency=concurrency or options.concurrency,
        queues=options.queues if queues is None else queues,
    )


def open_queue(settings: Settings, options: QueueOptions) -> ProcrastinateQueue[WorkerContext]:
    """The job queue with every job type (needs PostgreSQL and the postgres extra)."""
    from newsdesk.queue.procrastinate_queue import ProcrastinateQueue
    from newsdesk.workers.jobs import job_types
    from newsdesk.workers.jobs.schedule import SCHEDULE

    types = [
        replace(job, every_seconds=options.tick_seconds) if job.name == SCHEDULE else job
        for job in job_types()
    ]
    return ProcrastinateQueue(
        settings.store.sqlalchemy_url, types, options, max_connections=options.concurrency + 2
    )


def known_queues() -> list[str]:
    from newsdesk.workers.jobs import job_types

    return sorted({job.queue for job in job_types()})


def open_worker_store(settings: Settings, options: QueueOptions) -> SqlStore:
    """The worker's store: a session idle in a transaction for the stalled timeout is ended
    by the server, so a frozen worker's locks cannot outlive its presumed death."""
    from newsdesk.queue.procrastinate_queue import with_idle_transaction_timeout
    from newsdesk.store import open_store

    url = with_idle_transaction_timeout(settings.store.sqlalchemy_url, options.stalled_seconds)
    return open_store(url)


def has_job_queue(settings: Settings) -> bool:
    """Whether the database holds a job queue: PostgreSQL does; on SQLite there are no
    workers, and `newsdesk run` does all the work (the retention prune included)."""
    from newsdesk.queue import is_queue_database

    return is_queue_database(settings.store.sqlalchemy_url)


def require_queue_schema(settings: Settings) -> None:
    """Refuse to start a worker on SQLite or before `newsdesk db upgrade` set up the queue."""
    from newsdesk.domain import NewsdeskError
    from newsdesk.queue.procrastinate_queue import conninfo_from_url, queue_schema_version

    try:
        conninfo_from_url(settings.store.sqlalchemy_url)
    except ValueError as error:
        raise NewsdeskError(str(error)) from error
    if queue_schema_version(settings.store.sqlalchemy_url) is None:
        raise NewsdeskError("the job queue's tables are missing: run `newsdesk db upgrade` first")


def serve_worker(settings: Settings, store: SqlStore, options: QueueOptions) -> None:
    """`newsdesk worker`: run jobs until SIGTERM or SIGINT, then finish those in flight.
    SIGUSR1 prints every thread's stack to stderr, SIGUSR2 every asyncio task's."""
    import faulthandler

    faulthandler.register(signal.SIGUSR1, all_threads=True)
    asyncio.run(_serve(settings, store, options))


async def _serve(settings: Settings, store: SqlStore, options: QueueOptions) -> None:
    from newsdesk.bootstrap import ingest_options
    from newsdesk.fetch import SharedHostGate
    from newsdesk.pipeline.ingest import IngestRunner
    from newsdesk.workers.context import WorkerContext

    stop = asyncio.Event()
    stopping = threading.Event()

    def request_stop() -> None:
        stopping.set()
        stop.set()

    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, request_stop)
    loop.add_signal_handler(signal.SIGUSR2, _print_tasks)
    ingest = ingest_options(settings)
    gate = SharedHostGate(
        store,
        delay=ingest.fetch.host_delay,
        concurrency=ingest.fetch.concurrency,
        hold_seconds=ingest.fetch.timeout + HOST_CLAIM_MARGIN_SECONDS,
    )
    runner = IngestRunner(store, ingest, gate=gate, shared_store=True)
    queue = open_queue(settings, options)
    name = f"{socket.gethostname()}:{os.getpid()}"
    async with runner.session():
        context = WorkerContext(settings, store, queue, runner, name, stopping)
        log.info("worker %s on queues %s", name, ",".join(options.queues) or "all")
        await queue.serve(context, stop)


def _print_tasks() -> None:
    """SIGUSR2: every asyncio task's stack to stderr (what is each job waiting for?)."""
    import sys

    for task in asyncio.all_tasks():
        print(f"--- {task.get_name()}", file=sys.stderr)
        task.print_stack(file=sys.stderr)


def queue_report(settings: Settings) -> QueueReport:
    """`newsdesk workers status`."""
    return asyncio.run(_report(settings))


async def _report(settings: Settings) -> QueueReport:
    queue = open_queue(settings, queue_options(settings))
    async with queue:
        return await queue.report()


def apply_queue_schema(settings: Settings) -> str | None:
    """The queue's tables on PostgreSQL (None on SQLite, which has no job queue)."""
    if not has_job_queue(settings):
        return None
    from newsdesk.queue.procrastinate_queue import apply_queue_schema as apply

    return apply(settings.store.sqlalchemy_url)
