"""Enrich what is not enriched yet (new articles, a new enrichment version, a crash mid-way).

One at a time across workers (lock), at most one waiting (queueing lock); queued by polls
that stored articles and once a minute. Runs in a thread, so the worker's heartbeat goes on.
A pass that enriched something queues the alerts job, so new articles reach alerts at once.
"""

from __future__ import annotations

import asyncio

from newsdesk.queue import JobType
from newsdesk.queue.ports import JobArgs
from newsdesk.workers.context import WorkerContext
from newsdesk.workers.jobs.alerts import DELIVER_ALERTS
from newsdesk.workers.jobs.poll import ENRICH


async def enrich(context: WorkerContext, args: JobArgs) -> None:
    del args
    from newsdesk.bootstrap import enrich_articles

    summary = await asyncio.to_thread(enrich_articles, context.store, context.settings, [])
    if summary.articles:
        await context.queue.defer(DELIVER_ALERTS)


def _one(_args: JobArgs) -> str:
    return ENRICH


JOB: JobType[WorkerContext] = JobType(
    name=ENRICH, queue="enrich", run=enrich, lock=_one, queueing_lock=_one, every_seconds=60
)
