"""A world for the trend tests: 16 days of articles ending at END, a steady entity, a burst in
the last two days (one with a hostile name), and deals in two currencies."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsdesk.domain.access import Visibility
from newsdesk.domain.enrichment import (
    Enrichment,
    EntityRecord,
    FactRecord,
    MentionRecord,
    SectorLabel,
)
from newsdesk.domain.models import Article
from newsdesk.store import SqlStore

# Relative to now: the free trends window of the access policy is measured from the clock.
END = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
STEADY = EntityRecord("country:US", "United States", "country")
SURGE = EntityRecord("org:surge", "Surge Metals", "organisation")
HOSTILE = EntityRecord("org:hostile", '=HYPERLINK("http://x")<b>', "organisation")
NAMIBIA = EntityRecord("country:NA", "Namibia", "country")


def article(
    store: SqlStore,
    n: int,
    when: datetime,
    entities: tuple[EntityRecord, ...],
    facts: tuple[FactRecord, ...] = (),
    sector: str = "mining-metals",
) -> int:
    saved = store.save_article(
        Article(
            source_id=None,
            url=f"https://t.example/{n}",
            canonical_url=f"https://t.example/{n}",
            title=f"Article {n} " + " ".join(e.name for e in entities),
            text="text",
            published=when,
            content_hash=f"t{n}",
        )
    )
    assert saved.id is not None
    store.save_enrichment(
        Enrichment(
            article_id=saved.id,
            version="v",
            entities=entities,
            mentions=tuple(MentionRecord(e.id, e.name, 0, 1) for e in entities),
            facts=facts,
            sectors=(SectorLabel(sector, 0.9),),
        )
    )
    return saved.id


def deal(key: str, kind: str, data: dict[str, object]) -> FactRecord:
    return FactRecord(key, kind, data, f"Sentence of {key}.")


def build(store: SqlStore) -> dict[str, int]:
    ids: dict[str, int] = {}
    n = 0
    for hours in range(0, 16 * 24, 8):  # steady: one article every 8 hours
        n += 1
        sector = "oil-gas" if n % 3 == 0 else "mining-metals"
        ids[f"steady-{n}"] = article(
            store, n, END - timedelta(hours=hours + 1), (STEADY,), sector=sector
        )
    for k in range(6):
        n += 1
        ids[f"surge-{k}"] = article(
            store, n, END - timedelta(hours=2 + 5 * k), (SURGE, HOSTILE, STEADY)
        )
    n += 1
    ids["deal-usd"] = article(
        store,
        n,
        END - timedelta(days=3),
        (NAMIBIA,),
        (
            deal(
                "investment:usd",
                "investment",
                {
                    "target": "country:NA",
                    "amount": {"value": 6500000.0, "currency": "USD", "raw": "$6.5 million"},
                },
            ),
        ),
    )
    n += 1
    ids["deal-nad"] = article(
        store,
        n,
        END - timedelta(days=4),
        (NAMIBIA,),
        (
            deal(
                "investment:nad",
                "investment",
                {
                    "target": "country:NA",
                    "amount": {"value": 120000000.0, "currency": "NAD", "raw": "N$120 million"},
                },
            ),
            deal(
                "agreement:na",
                "agreement",
                {"parties": ["country:NA", "org:surge"], "commodities": ["commodity:lithium"]},
            ),
        ),
        sector="rare-earths-commodities",
    )
    return ids


# Pro pieces: an organisation named, and a deal stated, only after their preview break (the
# site's default: two paragraphs), in the last two days; the steady entity named before it.
SECRET = EntityRecord("org:secret-holdings", "Secret Holdings", "organisation")
SECRET_DEAL = "investment:secret"
PRO_PIECES = 6


def build_pro_pieces(store: SqlStore) -> list[int]:
    ids = []
    for k in range(PRO_PIECES):
        saved = store.save_article(
            Article(
                source_id=None,
                url=f"https://house.example/pro-{k}",
                canonical_url=f"https://house.example/pro-{k}",
                title=f"House view {k}",
                text="United States.\n\nMore.\n\nSecret Holdings.",
                published=END - timedelta(hours=3 + 4 * k),
                content_hash=f"pro{k}",
                visibility=Visibility.PRO,
            )
        )
        assert saved.id is not None
        facts: tuple[FactRecord, ...] = ()
        if k == 0:
            data: dict[str, object] = {
                "investor": SECRET.id,
                "target": "country:NA",
                "amount": {"value": 555000000.0, "currency": "EUR", "raw": "EUR 555 million"},
            }
            facts = (FactRecord(SECRET_DEAL, "investment", data, "Secret Holdings.", paragraph=2),)
        store.save_enrichment(
            Enrichment(
                article_id=saved.id,
                version="v",
                entities=(STEADY, SECRET),
                mentions=(
                    MentionRecord(STEADY.id, STEADY.name, 0, 13, paragraph=0),
                    MentionRecord(SECRET.id, SECRET.name, 21, 36, paragraph=2),
                ),
                facts=facts,
                sectors=(SectorLabel("rare-earths-commodities", 0.9),),
            )
        )
        ids.append(saved.id)
    return ids
