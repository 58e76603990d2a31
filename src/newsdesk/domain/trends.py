"""What the trend detectors read from the store: entity counts in two windows, deal facts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class EntityCounts:
    entity_id: str
    recent: int  # articles naming it in the recent window
    baseline: int  # articles naming it in the baseline window


@dataclass(frozen=True)
class WindowCounts:
    """Articles naming each entity in a recent window and the baseline before it."""

    recent_start: datetime
    end: datetime
    baseline_start: datetime
    recent_total: int  # all dated articles of the recent window
    baseline_total: int
    entities: tuple[EntityCounts, ...] = ()


@dataclass(frozen=True)
class DealFact:
    key: str
    type: str  # agreement or investment
    data: Mapping[str, object]
    reported: datetime  # its first report
    article_id: int  # the first report
    sectors: tuple[str, ...] = field(default=())  # of the first report
