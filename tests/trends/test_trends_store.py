"""TrendsRepository: window counts, weekly totals and deal facts, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from trends_world import END, PRO_PIECES, SECRET, SECRET_DEAL, STEADY, build, build_pro_pieces

from newsdesk.domain.access import ANONYMOUS, EVERYTHING, Plan, Viewer, ViewerKind, read_scope
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


def test_what_a_reader_may_not_read_neither_counts_nor_lists(store: SqlStore) -> None:
    """An entity named, and a deal stated, only after the break of Pro pieces: counted and
    listed for a Pro reader, absent for anonymous and free readers; what comes before the
    break (the steady entity) still lists the pieces for everyone, as their previews do."""
    build(store)
    pro_ids = build_pro_pieces(store)
    now = datetime.now(UTC)
    windows = {"end": END, "recent": timedelta(days=2), "baseline": timedelta(days=14)}
    pro = read_scope(Viewer(ViewerKind.MEMBER, 1, Plan.PRO), now)
    for scope in (EVERYTHING, pro):
        counts = {
            c.entity_id: c.recent for c in store.window_counts(**windows, scope=scope).entities
        }
        assert counts[SECRET.id] == PRO_PIECES
        since = END - timedelta(days=2)
        listed = store.articles_naming(
            [SECRET.id], since=since, until=END, per_entity=50, scope=scope
        )
        assert {a for a, _, _ in listed[SECRET.id]} == set(pro_ids)
        deals = store.deal_facts(since=END - timedelta(days=7), until=END, scope=scope)
        assert SECRET_DEAL in {d.key for d in deals}
    for viewer in (ANONYMOUS, Viewer(ViewerKind.MEMBER, 2, Plan.FREE)):
        scope = read_scope(viewer, now)
        counts = {
            c.entity_id: c.recent for c in store.window_counts(**windows, scope=scope).entities
        }
        assert SECRET.id not in counts
        assert counts[STEADY.id] == 6 + 6 + PRO_PIECES  # named before the break: a preview
        since = END - timedelta(days=2)
        assert not store.articles_naming([SECRET.id], since=since, until=END, scope=scope)
        listed = store.articles_naming(
            [STEADY.id], since=since, until=END, per_entity=50, scope=scope
        )
        assert set(pro_ids) <= {a for a, _, _ in listed[STEADY.id]}
        deals = store.deal_facts(since=END - timedelta(days=7), until=END, scope=scope)
        assert {d.key for d in deals} == {"investment:usd", "investment:nad", "agreement:na"}
