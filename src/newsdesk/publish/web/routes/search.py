"""GET /search: full-text search with filters, highlighted snippets, relevance or date order."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from newsdesk.domain import Source, SourceKind
from newsdesk.publish.web.context import Site
from newsdesk.publish.web.reader import CurrentReader
from newsdesk.publish.web.routes._analysis import Search, query_string, search_cursor
from newsdesk.publish.web.templating import render

router = APIRouter()
PAGE_SIZE = 20
KIND_WORDS = {SourceKind.FEED: "feed", SourceKind.SITEMAP: "news sitemap", SourceKind.PAGE: "page"}


def source_options(sources: Sequence[Source]) -> list[tuple[int | None, str]]:
    """The source filter's choices, each by the name readers know. A publication fetched two
    ways (its feed and its news sitemap) would read as two equal choices, so a shared name is
    told apart by how each is fetched, and by its address when even that is shared."""
    names = [source.name or source.url for source in sources]
    name_counts = Counter(names)
    labels = [
        f"{name} ({KIND_WORDS[source.kind]})" if name_counts[name] > 1 else name
        for name, source in zip(names, sources, strict=True)
    ]
    counts = Counter(labels)
    return [
        (source.id, f"{label} ({source.url})" if counts[label] > 1 else label)
        for label, source in zip(labels, sources, strict=True)
    ]


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
            "sources": source_options(store.list_sources()),
            "entity": entity_record,
            "next_href": next_href,
            "alternate_feeds": alternate_feeds,
        },
    )
