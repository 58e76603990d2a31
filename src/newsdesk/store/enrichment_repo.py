"""Enrichment results (sectors, entities, facts, summary, related): the EnrichmentStore of SqlStore.

Writers that share entities or facts must not deadlock on PostgreSQL: every write takes
its row locks in one global order (entities by id, then facts by key) before it inserts
rows that reference them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, delete, distinct, func, insert, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from newsdesk.domain.enrichment import (
    Enrichment,
    EntityRecord,
    EntitySummary,
    FactRecord,
    FactSummary,
    MentionRecord,
    RelatedLink,
    SectorLabel,
)
from newsdesk.domain.models import utcnow
from newsdesk.store.engine import read_connection
from newsdesk.store.schema import (
    article_sectors,
    articles,
    enrichments,
    entities,
    entity_mentions,
    fact_sources,
    facts,
    related_articles,
)

LABEL_THRESHOLD = 0.5
EDITOR_SCORE = 1.0
EDITOR_EXPLANATION = "set by editor"
_ID_BATCH = 500  # ids per IN (...) list, well under SQLite's bound-parameter limit

_T = TypeVar("_T")


class EnrichmentRepository:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def save_enrichment(self, enrichment: Enrichment) -> None:
        """Replace the article's automatic results in one transaction; editor labels stay."""
        article_id = enrichment.article_id
        now = utcnow()
        new_facts = {
            fact.key: fact for fact in first_per_key(enrichment.facts, key=lambda f: f.key)
        }
        try:
            with self._engine.begin() as connection:
                for entity in merge_entities(enrichment.entities):
                    _upsert_entity(connection, entity, now)
                old_fact_keys = set(
                    connection.execute(
                        select(fact_sources.c.fact_key).where(
                            fact_sources.c.article_id == article_id
                        )
                    ).scalars()
                )
                for table in (entity_mentions, fact_sources, related_articles):
                    connection.execute(delete(table).where(table.c.article_id == article_id))
                connection.execute(
                    delete(article_sectors).where(
                        article_sectors.c.article_id == article_id,
                        article_sectors.c.by_editor.is_(False),
                    )
                )
                for key in sorted(old_fact_keys | new_facts.keys()):
                    if key in new_facts:
                        _upsert_fact(connection, new_facts[key], article_id, now)
                    else:
                        _delete_if_unsourced(connection, key)
                _insert_rows(connection, enrichment)
                _upsert_enrichment_row(connection, enrichment, now)
        except IntegrityError as error:
            raise ValueError(
                f"cannot save enrichment of article {article_id}: {error.orig}"
            ) from error

    def get_enrichment(self, article_id: int) -> Enrichment | None:
        with read_connection(self._engine) as connection:
            row = connection.execute(
                select(enrichments).where(enrichments.c.article_id == article_id)
            ).first()
            if row is None:
                return None
            sectors = _sector_rows(connection, [article_id], min_score=None)
            mention_rows = connection.execute(
                select(entity_mentions)
                .where(entity_mentions.c.article_id == article_id)
                .order_by(entity_mentions.c.id)
            ).all()
            entity_ids = sorted({mention.entity_id for mention in mention_rows})
            entity_rows = connection.execute(
                select(entities).where(entities.c.id.in_(entity_ids)).order_by(entities.c.id)
            ).all()
            fact_rows = connection.execute(
                select(facts.c.key, facts.c.type, facts.c.data, *_source_columns())
                .join(fact_sources, fact_sources.c.fact_key == facts.c.key)
                .where(fact_sources.c.article_id == article_id)
                .order_by(facts.c.key)
            ).all()
            related_rows = connection.execute(
                select(related_articles)
                .where(related_articles.c.article_id == article_id)
                .order_by(related_articles.c.rank)
            ).all()
        return Enrichment(
            article_id=article_id,
            version=row.version,
            language=row.language,
            summary=row.summary,
            sectors=tuple(sort_labels(sectors.get(article_id, []))),
            entities=tuple(_entity_from_row(entity) for entity in entity_rows),
            mentions=tuple(_mention_from_row(mention) for mention in mention_rows),
            facts=tuple(_fact_from_row(fact) for fact in fact_rows),
            related=tuple(
                RelatedLink(article_id=r.related_id, score=r.score, reason=r.reason)
                for r in related_rows
            ),
        )

    def set_editor_sectors(self, article_id: int, sector_ids: list[str]) -> None:
        """Replace the editor's labels of the article; an empty list withdraws the correction."""
        with self._engine.begin() as connection:
            exists = connection.execute(
                select(articles.c.id).where(articles.c.id == article_id)
            ).first()
            if exists is None:
                raise ValueError(f"article {article_id} does not exist")
            connection.execute(
                delete(article_sectors).where(
                    article_sectors.c.article_id == article_id,
                    article_sectors.c.by_editor.is_(True),
                )
            )
            unique_ids = list(dict.fromkeys(sector_ids))
            if unique_ids:
                connection.execute(
                    insert(article_sectors),
                    [
                        {
                            "article_id": article_id,
                            "sector_id": sector_id,
                            "by_editor": True,
                            "score": EDITOR_SCORE,
                            "explanation": EDITOR_EXPLANATION,
                        }
                        for sector_id in unique_ids
                    ],
                )

    def articles_to_enrich(self, version: str, *, limit: int | None = None) -> list[int]:
        """Never enriched, or enriched under another version; oldest (lowest id) first."""
        query = (
            select(articles.c.id)
            .outerjoin(enrichments, enrichments.c.article_id == articles.c.id)
            .where(or_(enrichments.c.article_id.is_(None), enrichments.c.version != version))
            .order_by(articles.c.id)
            .limit(limit)
        )
        with read_connection(self._engine) as connection:
            return list(connection.execute(query).scalars())

    def list_entities(
        self, *, article_id: int | None = None, limit: int | None = None
    ) -> list[EntitySummary]:
        """Entities with at least one mention, most mentioned first, ties by name.

        With article_id, only that article's entities, counted within that article.
        """
        mentions = func.count(entity_mentions.c.id).label("mentions")
        article_count = func.count(distinct(entity_mentions.c.article_id)).label("articles")
        query = (
            select(entities, mentions, article_count)
            .join(entity_mentions, entity_mentions.c.entity_id == entities.c.id)
            .group_by(entities.c.id)  # the other columns depend on it (and JSON has no =)
            .order_by(mentions.desc(), entities.c.name, entities.c.id)
            .limit(limit)
        )
        if article_id is not None:
            query = query.where(entity_mentions.c.article_id == article_id)
        with read_connection(self._engine) as connection:
            return [
                EntitySummary(
                    entity=_entity_from_row(row), mentions=row.mentions, articles=row.articles
                )
                for row in connection.execute(query)
            ]

    def list_facts(
        self, *, fact_type: str | None = None, limit: int | None = None
    ) -> list[FactSummary]:
        """Facts stated by at least one article, by the newest such article (highest id) first."""
        newest = func.max(fact_sources.c.article_id).label("newest")
        query = (
            select(facts.c.key, newest)
            .join(fact_sources, fact_sources.c.fact_key == facts.c.key)
            .group_by(facts.c.key)
            .order_by(newest.desc(), facts.c.key)
            .limit(limit)
        )
        if fact_type is not None:
            query = query.where(facts.c.type == fact_type)
        with read_connection(self._engine) as connection:
            keys = [row.key for row in connection.execute(query)]
            source_rows: list[Any] = []
            for batch in _batches(keys):
                source_rows += connection.execute(
                    select(facts.c.key, facts.c.type, facts.c.data, *_source_columns())
                    .join(fact_sources, fact_sources.c.fact_key == facts.c.key)
                    .where(facts.c.key.in_(batch))
                    .order_by(fact_sources.c.article_id)
                ).all()
        by_key: dict[str, list[Any]] = {}
        for row in source_rows:
            by_key.setdefault(row.key, []).append(row)
        return [
            FactSummary(
                fact=_fact_from_row(by_key[key][0]),
                article_ids=tuple(row.article_id for row in by_key[key]),
            )
            for key in keys
        ]

    def article_sectors(self, article_ids: list[int]) -> dict[int, list[SectorLabel]]:
        """Every given id mapped to its labels: the editor's if any, else scores >= 0.5."""
        with read_connection(self._engine) as connection:
            labels = _sector_rows(connection, article_ids, min_score=LABEL_THRESHOLD)
        return {
            article_id: effective_labels(labels.get(article_id, [])) for article_id in article_ids
        }


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


def first_per_key(items: Iterable[_T], key: Callable[[_T], object]) -> list[_T]:
    """The items in their order, dropping any whose key an earlier item had."""
    seen: set[object] = set()
    kept = []
    for item in items:
        if key(item) not in seen:
            seen.add(key(item))
            kept.append(item)
    return kept


def merge_aliases(stored: Iterable[str], new: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(stored) | set(new)))


def effective_labels(labels: Sequence[SectorLabel]) -> list[SectorLabel]:
    """An editor's labels replace the automatic ones; best first."""
    by_editor = [label for label in labels if label.by_editor]
    return sort_labels(by_editor or labels)


def sort_labels(labels: Iterable[SectorLabel]) -> list[SectorLabel]:
    return sorted(labels, key=lambda label: (not label.by_editor, -label.score, label.sector_id))


def _dialect_insert(connection: Connection, table: Any) -> Any:
    if connection.dialect.name == "postgresql":
        return postgresql.insert(table)
    if connection.dialect.name == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"no upsert for {connection.dialect.name}")


def _upsert_entity(connection: Connection, entity: EntityRecord, now: datetime) -> None:
    """Insert or update the entity; its row stays locked until the transaction ends.

    The conflict update locks the row, so reading its aliases and writing the merge back
    cannot interleave with another writer's merge.
    """
    statement = _dialect_insert(connection, entities).values(
        id=entity.id,
        name=entity.name,
        type=entity.type,
        aliases=list(entity.aliases),
        first_seen_at=now,
        last_seen_at=now,
    )
    statement = statement.on_conflict_do_update(
        index_elements=[entities.c.id],
        set_={
            "name": statement.excluded.name,
            "type": statement.excluded.type,
            "last_seen_at": statement.excluded.last_seen_at,
        },
    ).returning(entities.c.aliases)
    stored_aliases = connection.execute(statement).scalar_one()
    merged = merge_aliases(stored_aliases or (), entity.aliases)
    if list(merged) != list(stored_aliases or ()):
        connection.execute(
            entities.update().where(entities.c.id == entity.id).values(aliases=list(merged))
        )


def _upsert_fact(connection: Connection, fact: FactRecord, article_id: int, now: datetime) -> None:
    statement = _dialect_insert(connection, facts).values(
        key=fact.key, type=fact.type, data=dict(fact.data), first_seen_at=now
    )
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=[facts.c.key],
            set_={"type": statement.excluded.type, "data": statement.excluded.data},
        )
    )
    connection.execute(
        insert(fact_sources).values(
            fact_key=fact.key,
            article_id=article_id,
            sentence=fact.sentence,
            start_offset=fact.start,
            end_offset=fact.end,
        )
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


def _insert_rows(connection: Connection, enrichment: Enrichment) -> None:
    """The article's sector labels, mentions and related links (old ones already deleted)."""
    article_id = enrichment.article_id
    best: dict[str, SectorLabel] = {}
    for label in enrichment.sectors:
        if not label.by_editor and (
            label.sector_id not in best or label.score > best[label.sector_id].score
        ):
            best[label.sector_id] = label
    if best:
        connection.execute(
            insert(article_sectors),
            [
                {
                    "article_id": article_id,
                    "sector_id": label.sector_id,
                    "by_editor": False,
                    "score": label.score,
                    "explanation": label.explanation,
                }
                for label in best.values()
            ],
        )
    if enrichment.mentions:
        connection.execute(
            insert(entity_mentions),
            [
                {
                    "article_id": article_id,
                    "entity_id": mention.entity_id,
                    "text": mention.text,
                    "start_offset": mention.start,
                    "end_offset": mention.end,
                    "field": mention.field,
                    "role": mention.role,
                }
                for mention in enrichment.mentions
            ],
        )
    ordered = first_per_key(enrichment.related, key=lambda link: link.article_id)
    if ordered:
        connection.execute(
            insert(related_articles),
            [
                {
                    "article_id": article_id,
                    "related_id": link.article_id,
                    "rank": rank,
                    "score": link.score,
                    "reason": link.reason,
                }
                for rank, link in enumerate(ordered)
            ],
        )


def _upsert_enrichment_row(connection: Connection, enrichment: Enrichment, now: datetime) -> None:
    statement = _dialect_insert(connection, enrichments).values(
        article_id=enrichment.article_id,
        version=enrichment.version,
        language=enrichment.language,
        summary=enrichment.summary,
        enriched_at=now,
    )
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=[enrichments.c.article_id],
            set_={
                "version": statement.excluded.version,
                "language": statement.excluded.language,
                "summary": statement.excluded.summary,
                "enriched_at": statement.excluded.enriched_at,
            },
        )
    )


def _sector_rows(
    connection: Connection, article_ids: Sequence[int], *, min_score: float | None
) -> dict[int, list[SectorLabel]]:
    """Labels per article: all of them, or editor labels plus those scoring >= min_score."""
    labels: dict[int, list[SectorLabel]] = {}
    for batch in _batches(list(dict.fromkeys(article_ids))):
        query = select(article_sectors).where(article_sectors.c.article_id.in_(batch))
        if min_score is not None:
            query = query.where(
                or_(
                    article_sectors.c.by_editor.is_(True),
                    article_sectors.c.score >= min_score,
                )
            )
        for row in connection.execute(query):
            labels.setdefault(row.article_id, []).append(
                SectorLabel(
                    sector_id=row.sector_id,
                    score=row.score,
                    explanation=row.explanation,
                    by_editor=row.by_editor,
                )
            )
    return labels


def _batches(items: Sequence[_T]) -> Iterator[Sequence[_T]]:
    for start in range(0, len(items), _ID_BATCH):
        yield items[start : start + _ID_BATCH]


def _source_columns() -> tuple[Any, ...]:
    return (
        fact_sources.c.article_id,
        fact_sources.c.sentence,
        fact_sources.c.start_offset,
        fact_sources.c.end_offset,
    )


def _entity_from_row(row: Any) -> EntityRecord:
    return EntityRecord(id=row.id, name=row.name, type=row.type, aliases=tuple(row.aliases or ()))


def _mention_from_row(row: Any) -> MentionRecord:
    return MentionRecord(
        entity_id=row.entity_id,
        text=row.text,
        start=row.start_offset,
        end=row.end_offset,
        field=row.field,
        role=row.role,
    )


def _fact_from_row(row: Any) -> FactRecord:
    return FactRecord(
        key=row.key,
        type=row.type,
        data=dict(row.data or {}),
        sentence=row.sentence,
        start=row.start_offset,
        end=row.end_offset,
    )
