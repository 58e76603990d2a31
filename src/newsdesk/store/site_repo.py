"""Read queries of the site's reading pages, API and feeds: the SiteRepository half of SqlStore.

Every method reads in one read-only transaction with a fixed number of queries (no query per
row), each served by an index: articles by published/story_id/source_id, stories by
last_seen_at, the primary keys of the enrichment tables. The article page's reading is in
store.article_page, the pieces every site read shares (briefs, labels, story leads) in
store.site_sql.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    distinct,
    func,
    or_,
    select,
)

from newsdesk.domain.enrichment import SectorLabel
from newsdesk.domain.paging import Cursor
from newsdesk.domain.reading import (
    ArticleBrief,
    ArticleDetail,
    BriefPage,
    SourceHealth,
    StoryCandidate,
    StoryDetail,
    StoryListing,
    StoryPage,
)
from newsdesk.store.article_page import read_article_detail
from newsdesk.store.base import StoreBase
from newsdesk.store.engine import read_connection
from newsdesk.store.enrichment_repo import LABEL_THRESHOLD
from newsdesk.store.pagination import after, cut, newest_first
from newsdesk.store.schema import (
    article_sectors,
    articles,
    sources,
    stories,
)
from newsdesk.store.site_sql import (
    aware_utc,
    brief_of,
    brief_query,
    counted_label,
    labels_of,
    news_time,
    story_by_id,
    story_leads_of,
    story_sectors,
    strongest_sectors,
)
from newsdesk.store.sources_repo import source_from_row

_SPARSE_SECTOR = 2000  # articles; see _is_sparse
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


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
        article_sectors.c.sector_id == sector_id, counted_label
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


class SiteRepository(StoreBase):
    def story_candidates(self, since: datetime) -> list[StoryCandidate]:
        window = _in_window(since)
        article_query = (
            select(
                articles.c.id,
                articles.c.story_id,
                articles.c.source_id,
                news_time.label("at"),
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
            labels = labels_of(connection, [row.id for row in article_rows])
        return _candidates(article_rows, labels)

    def newest_article_time(self) -> datetime | None:
        with read_connection(self.engine) as connection:
            newest: datetime | None = connection.execute(
                select(func.max(articles.c.published))
            ).scalar_one()
        return aware_utc(newest)

    def story_leads(self, story_ids: Sequence[int]) -> dict[int, ArticleBrief]:
        with read_connection(self.engine) as connection:
            return story_leads_of(connection, story_ids)

    def article_detail(self, article_id: int) -> ArticleDetail | None:
        with read_connection(self.engine) as connection:
            return read_article_detail(connection, article_id)

    def story_detail(self, story_id: int) -> StoryDetail | None:
        with read_connection(self.engine) as connection:
            story = story_by_id(connection, story_id)
            if story is None:
                return None
            rows = connection.execute(
                brief_query()
                .where(articles.c.story_id == story_id)
                .order_by(func.coalesce(articles.c.published, articles.c.created_at), articles.c.id)
            ).all()
            labels = labels_of(connection, [row.id for row in rows])
        briefs = tuple(brief_of(row, labels) for row in rows)
        return StoryDetail(
            story=story,
            articles=briefs,
            sectors=strongest_sectors(labels.values()),
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
                dated = brief_query().where(published.is_not(None), *filters)
                if cursor is not None:
                    dated = dated.where(after(cursor.expect(datetime, int), published, article_id))
                newest = dated.order_by(*newest_first(published, article_id))
                rows = list(connection.execute(newest.limit(limit + 1)))
            if len(rows) <= limit:
                undated = brief_query().where(published.is_(None), *filters)
                if cursor is not None and cursor.key is None:
                    undated = undated.where(after(cursor, published, article_id, nulls_last=True))
                rows += connection.execute(
                    undated.order_by(article_id.desc()).limit(limit + 1 - len(rows))
                ).all()
            page, next_cursor = cut(
                rows, limit, lambda row: Cursor(aware_utc(row.published), row.id)
            )
            labels = labels_of(connection, [row.id for row in page])
        return BriefPage(
            items=tuple(brief_of(row, labels) for row in page), next_cursor=next_cursor
        )

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
            leads = story_leads_of(connection, ids)
            sectors = story_sectors(connection, ids)
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
                sectors=strongest_sectors(labels.get(row.id, []) for row in rows),
                articles=len(rows),
            )
        )
    return candidates
