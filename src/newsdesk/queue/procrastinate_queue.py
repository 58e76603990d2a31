"""The JobQueue over procrastinate: the only module that imports it (lazily, on PostgreSQL).

Around procrastinate's known issues (see docs/architecture.md, "Workers"):

- A retry that puts a job back to ``todo`` collides with the unique queueing-lock index
  when a sibling is already queued, and leaves the job ``doing`` for ever, its lock held
  (procrastinate issues #1446, #1543). newsdesk never retries through procrastinate: job
  types have no retry strategy, and stalled jobs are marked *failed* (which frees their
  lock), never put back to ``todo``. The work itself comes back as a fresh job from the next
  tick, because every job does what the database says is due.
- A periodic "retry stalled jobs" task that holds a ``lock`` can stall itself and then block
  every later run (issue #1408). The tick has no lock and no queueing lock: procrastinate's
  periodic defer already makes it once per period, and a stalled tick blocks nothing.
- A worker whose heartbeat or listener loses the database stops (its side task fails);
  ``serve`` starts it again until asked to stop, so a database restart is survived.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Sequence
from importlib import resources
from typing import Any, Generic, LiteralString, TypeVar

from sqlalchemy.engine import make_url

from newsdesk.queue.ports import (
    JobArgs,
    JobType,
    QueuedJob,
    QueueOptions,
    QueueReport,
    WorkerRow,
    is_queue_database,
)

log = logging.getLogger(__name__)

ContextT = TypeVar("ContextT")

# Serialises `newsdesk db upgrade` runs applying the queue schema (any constant will do).
QUEUE_SCHEMA_LOCK = 7_246_153_014
FAILED_SHOWN = 20
POOL_WAIT_SECONDS = 5.0


def conninfo_from_url(database_url: str) -> str:
    """A libpq key=value connection string from a SQLAlchemy PostgreSQL URL (query parameters
    such as options kept, decoded: libpq reads a '+' in a URI as itself, not a space)."""
    from psycopg.conninfo import make_conninfo

    if not is_queue_database(database_url):
        raise ValueError(
            "the job queue (newsdesk worker) needs PostgreSQL: set NEWSDESK_DATABASE_URL to "
            "postgresql+psycopg://…; on SQLite, `newsdesk run` does all the work in one process"
        )
    url = make_url(database_url)
    params: dict[str, str | int] = {
        key: value if isinstance(value, str) else " ".join(value)
        for key, value in url.query.items()
    }
    fields = {
        "host": url.host,
        "port": url.port,
        "dbname": url.database,
        "user": url.username,
        "password": url.password,
    }
    params.update({key: value for key, value in fields.items() if value is not None})
    return make_conninfo("", **params)


def with_idle_transaction_timeout(database_url: str, seconds: float) -> str:
    """The URL with PostgreSQL's idle_in_transaction_session_timeout set for its sessions.

    A worker frozen mid-transaction (paused, swapped out, its machine cut off) keeps its
    row locks while its connection lives; the server ends such a session after `seconds`,
    so a worker presumed dead cannot block the one that takes over its source."""
    if not is_queue_database(database_url):
        return database_url
    url = make_url(database_url)
    timeout = f"-c idle_in_transaction_session_timeout={max(1, round(seconds * 1000))}"
    current = url.query.get("options", "")
    options = " ".join(
        part for part in (*([current] if isinstance(current, str) else current), timeout) if part
    )
    return url.update_query_dict({"options": options}).render_as_string(hide_password=False)


def cron_every(seconds: int) -> str:
    """procrastinate's cron (croniter, seconds as a 6th field) for every `seconds`."""
    if seconds <= 0 or 60 % seconds:
        raise ValueError("a periodic job's period must divide 60 seconds (1, 2, 5, … 60)")
    return "* * * * *" if seconds == 60 else f"* * * * * */{seconds}"


class ProcrastinateQueue(Generic[ContextT]):
    """Defer jobs, run a worker, report status: procrastinate behind newsdesk's JobQueue."""

    def __init__(
        self,
        database_url: str,
        job_types: Sequence[JobType[ContextT]],
        options: QueueOptions,
        *,
        max_connections: int = 4,
    ) -> None:
        import procrastinate

        self._options = options
        self._types = {job_type.name: job_type for job_type in job_types}
        self._context: ContextT | None = None
        self._app = procrastinate.App(
            connector=procrastinate.PsycopgConnector(
                conninfo=conninfo_from_url(database_url),
                min_size=1,
                max_size=max(2, max_connections),
                # Fail fast when the database is gone: serve() then starts the worker again
                # on a fresh pool instead of queueing behind a pool backing off.
                timeout=POOL_WAIT_SECONDS,
                # Every query its own transaction: a worker frozen between a query and its
                # commit (paused, swapped out) would otherwise keep row locks — its heartbeat
                # row, which the next worker's start-up prunes — while its connection lives.
                configure=_autocommit,
            )
        )
        for job_type in job_types:
            self._register(job_type)

    @property
    def options(self) -> QueueOptions:
        return self._options

    def _register(self, job_type: JobType[ContextT]) -> None:
        async def run(**kwargs: Any) -> None:
            if self._context is None:
                raise RuntimeError("jobs run only in a worker (serve)")
            await job_type.run(self._context, kwargs)

        task = self._app.task(name=job_type.name, queue=job_type.queue, retry=False)(run)
        if job_type.every_seconds is not None:
            self._app.periodic(
                cron=cron_every(job_type.every_seconds),
                periodic_id=job_type.name,
                lock=job_type.lock({}),
                queueing_lock=job_type.queueing_lock({}),
            )(task)  # type: ignore[arg-type]  # run takes the timestamp among its **kwargs

    async def __aenter__(self) -> ProcrastinateQueue[ContextT]:
        await self._app.open_async()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self._app.close_async()

    # --- JobQueue -----------------------------------------------------------------------

    async def defer(self, job: str, args: JobArgs | None = None) -> bool:
        from procrastinate.exceptions import AlreadyEnqueued

        job_type = self._types[job]
        kwargs = dict(args or {})
        deferrer = self._app.configure_task(
            job_type.name,
            queue=job_type.queue,
            lock=job_type.lock(kwargs),
            queueing_lock=job_type.queueing_lock(kwargs),
        )
        try:
            await deferrer.defer_async(**kwargs)
        except AlreadyEnqueued:
            return False
        return True

    async def fail_stalled(self) -> int:
        from procrastinate.exceptions import ConnectorException
        from procrastinate.jobs import Status

        manager = self._app.job_manager
        seconds = self._options.stalled_seconds
        failed = 0
        for job in await manager.get_stalled_jobs(seconds_since_heartbeat=seconds):
            try:
                # Failed, not retried: a retry to `todo` can collide with a queued sibling's
                # queueing lock and strand the job (procrastinate #1446). Failing frees the
                # lock; the next tick queues the work afresh.
                await manager.finish_job(job, status=Status.FAILED, delete_job=False)
            except ConnectorException:
                continue  # it finished meanwhile
            failed += 1
            log.warning(
                "job %s %s stalled (worker %s gone): failed", job.id, job.task_name, job.worker_id
            )
        await manager.prune_stalled_workers(seconds)
        return failed

    async def prune_finished(self) -> int:
        before = await self._count_jobs()
        await self._app.job_manager.delete_old_jobs(
            nb_hours=self._options.keep_finished_hours,
            include_failed=True,
            include_cancelled=True,
            include_aborted=True,
        )
        return max(0, before - await self._count_jobs())

    async def _count_jobs(self) -> int:
        row = await self._app.connector.execute_query_one_async(
            "SELECT count(*) AS n FROM procrastinate_jobs"
        )
        return int(row["n"])

    # --- workers ------------------------------------------------------------------------

    async def serve(self, context: ContextT, stop: asyncio.Event) -> None:
        """Run a worker until stop is set. A worker that lost the database (its heartbeat or
        listener failed, or it could not start) is started again every restart_seconds."""
        from procrastinate.worker import Worker

        self._context = context
        name = f"{socket.gethostname()}:{os.getpid()}"
        while not stop.is_set():
            try:
                async with self._app.open_async():
                    worker = Worker(
                        self._app,
                        queues=list(self._options.queues) or None,
                        name=name,
                        concurrency=self._options.concurrency,
                        fetch_job_polling_interval=self._options.poll_seconds,
                        install_signal_handlers=False,
                        update_heartbeat_interval=self._options.heartbeat_seconds,
                        stalled_worker_timeout=self._options.stalled_seconds,
                        delete_jobs="never",  # kept for status; pruned by prune_finished
                    )
                    await _run_until(worker, stop)
                if not stop.is_set():
                    log.warning("worker lost the database (a side task failed); starting again")
            except Exception as error:  # the database went away: start again
                cause = error.__cause__ or error
                log.warning("worker lost the database (%s); starting again", str(cause).strip())
            if not stop.is_set():
                await _wait(stop, self._options.restart_seconds)

    # --- status -------------------------------------------------------------------------

    async def report(self) -> QueueReport:
        connector = self._app.connector
        stalled_after = self._options.stalled_seconds
        workers = [
            WorkerRow(
                id=row["id"],
                last_heartbeat=row["last_heartbeat"],
                seconds_since_heartbeat=float(row["age"]),
                stalled=float(row["age"]) > stalled_after,
                running=int(row["running"]),
            )
            for row in await connector.execute_query_all_async(_WORKERS)
        ]
        queues: dict[str, dict[str, int]] = {}
        for row in await connector.execute_query_all_async(_COUNTS):
            queues.setdefault(row["queue_name"], {})[row["status"]] = int(row["n"])
        stalled_ids = [
            job.id
            for job in await self._app.job_manager.get_stalled_jobs(
                seconds_since_heartbeat=stalled_after
            )
            if job.id is not None
        ]
        stalled = [
            _queued(row)
            for row in await connector.execute_query_all_async(_JOBS_BY_ID, ids=stalled_ids)
        ]
        failed = [
            _queued(row)
            for row in await connector.execute_query_all_async(_FAILED, limit=FAILED_SHOWN)
        ]
        return QueueReport(workers=workers, queues=queues, stalled=stalled, failed=failed)


async def _autocommit(connection: Any) -> None:
    await connection.set_autocommit(True)


async def _run_until(worker: Any, stop: asyncio.Event) -> None:
    """worker.run() until it ends by itself (lost database) or stop is set (then it finishes
    the jobs in flight first)."""
    running = asyncio.create_task(worker.run(), name="procrastinate worker")
    stopping = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if stop.is_set():
            worker.stop()
        await running
    finally:
        stopping.cancel()


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    except TimeoutError:
        return


def _queued(row: dict[str, Any]) -> QueuedJob:
    return QueuedJob(
        id=int(row["id"]),
        job=row["task_name"],
        queue=row["queue_name"],
        status=str(row["status"]),
        args=dict(row["args"] or {}),
        attempts=int(row["attempts"]),
        worker_id=row["worker_id"],
        at=row["at"],
    )


_WORKERS: LiteralString = """
SELECT w.id, w.last_heartbeat, EXTRACT(EPOCH FROM now() - w.last_heartbeat) AS age,
       (SELECT count(*) FROM procrastinate_jobs j
         WHERE j.worker_id = w.id AND j.status = 'doing') AS running
  FROM procrastinate_workers w ORDER BY w.id
"""
_COUNTS: LiteralString = """
SELECT queue_name, status::text AS status, count(*) AS n
  FROM procrastinate_jobs GROUP BY queue_name, status ORDER BY queue_name, status
"""
_JOB_FIELDS: LiteralString = """
SELECT j.id, j.task_name, j.queue_name, j.status::text AS status, j.args, j.attempts,
       j.worker_id, (SELECT max(e.at) FROM procrastinate_events e WHERE e.job_id = j.id) AS at
  FROM procrastinate_jobs j
"""
_JOBS_BY_ID: LiteralString = _JOB_FIELDS + " WHERE j.id = ANY(%(ids)s) ORDER BY j.id"
_FAILED: LiteralString = (
    _JOB_FIELDS + " WHERE j.status = 'failed' ORDER BY j.id DESC LIMIT %(limit)s"
)


# --- the schema -------------------------------------------------------------------------


def apply_queue_schema(database_url: str) -> str:
    """Create procrastinate's tables, or migrate them to the installed procrastinate, in the
    database (the schema first on its search_path); returns the version now applied.

    The applied version is kept in newsdesk_queue_schema; procrastinate's own migration
    scripts between it and the installed version are applied in order, in one transaction.
    Stop workers first when procrastinate was upgraded (its scripts may change functions
    the old workers call)."""
    import procrastinate
    import psycopg
    from procrastinate.schema import SchemaManager

    installed = str(procrastinate.__version__)
    with psycopg.connect(conninfo_from_url(database_url)) as connection, connection.transaction():
        connection.execute("SELECT pg_advisory_xact_lock(%s)", (QUEUE_SCHEMA_LOCK,))
        connection.execute(
            "CREATE TABLE IF NOT EXISTS newsdesk_queue_schema (version text NOT NULL)"
        )
        row = connection.execute("SELECT version FROM newsdesk_queue_schema").fetchone()
        if row is None:
            present = connection.execute("SELECT to_regclass('procrastinate_jobs')").fetchone()
            if present is not None and present[0] is not None:
                raise RuntimeError(
                    "procrastinate tables exist but newsdesk did not create them; insert the "
                    "procrastinate version they are at into newsdesk_queue_schema"
                )
            connection.execute(SchemaManager.get_schema())
            connection.execute("INSERT INTO newsdesk_queue_schema VALUES (%s)", (installed,))
            return installed
        applied = str(row[0])
        for _version, name, script in _migrations_between(applied, installed):
            log.info("queue schema: applying procrastinate migration %s", name)
            connection.execute(script.encode())  # procrastinate's own script
        connection.execute("UPDATE newsdesk_queue_schema SET version = %s", (installed,))
    return installed


def _version(text: str) -> tuple[int, ...]:
    parts: list[int] = []
    for piece in text.split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts[:3])


def _migrations_between(applied: str, installed: str) -> list[tuple[tuple[int, ...], str, str]]:
    low, high = _version(applied), _version(installed)
    found = []
    for entry in resources.files("procrastinate.sql.migrations").iterdir():
        name = entry.name
        if not name.endswith(".sql"):
            continue
        version = _version(name.split("_", 1)[0])
        if low < version <= high:
            found.append((version, name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def queue_schema_version(database_url: str) -> str | None:
    """The procrastinate version whose schema is applied (None: not applied). A database
    that cannot be reached is a NewsdeskError: one line for the operator, not a traceback."""
    import psycopg

    from newsdesk.domain.errors import NewsdeskError

    try:
        connection = psycopg.connect(conninfo_from_url(database_url))
    except psycopg.OperationalError as error:
        reason = " ".join(str(error).split()) or type(error).__name__
        raise NewsdeskError(f"cannot reach the job queue's database: {reason}") from error
    with connection:
        present = connection.execute("SELECT to_regclass('newsdesk_queue_schema')").fetchone()
        if present is None or present[0] is None:
            return None
        row = connection.execute("SELECT version FROM newsdesk_queue_schema").fetchone()
    return None if row is None else str(row[0])


__all__ = [
    "ProcrastinateQueue",
    "apply_queue_schema",
    "conninfo_from_url",
    "cron_every",
    "queue_schema_version",
]
