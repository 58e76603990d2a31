"""GET /api/v1/articles (newest first, cursor pages) and /api/v1/articles/{id}."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Query

from newsdesk.domain.paging import MAX_ROW_ID
from newsdesk.publish.gating import gated_article, gated_briefs
from newsdesk.publish.web.context import Site
from newsdesk.publish.web.openapi import errors, sector_schema
from newsdesk.publish.web.pagination import clamp_limit, cursor_text, read_cursor
from newsdesk.publish.web.params import ArticleId, CursorQuery
from newsdesk.publish.web.reader import CurrentReader
from newsdesk.publish.web.routes._api_models import (
    ArticleFull,
    ArticlePage,
    from_brief,
    from_detail,
)
from newsdesk.publish.web.routes._reading import rights_of
from newsdesk.publish.web.routes.articles import article_body

router = APIRouter(prefix="/api/v1", tags=["articles"])


@router.get("/articles", response_model=ArticlePage, responses=errors(400, 404, 422))
def list_articles(
    site: Site,
    reader: CurrentReader,
    *,
    cursor: CursorQuery = None,
    limit: int = Query(20, ge=1, le=100),
    sector: str | None = Query(
        None, description="Only this sector's articles", json_schema_extra=sector_schema()
    ),
    source: int | None = Query(
        None, ge=1, le=MAX_ROW_ID, description="Only this source's articles"
    ),
) -> ArticlePage:
    """Articles, newest first (by publication date; undated ones after the dated)."""
    options = site.options
    if sector is not None and options.sector(sector) is None:
        raise HTTPException(status_code=400, detail="unknown sector; see /api/v1/sectors")
    page = site.store.list_article_briefs(
        cursor=read_cursor(cursor), limit=clamp_limit(limit), sector_id=sector, source_id=source
    )
    return ArticlePage(
        items=[from_brief(options, brief) for brief in gated_briefs(page.items, reader)],
        next_cursor=cursor_text(page.next_cursor),
    )


@router.get("/articles/{article_id}", response_model=ArticleFull, responses=errors(404, 422))
def get_article(site: Site, reader: CurrentReader, article_id: ArticleId) -> ArticleFull:
    """One article: metadata, the body its source's rights and your access allow, entities,
    facts, related. access "preview": body_html, summary, entities and facts hold only what
    comes before the preview break (see the Pro page)."""
    found = site.store.article_detail(article_id)
    if found is None:
        raise HTTPException(status_code=404, detail="no such article")
    options = site.options
    gated = gated_article(found, reader)
    rights = rights_of(gated.detail, options.default_rights)
    return from_detail(options, gated, rights, str(article_body(gated, rights)))
