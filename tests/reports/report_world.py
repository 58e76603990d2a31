"""A small world for the report tests: two weeks of a sector's articles with stories, facts,
entities and hostile text, written through the store's own API."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from newsdesk.domain.access import Visibility
from newsdesk.domain.enrichment import (
    Enrichment,
    EntityRecord,
    FactRecord,
    MentionRecord,
    SectorLabel,
)
from newsdesk.domain.models import Article, Source
from newsdesk.store import SqlStore
from newsdesk.store.schema import stories

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


# A Pro piece in the week's pact story, and an article of a members-only source: what a
# report drafted for a reader who may not read them in full must not carry.
SECRETCO = EntityRecord("org:secretco", "Secretco Mining", "organisation")
SECRET_FACT = FactRecord(
    "investment:secretco",
    "investment",
    {
        "investor": "org:secretco",
        "target": "country:NA",
        "amount": {"value": 777000000.0, "currency": "EUR", "raw": "EUR 777 million"},
    },
    "Secretco Mining will invest EUR 777 million in the pact's refinery.",
    paragraph=2,
)
SECRET_MARKERS = ("Secretco", "777")
STORY_SUMMARY = "JOGMEC and Epangelo signed the pact; Secretco Mining will invest EUR 777 million."


def add_gated(store: SqlStore, world: World) -> None:
    """The Pro piece (in the pact's story, whose summary now draws on it) and the members
    source's article, both in the report's week and sector."""
    story_id = store.get_article(world.ids["pact-1"]).story_id  # type: ignore[union-attr]
    piece = store.save_article(
        Article(
            source_id=None,
            url="https://house.example/secretco",
            canonical_url="https://house.example/secretco",
            title="House view: the pact's third partner",
            text="JOGMEC and Epangelo.\n\nMore.\n\n" + SECRET_FACT.sentence,
            published=MONDAY + timedelta(days=2, hours=3),
            content_hash="hash-secretco",
            story_id=story_id,
            visibility=Visibility.PRO,
        )
    )
    assert piece.id is not None
    world.ids["pro-piece"] = piece.id
    store.save_enrichment(
        Enrichment(
            article_id=piece.id,
            version="v",
            summary=SECRET_FACT.sentence,
            entities=(JOGMEC, EPANGELO, SECRETCO),
            mentions=(
                MentionRecord(JOGMEC.id, JOGMEC.name, 0, 6, paragraph=0),
                MentionRecord(SECRETCO.id, SECRETCO.name, 30, 45, paragraph=2),
            ),
            facts=(SECRET_FACT,),
            sectors=(SectorLabel(SECTOR, 0.9),),
        )
    )
    with store.engine.begin() as connection:
        connection.execute(
            update(stories).where(stories.c.id == story_id).values(summary=STORY_SUMMARY)
        )
    club = store.add_source(
        Source(url="https://club.example/feed.xml", name="Club", visibility=Visibility.MEMBERS)
    )
    member_only = store.save_article(
        Article(
            source_id=club.id,
            url="https://club.example/note",
            canonical_url="https://club.example/note",
            title="Club note on rare earths",
            text="Body text.",
            published=MONDAY + timedelta(days=3),
            content_hash="hash-club",
        )
    )
    assert member_only.id is not None
    world.ids["club"] = member_only.id
    enrich(store, member_only.id, (RARE,))
