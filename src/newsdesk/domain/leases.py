"""Leases shared by processes through the database: the fencing token of a source's poll,
and the periods a periodic job claimed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class PollFence:
    """The generation a poll of a source was granted. Writes carrying it are accepted only
    while no later poll of the source began: a worker presumed dead cannot write late."""

    source_id: int
    generation: int


@dataclass(frozen=True, slots=True)
class PeriodicRun:
    """One claimed period of a periodic job (periodic_runs): when it was claimed and, for a
    job that reports its outcome, when it finished and what it reported (None: not finished,
    or a job that reports nothing)."""

    job: str
    period: int  # the period's Unix timestamp
    ran_at: datetime
    finished_at: datetime | None = None
    result: dict[str, Any] | None = None
