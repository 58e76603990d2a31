"""Builders for digest tests: stories with enrichment, sources and subscribers in a real store
(a uniquely named helper module: test directories are not packages)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import UTC, datetime

from newsdesk.domain.enrichment import Enrichment, EntityRecord, MentionRecord, SectorLabel
from newsdesk.domain.models import Article, Source
from newsdesk.domain.subscribers import Subscriber
from newsdesk.store import SqlStore

SECTOR_NAMES = {
    "energy": "Oil & Gas",
    "mining": "Rare Earths & Commodities",
    "power": "Power & Utilities",
    "politics": "Business & Politics",
}
SECRET = "digest-test-secret-long-enough-to-serve"
BASE_URL = "https://insights.example"
MAIL_FROM = "Top Insights Today <insights@news.example>"
IMPORTED_AT = datetime(2026, 1, 1, tzinfo=UTC)

_serial = itertools.count(1)


def source_ids(store: SqlStore, count: int) -> list[int]:
    """count distinct sources (created on first use, reused after)."""
    existing = [s.id for s in store.list_sources() if s.id is not None]
    while len(existing) < count:
        n = next(_serial)
        added = store.add_source(Source(url=f"https://pub{n}.example/feed.xml", name=f"Pub {n}"))
        assert added.id is not None
        existing.append(added.id)
    return existing[:count]


def add_story(
    store: SqlStore,
    *,
    title: str,
    at: datetime,
    sectors: Sequence[str] = ("mining",),
    summary: str = "",
    sources: int = 1,
    entities: Sequence[tuple[str, str]] = (),
) -> int:
    """A story of `sources` articles from distinct sources, each enriched; its id."""
    story_id: int | None = None
    for source_id in source_ids(store, sources):
        n = next(_serial)
        article = store.save_article(
            Article(
                source_id=source_id,
                url=f"https://pub.example/a/{n}",
                canonical_url=f"https://pub.example/a/{n}",
                title=title,
                text=f"{title}. Body text of article {n}. More detail follows here.",
                content_hash=f"hash-{n}",
                story_id=story_id,
                created_at=at,
            )
        )
        assert article.id is not None and article.story_id is not None
        story_id = article.story_id
        store.save_enrichment(
            Enrichment(
                article_id=article.id,
                version="test",
                summary=summary,
                sectors=tuple(SectorLabel(s, 0.9 - 0.1 * i) for i, s in enumerate(sectors)),
                entities=tuple(EntityRecord(eid, name, "organisation") for eid, name in entities),
                mentions=tuple(MentionRecord(eid, name, 0, len(name)) for eid, name in entities),
            )
        )
    assert story_id is not None
    return story_id


def add_subscribers(store: SqlStore, people: Sequence[Subscriber]) -> list[Subscriber]:
    """Active subscribers (imported); returned as stored, with ids."""
    store.import_subscribers(people, at=IMPORTED_AT)
    stored = []
    for person in people:
        found = store.get_subscriber_by_email(person.email)
        assert found is not None
        stored.append(found)
    return stored


def reader(
    email: str,
    sectors: Sequence[str] = ("mining",),
    entities: Sequence[str] = (),
    delivery_time: str = "07:00",
    timezone: str = "UTC",
) -> Subscriber:
    return Subscriber(
        email=email,
        sectors=tuple(sectors),
        entities=tuple(entities),
        delivery_time=delivery_time,
        timezone=timezone,
    )


def cli_env(database_url: str, smtp_port: int, **extra: str) -> dict[str, str]:
    """Environment for a `newsdesk` subprocess on database_url and the SMTP sink's port."""
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_")}
    env.update(
        NEWSDESK_DATABASE_URL=database_url,
        NEWSDESK_SMTP_HOST="127.0.0.1",
        NEWSDESK_SMTP_PORT=str(smtp_port),
        NEWSDESK_BASE_URL=BASE_URL,
        NEWSDESK_SECRET_KEY=SECRET,
        NEWSDESK_MAIL_FROM=MAIL_FROM,
        NEWSDESK_LOG_LEVEL="WARNING",
        NEWSDESK_CONFIG="/nonexistent/newsdesk.toml",
    )
    env.update(extra)
    return env


def cli(*args: str) -> list[str]:
    import sys

    return [sys.executable, "-m", "newsdesk.cli", *args]
