"""Enrichment results (sectors, entities, facts, summary, related): the EnrichmentStore of SqlStore.

Writers that share entities or facts must not deadlock on PostgreSQL: every write takes
its row locks in one global order (entities by id, then facts by key) before it inserts
rows that reference them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from sqlalchemy import (
    Connection,
    bindparam,
    delete,
    distinct,
    func,
    insert,
    or_,
    select,
)
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
from newsdesk.domain.models import Article, utcnow
from newsdesk.store.article_rows import article_from_row
from newsdesk.store.base import StoreBase
from newsdesk.store.engine import read_connection
from newsdesk.store.enrichment_write import batches, write_enrichments
from newsdesk.store.rollups import change_rollups, delete_articles
from newsdesk.store.schema import (
    article_sectors,
    articles,
    enrichments,
    entities,
    entity_mentions,
    fact_sources,
    facts,
    related_articles,
    stories,
)

LABEL_THRESHOLD = 0.5
EDITOR_SCORE = 1.0
EDITOR_EXPLANATION = "set by editor"
# An editor row with this sector id records "no sector": the automatic labels no longer count.
NO_SECTOR_MARK = ""
NO_SECTOR_EXPLANATION = "editor: no sector"

_T = TypeVar("_T")


class EnrichmentRepository(StoreBase):
    def save_enrichment(self, enrichment: Enrichment) -> None:
        """Replace the article's automatic results in one transaction; editor labels stay."""
        self.save_enrichments([enrichment])

    def save_enrichments(self, batch: Sequence[Enrichment]) -> None:
        """`save_enrichment` for many articles in one transaction (all or none saved)."""
        if not batch:
            return
        try:
            with self.engine.begin() as connection:
                write_enrichments(connection, batch, utcnow())
        except IntegrityError as error:
            ids = ", ".join(str(e.article_id) for e in batch[:10])
            raise ValueError(f"cannot save enrichment of article {ids}: {error.orig}") from error

    def delete_articles(self, article_ids: Sequence[int]) -> None:
        """Delete the articles with everything enriched from them, roll-ups included."""
        with self.engine.begin() as connection:
            delete_articles(connection, article_ids)

    def get_enrichment(self, article_id: int) -> Enrichment | None:
        with read_connection(self.engine) as connection:
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
            summary_reach=row.summary_reach,
            lead=row.lead,
            sectors=tuple(
                sort_labels(
                    label
                    for label in sectors.get(article_id, [])
                    if label.sector_id != NO_SECTOR_MARK
                )
            ),
            entities=tuple(_entity_from_row(entity) for entity in entity_rows),
            mentions=tuple(_mention_from_row(mention) for mention in mention_rows),
            facts=tuple(_fact_from_row(fact) for fact in fact_rows),
            related=tuple(
                RelatedLink(article_id=r.related_id, score=r.score, reason=r.reason)
                for r in related_rows
            ),
        )

    def articles_by_id(self, article_ids: list[int]) -> dict[int, Article]:
        """The stored articles among the given ids, read in a few queries."""
        found: dict[int, Article] = {}
        with read_connection(self.engine) as connection:
            for chunk in batches(list(dict.fromkeys(article_ids))):
                for row in connection.execute(select(articles).where(articles.c.id.in_(chunk))):
                    article = article_from_row(row)
                    found[row.id] = article
        return found

    def enrichment_outlines(self, article_ids: list[int]) -> dict[int, Enrichment]:
        """The enriched articles among the given ids, each with its version, its sector labels
        (editor's or scoring >= 0.5) and its entities only: what related-article ranking reads."""
        outlines: dict[int, Enrichment] = {}
        with read_connection(self.engine) as connection:
            for chunk in batches(list(dict.fromkeys(article_ids))):
                rows = connection.execute(
                    select(enrichments.c.article_id, enrichments.c.version).where(
                        enrichments.c.article_id.in_(chunk)
                    )
                ).all()
                if not rows:
                    continue
                labels = _sector_rows(connection, chunk, min_score=LABEL_THRESHOLD)
                found: dict[int, dict[str, EntityRecord]] = {}
                entity_rows = connection.execute(
                    select(entity_mentions.c.article_id, entities)
                    .join(entities, entities.c.id == entity_mentions.c.entity_id)
                    .where(entity_mentions.c.article_id.in_(chunk))
                ).all()
                for entity_row in entity_rows:
                    found.setdefault(entity_row.article_id, {})[entity_row.id] = _entity_from_row(
                        entity_row
                    )
                for row in rows:
                    outlines[row.article_id] = Enrichment(
                        article_id=row.article_id,
                        version=row.version,
                        language=None,
                        summary="",
                        sectors=tuple(
                            label
                            for label in labels.get(row.article_id, [])
                            if label.sector_id != NO_SECTOR_MARK
                        ),
                        entities=tuple(found.get(row.article_id, {}).values()),
                    )
        return outlines

    def set_editor_sectors(self, article_id: int, sector_ids: list[str]) -> None:
        """Replace the editor's labels of the article; an empty list withdraws the correction."""
        unique_ids = list(dict.fromkeys(sector_ids))
        self._replace_editor_rows(
            article_id, [(sector_id, EDITOR_SCORE, EDITOR_EXPLANATION) for sector_id in unique_ids]
        )

    def set_editor_no_sector(self, article_id: int) -> None:
        """An editor's correction saying the article belongs to no sector at all."""
        self._replace_editor_rows(article_id, [(NO_SECTOR_MARK, 0.0, NO_SECTOR_EXPLANATION)])

    def editor_corrections(
        self, article_ids: list[int] | None = None
    ) -> dict[int, tuple[str, ...]]:
        """Corrected articles (all, or those among article_ids) with the editor's sectors;
        an empty tuple is a correction to no sector."""
        query = (
            select(article_sectors.c.article_id, article_sectors.c.sector_id)
            .where(article_sectors.c.by_editor.is_(True))
            .order_by(article_sectors.c.article_id, article_sectors.c.sector_id)
        )
        corrections: dict[int, tuple[str, ...]] = {}
        with read_connection(self.engine) as connection:
            chunks: Iterable[Sequence[int] | None] = (
                [None] if article_ids is None else batches(list(dict.fromkeys(article_ids)))
            )
            for batch in chunks:
                where = (
                    query if batch is None else query.where(article_sectors.c.article_id.in_(batch))
                )
                for row in connection.execute(where):
                    sectors = corrections.setdefault(row.article_id, ())
                    if row.sector_id != NO_SECTOR_MARK:
                        corrections[row.article_id] = (*sectors, row.sector_id)
        return corrections

    def _replace_editor_rows(self, article_id: int, rows: list[tuple[str, float, str]]) -> None:
        with self.engine.begin() as connection:
            exists = connection.execute(
                select(articles.c.id).where(articles.c.id == article_id)
            ).first()
            if exists is None:
                raise ValueError(f"article {article_id} does not exist")
            change_rollups(
                connection, [article_id], lambda: _write_editor_rows(connection, article_id, rows)
            )

    def story_sizes(self, story_ids: list[int]) -> dict[int, int]:
        """How many articles each of the given stories has (stories without any are left out)."""
        sizes: dict[int, int] = {}
        with read_connection(self.engine) as connection:
            for batch in batches(list(dict.fromkeys(story_ids))):
                query = (
                    select(articles.c.story_id, func.count())
                    .where(articles.c.story_id.in_(batch))
                    .group_by(articles.c.story_id)
                )
                sizes.update({row[0]: row[1] for row in connection.execute(query)})
        return sizes

    def save_story_summaries(self, summaries: dict[int, str]) -> None:
        """Set the summary of each given story, in one transaction."""
        if not summaries:
            return
        statement = (
            stories.update()
            .where(stories.c.id == bindparam("b_story_id"))
            .values(summary=bindparam("b_summary"))
        )
        with self.engine.begin() as connection:
            connection.execute(
                statement,
                [
                    {"b_story_id": story_id, "b_summary": summary}
                    for story_id, summary in sorted(summaries.items())
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
        with read_connection(self.engine) as connection:
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
        with read_connection(self.engine) as connection:
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
        with read_connection(self.engine) as connection:
            keys = [row.key for row in connection.execute(query)]
            source_rows: list[Any] = []
            for batch in batches(keys):
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
        with read_connection(self.engine) as connection:
            labels = _sector_rows(connection, article_ids, min_score=LABEL_THRESHOLD)
        return {
            article_id: effective_labels(labels.get(article_id, [])) for article_id in article_ids
        }


def _write_editor_rows(
    connection: Connection, article_id: int, rows: list[tuple[str, float, str]]
) -> None:
    connection.execute(
        delete(article_sectors).where(
            article_sectors.c.article_id == article_id,
            article_sectors.c.by_editor.is_(True),
        )
    )
    if rows:
        connection.execute(
            insert(article_sectors),
            [
                {
                    "article_id": article_id,
                    "sector_id": sector_id,
                    "by_editor": True,
                    "score": score,
                    "explanation": explanation,
                }
                for sector_id, score, explanation in rows
            ],
        )


def effective_labels(labels: Sequence[SectorLabel]) -> list[SectorLabel]:
    """An editor's labels replace the automatic ones; best first."""
    by_editor = [label for label in labels if label.by_editor]
    if by_editor:
        return sort_labels(label for label in by_editor if label.sector_id != NO_SECTOR_MARK)
    return sort_labels(labels)


def sort_labels(labels: Iterable[SectorLabel]) -> list[SectorLabel]:
    return sorted(labels, key=lambda label: (not label.by_editor, -label.score, label.sector_id))


def _sector_rows(
    connection: Connection, article_ids: Sequence[int], *, min_score: float | None
) -> dict[int, list[SectorLabel]]:
    """Labels per article: all of them, or editor labels plus those scoring >= min_score."""
    labels: dict[int, list[SectorLabel]] = {}
    for batch in batches(list(dict.fromkeys(article_ids))):
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


def _source_columns() -> tuple[Any, ...]:
    return (
        fact_sources.c.article_id,
        fact_sources.c.sentence,
        fact_sources.c.start_offset,
        fact_sources.c.end_offset,
        fact_sources.c.paragraph,
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
        paragraph=row.paragraph,
    )


def _fact_from_row(row: Any) -> FactRecord:
    return FactRecord(
        key=row.key,
        type=row.type,
        data=dict(row.data or {}),
        sentence=row.sentence,
        start=row.start_offset,
        end=row.end_offset,
        paragraph=row.paragraph,
    )
