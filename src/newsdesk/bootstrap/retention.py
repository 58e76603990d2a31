"""Retention: `newsdesk db prune` and the daily prune of `newsdesk run` and the workers.

The policy comes from the settings (options.retention_policy), the cut-offs from a pure
function (domain.retention.cutoffs), the deletes from the store. Logged as counts per table
only: never an address, a name or a message.

The scheduled prune deletes at most RUN_ROWS rows per table a run, so a tick's work is
bounded; a run that reached that limit is continued by the next call of any process, each
run claiming its own period in periodic_runs after the one before it finished
(domain.retention.next_run_period), and records what it deleted for `workers status`.
"""

from __future__ import annotations

import contextlib
import logging
from typing import TYPE_CHECKING

from newsdesk.bootstrap.options import retention_policy
from newsdesk.config import Settings
from newsdesk.domain.models import utcnow
from newsdesk.domain.retention import (
    DAY_SECONDS,
    FAILED_RESULT,
    RetentionCutoffs,
    RetentionDay,
    RetentionRun,
    cutoffs,
    next_run_period,
    prune_line,
    retention_day,
)

if TYPE_CHECKING:
    from datetime import datetime

    from newsdesk.store import SqlStore

RETENTION_JOB = "retention"
KEEP_PERIODS_DAYS = 30
# Rows per table one scheduled run deletes at most (10 batches): a few seconds of work on a
# tick, and a backlog of millions still gone within hours, tick after tick.
RUN_ROWS = 50_000

log = logging.getLogger("newsdesk.retention")


def retention_cutoffs(settings: Settings, now: datetime | None = None) -> RetentionCutoffs:
    """The instants before which rows go, from the retention settings, as of now."""
    return cutoffs(retention_policy(settings), utcnow() if now is None else now)


def prune(
    settings: Settings, store: SqlStore, *, now: datetime | None = None, dry_run: bool = False
) -> dict[str, int]:
    """Delete (dry_run: count) every row the retention settings no longer keep; per table."""
    return store.prune_retained(retention_cutoffs(settings, now), dry_run=dry_run)


def prune_daily(
    settings: Settings,
    store: SqlStore,
    *,
    now: datetime | None = None,
    run_rows: int | None = None,
) -> RetentionRun | None:
    """Prune once per UTC day however many processes call this, at most run_rows rows per
    table a run; a run that reached the limit is continued by the next call. None when
    there was nothing to run (the day's prune done, or another process's run not finished)."""
    limit = RUN_ROWS if run_rows is None else run_rows
    moment = utcnow() if now is None else now
    day = int(moment.timestamp()) // DAY_SECONDS * DAY_SECONDS
    period = next_run_period(store.periodic_runs(RETENTION_JOB, since=day), day)
    if period is None or not store.claim_period(RETENTION_JOB, period):
        return None
    try:
        deleted = store.prune_retained(retention_cutoffs(settings, moment), max_rows=limit)
    except Exception:
        # Recorded so that status tells it from a run in progress; the next day prunes again.
        with contextlib.suppress(Exception):
            store.finish_period(RETENTION_JOB, period, FAILED_RESULT)
        raise
    run = RetentionRun.of(deleted, limit=limit)
    store.finish_period(RETENTION_JOB, period, run.result())
    suffix = " (per-run limit reached: continues on the next tick)" if run.partial else ""
    log.info("%s%s", prune_line(deleted), suffix)
    store.forget_periods(RETENTION_JOB, before=day - KEEP_PERIODS_DAYS * DAY_SECONDS)
    return run


def last_retention(store: SqlStore) -> RetentionDay | None:
    """The latest day's scheduled prune, all its runs together (None: never ran)."""
    latest = store.last_period(RETENTION_JOB)
    if latest is None:
        return None
    day = latest // DAY_SECONDS * DAY_SECONDS
    return retention_day(store.periodic_runs(RETENTION_JOB, since=day))
