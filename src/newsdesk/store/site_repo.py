"""Read queries of the site's reading pages, API and feeds: the SiteRepository half of SqlStore.

Every method reads in one read-only transaction with a fixed number of queries (no query per
row), each served by an index: articles by published/story_id/source_id, stories by
last_seen_at, the primary keys of the enrichment tables.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    bindparam,
    case,
    distinct,
    func,
    or_,
    select,
)

from newsdesk.domain.access import Visibility
from newsdesk.domain.access import effective_visibility as effective_article_visibility
from newsdesk.domain.enrichment import EntityRecord, FactRecord, SectorLabel
from newsdesk.domain.models import Source, Story
from newsdesk.domain.paging import Cursor
from newsdesk.domain.reading import (
    ArticleBrief,
    ArticleDetail,
    ArticleEntity,
    BriefPage,
    RelatedArticle,
    SourceHealth,
    StoryCandidate,
    StoryDetail,
    StoryListing,
    StoryPage,
)
from newsdesk.store.access_sql import effective_visibility
from newsdesk.store.articles_repo import article_from_row, story_from_row, visibility_or_none
from newsdesk.store.base import StoreBase
from newsdesk.store.engine import read_connection
from newsdesk.store.enrichment_repo import LABEL_THRESHOLD, effective_labels
from newsdesk.store.pagination import after, cut, newest_first
from newsdesk.store.schema import (
    article_sectors,
    articles,
    enrichments,
    entities,
    entity_mentions,
    fact_sources,
    facts,
    related_articles,
    sources,
    stories,
)
from newsdesk.store.sources_repo import source_from_row

_ID_BATCH = 500
_SPARSE_SECTOR = 2000  # articles; see _is_sparse
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# When an article was news: its publication date, or when it was stored if it has none or
# claims a date after it was stored (a feed cannot keep an item on top by dating it ahead).
_news_time = case(
    (
        or_(articles.c.published.is_(None), articles.c.published > articles.c.created_at),
        articles.c.created_at,
    ),
    else_=articles.c.published,
)
_counted_label = or_(
    article_sectors.c.by_editor.is_(True), article_sectors.c.score >= LABEL_THRESHOLD
)


def _in_window(since: datetime) -> ColumnElement[bool]:
    return or_(
        articles.c.published >= since,
        and_(articles.c.published.is_(None), articles.c.created_at >= since),
    )


def _in_sector(sector_id: str) -> ColumnElement[bool]:
    """The article carries the sector: an editor's label, or a confident one with no editor's.

    Three EXISTS on the primary key (article_id, sector_id, by_editor), each correlated to the
    enclosing query's articles; one OR inside a single EXISTS made SQLite scan the sector.
    """
    labels = article_sectors

    def label_exists(*conditions: ColumnElement[bool]) -> ColumnElement[bool]:
        return (
            select(labels.c.article_id)
            .where(labels.c.article_id == articles.c.id, *conditions)
            .exists()
        )

    by_editor = label_exists(labels.c.sector_id == sector_id, labels.c.by_editor.is_(True))
    automatic = label_exists(
        labels.c.sector_id == sector_id,
        labels.c.by_editor.is_(False),
        labels.c.score >= LABEL_THRESHOLD,
    )
    any_editor_label = label_exists(labels.c.by_editor.is_(True))
    return or_(by_editor, and_(automatic, ~any_editor_label))


def _labelled(sector_id: str) -> Select[Any]:
    return select(article_sectors.c.article_id).where(
        article_sectors.c.sector_id == sector_id, _counted_label
    )


def _is_sparse(connection: Connection, sector_id: str) -> bool:
    """Few articles carry the sector: find them from its labels, not by walking every row.

    Walking articles (or stories) newest first and testing each finds a page quickly in a
    common sector but reads the whole table for one with a few dozen articles.
    """
    # Counted no further than the bound, on the (sector_id, score) index alone: counting a
    # common sector's 60,000 labels took 11 ms a request at 100k articles, this takes < 1 ms.
    confident = connection.execute(
        select(func.count()).select_from(
            select(article_sectors.c.score)
            .where(
                article_sectors.c.sector_id == sector_id,
                article_sectors.c.score >= LABEL_THRESHOLD,
            )
            .limit(_SPARSE_SECTOR + 1)
            .subquery()
        )
    ).scalar_one()
    return int(confident) <= _SPARSE_SECTOR


def _article_sector_filters(connection: Connection, sector_id: str) -> list[ColumnElement[bool]]:
    if _is_sparse(connection, sector_id):
        return [articles.c.id.in_(_labelled(sector_id)), _in_sector(sector_id)]
    return [_in_sector(sector_id)]


def _brief_query() -> Select[Any]:
    return select(
        articles.c.id,
        articles.c.title,
        articles.c.url,
        articles.c.source_id,
        sources.c.name.label("source_name"),
        func.coalesce(articles.c.published, articles.c.created_at).label("shown_at"),
        articles.c.published,
        enrichments.c.summary,
        articles.c.image,
        articles.c.story_id,
        effective_visibility(sources.c.visibility).label("visibility"),
        enrichments.c.summary_reach,
        enrichments.c.lead,
        articles.c.preview_paragraphs,
    ).select_from(
        articles.outerjoin(sources, sources.c.id == articles.c.source_id).outerjoin(
            enrichments, enrichments.c.article_id == articles.c.id
        )
    )


def _brief(row: Any, sectors: dict[int, list[SectorLabel]] | None = None) -> ArticleBrief:
    labels = (sectors or {}).get(row.id, [])
    return ArticleBrief(
        id=row.id,
        title=row.title,
        url=row.url,
        source_id=row.source_id,
        source_name=row.source_name,
        published=aware_utc(row.shown_at),
        summary=row.summary or "",
        image=row.image,
        story_id=row.story_id,
        sectors=tuple(label.sector_id for label in labels),
        visibility=visibility_of(row.visibility),
        summary_reach=row.summary_reach,
        lead=row.lead or "",
        preview_paragraphs=row.preview_paragraphs,
    )


def visibility_of(value: str | None) -> Visibility:
    """An effective visibility as read; an unknown value reads as the strictest."""
    return visibility_or_none(value) or Visibility.PUBLIC


def aware_utc(value: Any) -> datetime | None:
    """Aware UTC, whatever an aggregate handed back (SQLite may lose the column's type)."""
    if value is None:
        return None
    when = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


# The article page's statements are built once, values bound at execution: building them per
# request cost more than running them (SQLAlchemy then serves them from its statement cache).
_ARTICLE_BY_ID = select(articles).where(articles.c.id == bindparam("b_id"))
_SOURCE_BY_ID = select(sources).where(sources.c.id == bindparam("b_id"))
_SUMMARY_OF = select(enrichments.c.summary, enrichments.c.summary_reach, enrichments.c.lead).where(
    enrichments.c.article_id == bindparam("b_id")
)
_LABELS_OF = select(article_sectors).where(
    article_sectors.c.article_id.in_(bindparam("b_ids", expanding=True)), _counted_label
)
_STORY_BY_ID = select(
    stories,
    select(func.count())
    .where(articles.c.story_id == stories.c.id)
    .correlate(stories)
    .scalar_subquery()
    .label("article_count"),
).where(stories.c.id == bindparam("b_id"))
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
    _brief_query()
    .add_columns(related_articles.c.score.label("related_score"), related_articles.c.reason)
    .join(related_articles, related_articles.c.related_id == articles.c.id)
    .where(related_articles.c.article_id == bindparam("b_id"))
    .order_by(related_articles.c.rank)
)


class SiteRepository(StoreBase):
    def story_candidates(self, since: datetime) -> list[StoryCandidate]:
        window = _in_window(since)
        article_query = (
            select(
                articles.c.id,
                articles.c.story_id,
                articles.c.source_id,
                _news_time.label("at"),
                sources.c.weight,
                stories.c.title,
            )
            .select_from(
                articles.join(stories, stories.c.id == articles.c.story_id).outerjoin(
                    sources, sources.c.id == articles.c.source_id
                )
            )
            .where(window)
        )
        with read_connection(self.engine) as connection:
            article_rows = connection.execute(article_query).all()
            # Labels by article id (primary key) rather than joined to the window again: an
            # article row is wide (text, html), so reading each one once is what counts.
            labels = _labels(connection, [row.id for row in article_rows])
        return _candidates(article_rows, labels)

    def newest_article_time(self) -> datetime | None:
        with read_connection(self.engine) as connection:
            newest: datetime | None = connection.execute(
                select(func.max(articles.c.published))
            ).scalar_one()
        return aware_utc(newest)

    def story_leads(self, story_ids: Sequence[int]) -> dict[int, ArticleBrief]:
        with read_connection(self.engine) as connection:
            return _story_leads(connection, story_ids)

    def article_detail(self, article_id: int) -> ArticleDetail | None:
        with read_connection(self.engine) as connection:
            row = connection.execute(_ARTICLE_BY_ID, {"b_id": article_id}).first()
            if row is None:
                return None
            article = article_from_row(row)
            source = _source(connection, article.source_id)
            summary = connection.execute(_SUMMARY_OF, {"b_id": article_id}).first()
            labels = _labels(connection, [article_id]).get(article_id, [])
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
                entities=_article_entities(connection, article_id),
                facts=_article_facts(connection, article_id),
                related=_related(connection, article_id),
                story=_story(connection, article.story_id),
            )

    def story_detail(self, story_id: int) -> StoryDetail | None:
        with read_connection(self.engine) as connection:
            story = _story(connection, story_id)
            if story is None:
                return None
            rows = connection.execute(
                _brief_query()
                .where(articles.c.story_id == story_id)
                .order_by(func.coalesce(articles.c.published, articles.c.created_at), articles.c.id)
            ).all()
            labels = _labels(connection, [row.id for row in rows])
        briefs = tuple(_brief(row, labels) for row in rows)
        return StoryDetail(
            story=story,
            articles=briefs,
            sectors=_strongest_sectors(labels.values()),
            sources=len({brief.source_id for brief in briefs if brief.source_id is not None}),
        )

    def source_health(self, now: datetime, *, window_days: int = 7) -> list[SourceHealth]:
        since = now - timedelta(days=window_days)
        with read_connection(self.engine) as connection:
            source_rows = connection.execute(select(sources).order_by(sources.c.id)).all()
            # Counted on the source_id index alone; the newest id per source then names the
            # few rows whose stored time is read (a wide-row scan took seconds at 100k).
            totals = {
                row.source_id: (row.total, row.newest_id)
                for row in connection.execute(
                    select(
                        articles.c.source_id,
                        func.count().label("total"),
                        func.max(articles.c.id).label("newest_id"),
                    ).group_by(articles.c.source_id)
                )
            }
            newest_ids = [newest_id for _, newest_id in totals.values()]
            stored_at = dict(
                connection.execute(
                    select(articles.c.id, articles.c.created_at).where(
                        articles.c.id.in_(newest_ids)
                    )
                ).all()
            )
            # Counted here rather than with GROUP BY: grouping made SQLite walk the source_id
            # index and read every (wide) row to test its date, instead of the date range.
            recent = Counter(
                connection.execute(select(articles.c.source_id).where(_in_window(since)))
                .scalars()
                .all()
            )
        health = []
        for row in source_rows:
            total, newest_id = totals.get(row.id, (0, None))
            health.append(
                SourceHealth(
                    source=source_from_row(row),
                    articles=total,
                    articles_recent=recent.get(row.id, 0),
                    window_days=window_days,
                    last_article_at=aware_utc(stored_at.get(newest_id)),
                )
            )
        return health

    def list_article_briefs(
        self,
        *,
        cursor: Cursor | None = None,
        limit: int = 20,
        sector_id: str | None = None,
        source_id: int | None = None,
    ) -> BriefPage:
        filters: list[ColumnElement[bool]] = []
        if source_id is not None:
            filters.append(articles.c.source_id == source_id)
        published, article_id = articles.c.published, articles.c.id
        with read_connection(self.engine) as connection:
            if sector_id is not None:
                filters += _article_sector_filters(connection, sector_id)
            rows: list[Any] = []
            # Dated and undated articles are read apart: each query then walks an index from
            # the cursor (an OR of both would scan from the newest article on every page).
            if cursor is None or cursor.key is not None:
                dated = _brief_query().where(published.is_not(None), *filters)
                if cursor is not None:
                    dated = dated.where(after(cursor.expect(datetime, int), published, article_id))
                newest = dated.order_by(*newest_first(published, article_id))
                rows = list(connection.execute(newest.limit(limit + 1)))
            if len(rows) <= limit:
                undated = _brief_query().where(published.is_(None), *filters)
                if cursor is not None and cursor.key is None:
                    undated = undated.where(after(cursor, published, article_id, nulls_last=True))
                rows += connection.execute(
                    undated.order_by(article_id.desc()).limit(limit + 1 - len(rows))
                ).all()
            page, next_cursor = cut(
                rows, limit, lambda row: Cursor(aware_utc(row.published), row.id)
            )
            labels = _labels(connection, [row.id for row in page])
        return BriefPage(items=tuple(_brief(row, labels) for row in page), next_cursor=next_cursor)

    def list_story_listings(
        self,
        *,
        cursor: Cursor | None = None,
        limit: int = 20,
        sector_id: str | None = None,
    ) -> StoryPage:
        with read_connection(self.engine) as connection:
            if sector_id is not None and _is_sparse(connection, sector_id):
                in_sector = select(articles.c.story_id).where(
                    articles.c.id.in_(_labelled(sector_id)), _in_sector(sector_id)
                )
                query = select(stories).where(stories.c.id.in_(in_sector))
            else:
                story_articles = select(articles.c.id).where(articles.c.story_id == stories.c.id)
                if sector_id is not None:
                    story_articles = story_articles.where(_in_sector(sector_id))
                query = select(stories).where(story_articles.exists())
            if cursor is not None:
                position = cursor.expect(datetime, int)
                query = query.where(after(position, stories.c.last_seen_at, stories.c.id))
            newest = query.order_by(*newest_first(stories.c.last_seen_at, stories.c.id))
            rows = connection.execute(newest.limit(limit + 1)).all()
            page, next_cursor = cut(rows, limit, lambda row: Cursor(row.last_seen_at, row.id))
            ids = [row.id for row in page]
            counts = {
                row.story_id: (row.articles, row.sources)
                for row in connection.execute(
                    select(
                        articles.c.story_id,
                        func.count().label("articles"),
                        func.count(distinct(articles.c.source_id)).label("sources"),
                    )
                    .where(articles.c.story_id.in_(ids))
                    .group_by(articles.c.story_id)
                )
            }
            leads = _story_leads(connection, ids)
            sectors = _story_sectors(connection, ids)
        items = tuple(
            StoryListing(
                id=row.id,
                title=row.title,
                first_seen_at=row.first_seen_at,
                last_seen_at=row.last_seen_at,
                articles=counts.get(row.id, (0, 0))[0],
                sources=counts.get(row.id, (0, 0))[1],
                lead=leads.get(row.id),
                sectors=sectors.get(row.id, ()),
            )
            for row in page
        )
        return StoryPage(items=items, next_cursor=next_cursor)


def _candidates(
    article_rows: Sequence[Any], labels: dict[int, list[SectorLabel]]
) -> list[StoryCandidate]:
    by_story: dict[int, list[Any]] = defaultdict(list)
    for row in article_rows:
        if row.story_id is not None:
            by_story[row.story_id].append(row)
    candidates = []
    for story_id, rows in by_story.items():
        source_ids = {row.source_id for row in rows if row.source_id is not None}
        weights = [row.weight for row in rows if row.weight is not None]
        candidates.append(
            StoryCandidate(
                story_id=story_id,
                title=rows[0].title,
                newest=max(aware_utc(row.at) or _EPOCH for row in rows),
                sources=max(1, len(source_ids)),
                source_weight=max(weights) if weights else 1.0,
                sectors=_strongest_sectors(labels.get(row.id, []) for row in rows),
                articles=len(rows),
            )
        )
    return candidates


def _label(row: Any) -> SectorLabel:
    return SectorLabel(
        sector_id=row.sector_id,
        score=row.score,
        explanation=row.explanation,
        by_editor=row.by_editor,
    )


def _batches(items: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(items), _ID_BATCH):
        yield items[start : start + _ID_BATCH]


def _labels(connection: Connection, article_ids: Sequence[int]) -> dict[int, list[SectorLabel]]:
    """Each article's effective labels (an editor's, else the confident ones), best first."""
    raw: dict[int, list[SectorLabel]] = defaultdict(list)
    for batch in _batches(list(dict.fromkeys(article_ids))):
        for row in connection.execute(_LABELS_OF, {"b_ids": list(batch)}):
            raw[row.article_id].append(_label(row))
    return {article_id: effective_labels(labels) for article_id, labels in raw.items()}


def _strongest_sectors(label_lists: Iterable[list[SectorLabel]]) -> tuple[str, ...]:
    sums: dict[str, float] = defaultdict(float)
    for labels in label_lists:
        for label in labels:
            sums[label.sector_id] += label.score
    return tuple(sorted(sums, key=lambda sector: (-sums[sector], sector)))


def _story_sectors(connection: Connection, story_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    rows: list[Any] = []
    for batch in _batches(story_ids):
        rows += connection.execute(
            select(article_sectors, articles.c.story_id)
            .join(articles, articles.c.id == article_sectors.c.article_id)
            .where(articles.c.story_id.in_(batch), _counted_label)
        ).all()
    by_article: dict[int, list[SectorLabel]] = defaultdict(list)
    story_of: dict[int, int] = {}
    for row in rows:
        by_article[row.article_id].append(_label(row))
        story_of[row.article_id] = row.story_id
    per_story: dict[int, list[list[SectorLabel]]] = defaultdict(list)
    for article_id, labels in by_article.items():
        per_story[story_of[article_id]].append(effective_labels(labels))
    return {story_id: _strongest_sectors(lists) for story_id, lists in per_story.items()}


def _story_leads(connection: Connection, story_ids: Sequence[int]) -> dict[int, ArticleBrief]:
    rows: list[Any] = []
    for batch in _batches(list(dict.fromkeys(story_ids))):
        rows += connection.execute(
            _brief_query()
            .where(articles.c.story_id.in_(batch))
            .order_by(func.coalesce(articles.c.published, articles.c.created_at), articles.c.id)
        ).all()
    firsts: dict[int, Any] = {}
    for row in rows:
        firsts.setdefault(row.story_id, row)
    labels = _labels(connection, [row.id for row in firsts.values()])
    return {story_id: _brief(row, labels) for story_id, row in firsts.items()}


def _source(connection: Connection, source_id: int | None) -> Source | None:
    if source_id is None:
        return None
    row = connection.execute(_SOURCE_BY_ID, {"b_id": source_id}).first()
    return None if row is None else source_from_row(row)


def _story(connection: Connection, story_id: int | None) -> Story | None:
    if story_id is None:
        return None
    row = connection.execute(_STORY_BY_ID, {"b_id": story_id}).first()
    return None if row is None else story_from_row(row)


def _article_entities(connection: Connection, article_id: int) -> tuple[ArticleEntity, ...]:
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


def _article_facts(connection: Connection, article_id: int) -> tuple[FactRecord, ...]:
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


def _related(connection: Connection, article_id: int) -> tuple[RelatedArticle, ...]:
    rows = connection.execute(_RELATED_OF, {"b_id": article_id}).all()
    labels = _labels(connection, [row.id for row in rows])
    return tuple(
        RelatedArticle(article=_brief(row, labels), score=row.related_score, reason=row.reason)
        for row in rows
    )
