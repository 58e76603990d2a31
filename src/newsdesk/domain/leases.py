"""Leases shared by processes through the database: the fencing token of a source's poll."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PollFence:
    """The generation a poll of a source was granted. Writes carrying it are accepted only
    while no later poll of the source began: a worker presumed dead cannot write late."""

    source_id: int
    generation: int
