"""Retention: `newsdesk db prune` and the daily prune of `newsdesk run` and the workers.

The policy comes from the settings (options.retention_policy), the cut-offs from a pure
function (domain.retention.cutoffs), the deletes from the store. Logged as counts per table
only: never an address, a name or a message.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from newsdesk.bootstrap.options import retention_policy
from newsdesk.config import Settings
from newsdesk.domain.models import utcnow
from newsdesk.domain.retention import RetentionCutoffs, cutoffs, prune_line

if TYPE_CHECKING:
    from datetime import datetime

    from newsdesk.store import SqlStore

RETENTION_JOB = "retention"
DAY_SECONDS = 24 * 3600
KEEP_PERIODS_DAYS = 30

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
    settings: Settings, store: SqlStore, *, now: datetime | None = None
) -> dict[str, int] | None:
    """Prune once per UTC day however many processes call this (it claims the day in
    periodic_runs first); None when the day was pruned already."""
    moment = utcnow() if now is None else now
    day = int(moment.timestamp()) // DAY_SECONDS * DAY_SECONDS
    if not store.claim_period(RETENTION_JOB, day):
        return None
    counts = prune(settings, store, now=moment)
    log.info("%s", prune_line(counts))
    store.forget_periods(RETENTION_JOB, before=day - KEEP_PERIODS_DAYS * DAY_SECONDS)
    return counts
