"""TrendsRepository: window counts, weekly totals and deal facts, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from trends_world import END, build

from newsdesk.store import SqlStore
from newsdesk.store.insights_repo import week_starts
from newsdesk.trends import detect_bursts


def test_window_counts_feed_the_detector(store: SqlStore) -> None:
    build(store)
    counts = store.window_counts(end=END, recent=timedelta(days=2), baseline=timedelta(days=14))
    by_id = {c.entity_id: c for c in counts.entities}
    assert by_id["org:surge"].recent == 6 and by_id["org:surge"].baseline == 0
    assert by_id["country:US"].recent == 6 + 6  # every 8 hours for 2 days, plus the surge
    assert counts.recent_total == 12 and counts.baseline_total == 42 + 2
    flagged = detect_bursts(
        counts.entities, recent_total=counts.recent_total, baseline_total=counts.baseline_total
    )
    assert {e.entity_id for e in flagged} == {"org:surge", "org:hostile"}
    behind = store.articles_naming(
        ["org:surge"], since=counts.recent_start, until=END, per_entity=3
    )
    assert len(behind["org:surge"]) == 3


def test_weekly_totals_and_deal_facts(store: SqlStore) -> None:
    ids = build(store)
    weeks = week_starts(END, 4)  # 16 days lie within four calendar weeks
    assert sum(store.weekly_totals(weeks)) == 48 + 6 + 2
    deals = store.deal_facts(since=END - timedelta(days=7), until=END)
    assert {d.key for d in deals} == {"investment:usd", "investment:nad", "agreement:na"}
    nad = next(d for d in deals if d.key == "investment:nad")
    assert nad.article_id == ids["deal-nad"] and nad.sectors == ("rare-earths-commodities",)
