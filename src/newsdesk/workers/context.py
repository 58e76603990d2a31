"""What every job of one worker process shares: built once per process by service."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsdesk.config import Settings
    from newsdesk.pipeline.ingest import IngestRunner
    from newsdesk.queue import JobQueue
    from newsdesk.store import SqlStore


@dataclass
class WorkerContext:
    settings: Settings
    store: SqlStore
    queue: JobQueue
    ingest: IngestRunner  # inside its session(): pool, dedup indexes, politeness gate
    name: str  # host:pid, recorded as the holder of the polls it runs
    stopping: threading.Event  # set on SIGTERM: jobs in threads finish what is in flight
