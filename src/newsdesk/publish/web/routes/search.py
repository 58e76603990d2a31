"""GET /search: full-text search with filters, highlighted snippets, relevance or date order."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from newsdesk.publish.web.context import Site
from newsdesk.publish.web.reader import CurrentReader
from newsdesk.publish.web.routes._analysis import Search, query_string, search_cursor
from newsdesk.publish.web.templating import render

router = APIRouter()
PAGE_SIZE = 20


@router.get("/search", response_class=HTMLResponse, include_in_schema=False)
def search_page(
    request: Request,
    site: Site,
    reader: CurrentReader,
    search: Search,
    cursor: str | None = None,
) -> HTMLResponse:
    store = site.store
    q, filters, params = search.text, search.filters, search.params
    position = search_cursor(cursor, search.sort)
    results = store.search(
        q,
        filters=filters,
        sort=search.sort,
        limit=PAGE_SIZE,
        cursor=position,
        scope=reader.scope,
    )
    next_href = None
    if results.next_cursor is not None:
        next_href = "/search?" + query_string({**params, "cursor": results.next_cursor.encode()})
    entity_record = (
        store.get_entity(filters.entity_id, scope=reader.scope) if filters.entity_id else None
    )
    feed_query = query_string({"q": q})
    alternate_feeds = (
        [
            {
                "type": "application/rss+xml",
                "title": f"Search: {q} (RSS)",
                "href": f"/feeds/search.xml?{feed_query}",
            },
            {
                "type": "application/atom+xml",
                "title": f"Search: {q} (Atom)",
                "href": f"/feeds/search.atom?{feed_query}",
            },
            {
                "type": "application/feed+json",
                "title": f"Search: {q} (JSON Feed)",
                "href": f"/feeds/search.json?{feed_query}",
            },
        ]
        if results.terms
        else []
    )
    return render(
        request,
        "search.html",
        {
            "query": q,
            "results": results,
            "filters": filters,
            "sort": search.sort,
            "source_id": filters.source_id,
            "start": params["from"] or "",
            "end": params["to"] or "",
            "sources": store.list_sources(),
            "entity": entity_record,
            "next_href": next_href,
            "alternate_feeds": alternate_feeds,
        },
    )
