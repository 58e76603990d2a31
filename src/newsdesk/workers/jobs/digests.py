"""Send the digests that are due, through the outbox (PENDING → SENDING → SENT; a SENDING
row whose worker died becomes UNCERTAIN and is never re-sent). Once a minute, one run at a
time across workers; in a thread, stopping after the message in flight on SIGTERM."""

from __future__ import annotations

import asyncio
import logging

from newsdesk.queue import JobType
from newsdesk.queue.ports import JobArgs
from newsdesk.workers.context import WorkerContext

log = logging.getLogger(__name__)

SEND_DIGESTS = "send_digests"


async def send_digests(context: WorkerContext, args: JobArgs) -> None:
    del args
    from newsdesk.bootstrap import digest_run

    def send() -> None:
        run = digest_run(context.settings, context.store, stop_event=context.stopping)
        report = run.send_due()
        if report.sent or report.deferred or report.failed or report.uncertain:
            log.info("digests: %s", report.line())

    await asyncio.to_thread(send)


def _one(_args: JobArgs) -> str:
    return SEND_DIGESTS


JOB: JobType[WorkerContext] = JobType(
    name=SEND_DIGESTS,
    queue="mail",
    run=send_digests,
    lock=_one,
    queueing_lock=_one,
    every_seconds=60,
)
