"""Send the weekly report emails that are due: the newest week whose mailing has begun
(Monday 06:00 UTC, reports.mailing.due_week), each member once, through the report outbox
(PENDING → SENDING → SENT; a SENDING row whose worker died becomes UNCERTAIN and is never
re-sent). A run finds every member already handled but those who were not, so it is safe to
run once a minute; a worker down all Monday mails the week when it comes back.

One run at a time across workers (lock), at most one waiting (queueing lock); in a thread,
stopping after the message in flight on SIGTERM. A store without members sends nothing.
"""

from __future__ import annotations

import asyncio
import logging

from newsdesk.queue import JobType
from newsdesk.queue.ports import JobArgs
from newsdesk.workers.context import WorkerContext

log = logging.getLogger(__name__)

SEND_REPORTS = "send_reports"


async def send_reports(context: WorkerContext, args: JobArgs) -> None:
    del args
    from newsdesk.bootstrap.alerts import AlertsUnavailableError
    from newsdesk.bootstrap.alerts import send_reports as send_weekly_reports
    from newsdesk.domain.models import utcnow
    from newsdesk.reports.mailing import due_week

    def send() -> None:
        week = due_week(utcnow())
        try:
            report = send_weekly_reports(
                context.settings, context.store, week=week, stop_event=context.stopping
            )
        except AlertsUnavailableError:
            return
        if report.sent or report.failed or report.uncertain:
            log.info("%s: %s", week, report.line())

    await asyncio.to_thread(send)


def _one(_args: JobArgs) -> str:
    return SEND_REPORTS


JOB: JobType[WorkerContext] = JobType(
    name=SEND_REPORTS,
    queue="mail",
    run=send_reports,
    lock=_one,
    queueing_lock=_one,
    every_seconds=60,
)
