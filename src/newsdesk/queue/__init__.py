"""newsdesk.queue stage: the job queue behind an interface of our own.

``ports`` defines what the rest of newsdesk sees (job types, the JobQueue protocol, status);
``procrastinate_queue`` adapts procrastinate (PostgreSQL: ``FOR UPDATE SKIP LOCKED``,
LISTEN/NOTIFY, periodic defers, locks, heartbeats) to it and is the only module that imports
procrastinate, lazily: ``import newsdesk`` and the SQLite path never load it.
"""

from newsdesk.queue.ports import (
    JobQueue,
    JobType,
    QueuedJob,
    QueueOptions,
    QueueReport,
    WorkerRow,
    is_queue_database,
)

__all__ = [
    "JobQueue",
    "JobType",
    "QueueOptions",
    "QueueReport",
    "QueuedJob",
    "WorkerRow",
    "is_queue_database",
]
