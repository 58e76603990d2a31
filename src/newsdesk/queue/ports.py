"""What newsdesk sees of its job queue: job types, the queue protocol, the status report.

A job type names its queue and says which of its jobs may not wait side by side (queueing
lock: at most one waiting) and which may not run side by side (lock: at most one running).
Jobs are reconcilers: each does what the database says is due (poll a due source, enrich
what is not enriched, send the digests due), so a job run twice, or run after a job that
died half-way, does no harm, and a job lost to a crash is re-created by the next tick.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

ContextT = TypeVar("ContextT")
JobArgs = Mapping[str, Any]  # JSON-serialisable keyword arguments of one job


def is_queue_database(database_url: str) -> bool:
    """Whether a SQLAlchemy URL names a database that can hold the job queue: PostgreSQL
    (``postgresql://``, ``postgresql+psycopg://``). SQLite has none (`newsdesk run` does all the
    work), and neither has a URL that does not parse. Settings hand out ``postgres://`` as
    ``postgresql+psycopg://`` (config.groups.sqlalchemy_scheme); a raw ``postgres://`` is not
    PostgreSQL to SQLAlchemy, so not to the queue either."""
    try:
        return make_url(database_url).get_backend_name() == "postgresql"
    except ArgumentError:
        return False


def _no_lock(_args: JobArgs) -> str | None:
    return None


@dataclass(frozen=True)
class JobType(Generic[ContextT]):
    """One kind of job. ``run(context, args)`` does the work in a worker; ``context`` is
    the worker process's (store, settings, open sessions), built once per process."""

    name: str
    queue: str
    run: Callable[[ContextT, JobArgs], Awaitable[None]]
    lock: Callable[[JobArgs], str | None] = _no_lock
    queueing_lock: Callable[[JobArgs], str | None] = _no_lock
    # Deferred once per period (whatever the number of workers) when set: a divisor of 60.
    every_seconds: int | None = None


@dataclass(frozen=True)
class QueueOptions:
    """How workers run jobs and notice each other's death."""

    tick_seconds: int = 30  # period of the scheduling tick (the job type "schedule")
    concurrency: int = 4  # jobs at once in one worker process
    queues: tuple[str, ...] = ()  # empty: every queue
    heartbeat_seconds: float = 10.0  # a worker refreshes its heartbeat this often
    stalled_seconds: float = 60.0  # a heartbeat older than this: the worker is dead
    poll_seconds: float = 5.0  # looks for jobs this often even without a notification
    restart_seconds: float = 2.0  # after losing the database, tries again this often
    keep_finished_hours: int = 72  # finished jobs kept for `newsdesk workers status`


@dataclass(frozen=True)
class WorkerRow:
    id: int
    last_heartbeat: datetime
    seconds_since_heartbeat: float
    stalled: bool
    running: int


@dataclass(frozen=True)
class QueuedJob:
    id: int
    job: str
    queue: str
    status: str
    args: dict[str, Any]
    attempts: int
    worker_id: int | None
    at: datetime | None  # when it last changed state


@dataclass(frozen=True)
class QueueReport:
    """`newsdesk workers status`: workers, job counts per queue and status, stalled jobs
    (running on a worker whose heartbeat stopped) and the latest failed jobs."""

    workers: list[WorkerRow] = field(default_factory=list)
    queues: dict[str, dict[str, int]] = field(default_factory=dict)
    stalled: list[QueuedJob] = field(default_factory=list)
    failed: list[QueuedJob] = field(default_factory=list)


class JobQueue(Protocol):
    """What jobs and the scheduling tick use."""

    async def defer(self, job: str, args: JobArgs | None = None) -> bool:
        """Queue one job of that type; False when one with its queueing lock is waiting."""

    async def fail_stalled(self) -> int:
        """Mark the jobs of workers whose heartbeat stopped as failed (releasing their locks)
        and forget those workers; the work is re-queued by the next tick. Returns the count."""

    async def prune_finished(self) -> int:
        """Delete finished jobs older than the retention; returns how many."""
