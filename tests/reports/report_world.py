"""A small world for the report tests: two weeks of a sector's articles with stories, facts,
entities and hostile text, written through the store's own API."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from newsdesk.domain.enrichment import (
    Enrichment,
    EntityRecord,
    FactRecord,
    MentionRecord,
    SectorLabel,
)
from newsdesk.domain.models import Article
from newsdesk.store import SqlStore

WEEK = "2026-W23"  # Monday 1 June 2026
MONDAY = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
SECTOR = "rare-earths-commodities"
JOGMEC = EntityRecord("org:jogmec", "JOGMEC", "organisation")
EPANGELO = EntityRecord("org:epangelo", "Epangelo", "organisation")
NAMIBIA = EntityRecord("country:NA", "Namibia", "country")
RARE = EntityRecord("commodity:rare-earths", "rare earths", "commodity")
LONELY = EntityRecord("org:lonely", "Lonely Minerals", "organisation")
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes"'


@dataclass
class World:
    ids: dict[str, int] = field(default_factory=dict)


def add_article(
    store: SqlStore,
    slug: str,
    published: datetime,
    *,
    title: str,
    text: str = "Body text.",
    story_id: int | None = None,
) -> Article:
    saved = store.save_article(
        Article(
            source_id=None,
            url=f"https://news.example/{slug}",
            canonical_url=f"https://news.example/{slug}",
            title=title,
            text=text,
            published=published,
            content_hash=f"hash-{slug}",
            story_id=story_id,
        )
    )
    assert saved.id is not None
    return saved


def enrich(
    store: SqlStore,
    article_id: int,
    entities: tuple[EntityRecord, ...],
    facts: tuple[FactRecord, ...] = (),
    *,
    sector: str | None = SECTOR,
    summary: str = "",
) -> None:
    store.save_enrichment(
        Enrichment(
            article_id=article_id,
            version="v",
            summary=summary,
            entities=entities,
            mentions=tuple(MentionRecord(e.id, e.name, 0, 1) for e in entities),
            facts=facts,
            sectors=(SectorLabel(sector, 0.9),) if sector else (),
        )
    )


PACT = FactRecord(
    "agreement:jogmec-epangelo",
    "agreement",
    {
        "parties": ["org:jogmec", "org:epangelo"],
        "kind": "exploration",
        "commodities": ["commodity:rare-earths"],
        "countries": ["country:NA"],
        "date": "2027-03",
        "status": "signed",
    },
    "JOGMEC signed an exploration agreement with Epangelo worth $6.5 million, "
    "with fieldwork from March 2027.",
)
BUDGET = FactRecord(
    "investment:jogmec",
    "investment",
    {
        "investor": "org:jogmec",
        "target": "country:NA",
        "amount": {"value": 6500000.0, "currency": "USD", "raw": "$6.5 million"},
        "period": "by 2029",
    },
    "JOGMEC will spend $6.5 million in Namibia by 2029.",
)
HOSTILE_FACT = FactRecord(
    "policy:hostile",
    "policy",
    {"action": HOSTILE, "by": ["country:NA"], "on": [], "what": []},
    f"Namibia announced {HOSTILE} controls.",
)


def build(store: SqlStore) -> World:
    """Week 2026-W23: a three-article story on the pact (facts, figures), a hostile article,
    a story whose summary states an unbacked figure; the week before: one article."""
    world = World()
    first = add_article(
        store,
        "pact-1",
        MONDAY + timedelta(days=1),
        title="JOGMEC and Epangelo sign $6.5 million rare-earths pact",
    )
    assert first.id is not None and first.story_id is not None
    world.ids["pact-1"] = first.id
    enrich(
        store,
        first.id,
        (JOGMEC, EPANGELO, NAMIBIA, RARE),
        (PACT, BUDGET),
        summary="JOGMEC signed an exploration agreement with Epangelo worth $6.5 million. "
        "Analysts expect 40 licences to follow.",
    )
    for n in (2, 3):
        article = add_article(
            store,
            f"pact-{n}",
            MONDAY + timedelta(days=n),
            title=f"Japan and Namibia agree rare-earth search ({n})",
            story_id=first.story_id,
        )
        assert article.id is not None
        world.ids[f"pact-{n}"] = article.id
        enrich(store, article.id, (JOGMEC, NAMIBIA, RARE), (PACT,))
    hostile = add_article(store, "hostile", MONDAY + timedelta(days=4), title=HOSTILE)
    assert hostile.id is not None
    world.ids["hostile"] = hostile.id
    enrich(store, hostile.id, (NAMIBIA,), (HOSTILE_FACT,), summary=HOSTILE)
    unbacked = add_article(
        store,
        "unbacked",
        MONDAY + timedelta(days=5),
        title="Output to rise 12% as prices climb to 980 a tonne",
    )
    assert unbacked.id is not None
    world.ids["unbacked"] = unbacked.id
    enrich(store, unbacked.id, (RARE,), summary="Output will rise 12% this year.")
    lonely = add_article(
        store, "lonely", MONDAY - timedelta(days=3), title="Lonely Minerals files a claim"
    )
    assert lonely.id is not None
    world.ids["lonely"] = lonely.id
    enrich(store, lonely.id, (LONELY, RARE))
    other = add_article(
        store, "other-sector", MONDAY + timedelta(days=2), title="Oil news", story_id=None
    )
    assert other.id is not None
    world.ids["other-sector"] = other.id
    enrich(store, other.id, (NAMIBIA,), sector="oil-gas")
    return world
