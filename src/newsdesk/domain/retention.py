"""How long operational and personal rows are kept: the policy and its cut-off instants.

Pure: ``cutoffs`` turns the operator's policy (days; 0 keeps forever) and a moment into the
instants before which rows go. The store deletes (store.retention_repo); `newsdesk db prune`
and the daily schedules call it. Legal and idempotency records (consent_events,
payment_events, digest_outbox, articles …) are no part of it.

The scheduled prune deletes at most a bounded number of rows per table and run; a run that
stopped there is continued by the next tick rather than the next day. ``next_run_period``
decides which period (periodic_runs) the next run claims, ``retention_day`` sums a day's runs
up for `newsdesk workers status`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from newsdesk.domain.leases import PeriodicRun

# The tables pruned, in the order they are pruned and reported.
PRUNED_TABLES = (
    "fetch_attempts",
    "webhook_attempts",
    "signin_requests",
    "member_sessions",
    "pro_leads",
)


@dataclass(frozen=True)
class RetentionPolicy:
    """Days each kind of row is kept; 0 keeps it forever."""

    fetch_log_days: int = 90
    webhook_attempts_days: int = 90
    leads_days: int = 365
    expired_days: int = 7  # sign-in requests used or expired, sessions expired, that long ago

    def __post_init__(self) -> None:
        for name in ("fetch_log_days", "webhook_attempts_days", "leads_days", "expired_days"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be 0 (keep forever) or more days")


@dataclass(frozen=True)
class RetentionCutoffs:
    """Rows older than these instants go; None keeps that kind of row forever.

    fetch_attempts by started_at, webhook_attempts by at, pro_leads by created_at; sign-in
    requests used or expired before ``expired``, member sessions expired before it.
    """

    fetch_log: datetime | None
    webhook_attempts: datetime | None
    leads: datetime | None
    expired: datetime | None


def _before(now: datetime, days: int) -> datetime | None:
    return None if days == 0 else now - timedelta(days=days)


def cutoffs(policy: RetentionPolicy, now: datetime) -> RetentionCutoffs:
    """The instants before which each kind of row is deleted, as of now."""
    return RetentionCutoffs(
        fetch_log=_before(now, policy.fetch_log_days),
        webhook_attempts=_before(now, policy.webhook_attempts_days),
        leads=_before(now, policy.leads_days),
        expired=_before(now, policy.expired_days),
    )


def prune_line(counts: dict[str, int], *, dry_run: bool = False) -> str:
    """One line for the log or the terminal: counts per table only (never a row's content)."""
    verb = "would delete" if dry_run else "deleted"
    parts = ", ".join(f"{table} {counts.get(table, 0)}" for table in PRUNED_TABLES)
    return f"retention: {verb} {parts}"


DAY_SECONDS = 24 * 3600


@dataclass(frozen=True)
class RetentionRun:
    """One scheduled prune: rows deleted per table, and whether it stopped at its per-run
    limit with rows left (partial: the next tick continues)."""

    deleted: dict[str, int]
    partial: bool

    @classmethod
    def of(cls, deleted: dict[str, int], *, limit: int) -> RetentionRun:
        """A run that deleted `deleted` with at most `limit` rows per table: a table that
        reached the limit may have more rows to go."""
        return cls(deleted=dict(deleted), partial=any(n >= limit for n in deleted.values()))

    def result(self) -> dict[str, Any]:
        """What periodic_runs.result keeps of it."""
        return {"deleted": self.deleted, "partial": self.partial}


FAILED_RESULT: dict[str, Any] = {"failed": True}


def _partial(result: dict[str, Any] | None) -> bool:
    return bool(result and result.get("partial"))


def next_run_period(runs: Sequence[PeriodicRun], day: int) -> int | None:
    """The period the next scheduled prune claims, given the runs recorded for the UTC day
    that starts at `day` (Unix timestamp): the day itself for its first run; one past the
    day's last run when that one finished partial, so the prune continues; None when the
    day's prune is done, failed, or not finished (running, or its process died: the next
    day prunes afresh). A run is claimed only after the one before it finished, so however
    many processes ask, one prunes at a time."""
    todays = [run for run in runs if day <= run.period < day + DAY_SECONDS]
    if not todays:
        return day
    last = max(todays, key=lambda run: run.period)
    if last.finished_at is None or not _partial(last.result):
        return None
    following = last.period + 1
    return following if following < day + DAY_SECONDS else None


@dataclass(frozen=True)
class RetentionDay:
    """The scheduled prune of one UTC day, all its runs together.

    state: "done" (the last run had nothing left), "partial" (the last run stopped at its
    per-run limit; the next tick continues), "unfinished" (the last run has not finished:
    running now, or its process died; the next day prunes afresh), "failed" (the last run
    raised; logged, and the next day prunes afresh)."""

    day: date
    runs: int
    started_at: datetime  # the day's first run began
    finished_at: datetime | None  # the day's last run ended (None: unfinished)
    state: str
    deleted: dict[str, int] = field(default_factory=dict)  # per table, over the day's runs


def retention_day(runs: Sequence[PeriodicRun]) -> RetentionDay | None:
    """The latest UTC day's prune from the recorded runs; None when retention never ran."""
    if not runs:
        return None
    day = max(run.period for run in runs) // DAY_SECONDS * DAY_SECONDS
    todays = sorted(
        (run for run in runs if day <= run.period < day + DAY_SECONDS),
        key=lambda run: run.period,
    )
    deleted = dict.fromkeys(PRUNED_TABLES, 0)
    for run in todays:
        for table, count in ((run.result or {}).get("deleted") or {}).items():
            deleted[table] = deleted.get(table, 0) + int(count)
    last = todays[-1]
    if last.finished_at is None:
        state = "unfinished"
    elif (last.result or {}).get("failed"):
        state = "failed"
    elif _partial(last.result):
        state = "partial"
    else:
        state = "done"
    return RetentionDay(
        day=datetime.fromtimestamp(day, tz=UTC).date(),
        runs=len(todays),
        started_at=todays[0].ran_at,
        finished_at=last.finished_at,
        state=state,
        deleted=deleted,
    )
