"""The enriched template of benchmarks/site_data.py, read back and replicated onto the copies
of its stories: every copy of a doc gets the doc's enrichment rows (sectors, entities, facts,
summary), and its "Read more insights" links point to the copy of the related story published
closest before it."""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from site_data_load import bulk_insert
from sqlalchemy import Engine, Table, select

from newsdesk.store import open_store
from newsdesk.store.engine import read_connection
from newsdesk.store.schema import (
    article_sectors,
    enrichments,
    entities,
    entity_mentions,
    fact_sources,
    facts,
    related_articles,
)


@dataclass(frozen=True)
class Copy:
    doc: int  # index into the docs
    story: int  # index of the story it belongs to
    source: int  # index into SOURCES
    published: datetime


@dataclass
class Template:
    enrichment: dict[int, dict[str, Any]]  # doc index -> enrichments row
    sectors: dict[int, list[dict[str, Any]]]
    mentions: dict[int, list[dict[str, Any]]]
    fact_sources: dict[int, list[dict[str, Any]]]
    related: dict[int, list[dict[str, Any]]]
    entities: list[dict[str, Any]]
    facts: list[dict[str, Any]]


def read_template(path: Path) -> Template:
    store = open_store(f"sqlite:///{path}", migrate=False)
    try:
        with read_connection(store.engine) as connection:

            def grouped(table: Table) -> dict[int, list[dict[str, Any]]]:
                by_doc: dict[int, list[dict[str, Any]]] = defaultdict(list)
                for row in connection.execute(select(table)).mappings():
                    values = dict(row)
                    by_doc[values.pop("article_id") - 1].append(values)
                return by_doc

            enrichment = {
                row["article_id"] - 1: dict(row)
                for row in connection.execute(select(enrichments)).mappings()
            }
            template = Template(
                enrichment=enrichment,
                sectors=grouped(article_sectors),
                mentions=grouped(entity_mentions),
                fact_sources=grouped(fact_sources),
                related=grouped(related_articles),
                entities=[dict(r) for r in connection.execute(select(entities)).mappings()],
                facts=[dict(r) for r in connection.execute(select(facts)).mappings()],
            )
            connection.rollback()
    finally:
        store.close()
    for mentions in template.mentions.values():
        for mention in mentions:
            del mention["id"]
    return template


def replicate_enrichment(
    engine: Engine,
    copies: Sequence[Copy],
    story_ids: dict[int, int],
    template: Template,
    now: datetime,
) -> dict[str, int]:
    # For "Read more": each doc's copies by publication time, to find the latest one before.
    by_doc: dict[int, tuple[list[datetime], list[int]]] = defaultdict(lambda: ([], []))
    for article_id, copy in enumerate(copies, start=1):
        by_doc[copy.doc][0].append(copy.published)
        by_doc[copy.doc][1].append(article_id)
    story_of = {article_id: story_ids[c.story] for article_id, c in enumerate(copies, start=1)}

    def related_rows() -> Iterator[dict[str, Any]]:
        for article_id, copy in enumerate(copies, start=1):
            rank = 0
            for link in template.related.get(copy.doc, []):
                dates, ids = by_doc.get(link["related_id"] - 1, ([], []))
                if not ids:
                    continue
                at = max(bisect.bisect_right(dates, copy.published) - 1, 0)
                related_id = ids[at]
                if related_id == article_id or story_of[related_id] == story_of[article_id]:
                    continue
                yield {**link, "article_id": article_id, "related_id": related_id, "rank": rank}
                rank += 1

    def per_copy(source: dict[int, list[dict[str, Any]]]) -> Iterator[dict[str, Any]]:
        for article_id, copy in enumerate(copies, start=1):
            for values in source.get(copy.doc, []):
                yield {**values, "article_id": article_id}

    first = copies[0].published if copies else now
    return {
        "entities": bulk_insert(
            engine,
            entities,
            ({**e, "first_seen_at": first, "last_seen_at": now} for e in template.entities),
        ),
        "facts": bulk_insert(
            engine, facts, ({**f, "first_seen_at": first} for f in template.facts)
        ),
        "enrichments": bulk_insert(
            engine,
            enrichments,
            (
                {**template.enrichment[c.doc], "article_id": i, "enriched_at": c.published}
                for i, c in enumerate(copies, start=1)
                if c.doc in template.enrichment
            ),
        ),
        "article_sectors": bulk_insert(engine, article_sectors, per_copy(template.sectors)),
        "entity_mentions": bulk_insert(engine, entity_mentions, per_copy(template.mentions)),
        "fact_sources": bulk_insert(engine, fact_sources, per_copy(template.fact_sources)),
        "related_articles": bulk_insert(engine, related_articles, related_rows()),
    }
