"""Batched enrichment writes, editor "no sector" corrections, outlines and story summaries,
on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from newsdesk.domain.enrichment import (
    Enrichment,
    EntityRecord,
    FactRecord,
    MentionRecord,
    RelatedLink,
    SectorLabel,
)
from newsdesk.domain.models import Article
from newsdesk.store import SqlStore
from newsdesk.store.schema import facts as facts_table

T0 = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)
NAMIBIA = EntityRecord("country:NA", "Namibia", "country", ("Namibia",))
JOGMEC = EntityRecord("org:jogmec", "JOGMEC", "organisation", ("JOGMEC",))
JOGMEC_LONG = EntityRecord("org:jogmec", "JOGMEC", "organisation", ("Japan Organization",))
DEAL = FactRecord("agreement:jogmec:namibia", "agreement", {"parties": ["org:jogmec"]}, "s", 0, 1)


def _articles(store: SqlStore, count: int, story_id: int | None = None) -> list[Article]:
    saved = []
    for n in range(count):
        article = Article(
            source_id=None,
            url=f"https://news.example/{n}",
            canonical_url=f"https://news.example/{n}",
            title=f"Headline {n}",
            text=f"Body of article {n}.",
            published=T0 + timedelta(hours=n),
            content_hash=f"hash-{n}",
            story_id=story_id if story_id is not None else (saved[0].story_id if saved else None),
        )
        saved.append(store.save_article(article))
    return saved


def _enrichment(article_id: int, entity: EntityRecord, related: int | None) -> Enrichment:
    return Enrichment(
        article_id=article_id,
        version="v1",
        language="en",
        summary=f"Summary {article_id}.",
        sectors=(
            SectorLabel("rare-earths-commodities", 0.9, "rare earths"),
            SectorLabel("oil-gas", 0.2, "gas"),
        ),
        entities=(entity, NAMIBIA),
        mentions=(
            MentionRecord(entity.id, "JOGMEC", 0, 6),
            MentionRecord(NAMIBIA.id, "Namibia", 10, 17),
        ),
        facts=(DEAL,),
        related=(RelatedLink(related, 0.5, "also on Namibia"),) if related else (),
    )


def test_a_batch_is_saved_like_single_saves(store: SqlStore) -> None:
    first, second = (a.id or 0 for a in _articles(store, 2))
    store.save_enrichments(
        [_enrichment(first, JOGMEC, second), _enrichment(second, JOGMEC_LONG, first)]
    )
    for article_id, other in ((first, second), (second, first)):
        loaded = store.get_enrichment(article_id)
        assert loaded is not None
        assert loaded.summary == f"Summary {article_id}."
        assert [link.article_id for link in loaded.related] == [other]
    (fact,) = store.list_facts()
    assert fact.article_ids == (first, second)  # one fact, two sources
    entities = {e.entity.id: e.entity for e in store.list_entities()}
    assert entities["org:jogmec"].aliases == ("JOGMEC", "Japan Organization")

    store.save_enrichments([_enrichment(first, JOGMEC, None)])  # re-enrichment replaces
    loaded = store.get_enrichment(first)
    assert loaded is not None and loaded.related == ()
    assert store.list_facts()[0].article_ids == (first, second)


def test_a_re_enrichment_upserts_and_drops_facts_in_one_pass(store: SqlStore) -> None:
    """Fact keys in order, upserts in runs between the old keys left without a source, and
    the entities of a batch upserted together with their stored aliases merged."""
    (only,) = (a.id or 0 for a in _articles(store, 1))
    keys = ["a:first", "b:dropped", "c:kept", "d:dropped", "e:new"]
    facts = {key: FactRecord(key, "agreement", {"n": n}, "s", 0, 1) for n, key in enumerate(keys)}
    before = replace(
        _enrichment(only, JOGMEC, None),
        facts=tuple(facts[k] for k in ("a:first", "b:dropped", "c:kept", "d:dropped")),
    )
    store.save_enrichments([before])
    after = replace(
        _enrichment(only, JOGMEC_LONG, None),
        facts=tuple(facts[k] for k in ("a:first", "c:kept", "e:new")),
    )
    store.save_enrichments([after])
    assert sorted(f.fact.key for f in store.list_facts()) == ["a:first", "c:kept", "e:new"]
    with store.engine.connect() as connection:  # the unsourced ones are gone, not hidden
        stored = connection.execute(select(facts_table.c.key, facts_table.c.data)).all()
    assert sorted((key, dict(data)) for key, data in stored) == [
        ("a:first", {"n": 0}),
        ("c:kept", {"n": 2}),
        ("e:new", {"n": 4}),
    ]
    entities = {e.entity.id: e.entity for e in store.list_entities()}
    assert entities["org:jogmec"].aliases == ("JOGMEC", "Japan Organization")
    assert entities["country:NA"].aliases == ("Namibia",)


def test_a_failing_batch_saves_nothing(store: SqlStore) -> None:
    first, second = (a.id or 0 for a in _articles(store, 2))
    with pytest.raises(ValueError, match="cannot save enrichment"):
        store.save_enrichments(
            [_enrichment(first, JOGMEC, None), _enrichment(second, JOGMEC, second + 999)]
        )
    assert store.get_enrichment(first) is None
    assert store.list_entities() == []


def test_no_sector_correction_and_corrections_listing(store: SqlStore) -> None:
    first, second, third = (a.id or 0 for a in _articles(store, 3))
    store.save_enrichments([_enrichment(a, JOGMEC, None) for a in (first, second, third)])
    assert store.editor_corrections() == {}
    store.set_editor_no_sector(first)
    store.set_editor_sectors(second, ["oil-gas", "mining-metals"])
    assert store.editor_corrections() == {first: (), second: ("mining-metals", "oil-gas")}
    assert store.editor_corrections([first, third]) == {first: ()}
    labels = store.article_sectors([first, second, third])
    assert labels[first] == []
    assert [label.sector_id for label in labels[second]] == ["mining-metals", "oil-gas"]
    assert [label.sector_id for label in labels[third]] == ["rare-earths-commodities"]
    loaded = store.get_enrichment(first)
    assert loaded is not None
    assert "" not in {label.sector_id for label in loaded.sectors}  # the mark stays inside

    store.save_enrichments([_enrichment(first, JOGMEC, None)])  # re-enrichment keeps it
    assert store.article_sectors([first])[first] == []
    store.set_editor_sectors(first, [])  # withdrawn
    assert [label.sector_id for label in store.article_sectors([first])[first]] == [
        "rare-earths-commodities"
    ]
    with pytest.raises(ValueError, match="does not exist"):
        store.set_editor_no_sector(third + 100)


def test_outlines_and_batch_reads(store: SqlStore) -> None:
    first, second = (a.id or 0 for a in _articles(store, 2))
    store.save_enrichments([_enrichment(first, JOGMEC, None)])
    store.set_editor_sectors(first, ["mining-metals"])
    outlines = store.enrichment_outlines([first, second, second + 50])
    assert list(outlines) == [first]
    outline = outlines[first]
    assert outline.version == "v1"
    assert {e.id for e in outline.entities} == {"org:jogmec", "country:NA"}
    assert {(s.sector_id, s.by_editor) for s in outline.sectors} == {
        ("mining-metals", True),
        ("rare-earths-commodities", False),
    }
    found = store.articles_by_id([second, first, second + 50])
    assert sorted(found) == [first, second]
    assert found[second].title == "Headline 1"


def test_story_sizes_and_summaries(store: SqlStore) -> None:
    shared = _articles(store, 2)
    story_id = shared[0].story_id
    assert story_id is not None and shared[1].story_id == story_id
    assert store.story_sizes([story_id, story_id + 100]) == {story_id: 2}
    store.save_story_summaries({story_id: "Two reports, one summary."})
    story = store.get_story(story_id)
    assert story is not None and story.summary == "Two reports, one summary."
    store.save_story_summaries({})
