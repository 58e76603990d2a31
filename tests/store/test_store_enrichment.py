"""EnrichmentStore behaviour of SqlStore, on SQLite and PostgreSQL."""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime, timedelta
from multiprocessing.synchronize import Barrier

import pytest
from sqlalchemy import text

from newsdesk.domain.enrichment import (
    Enrichment,
    EntityRecord,
    FactRecord,
    MentionRecord,
    RelatedLink,
    SectorLabel,
)
from newsdesk.domain.models import Article
from newsdesk.store import SqlStore, open_store

T0 = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)
SPAWN = multiprocessing.get_context("spawn")

JOGMEC = EntityRecord("org:jogmec", "JOGMEC", "organisation", ("JOGMEC", "Japan Organization"))
LITHIUM = EntityRecord("commodity:lithium", "Lithium", "commodity", ("lithium",))
CHILE = EntityRecord("country:cl", "Chile", "country", ("Chile",))
OFFTAKE = FactRecord(
    key="agreement:jogmec:lithium",
    type="agreement",
    data={"parties": ["org:jogmec"], "commodity": "commodity:lithium"},
    sentence="JOGMEC signed a lithium offtake deal.",
    start=0,
    end=37,
)
INVESTMENT = FactRecord(
    key="investment:chile:lithium",
    type="investment",
    data={"amount": 1.5e9, "currency": "USD"},
    sentence="Chile will invest $1.5bn in lithium.",
    start=40,
    end=76,
)


def make_article(n: int) -> Article:
    return Article(
        source_id=None,
        url=f"https://news.example/{n}",
        canonical_url=f"https://news.example/{n}",
        title=f"Headline {n}",
        text=f"Body of article {n}.",
        published=T0 + timedelta(hours=n),
        content_hash=f"hash-{n}",
    )


def add_articles(store: SqlStore, count: int, first: int = 0) -> list[int]:
    ids = []
    for n in range(first, first + count):
        saved = store.save_article(make_article(n))
        assert saved.id is not None
        ids.append(saved.id)
    return ids


def mention(entity: EntityRecord, start: int, field: str = "text") -> MentionRecord:
    return MentionRecord(entity.id, entity.name, start, start + len(entity.name), field)


def full_enrichment(article_id: int, related_id: int, version: str = "v1") -> Enrichment:
    return Enrichment(
        article_id=article_id,
        version=version,
        language="en",
        summary="JOGMEC signs a lithium deal with Chile.",
        sectors=(
            SectorLabel("mining", 0.9, "lithium, offtake"),
            SectorLabel("energy", 0.3, "battery"),
        ),
        entities=(LITHIUM, JOGMEC),
        mentions=(
            mention(JOGMEC, 0, "title"),
            MentionRecord(LITHIUM.id, "lithium", 15, 22, "text", role="commodity"),
            mention(JOGMEC, 40),
        ),
        facts=(OFFTAKE,),
        related=(RelatedLink(related_id, 0.8, "same entities"),),
    )


def test_round_trip(store: SqlStore) -> None:
    first, second = add_articles(store, 2)
    assert store.get_enrichment(first) is None
    enrichment = full_enrichment(first, second)
    store.save_enrichment(enrichment)
    loaded = store.get_enrichment(first)
    assert loaded is not None
    assert loaded == Enrichment(
        article_id=first,
        version="v1",
        language="en",
        summary=enrichment.summary,
        sectors=enrichment.sectors,  # best first
        entities=(LITHIUM, JOGMEC),  # by id
        mentions=enrichment.mentions,  # in the given order
        facts=(OFFTAKE,),
        related=enrichment.related,
    )
    assert store.article_sectors([first, second]) == {
        first: [SectorLabel("mining", 0.9, "lithium, offtake")],
        second: [],
    }


def test_re_enrichment_replaces_the_previous_results(store: SqlStore) -> None:
    first, second, third = add_articles(store, 3)
    store.save_enrichment(full_enrichment(first, second))
    replacement = Enrichment(
        article_id=first,
        version="v2",
        summary="Chile invests.",
        sectors=(SectorLabel("energy", 0.7),),
        entities=(CHILE,),
        mentions=(mention(CHILE, 3),),
        facts=(INVESTMENT,),
        related=(RelatedLink(third, 0.5, "same story"), RelatedLink(second, 0.4, "sector")),
    )
    store.save_enrichment(replacement)
    loaded = store.get_enrichment(first)
    assert loaded == replacement
    assert [s.entity.id for s in store.list_entities()] == [CHILE.id]
    assert [s.fact.key for s in store.list_facts()] == [INVESTMENT.key]  # OFFTAKE lost its source


def test_editor_labels_survive_re_enrichment_and_win(store: SqlStore) -> None:
    first, second = add_articles(store, 2)
    store.save_enrichment(full_enrichment(first, second))
    store.set_editor_sectors(first, ["shipping", "energy", "shipping"])
    editor = [
        SectorLabel("energy", 1.0, "set by editor", by_editor=True),
        SectorLabel("shipping", 1.0, "set by editor", by_editor=True),
    ]
    assert store.article_sectors([first]) == {first: editor}

    store.save_enrichment(full_enrichment(first, second, version="v2"))
    assert store.article_sectors([first]) == {first: editor}
    loaded = store.get_enrichment(first)
    assert loaded is not None
    assert loaded.sectors == (
        *editor,
        SectorLabel("mining", 0.9, "lithium, offtake"),
        SectorLabel("energy", 0.3, "battery"),
    )

    store.set_editor_sectors(first, ["mining"])
    assert [s.sector_id for s in store.article_sectors([first])[first]] == ["mining"]
    store.set_editor_sectors(first, [])  # withdrawn: the automatic labels count again
    assert store.article_sectors([first]) == {
        first: [SectorLabel("mining", 0.9, "lithium, offtake")]
    }
    with pytest.raises(ValueError, match="does not exist"):
        store.set_editor_sectors(first + 100, ["mining"])


def test_entities_merge_across_articles_with_counts(store: SqlStore) -> None:
    first, second, third = add_articles(store, 3)
    store.save_enrichment(full_enrichment(first, second))
    renamed = EntityRecord(JOGMEC.id, "Japan Org. for Metals", "organisation", ("JOGMEC", "J-Org"))
    store.save_enrichment(
        Enrichment(
            article_id=second,
            version="v1",
            entities=(renamed, CHILE),
            mentions=(mention(renamed, 0), mention(CHILE, 30)),
        )
    )
    summaries = store.list_entities()
    assert [(s.entity.id, s.mentions, s.articles) for s in summaries] == [
        (JOGMEC.id, 3, 2),
        (CHILE.id, 1, 1),  # ties by name: Chile before Lithium
        (LITHIUM.id, 1, 1),
    ]
    assert summaries[0].entity == EntityRecord(
        JOGMEC.id,
        "Japan Org. for Metals",
        "organisation",
        ("J-Org", "JOGMEC", "Japan Organization"),
    )
    assert [s.entity.id for s in store.list_entities(limit=1)] == [JOGMEC.id]
    in_first = store.list_entities(article_id=first)
    assert [(s.entity.id, s.mentions, s.articles) for s in in_first] == [
        (JOGMEC.id, 2, 1),
        (LITHIUM.id, 1, 1),
    ]
    assert store.list_entities(article_id=third) == []


def test_a_fact_keeps_its_first_report_and_loses_a_source(store: SqlStore) -> None:
    first, second, third = add_articles(store, 3)
    store.save_enrichment(full_enrichment(first, second))
    restated = FactRecord(OFFTAKE.key, OFFTAKE.type, OFFTAKE.data, "Later wording.", 5, 19)
    store.save_enrichment(Enrichment(article_id=second, version="v1", facts=(restated, INVESTMENT)))
    facts = store.list_facts()
    assert [(f.fact.key, f.article_ids) for f in facts] == [
        (OFFTAKE.key, (first, second)),  # same newest source: by key
        (INVESTMENT.key, (second,)),
    ]
    assert facts[0].fact == OFFTAKE  # the first report's sentence
    assert [f.fact.key for f in store.list_facts(fact_type="investment")] == [INVESTMENT.key]
    assert len(store.list_facts(limit=1)) == 1

    store.save_enrichment(Enrichment(article_id=third, version="v1", facts=(INVESTMENT,)))
    assert store.list_facts()[0].fact.key == INVESTMENT.key  # newest source first
    store.save_enrichment(Enrichment(article_id=third, version="v1", facts=(restated,)))
    assert store.list_facts()[0].fact.key == OFFTAKE.key

    store.save_enrichment(Enrichment(article_id=first, version="v2"))  # re-enriched without it
    facts = store.list_facts()
    offtake = next(f for f in facts if f.fact.key == OFFTAKE.key)
    assert offtake.article_ids == (second, third)
    assert offtake.fact == restated  # the earliest remaining report
    loaded = store.get_enrichment(second)
    assert loaded is not None
    assert loaded.facts == (restated, INVESTMENT)  # by key

    store.save_enrichment(Enrichment(article_id=second, version="v2"))
    store.save_enrichment(Enrichment(article_id=third, version="v2"))
    assert store.list_facts() == []
    with store.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM facts")).scalar() == 0


def test_deleting_an_article_removes_its_enrichment(store: SqlStore) -> None:
    first, second = add_articles(store, 2)
    store.save_enrichment(full_enrichment(first, second))
    store.save_enrichment(full_enrichment(second, first))
    store.set_editor_sectors(second, ["mining"])
    with store.engine.begin() as connection:
        connection.execute(text("DELETE FROM articles WHERE id = :id"), {"id": first})
    assert store.get_enrichment(first) is None
    loaded = store.get_enrichment(second)
    assert loaded is not None
    assert loaded.related == ()  # the link to the deleted article went with it
    assert [(s.entity.id, s.mentions, s.articles) for s in store.list_entities()] == [
        (JOGMEC.id, 2, 1),
        (LITHIUM.id, 1, 1),
    ]
    assert [(f.fact.key, f.article_ids) for f in store.list_facts()] == [(OFFTAKE.key, (second,))]
    with store.engine.connect() as connection:
        for table in ("enrichments", "article_sectors", "entity_mentions", "related_articles"):
            count = connection.execute(
                text(f"SELECT count(*) FROM {table} WHERE article_id = :id"),
                {"id": first},
            ).scalar()
            assert count == 0, table


def test_articles_to_enrich_by_version(store: SqlStore) -> None:
    ids = add_articles(store, 4)
    assert store.articles_to_enrich("v1") == ids
    store.save_enrichment(Enrichment(article_id=ids[0], version="v1"))
    store.save_enrichment(Enrichment(article_id=ids[2], version="v0"))
    assert store.articles_to_enrich("v1") == [ids[1], ids[2], ids[3]]
    assert store.articles_to_enrich("v1", limit=2) == [ids[1], ids[2]]
    assert store.articles_to_enrich("v0") == [ids[0], ids[1], ids[3]]


def test_saving_for_a_missing_article_or_entity_fails_cleanly(store: SqlStore) -> None:
    (first,) = add_articles(store, 1)
    with pytest.raises(ValueError, match="cannot save enrichment"):
        store.save_enrichment(full_enrichment(first + 100, first))
    with pytest.raises(ValueError, match="cannot save enrichment"):
        store.save_enrichment(
            Enrichment(article_id=first, version="v1", mentions=(mention(CHILE, 0),))
        )
    assert store.get_enrichment(first) is None
    assert store.list_entities() == []  # the failed saves left nothing behind


ARTICLES_PER_WRITER = 12


def enrich_many(url: str, article_ids: list[int], writer: int, start: Barrier) -> None:
    store = open_store(url, migrate=False)
    start.wait()
    for article_id in article_ids:
        own = EntityRecord(JOGMEC.id, "JOGMEC", "organisation", (f"alias-{writer}",))
        store.save_enrichment(
            Enrichment(
                article_id=article_id,
                version="v1",
                entities=(CHILE, own, LITHIUM),
                mentions=(mention(own, 0), mention(CHILE, 10), mention(LITHIUM, 20)),
                facts=(INVESTMENT, OFFTAKE),
            )
        )
    store.close()


@pytest.mark.slow
def test_two_writers_sharing_entities_and_facts(store: SqlStore, database_url: str) -> None:
    ids = add_articles(store, 2 * ARTICLES_PER_WRITER)
    start = SPAWN.Barrier(2)
    writers = [
        SPAWN.Process(target=enrich_many, args=(database_url, ids[writer::2], writer, start))
        for writer in (0, 1)
    ]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=120)
    assert [writer.exitcode for writer in writers] == [0, 0]
    counts = {s.entity.id: (s.mentions, s.articles) for s in store.list_entities()}
    everywhere = (len(ids), len(ids))
    assert counts == {JOGMEC.id: everywhere, CHILE.id: everywhere, LITHIUM.id: everywhere}
    jogmec = store.list_entities(limit=3)
    assert next(s for s in jogmec if s.entity.id == JOGMEC.id).entity.aliases == (
        "alias-0",
        "alias-1",
    )
    facts = store.list_facts()
    assert [(f.fact.key, f.article_ids) for f in facts] == [
        (OFFTAKE.key, tuple(ids)),
        (INVESTMENT.key, tuple(ids)),
    ]
    assert store.articles_to_enrich("v1") == []
