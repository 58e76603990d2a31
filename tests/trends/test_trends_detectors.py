"""newsdesk.trends: the burst detector, sector shares and deal flow (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from scipy.stats import binom

from newsdesk.domain.trends import DealFact, EntityCounts
from newsdesk.trends import BurstOptions, deal_flow, detect_bursts, sector_shares
from newsdesk.trends.bursts import binomial_tail
from newsdesk.trends.dealflow import currencies


@pytest.mark.parametrize(
    ("k", "n", "p"),
    [(3, 3, 0.125), (5, 12, 0.125), (40, 200, 0.1), (1, 1000, 0.001), (900, 2000, 0.4)],
)
def test_binomial_tail_agrees_with_scipy(k: int, n: int, p: float) -> None:
    assert binomial_tail(k, n, p) == pytest.approx(binom.sf(k - 1, n, p), rel=1e-6, abs=1e-300)


def test_a_burst_is_flagged_and_a_steady_entity_is_not() -> None:
    counts = [
        EntityCounts("org:surge", recent=8, baseline=1),
        EntityCounts("country:US", recent=20, baseline=140),  # its usual share
        EntityCounts("org:few", recent=2, baseline=0),  # below the minimum support
    ]
    found = detect_bursts(counts, recent_total=100, baseline_total=700)
    assert [e.entity_id for e in found] == ["org:surge"]
    surge = found[0]
    assert surge.recent == 8 and surge.baseline == 1 and surge.score > 5
    assert surge.expected == pytest.approx(9 * 100 / 800)


def test_a_busy_day_alone_flags_nobody() -> None:
    """Everyone named twice as often because there are twice as many articles: no burst."""
    counts = [EntityCounts(f"org:{n}", recent=2 * n, baseline=7 * n) for n in range(3, 30)]
    assert detect_bursts(counts, recent_total=200, baseline_total=700) == []


def test_thresholds_order_and_limit() -> None:
    counts = [EntityCounts(f"org:{n}", recent=n, baseline=0) for n in range(3, 12)]
    found = detect_bursts(
        counts, recent_total=50, baseline_total=350, options=BurstOptions(limit=3, min_score=2)
    )
    assert [e.entity_id for e in found] == ["org:11", "org:10", "org:9"]
    assert detect_bursts(counts, recent_total=0, baseline_total=10) == []


def test_sector_shares_and_momentum() -> None:
    weeks = (date(2026, 6, 1), date(2026, 6, 8), date(2026, 6, 15))
    shares = sector_shares(weeks, [100, 0, 50], {"oil": [10, 0, 25], "mining": [50, 0, 5]})
    oil, mining = shares
    assert oil.sector_id == "oil" and oil.shares == (0.1, 0.0, 0.5)
    assert oil.momentum == pytest.approx(0.5 - 0.05) and mining.momentum < 0


def fact(key: str, kind: str, data: dict[str, object], sectors: tuple[str, ...] = ()) -> DealFact:
    return DealFact(key, kind, data, datetime(2026, 6, 2, tzinfo=UTC), len(key), sectors)


def test_deal_flow_counts_and_sums_per_currency_never_converting() -> None:
    deals = [
        fact(
            "a",
            "agreement",
            {"parties": ["country:NA", "org:x"], "commodities": ["commodity:re"]},
            ("mining",),
        ),
        fact(
            "i1",
            "investment",
            {"target": "country:NA", "amount": {"value": 6.5e6, "currency": "USD"}},
            ("mining",),
        ),
        fact(
            "i2",
            "investment",
            {"target": "country:NA", "amount": {"value": 1.2e8, "currency": "NAD"}},
        ),
        fact(
            "i3",
            "investment",
            {"investor": "country:NA", "amount": {"value": None, "currency": None}},
        ),
        fact("q", "quantity", {"countries": ["country:NA"]}),
    ]
    namibia = deal_flow(deals, "country")[0]
    assert namibia.key == "country:NA" and namibia.agreements == 1 and namibia.investments == 3
    assert namibia.amounts == {"USD": 6.5e6, "NAD": 1.2e8}
    assert currencies([namibia]) == ["NAD", "USD"]
    mining = deal_flow(deals, "sector")[0]
    assert (mining.key, mining.deals) == ("mining", 2)
    assert [f.key for f in deal_flow(deals, "commodity")] == ["commodity:re"]
