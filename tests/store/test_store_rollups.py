"""The analysis roll-ups equal a from-scratch aggregation after every kind of write.

weekly_counts, entity_counts and fact_reports are compared with an aggregation written here
in plain Python over the raw rows, after enrichment, re-enrichment, editor corrections and
article deletion, and after the migration backfill, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any

from old_schema_rows import add_old_article
from sqlalchemy import insert, select

from newsdesk.domain.enrichment import (
    Enrichment,
    EntityRecord,
    FactRecord,
    MentionRecord,
    SectorLabel,
)
from newsdesk.domain.insights import FactFilters
from newsdesk.domain.models import Article
from newsdesk.pipeline.enrich import Enricher, EnrichOptions
from newsdesk.store import SqlStore, open_store, upgrade
from newsdesk.store.schema import (
    article_sectors,
    articles,
    entities,
    entity_counts,
    entity_mentions,
    fact_reports,
    fact_sources,
    facts,
    weekly_counts,
)
from research_data import seed_page_text

MONDAY = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
ACME = EntityRecord("org:acme", "Acme", "organisation")
COPPER = EntityRecord("commodity:copper", "copper", "commodity")
CHILE = EntityRecord("country:CL", "Chile", "country")
ODD = EntityRecord("org:50%_off", "50% Off", "organisation")
DEAL = FactRecord("agreement:acme-chile", "agreement", {"parties": ["org:acme"]}, "A deal.")
OUTPUT = FactRecord("quantity:copper", "quantity", {"commodity": "commodity:copper"}, "Up.")


def add_article(store: SqlStore, n: int, published: datetime | None) -> int:
    saved = store.save_article(
        Article(
            source_id=None,
            url=f"https://r.example/{n}",
            canonical_url=f"https://r.example/{n}",
            title=f"Report {n}",
            text="text",
            published=published,
            content_hash=f"r{n}",
        )
    )
    assert saved.id is not None
    return saved.id


def enrichment(
    article_id: int,
    named: tuple[EntityRecord, ...],
    sectors: tuple[SectorLabel, ...] = (),
    stated: tuple[FactRecord, ...] = (),
    *,
    twice: tuple[EntityRecord, ...] = (),
) -> Enrichment:
    """An enrichment naming each entity once (those in `twice` a second time)."""
    mentions = [MentionRecord(e.id, e.name, 0, 1) for e in named]
    mentions += [MentionRecord(e.id, e.name, 5, 6, field="title") for e in twice]
    return Enrichment(
        article_id=article_id,
        version="v1",
        entities=named,
        mentions=tuple(mentions),
        sectors=sectors,
        facts=stated,
    )


def stored_rollups(store: SqlStore) -> dict[str, Any]:
    with store.engine.connect() as connection:
        weekly = {
            (row.kind, row.key, _day(row.week)): row.articles
            for row in connection.execute(select(weekly_counts))
        }
        counts = {
            row.entity_id: (row.mentions, row.articles)
            for row in connection.execute(select(entity_counts))
        }
        reports = {
            row.fact_key: (row.article_id, row.reported, row.sources)
            for row in connection.execute(select(fact_reports))
        }
    return {"weekly": weekly, "entities": counts, "facts": reports}


def aggregated_from_scratch(store: SqlStore) -> dict[str, Any]:
    """The roll-ups' meaning, computed in Python from every raw row."""
    with store.engine.connect() as connection:
        stored = {row.id: row for row in connection.execute(select(articles))}
        labels = connection.execute(select(article_sectors)).all()
        mentions = connection.execute(select(entity_mentions)).all()
        sources = connection.execute(select(fact_sources)).all()
    weekly: Counter[tuple[str, str, date]] = Counter()
    edited = {row.article_id for row in labels if row.by_editor}
    for row in labels:
        counts = row.by_editor if row.article_id in edited else row.score >= 0.5
        published = stored[row.article_id].published
        if counts and row.sector_id and published is not None:
            weekly[("sector", row.sector_id, _monday(published))] += 1
    pairs = {(row.article_id, row.entity_id) for row in mentions}
    for article_id, entity_id in pairs:
        published = stored[article_id].published
        if published is not None:
            weekly[("entity", entity_id, _monday(published))] += 1
    per_entity = Counter(row.entity_id for row in mentions)
    named_in = Counter(entity_id for _, entity_id in pairs)
    by_fact: dict[str, list[int]] = {}
    for row in sources:
        by_fact.setdefault(row.fact_key, []).append(row.article_id)
    reports = {}
    for key, ids in by_fact.items():
        first = stored[min(ids)]
        reports[key] = (first.id, first.published or first.created_at, len(ids))
    return {
        "weekly": dict(weekly),
        "entities": {e: (per_entity[e], named_in[e]) for e in per_entity},
        "facts": reports,
    }


def assert_in_step(store: SqlStore) -> None:
    assert stored_rollups(store) == aggregated_from_scratch(store)


def test_rollups_follow_enrichment_corrections_and_deletion(store: SqlStore) -> None:
    times = [MONDAY, MONDAY + timedelta(days=6, hours=14), MONDAY + timedelta(days=7), None]
    ids = [add_article(store, n, when) for n, when in enumerate(times)]
    mining, energy = SectorLabel("mining", 0.9), SectorLabel("energy", 0.4)
    store.save_enrichments(
        [
            enrichment(ids[0], (ACME, COPPER), (mining, energy), (OUTPUT,), twice=(ACME,)),
            enrichment(ids[1], (ACME, CHILE, ODD), (mining,), (DEAL, OUTPUT)),
            enrichment(ids[2], (COPPER,), (SectorLabel("energy", 0.8),)),
            enrichment(ids[3], (ACME,), (mining,), (DEAL,)),  # undated
        ]
    )
    assert_in_step(store)
    rolled = stored_rollups(store)
    week = MONDAY.date()
    assert rolled["weekly"][("entity", "org:acme", week)] == 2
    assert rolled["weekly"][("sector", "mining", week)] == 2
    assert ("sector", "energy", week) not in rolled["weekly"]  # 0.4 is below the threshold
    assert rolled["entities"]["org:acme"] == (4, 3)  # named twice in one article, undated counts
    assert rolled["facts"]["quantity:copper"][0::2] == (ids[0], 2)

    # Re-enrichment replaces what the article contributed, even within one batch.
    store.save_enrichments(
        [
            enrichment(ids[0], (CHILE,), (energy,)),
            enrichment(ids[1], (ACME,), (SectorLabel("mining", 0.2),), (DEAL,)),
            enrichment(ids[1], (ACME, COPPER), (mining,), (DEAL,)),  # the last one counts
        ]
    )
    assert_in_step(store)
    rolled = stored_rollups(store)
    assert "org:50%_off" not in rolled["entities"]
    assert "quantity:copper" not in rolled["facts"]  # no article states it any more
    assert rolled["facts"]["agreement:acme-chile"][0::2] == (ids[1], 2)

    store.set_editor_sectors(ids[2], ["mining", "shipping"])
    assert_in_step(store)
    store.set_editor_no_sector(ids[1])
    assert_in_step(store)
    store.set_editor_sectors(ids[1], [])  # withdrawn: the automatic label counts again
    assert_in_step(store)
    rolled = stored_rollups(store)
    assert rolled["weekly"][("sector", "mining", week)] == 1  # ids[1]'s own label again
    assert rolled["weekly"][("sector", "shipping", week + timedelta(weeks=1))] == 1

    store.delete_articles([ids[1], ids[3]])
    assert_in_step(store)
    rolled = stored_rollups(store)
    assert "agreement:acme-chile" not in rolled["facts"]
    assert ("entity", "org:acme", week) not in rolled["weekly"]
    store.delete_articles(ids)
    assert stored_rollups(store) == {"weekly": {}, "entities": {}, "facts": {}}


def test_fact_reports_move_to_the_next_source_when_the_first_goes(store: SqlStore) -> None:
    ids = [add_article(store, n, MONDAY + timedelta(days=n)) for n in range(3)]
    store.save_enrichments([enrichment(i, (), stated=(OUTPUT,)) for i in ids])
    assert stored_rollups(store)["facts"]["quantity:copper"] == (ids[0], MONDAY, 3)
    store.save_enrichment(enrichment(ids[0], (), stated=()))  # the first report drops it
    assert stored_rollups(store)["facts"]["quantity:copper"][0::2] == (ids[1], 2)
    store.delete_articles([ids[1]])
    assert stored_rollups(store)["facts"]["quantity:copper"][0::2] == (ids[2], 1)
    assert_in_step(store)
    rows, _ = store.find_facts(FactFilters())
    assert [(row.article_id, row.sources) for row in rows] == [(ids[2], 1)]


def test_migration_backfills_existing_data(database_url: str) -> None:
    upgrade(database_url, "0006")
    store = open_store(database_url, migrate=False)
    try:
        old, undated = (
            add_old_article(
                store,
                url=f"https://r.example/{n}",
                title=f"Report {n}",
                text="text",
                published=published,
                content_hash=f"r{n}",
            )
            for n, published in ((1, MONDAY), (2, None))
        )
        with store.engine.begin() as connection:
            connection.execute(
                insert(entities),
                [
                    {
                        "id": e.id,
                        "name": e.name,
                        "type": e.type,
                        "aliases": [],
                        "first_seen_at": MONDAY,
                        "last_seen_at": MONDAY,
                    }
                    for e in (ACME, ODD)
                ],
            )
            connection.execute(
                insert(entity_mentions),
                [
                    {
                        "article_id": article_id,
                        "entity_id": entity_id,
                        "text": "x",
                        "start_offset": 0,
                        "end_offset": 1,
                        "field": "text",
                        "role": None,
                    }
                    for article_id, entity_id in [
                        (old, ACME.id),
                        (old, ACME.id),
                        (old, ODD.id),
                        (undated, ACME.id),
                    ]
                ],
            )
            connection.execute(
                insert(article_sectors),
                [
                    {
                        "article_id": old,
                        "sector_id": sector,
                        "by_editor": by_editor,
                        "score": score,
                        "explanation": "",
                    }
                    for sector, by_editor, score in [
                        ("mining", False, 0.9),
                        ("energy", True, 1.0),
                    ]
                ],
            )
            connection.execute(
                insert(facts),
                {"key": DEAL.key, "type": DEAL.type, "data": {}, "first_seen_at": MONDAY},
            )
            connection.execute(
                insert(fact_sources),
                [
                    {
                        "fact_key": DEAL.key,
                        "article_id": article_id,
                        "sentence": "s",
                        "start_offset": 0,
                        "end_offset": 1,
                    }
                    for article_id in (undated, old)
                ],
            )
        upgrade(database_url)
        assert_in_step(store)
        rolled = stored_rollups(store)
        assert rolled["weekly"] == {
            ("entity", ACME.id, MONDAY.date()): 1,
            ("entity", ODD.id, MONDAY.date()): 1,
            ("sector", "energy", MONDAY.date()): 1,  # the editor's label replaces mining
        }
        assert rolled["entities"] == {ACME.id: (3, 2), ODD.id: (1, 1)}
        assert rolled["facts"][DEAL.key][0::2] == (old, 2)
    finally:
        store.close()


def _monday(moment: datetime) -> date:
    day = moment.astimezone(UTC).date()
    return day - timedelta(days=day.weekday())


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def test_real_enrichment_reenrichment_and_deletion_keep_rollups_in_step(
    store: SqlStore,
) -> None:
    lines = [line for line in seed_page_text().splitlines() if line.strip()]
    texts = ["\n\n".join(lines[1:8]), "\n\n".join(lines[3:12]), "\n\n".join(lines[6:16])]
    ids = []
    for n, text in enumerate(texts):
        saved = store.save_article(
            Article(
                source_id=None,
                url=f"https://seed.example/{n}",
                canonical_url=f"https://seed.example/{n}",
                title=f"{lines[0]} ({n})",
                text=text,
                published=MONDAY + timedelta(days=3 * n),
                content_hash=f"seed{n}",
            )
        )
        assert saved.id is not None
        ids.append(saved.id)
    enricher = Enricher(store, EnrichOptions())
    assert enricher.run(ids).failed == 0
    assert_in_step(store)
    rolled = stored_rollups(store)
    assert rolled["entities"] and rolled["weekly"]  # the seed names entities and sectors
    assert enricher.run(ids).articles == len(ids)  # what `newsdesk enrich --all` does
    assert stored_rollups(store) == rolled
    store.delete_articles(ids[:1])
    assert_in_step(store)
    assert stored_rollups(store) != rolled
