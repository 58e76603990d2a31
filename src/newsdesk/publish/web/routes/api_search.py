"""GET /api/v1/search: the search page's results as JSON, with cursor pagination."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from newsdesk.publish.web.context import Site
from newsdesk.publish.web.openapi import errors
from newsdesk.publish.web.pagination import clamp_limit, cursor_text
from newsdesk.publish.web.params import CursorQuery, LimitQuery
from newsdesk.publish.web.reader import CurrentReader
from newsdesk.publish.web.routes._analysis import Search, search_cursor

router = APIRouter(prefix="/api/v1", tags=["search"])


@router.get("/search", responses=errors(400, 404, 422))
def api_search(
    site: Site,
    reader: CurrentReader,
    search: Search,
    *,
    limit: LimitQuery = None,
    cursor: CursorQuery = None,
) -> dict[str, Any]:
    """Articles matching every word of q. title_html and snippet_html are escaped HTML whose
    only markup is <mark> around the matched words."""
    results = site.store.search(
        search.text,
        filters=search.filters,
        sort=search.sort,
        limit=clamp_limit(limit),
        cursor=search_cursor(cursor, search.sort),
        scope=reader.scope,
    )
    base = site.options.base_url.rstrip("/")
    return {
        "query": search.text,
        "terms": list(results.terms),
        "sort": search.sort,
        "notice": results.notice,
        "items": [
            {
                "id": hit.article_id,
                "title": hit.title,
                "title_html": hit.title_html,
                "snippet_html": hit.snippet_html,
                "url": f"{base}/articles/{hit.article_id}",
                "source_url": hit.url,
                "source": {"id": hit.source_id, "name": hit.source_name},
                "published": hit.published.isoformat() if hit.published else None,
                "score": hit.score,
            }
            for hit in results.hits
        ],
        "next_cursor": cursor_text(results.next_cursor),
    }
