"""newsdesk.trends stage: pure detectors over counts, no I/O.

``bursts`` flags emerging entities and topics (mentions in a recent window against a baseline,
with a significance score and a minimum support), ``momentum`` turns weekly counts into each
sector's share of coverage, ``dealflow`` adds up agreements and investments by sector, country
and commodity, per currency. The store supplies the counts; the site, the API, the feeds, the
reports and the benchmarks call these.
"""

from newsdesk.domain.trends import DealFact, EntityCounts, WindowCounts
from newsdesk.trends.bursts import BurstOptions, Emerging, detect_bursts
from newsdesk.trends.dealflow import DIMENSIONS, DealFlow, Dimension, currencies, deal_flow
from newsdesk.trends.momentum import SectorShare, sector_shares

__all__ = [
    "DIMENSIONS",
    "BurstOptions",
    "DealFact",
    "DealFlow",
    "Dimension",
    "Emerging",
    "EntityCounts",
    "SectorShare",
    "WindowCounts",
    "currencies",
    "deal_flow",
    "detect_bursts",
    "sector_shares",
]
