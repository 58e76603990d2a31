"""GET /api/v1/articles (newest first, cursor pages) and /api/v1/articles/{id}."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Query, Request

from newsdesk.publish.web.pagination import clamp_limit
from newsdesk.publish.web.routes._api_models import (
    ArticleFull,
    ArticlePage,
    from_brief,
    from_detail,
)
from newsdesk.publish.web.routes._reading import (
    body_html,
    options_of,
    parse_time_key,
    reading_store,
    rights_of,
    time_cursor,
)

router = APIRouter(prefix="/api/v1", tags=["articles"])


@router.get("/articles", response_model=ArticlePage)
def list_articles(
    request: Request,
    cursor: str | None = Query(None, max_length=512, description="next_cursor of the last page"),
    limit: int = Query(20, ge=1, le=100),
    sector: str | None = Query(None, max_length=100, description="Only this sector's articles"),
    source: int | None = Query(None, ge=1, description="Only this source's articles"),
) -> ArticlePage:
    """Articles, newest first (by publication date; undated ones after the dated)."""
    options = options_of(request)
    if sector is not None and options.sector(sector) is None:
        raise HTTPException(status_code=400, detail="unknown sector; see /api/v1/sectors")
    page = reading_store(request).list_article_briefs(
        after=parse_time_key(cursor), limit=clamp_limit(limit), sector_id=sector, source_id=source
    )
    return ArticlePage(
        items=[from_brief(options, brief) for brief in page.items],
        next_cursor=time_cursor(page.next_key),
    )


@router.get("/articles/{article_id}", response_model=ArticleFull)
def get_article(request: Request, article_id: int) -> ArticleFull:
    """One article: metadata, the body its source's rights allow, entities, facts, related."""
    detail = reading_store(request).article_detail(article_id)
    if detail is None:
        raise HTTPException(status_code=404, detail="no such article")
    options = options_of(request)
    rights = rights_of(detail, options.default_rights)
    return from_detail(options, detail, rights, str(body_html(detail, rights)))
