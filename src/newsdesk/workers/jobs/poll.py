"""Poll one source: fetch → parse → per entry extract → dedup → store, then queue enrichment.

At most one poll of a source waits (queueing lock) and one runs (lock) across every worker.
The poll first takes the source's next generation: if this worker is presumed dead and the
source is polled by another, every later write of this poll is refused (FencedOut).
"""

from __future__ import annotations

from newsdesk.domain.models import utcnow
from newsdesk.queue import JobType
from newsdesk.queue.ports import JobArgs
from newsdesk.workers.context import WorkerContext

POLL_SOURCE = "poll_source"
ENRICH = "enrich"  # the job queued when a poll stored something (jobs/enrich.py)


async def poll_source(context: WorkerContext, args: JobArgs) -> None:
    source_id = int(args["source_id"])
    fence = context.store.begin_poll(source_id, holder=context.name)
    source = context.store.get_source(source_id)
    if fence is None or source is None or not source.enabled:
        return
    if source.next_fetch_at is not None and source.next_fetch_at > utcnow():
        return  # polled meanwhile (a duplicate job, or one that waited for the lock)
    summary = await context.ingest.poll(source, fence=fence)
    if summary.changed_ids:
        await context.queue.defer(ENRICH)


def _source_lock(args: JobArgs) -> str:
    return f"source:{int(args['source_id'])}"


def _queued_poll(args: JobArgs) -> str:
    return f"poll:{int(args['source_id'])}"


JOB: JobType[WorkerContext] = JobType(
    name=POLL_SOURCE, queue="poll", run=poll_source, lock=_source_lock, queueing_lock=_queued_poll
)
