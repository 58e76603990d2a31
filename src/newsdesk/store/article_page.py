"""The article page's reading (SiteRepository.article_detail): its statements, built once with
values bound at execution, and the readers of its entities, facts and related articles.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, bindparam, select

from newsdesk.domain.access import effective_visibility as effective_article_visibility
from newsdesk.domain.enrichment import EntityRecord, FactRecord
from newsdesk.domain.models import Source
from newsdesk.domain.reading import ArticleDetail, ArticleEntity, RelatedArticle
from newsdesk.store.article_rows import article_from_row
from newsdesk.store.schema import (
    articles,
    enrichments,
    entities,
    entity_mentions,
    fact_sources,
    facts,
    related_articles,
    sources,
)
from newsdesk.store.site_sql import brief_of, brief_query, labels_of, story_by_id
from newsdesk.store.sources_repo import source_from_row

# The article page's statements are built once, values bound at execution: building them per
# request cost more than running them (SQLAlchemy then serves them from its statement cache).
_ARTICLE_BY_ID = select(articles).where(articles.c.id == bindparam("b_id"))
_SOURCE_BY_ID = select(sources).where(sources.c.id == bindparam("b_id"))
_SUMMARY_OF = select(enrichments.c.summary, enrichments.c.summary_reach, enrichments.c.lead).where(
    enrichments.c.article_id == bindparam("b_id")
)
# One row per mention (an article has at most a few hundred): the page counts, per entity,
# the mentions its viewer may see.
_MENTIONS_OF = (
    select(entities.c.id, entities.c.name, entities.c.type, entity_mentions.c.paragraph)
    .join(entity_mentions, entity_mentions.c.entity_id == entities.c.id)
    .where(entity_mentions.c.article_id == bindparam("b_id"))
)
_FACTS_OF = (
    select(
        facts.c.key,
        facts.c.type,
        facts.c.data,
        fact_sources.c.sentence,
        fact_sources.c.start_offset,
        fact_sources.c.end_offset,
        fact_sources.c.paragraph,
    )
    .join(fact_sources, fact_sources.c.fact_key == facts.c.key)
    .where(fact_sources.c.article_id == bindparam("b_id"))
    .order_by(fact_sources.c.start_offset, facts.c.key)
)
_RELATED_OF = (
    brief_query()
    .add_columns(related_articles.c.score.label("related_score"), related_articles.c.reason)
    .join(related_articles, related_articles.c.related_id == articles.c.id)
    .where(related_articles.c.article_id == bindparam("b_id"))
    .order_by(related_articles.c.rank)
)


def read_article_detail(connection: Connection, article_id: int) -> ArticleDetail | None:
    """The article page's reading: the article, its source, summary, labels, entities,
    facts, related articles and story, in a fixed number of primary-key reads."""
    row = connection.execute(_ARTICLE_BY_ID, {"b_id": article_id}).first()
    if row is None:
        return None
    article = article_from_row(row)
    source = source_by_id(connection, article.source_id)
    summary = connection.execute(_SUMMARY_OF, {"b_id": article_id}).first()
    labels = labels_of(connection, [article_id]).get(article_id, [])
    return ArticleDetail(
        article=article,
        source=source,
        summary=summary.summary if summary else "",
        summary_reach=summary.summary_reach if summary else None,
        lead=summary.lead if summary else "",
        visibility=effective_article_visibility(
            article.visibility, source.visibility if source else None
        ),
        sectors=tuple(labels),
        entities=article_entities(connection, article_id),
        facts=article_facts(connection, article_id),
        related=related_of(connection, article_id),
        story=story_by_id(connection, article.story_id),
    )


def source_by_id(connection: Connection, source_id: int | None) -> Source | None:
    if source_id is None:
        return None
    row = connection.execute(_SOURCE_BY_ID, {"b_id": source_id}).first()
    return None if row is None else source_from_row(row)


def article_entities(connection: Connection, article_id: int) -> tuple[ArticleEntity, ...]:
    """Entities by mentions (most first, then name and id), each with its mentions' paragraphs."""
    found: dict[str, tuple[Any, list[int | None]]] = {}
    for row in connection.execute(_MENTIONS_OF, {"b_id": article_id}):
        found.setdefault(row.id, (row, []))[1].append(row.paragraph)
    ranked = sorted(found.values(), key=lambda item: (-len(item[1]), item[0].name, item[0].id))
    return tuple(
        ArticleEntity(
            entity=EntityRecord(id=row.id, name=row.name, type=row.type),
            mentions=len(paragraphs),
            paragraphs=tuple(sorted(paragraphs, key=lambda p: (p is None, p or 0))),
        )
        for row, paragraphs in ranked
    )


def article_facts(connection: Connection, article_id: int) -> tuple[FactRecord, ...]:
    rows = connection.execute(_FACTS_OF, {"b_id": article_id}).all()
    return tuple(
        FactRecord(
            key=row.key,
            type=row.type,
            data=dict(row.data or {}),
            sentence=row.sentence,
            start=row.start_offset,
            end=row.end_offset,
            paragraph=row.paragraph,
        )
        for row in rows
    )


def related_of(connection: Connection, article_id: int) -> tuple[RelatedArticle, ...]:
    rows = connection.execute(_RELATED_OF, {"b_id": article_id}).all()
    labels = labels_of(connection, [row.id for row in rows])
    return tuple(
        RelatedArticle(article=brief_of(row, labels), score=row.related_score, reason=row.reason)
        for row in rows
    )
