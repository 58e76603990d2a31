"""Leases processes share through the database: poll generations and per-host politeness.

On PostgreSQL the database clock (clock_timestamp()) decides, so workers on machines whose
clocks drift apart still space their requests to a host; SQLite serves one machine, whose
clock is the caller's.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from newsdesk.domain.errors import FencedOut
from newsdesk.domain.leases import PeriodicRun, PollFence
from newsdesk.domain.models import utcnow
from newsdesk.store.base import StoreBase
from newsdesk.store.engine import read_connection
from newsdesk.store.schema import host_leases, periodic_runs, poll_leases

_PG_CLAIM = text(
    "INSERT INTO host_leases (host, next_allowed_at, holder) "
    "VALUES (:host, clock_timestamp() + make_interval(secs => :hold), :holder) "
    "ON CONFLICT (host) DO UPDATE SET next_allowed_at = EXCLUDED.next_allowed_at, "
    "holder = EXCLUDED.holder WHERE host_leases.next_allowed_at <= clock_timestamp() "
    "RETURNING holder"
)
_PG_WAIT = text(
    "SELECT EXTRACT(EPOCH FROM next_allowed_at - clock_timestamp()) FROM host_leases "
    "WHERE host = :host"
)
_PG_RELEASE = text(
    "UPDATE host_leases SET next_allowed_at = clock_timestamp() + make_interval(secs => :delay) "
    "WHERE host = :host AND holder = :holder"
)


def check_fence(connection: Connection, fence: PollFence | None) -> None:
    """Raise FencedOut unless fence's poll is still the newest of its source.

    Runs inside the caller's write transaction. On PostgreSQL the row is read FOR SHARE, so a
    new poll's generation bump waits for this transaction and every later write sees it; on
    SQLite every write transaction already holds the database's write lock.
    """
    if fence is None:
        return
    query = select(poll_leases.c.generation).where(poll_leases.c.source_id == fence.source_id)
    if connection.dialect.name == "postgresql":
        query = query.with_for_update(read=True)
    generation = connection.execute(query).scalar()
    if generation != fence.generation:
        raise FencedOut(
            f"poll {fence.generation} of source {fence.source_id} was superseded by poll "
            f"{generation}; its write is refused"
        )


class LeasesRepository(StoreBase):
    def begin_poll(self, source_id: int, *, holder: str) -> PollFence | None:
        """Take the next poll generation of a source (None: no such source). Every write of
        an earlier poll of the source is refused from now on."""
        insert_module = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        statement = insert_module.insert(poll_leases).values(
            source_id=source_id, generation=1, holder=holder, started_at=utcnow()
        )
        statement = statement.on_conflict_do_update(
            index_elements=[poll_leases.c.source_id],
            set_={
                "generation": poll_leases.c.generation + 1,
                "holder": statement.excluded.holder,
                "started_at": statement.excluded.started_at,
            },
        ).returning(poll_leases.c.generation)
        try:
            with self.engine.begin() as connection:
                generation = connection.execute(statement).scalar_one()
        except IntegrityError:
            return None  # the source was removed
        return PollFence(source_id=source_id, generation=int(generation))

    def claim_period(self, job: str, period: int) -> bool:
        """True for the first caller for this job and period (its Unix timestamp), False for
        every later one: a periodic job runs at most once per period."""
        insert_module = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        statement = (
            insert_module.insert(periodic_runs)
            .values(job=job, period=period, ran_at=utcnow())
            .on_conflict_do_nothing()
            .returning(periodic_runs.c.period)
        )
        with self.engine.begin() as connection:
            return connection.execute(statement).first() is not None

    def finish_period(self, job: str, period: int, result: dict[str, Any]) -> None:
        """Record that the run of a claimed period finished, and what it reports."""
        with self.engine.begin() as connection:
            connection.execute(
                periodic_runs.update()
                .where(periodic_runs.c.job == job, periodic_runs.c.period == period)
                .values(finished_at=utcnow(), result=result)
            )

    def periodic_runs(self, job: str, *, since: int = 0) -> list[PeriodicRun]:
        """The recorded periods of a job from `since` (a Unix timestamp) on, oldest first."""
        query = (
            select(periodic_runs)
            .where(periodic_runs.c.job == job, periodic_runs.c.period >= since)
            .order_by(periodic_runs.c.period)
        )
        with read_connection(self.engine) as connection:
            rows = connection.execute(query).all()
        return [
            PeriodicRun(
                job=row.job,
                period=int(row.period),
                ran_at=row.ran_at,
                finished_at=row.finished_at,
                result=row.result,
            )
            for row in rows
        ]

    def last_period(self, job: str) -> int | None:
        """The latest period claimed for a job (None: it never ran)."""
        query = select(func.max(periodic_runs.c.period)).where(periodic_runs.c.job == job)
        with read_connection(self.engine) as connection:
            latest = connection.execute(query).scalar()
        return None if latest is None else int(latest)

    def forget_periods(self, job: str, before: int) -> int:
        """Drop the record of periods before `before`; returns how many."""
        with self.engine.begin() as connection:
            result = connection.execute(
                periodic_runs.delete().where(
                    periodic_runs.c.job == job, periodic_runs.c.period < before
                )
            )
        return int(result.rowcount)

    def claim_host(self, host: str, *, holder: str, hold_seconds: float) -> float:
        """Claim host for one request for at most hold_seconds: 0.0 when claimed, else the
        seconds until the current claim or delay ends (try again then)."""
        with self.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                params = {"host": host, "hold": hold_seconds, "holder": holder}
                if connection.execute(_PG_CLAIM, params).first() is not None:
                    return 0.0
                wait = connection.execute(_PG_WAIT, {"host": host}).scalar()
                return max(float(wait or 0.0), 0.001)
            now = utcnow()
            current = connection.execute(
                select(host_leases.c.next_allowed_at).where(host_leases.c.host == host)
            ).scalar()
            if current is not None and current > now:
                return max(float((current - now).total_seconds()), 0.001)
            _sqlite_set(connection, host, holder, now + timedelta(seconds=hold_seconds))
            return 0.0

    def release_host(self, host: str, *, holder: str, delay: float) -> None:
        """End holder's claim: the next request to host may start delay seconds from now. A
        claim that expired and went to another holder meanwhile is left alone."""
        with self.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(_PG_RELEASE, {"host": host, "holder": holder, "delay": delay})
                return
            connection.execute(
                host_leases.update()
                .where(host_leases.c.host == host, host_leases.c.holder == holder)
                .values(next_allowed_at=utcnow() + timedelta(seconds=delay))
            )


def _sqlite_set(connection: Connection, host: str, holder: str, until: datetime) -> None:
    statement = sqlite.insert(host_leases).values(host=host, next_allowed_at=until, holder=holder)
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=[host_leases.c.host],
            set_={"next_allowed_at": until, "holder": holder},
        )
    )
