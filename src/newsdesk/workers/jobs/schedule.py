"""The tick: fail the jobs of dead workers, then queue a poll of every due source. Once per
period: it claims its period in the database first (periodic_runs). Once per UTC day the
first tick of the day also prunes what the retention settings no longer keep (claimed as
its own job in periodic_runs, so one worker prunes), a bounded number of rows per table; a
prune that stopped at that limit is continued by the next tick, again by one worker.

Deferred by procrastinate once per period however many workers run. It holds no lock and
no queueing lock (a periodic job with a lock that stalls would block every later one,
procrastinate #1408); a tick that dies is simply followed by the next.
"""

from __future__ import annotations

import asyncio
import logging

from newsdesk.domain.models import utcnow
from newsdesk.queue import JobType
from newsdesk.queue.ports import JobArgs
from newsdesk.workers.context import WorkerContext
from newsdesk.workers.jobs.poll import POLL_SOURCE

log = logging.getLogger(__name__)

SCHEDULE = "schedule"
PRUNE_EVERY_SECONDS = 600
KEEP_PERIODS_SECONDS = 24 * 3600


async def tick(context: WorkerContext, args: JobArgs) -> None:
    timestamp = int(args.get("timestamp") or 0)
    if not context.store.claim_period(SCHEDULE, timestamp):
        log.info("tick %d already ran: skipped", timestamp)
        return
    queue = context.queue
    await queue.fail_stalled()
    queued = 0
    for source in context.store.due_sources(utcnow()):
        if source.id is not None and await queue.defer(POLL_SOURCE, {"source_id": source.id}):
            queued += 1
    if queued:
        log.info("tick: %d polls queued", queued)
    if timestamp % PRUNE_EVERY_SECONDS < context.settings.queue.tick_seconds:
        await queue.prune_finished()
        context.store.forget_periods(SCHEDULE, before=timestamp - KEEP_PERIODS_SECONDS)
    await asyncio.to_thread(_retention, context)


def _retention(context: WorkerContext) -> None:
    """The daily retention prune, continued tick after tick while a run stops at its per-run
    limit (otherwise a no-op but for one read on every later tick of the day); a failure is
    logged and the next day prunes again."""
    from newsdesk.bootstrap import prune_daily

    try:
        prune_daily(context.settings, context.store)
    except Exception:
        log.exception("retention prune failed")


# every_seconds is NEWSDESK_QUEUE_TICK_SECONDS: the worker service sets it from the settings.
JOB: JobType[WorkerContext] = JobType(name=SCHEDULE, queue=SCHEDULE, run=tick, every_seconds=30)
