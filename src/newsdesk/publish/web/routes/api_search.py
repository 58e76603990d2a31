"""GET /api/v1/search: the search page's results as JSON, with cursor pagination."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from newsdesk.publish.web.context import Site
from newsdesk.publish.web.pagination import clamp_limit, cursor_text
from newsdesk.publish.web.routes._analysis import parse_sort, search_cursor, search_filters

router = APIRouter(prefix="/api/v1", tags=["search"])


@router.get("/search")
def api_search(
    site: Site,
    *,
    q: str = "",
    sector: Annotated[list[str] | None, Query()] = None,
    entity: str | None = None,
    source: str | None = None,
    start: Annotated[str | None, Query(alias="from")] = None,
    end: Annotated[str | None, Query(alias="to")] = None,
    sort: str | None = None,
    limit: int | None = None,
    cursor: str | None = None,
) -> dict[str, Any]:
    """Articles matching every word of q. title_html and snippet_html are escaped HTML whose
    only markup is <mark> around the matched words."""
    options = site.options
    chosen_sort = parse_sort(sort)
    filters = search_filters(
        options, sectors=sector or [], entity=entity, source=source, start=start, end=end
    )
    results = site.store.search(
        q,
        filters=filters,
        sort=chosen_sort,
        limit=clamp_limit(limit),
        cursor=search_cursor(cursor, chosen_sort),
    )
    base = options.base_url.rstrip("/")
    return {
        "query": q,
        "terms": list(results.terms),
        "sort": chosen_sort,
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
