"""InsightsRepository of SqlStore (entities, facts, weekly counts), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from newsdesk.domain.enrichment import (
    Enrichment,
    EntityRecord,
    FactRecord,
    MentionRecord,
    SectorLabel,
)
from newsdesk.domain.insights import FactFilters
from newsdesk.domain.models import Article
from newsdesk.domain.paging import Cursor
from newsdesk.store import SqlStore, insights_repo
from newsdesk.store.insights_repo import week_starts

MONDAY = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)  # a Monday
ACME = EntityRecord("org:acme", "Acme", "organisation")
COPPER = EntityRecord("commodity:copper", "copper", "commodity")
CHILE = EntityRecord("country:CL", "Chile", "country")
PERCENT = EntityRecord("org:100%_co", "100% Co", "organisation")


def article(store: SqlStore, n: int, published: datetime) -> int:
    saved = store.save_article(
        Article(
            source_id=None,
            url=f"https://x.example/{n}",
            canonical_url=f"https://x.example/{n}",
            title=f"Story {n}",
            text="text",
            published=published,
            content_hash=f"h{n}",
        )
    )
    assert saved.id is not None
    return saved.id


def enrich(
    store: SqlStore,
    article_id: int,
    entities: tuple[EntityRecord, ...],
    facts: tuple[FactRecord, ...] = (),
    sectors: tuple[SectorLabel, ...] = (),
) -> None:
    store.save_enrichment(
        Enrichment(
            article_id=article_id,
            version="v",
            entities=entities,
            mentions=tuple(MentionRecord(e.id, e.name, 0, 1) for e in entities),
            facts=facts,
            sectors=sectors,
        )
    )


@pytest.fixture
def world(store: SqlStore) -> list[int]:
    """Five articles over three weeks; Acme in four, copper in three, Chile in one."""
    times = [MONDAY, MONDAY + timedelta(days=6, hours=11), MONDAY + timedelta(days=7)]
    times += [MONDAY + timedelta(days=15), MONDAY - timedelta(days=1)]
    ids = [article(store, n, when) for n, when in enumerate(times)]
    deal = FactRecord(
        "agreement:acme-chile",
        "agreement",
        {"parties": ["org:acme", "country:CL"], "commodities": ["commodity:copper"]},
        "Acme and Chile agreed on copper.",
    )
    output = FactRecord(
        "quantity:copper",
        "quantity",
        {"commodity": "commodity:copper", "countries": []},
        "Copper output rose.",
    )
    enrich(store, ids[0], (ACME, COPPER), (output,), (SectorLabel("mining", 0.9),))
    enrich(store, ids[1], (ACME, COPPER, CHILE), (deal, output), (SectorLabel("mining", 0.6),))
    enrich(store, ids[2], (ACME,), (), (SectorLabel("mining", 0.3),))
    enrich(store, ids[3], (ACME, COPPER), (), (SectorLabel("energy", 0.7),))
    enrich(store, ids[4], (PERCENT,))
    return ids


def test_entity_listing_orders_by_mentions(store: SqlStore, world: list[int]) -> None:
    listing = store.entity_listing()
    assert [(e.entity.id, e.mentions) for e in listing] == [
        ("org:acme", 4),
        ("commodity:copper", 3),
        ("org:100%_co", 1),
        ("country:CL", 1),
    ]
    assert [e.entity.id for e in store.entity_listing(entity_type="country")] == ["country:CL"]
    assert store.entity_types() == ["commodity", "country", "organisation"]


def test_timeline_pages_newest_first(store: SqlStore, world: list[int]) -> None:
    first, cursor = store.entity_timeline("org:acme", limit=3)
    assert [a.article_id for a in first] == [world[3], world[2], world[1]]
    assert cursor is not None
    rest, end = store.entity_timeline("org:acme", limit=3, cursor=cursor)
    assert [a.article_id for a in rest] == [world[0]] and end is None
    with pytest.raises(ValueError, match="cursor"):
        store.entity_timeline("org:acme", cursor=Cursor(0.5, 1))


def test_co_mentions_count_shared_articles(store: SqlStore, world: list[int]) -> None:
    co = store.co_mentioned("org:acme")
    assert [(c.entity.id, c.articles) for c in co] == [("commodity:copper", 3), ("country:CL", 1)]
    assert store.co_mentioned("org:100%_co") == []


def test_fact_filters(store: SqlStore, world: list[int]) -> None:
    def keys(**kwargs: object) -> list[str]:
        rows, _ = store.find_facts(FactFilters(**kwargs))  # type: ignore[arg-type]
        return [row.key for row in rows]

    assert keys() == ["agreement:acme-chile", "quantity:copper"]  # newest first report first
    assert keys(fact_type="quantity") == ["quantity:copper"]
    assert keys(commodity="commodity:copper") == ["agreement:acme-chile", "quantity:copper"]
    assert keys(country="country:CL") == ["agreement:acme-chile"]
    assert keys(party="org:acme") == ["agreement:acme-chile"]
    assert keys(party="org:%") == [] and keys(party="%") == [] and keys(party="org:acm_") == []
    assert keys(since=MONDAY + timedelta(days=1)) == ["agreement:acme-chile"]
    assert keys(until=MONDAY + timedelta(days=1)) == ["quantity:copper"]
    rows, _ = store.find_facts(FactFilters(fact_type="quantity"))
    assert rows[0].sources == 2 and rows[0].article_id == world[0]
    assert rows[0].sentence == "Copper output rose."


def test_fact_cursor(store: SqlStore, world: list[int]) -> None:
    first, cursor = store.find_facts(FactFilters(), limit=1)
    assert cursor is not None
    second, end = store.find_facts(FactFilters(), limit=1, cursor=cursor)
    assert [r.key for r in first + second] == ["agreement:acme-chile", "quantity:copper"]
    assert end is None


def test_weekly_counts_bucket_by_monday(store: SqlStore, world: list[int]) -> None:
    end = store.newest_published()
    assert end == MONDAY + timedelta(days=15)
    weeks = week_starts(end, 4)
    assert weeks == (
        date(2026, 5, 25),
        date(2026, 6, 1),
        date(2026, 6, 8),
        date(2026, 6, 15),
    )
    acme, copper = store.entity_weekly_counts(
        weeks=4, end=end, entity_ids=["org:acme", "commodity:copper"]
    )
    assert acme.counts == (0, 2, 1, 1) and acme.label == "Acme"
    assert copper.counts == (0, 2, 0, 1)
    (alone,) = store.entity_weekly_counts(weeks=4, end=end, entity_ids=["commodity:copper"])
    assert alone.counts == copper.counts
    top = store.entity_weekly_counts(weeks=4, end=end, top=1)
    assert [s.key for s in top] == ["org:acme"]
    mining, energy = store.sector_weekly_counts(["mining", "energy"], weeks=4, end=end)
    assert mining.counts == (0, 2, 0, 0)  # the 0.3 label is below the bar
    assert energy.counts == (0, 0, 0, 1)
    store.set_editor_sectors(world[0], ["energy"])
    mining, energy = store.sector_weekly_counts(["mining", "energy"], weeks=4, end=end)
    assert mining.counts == (0, 1, 0, 0) and energy.counts == (0, 1, 0, 1)


def test_most_named_entities_of_the_window_when_all_time_leaders_fade(
    store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window's leaders are found even when all-time leaders are quiet in the window and
    candidates are examined a few at a time."""
    monkeypatch.setattr(insights_repo, "TOP_CANDIDATES", 2)
    old_times = [MONDAY - timedelta(weeks=30, days=n) for n in range(6)]
    fading = [EntityRecord(f"org:old{n}", f"Old {n}", "organisation") for n in range(4)]
    for n, when in enumerate(old_times):
        enrich(store, article(store, 100 + n, when), tuple(fading))
    rising = [EntityRecord(f"org:new{n}", f"New {n}", "organisation") for n in range(3)]
    for n in range(3):  # new0 in three articles, new1 in two, new2 in one
        enrich(store, article(store, 200 + n, MONDAY + timedelta(days=n)), tuple(rising[: 3 - n]))
    enrich(store, article(store, 300, MONDAY), (fading[0],))
    end = MONDAY + timedelta(days=3)
    top = store.entity_weekly_counts(weeks=4, end=end, top=3)
    assert [(s.key, s.total) for s in top] == [("org:new0", 3), ("org:new1", 2), ("org:new2", 1)]
    top = store.entity_weekly_counts(weeks=4, end=end, top=4)
    assert [s.key for s in top][-1] == "org:old0"  # one article in the window, ties by id


def test_timeline_is_the_same_by_either_plan(
    store: SqlStore, world: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    def pages() -> list[list[int]]:
        seen, cursor = [], None
        while True:
            page, cursor = store.entity_timeline("org:acme", limit=2, cursor=cursor)
            seen.append([item.article_id for item in page])
            if cursor is None:
                return seen

    monkeypatch.setattr(insights_repo, "BUSY_ENTITY", 1)
    walked = pages()
    monkeypatch.setattr(insights_repo, "BUSY_ENTITY", 10**9)
    assert pages() == walked == [[world[3], world[2]], [world[1], world[0]]]


def test_entities_are_found_by_a_typed_name_or_alias_whatever_its_case(store: SqlStore) -> None:
    """The new-alert form resolves a typed name: exact name or alias, case and runs of spaces
    aside; never a part of a name, never a LIKE wildcard; names outside ASCII and aliases with
    quotes (escaped in the aliases' JSON text) are found too."""
    entities = (
        EntityRecord("org:jogmec", "JOGMEC", "organisation", ("Japan Organization for Metals",)),
        EntityRecord("org:edf", "Électricité de France", "organisation", ('"EDF" Group',)),
        EntityRecord("org:gazprom", "Газпром", "organisation", ("Gazprom",)),
        EntityRecord("org:rio", "Rio  Tinto", "organisation"),
        PERCENT,
        EntityRecord("org:mercury-inc", "Mercury", "organisation"),
        EntityRecord("commodity:mercury", "mercury", "commodity"),
    )
    enrich(store, article(store, 1, MONDAY), entities)

    def ids(name: str) -> list[str]:
        return [entity.id for entity in store.entities_named(name)]

    assert ids("jogmec") == ["org:jogmec"]
    assert ids("  japan   organization FOR metals ") == ["org:jogmec"]
    assert ids("ÉLECTRICITÉ DE FRANCE") == ["org:edf"]
    assert ids('"edf" group') == ["org:edf"]
    assert ids("газпром") == ids("GAZPROM") == ["org:gazprom"]
    assert ids("rio tinto") == ["org:rio"]
    assert ids("100% co") == ["org:100%_co"]
    assert sorted(ids("MERCURY")) == ["commodity:mercury", "org:mercury-inc"]
    for nothing in ("jog", "japan", "100_ co", "%", "_", "", "   ", "Tinto"):
        assert ids(nothing) == [], nothing
    assert len(store.entities_named("mercury", limit=1)) == 1
