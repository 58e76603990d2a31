"""Sector momentum: each sector's share of all dated articles per week, and how its latest
week compares with the weeks before."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class SectorShare:
    sector_id: str
    weeks: tuple[date, ...]
    articles: tuple[int, ...]  # the sector's articles per week
    shares: tuple[float, ...]  # of all dated articles that week, 0..1 (0 in an empty week)
    momentum: float  # latest share minus the mean share of the weeks before (points of share)


def sector_shares(
    weeks: Sequence[date],
    totals: Sequence[int],
    per_sector: Mapping[str, Sequence[int]],
) -> list[SectorShare]:
    """Shares per sector over weeks (totals: all dated articles per week), strongest momentum
    first. A sector's articles may exceed a week's total only through a bad input: capped."""
    found: list[SectorShare] = []
    for sector_id, counts in per_sector.items():
        shares = tuple(
            min(1.0, n / total) if total > 0 else 0.0
            for n, total in zip(counts, totals, strict=True)
        )
        before = shares[:-1]
        baseline = sum(before) / len(before) if before else 0.0
        latest = shares[-1] if shares else 0.0
        found.append(
            SectorShare(sector_id, tuple(weeks), tuple(counts), shares, round(latest - baseline, 4))
        )
    found.sort(key=lambda s: (-s.momentum, s.sector_id))
    return found
