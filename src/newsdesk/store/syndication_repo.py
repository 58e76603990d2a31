"""What leaves the site whole (the SyndicationRepository half of SqlStore): the article ids
and titles sitemaps list, and the bodies of the articles in a member's private feed (cut to
what the member may read by the feed route)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import func, select

from newsdesk.domain.reading import ArticleText, SitemapEntry
from newsdesk.store.access_sql import effective_visibility
from newsdesk.store.base import StoreBase
from newsdesk.store.engine import read_connection
from newsdesk.store.enrichment_write import batches
from newsdesk.store.schema import articles, sources
from newsdesk.store.site_sql import aware_utc, visibility_of

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class SyndicationRepository(StoreBase):
    def article_texts(self, article_ids: Sequence[int]) -> dict[int, ArticleText]:
        found: dict[int, ArticleText] = {}
        with read_connection(self.engine) as connection:
            for batch in batches(list(dict.fromkeys(article_ids))):
                rows = connection.execute(
                    select(
                        articles.c.id,
                        articles.c.url,
                        articles.c.text,
                        articles.c.html,
                        articles.c.preview_paragraphs,
                        sources.c.rights,
                        effective_visibility(sources.c.visibility).label("visibility"),
                    )
                    .select_from(articles.outerjoin(sources, sources.c.id == articles.c.source_id))
                    .where(articles.c.id.in_(list(batch)))
                )
                for row in rows:
                    found[row.id] = ArticleText(
                        id=row.id,
                        url=row.url,
                        text=row.text,
                        html=row.html,
                        rights=row.rights,
                        visibility=visibility_of(row.visibility),
                        preview_paragraphs=row.preview_paragraphs,
                    )
        return found

    def max_article_id(self) -> int:
        with read_connection(self.engine) as connection:
            return int(connection.execute(select(func.max(articles.c.id))).scalar() or 0)

    def sitemap_entries(self, first_id: int, last_id: int) -> list[SitemapEntry]:
        modified = func.coalesce(articles.c.revised_at, articles.c.created_at).label("modified")
        query = (
            select(articles.c.id, modified)
            .where(articles.c.id.between(first_id, last_id))
            .order_by(articles.c.id)
        )
        with read_connection(self.engine) as connection:
            rows = connection.execute(query).all()
        return [SitemapEntry(id=row.id, modified=aware_utc(row.modified) or _EPOCH) for row in rows]

    def news_sitemap_entries(self, since: datetime, *, limit: int) -> list[SitemapEntry]:
        query = (
            select(
                articles.c.id,
                articles.c.title,
                articles.c.published,
                articles.c.language,
                func.coalesce(articles.c.revised_at, articles.c.created_at).label("modified"),
            )
            .where(articles.c.published >= since)
            .order_by(articles.c.published.desc(), articles.c.id.desc())
            .limit(limit)
        )
        with read_connection(self.engine) as connection:
            rows = connection.execute(query).all()
        return [
            SitemapEntry(
                id=row.id,
                modified=aware_utc(row.modified) or _EPOCH,
                title=row.title,
                published=aware_utc(row.published),
                language=row.language,
            )
            for row in rows
        ]
