"""Writing enrichment results: many articles in one transaction, statements built once.

Lock order, so concurrent writers never deadlock on PostgreSQL: entities by id, then facts by
key, across the whole batch, before rows that reference them are inserted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import Connection, delete, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from newsdesk.domain.enrichment import Enrichment, EntityRecord, FactRecord, SectorLabel
from newsdesk.store.rollups import change_rollups
from newsdesk.store.schema import (
    article_sectors,
    enrichments,
    entities,
    entity_mentions,
    fact_sources,
    facts,
    related_articles,
)

ID_BATCH = 500  # ids per IN (...) list, well under SQLite's bound-parameter limit

_T = TypeVar("_T")


@dataclass(frozen=True)
class _Statements:
    upsert_entity: Any
    upsert_fact: Any
    upsert_enrichment: Any


@cache
def _statements(dialect: str) -> _Statements:
    """Upserts without values: each execution passes its rows (SQLAlchemy caches them)."""
    if dialect == "postgresql":
        make: Any = postgresql.insert
    elif dialect == "sqlite":
        make = sqlite.insert
    else:
        raise NotImplementedError(f"no upsert for {dialect}")
    entity = make(entities)
    fact = make(facts)
    enrichment = make(enrichments)
    return _Statements(
        upsert_entity=entity.on_conflict_do_update(
            index_elements=[entities.c.id],
            set_={
                "name": entity.excluded.name,
                "type": entity.excluded.type,
                "last_seen_at": entity.excluded.last_seen_at,
            },
        ).returning(entities.c.id, entities.c.aliases),
        upsert_fact=fact.on_conflict_do_update(
            index_elements=[facts.c.key],
            set_={"type": fact.excluded.type, "data": fact.excluded.data},
        ),
        upsert_enrichment=enrichment.on_conflict_do_update(
            index_elements=[enrichments.c.article_id],
            set_={
                "version": enrichment.excluded.version,
                "language": enrichment.excluded.language,
                "summary": enrichment.excluded.summary,
                "enriched_at": enrichment.excluded.enriched_at,
                "summary_reach": enrichment.excluded.summary_reach,
                "lead": enrichment.excluded.lead,
            },
        ),
    )


def write_enrichments(connection: Connection, batch: Sequence[Enrichment], now: datetime) -> None:
    """Replace the automatic results of every article of the batch; editor labels stay.

    An article given twice counts once, with its last enrichment. The analysis roll-ups
    move with the write, in the same transaction."""
    latest = {enrichment.article_id: enrichment for enrichment in batch}
    change_rollups(
        connection, sorted(latest), lambda: _write(connection, list(latest.values()), now)
    )


def _write(connection: Connection, batch: list[Enrichment], now: datetime) -> None:
    ids = sorted(enrichment.article_id for enrichment in batch)
    statements = _statements(connection.dialect.name)
    _upsert_entities(
        connection,
        statements,
        merge_entities(e for enrichment in batch for e in enrichment.entities),
        now,
    )
    old_fact_keys: set[str] = set()
    for chunk in batches(ids):
        old_fact_keys.update(
            connection.execute(
                select(fact_sources.c.fact_key).where(fact_sources.c.article_id.in_(chunk))
            ).scalars()
        )
        for table in (entity_mentions, fact_sources, related_articles):
            connection.execute(delete(table).where(table.c.article_id.in_(chunk)))
        connection.execute(
            delete(article_sectors).where(
                article_sectors.c.article_id.in_(chunk), article_sectors.c.by_editor.is_(False)
            )
        )
    new_facts: dict[str, FactRecord] = {}
    sources: list[dict[str, object]] = []
    for enrichment in batch:
        for fact in first_per_key(enrichment.facts, key=lambda f: f.key):
            new_facts[fact.key] = fact
            sources.append(
                {
                    "fact_key": fact.key,
                    "article_id": enrichment.article_id,
                    "sentence": fact.sentence,
                    "start_offset": fact.start,
                    "end_offset": fact.end,
                    "paragraph": fact.paragraph,
                }
            )
    # In key order, as one statement per run of upserts (a batch of new articles: one).
    upserts: list[dict[str, object]] = []
    for key in sorted(old_fact_keys | new_facts.keys()):
        if key in new_facts:
            fact = new_facts[key]
            upserts.append(
                {"key": key, "type": fact.type, "data": dict(fact.data), "first_seen_at": now}
            )
            continue
        if upserts:
            connection.execute(statements.upsert_fact, upserts)
            upserts = []
        _delete_if_unsourced(connection, key)
    if upserts:
        connection.execute(statements.upsert_fact, upserts)
    _insert_many(connection, fact_sources, sources)
    _insert_many(connection, article_sectors, [r for e in batch for r in _sector_rows(e)])
    _insert_many(connection, entity_mentions, [r for e in batch for r in _mention_rows(e)])
    _insert_many(connection, related_articles, [r for e in batch for r in _related_rows(e)])
    connection.execute(
        statements.upsert_enrichment,
        [
            {
                "article_id": e.article_id,
                "version": e.version,
                "language": e.language,
                "summary": e.summary,
                "enriched_at": now,
                "summary_reach": e.summary_reach,
                "lead": e.lead,
            }
            for e in batch
        ],
    )


def merge_entities(records: Iterable[EntityRecord]) -> list[EntityRecord]:
    """One record per id (the last one's name and type, every alias), sorted by id."""
    merged: dict[str, EntityRecord] = {}
    for record in records:
        previous = merged.get(record.id)
        aliases = record.aliases + (previous.aliases if previous else ())
        merged[record.id] = EntityRecord(
            id=record.id, name=record.name, type=record.type, aliases=merge_aliases(aliases, ())
        )
    return [merged[entity_id] for entity_id in sorted(merged)]


def merge_aliases(stored: Iterable[str], new: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(stored) | set(new)))


def first_per_key(items: Iterable[_T], key: Callable[[_T], object]) -> list[_T]:
    """The items in their order, dropping any whose key an earlier item had."""
    seen: set[object] = set()
    kept = []
    for item in items:
        if key(item) not in seen:
            seen.add(key(item))
            kept.append(item)
    return kept


def batches(items: Sequence[_T]) -> Iterator[Sequence[_T]]:
    for start in range(0, len(items), ID_BATCH):
        yield items[start : start + ID_BATCH]


def _upsert_entities(
    connection: Connection,
    statements: _Statements,
    records: Sequence[EntityRecord],
    now: datetime,
) -> None:
    """Insert or update the entities (one statement, rows in id order); their rows stay
    locked until the transaction ends.

    The conflict update locks each row, so reading its aliases and writing the merge back
    cannot interleave with another writer's merge; the rows are locked in id order, as
    when they were upserted one by one.
    """
    if not records:
        return
    rows = [
        {
            "id": entity.id,
            "name": entity.name,
            "type": entity.type,
            "aliases": list(entity.aliases),
            "first_seen_at": now,
            "last_seen_at": now,
        }
        for entity in records
    ]
    # entity id -> its aliases as stored (this batch's own on a first insert)
    stored: dict[str, Any] = {
        row.id: row.aliases for row in connection.execute(statements.upsert_entity, rows)
    }
    for entity in records:
        stored_aliases = stored[entity.id]
        merged = merge_aliases(stored_aliases or (), entity.aliases)
        if list(merged) != list(stored_aliases or ()):
            connection.execute(
                entities.update().where(entities.c.id == entity.id).values(aliases=list(merged))
            )


def _delete_if_unsourced(connection: Connection, key: str) -> None:
    # Lock first: a fresh statement after the lock sees sources another writer committed.
    locked = connection.execute(
        select(facts.c.key).where(facts.c.key == key).with_for_update()
    ).first()
    if locked is None:
        return
    sourced = connection.execute(
        select(fact_sources.c.article_id).where(fact_sources.c.fact_key == key).limit(1)
    ).first()
    if sourced is None:
        connection.execute(delete(facts).where(facts.c.key == key))


def _insert_many(connection: Connection, table: Any, rows: list[dict[str, object]]) -> None:
    if rows:
        connection.execute(insert(table), rows)


def _sector_rows(enrichment: Enrichment) -> list[dict[str, object]]:
    best: dict[str, SectorLabel] = {}
    for label in enrichment.sectors:
        if not label.by_editor and (
            label.sector_id not in best or label.score > best[label.sector_id].score
        ):
            best[label.sector_id] = label
    return [
        {
            "article_id": enrichment.article_id,
            "sector_id": label.sector_id,
            "by_editor": False,
            "score": label.score,
            "explanation": label.explanation,
        }
        for label in best.values()
    ]


def _mention_rows(enrichment: Enrichment) -> list[dict[str, object]]:
    return [
        {
            "article_id": enrichment.article_id,
            "entity_id": mention.entity_id,
            "text": mention.text,
            "start_offset": mention.start,
            "end_offset": mention.end,
            "field": mention.field,
            "role": mention.role,
            "paragraph": mention.paragraph,
        }
        for mention in enrichment.mentions
    ]


def _related_rows(enrichment: Enrichment) -> list[dict[str, object]]:
    ordered = first_per_key(enrichment.related, key=lambda link: link.article_id)
    return [
        {
            "article_id": enrichment.article_id,
            "related_id": link.article_id,
            "rank": rank,
            "score": link.score,
            "reason": link.reason,
        }
        for rank, link in enumerate(ordered)
    ]
