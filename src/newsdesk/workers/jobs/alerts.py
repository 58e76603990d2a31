"""Alerts: match what was enriched since the last pass against every alert (percolation),
then deliver what is due: webhooks (first tries and retries, each with its webhook-id) and
alert emails (instant and hourly), each (alert, article) at most once per channel through
the alert deliveries' ledger (an email a killed worker left SENDING becomes UNCERTAIN, never
re-sent; a webhook is retried with the same id, which receivers drop if they saw it).

Every 10 seconds and right after an enrichment pass stored something (jobs/enrich.py), like
`newsdesk run`. One run at a time across workers (lock), at most one waiting (queueing
lock); in a thread. A store without members delivers nothing.
"""

from __future__ import annotations

import asyncio
import logging

from newsdesk.queue import JobType
from newsdesk.queue.ports import JobArgs
from newsdesk.workers.context import WorkerContext

log = logging.getLogger(__name__)

DELIVER_ALERTS = "deliver_alerts"


async def deliver_alerts(context: WorkerContext, args: JobArgs) -> None:
    del args
    from newsdesk.bootstrap.alerts import AlertsUnavailableError, run_alerts

    def deliver() -> None:
        try:
            result = run_alerts(context.settings, context.store, stop_event=context.stopping)
        except AlertsUnavailableError:
            return
        if result.busy():
            log.info("alerts: %s", result.line())

    await asyncio.to_thread(deliver)


def _one(_args: JobArgs) -> str:
    return DELIVER_ALERTS


JOB: JobType[WorkerContext] = JobType(
    name=DELIVER_ALERTS,
    queue="mail",
    run=deliver_alerts,
    lock=_one,
    queueing_lock=_one,
    every_seconds=10,
)
