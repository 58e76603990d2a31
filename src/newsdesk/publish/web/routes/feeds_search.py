"""Feeds out for a search: /feeds/search.{xml,atom,json}?q=…, newest matching articles first."""

from __future__ import annotations

import html
import re

from fastapi import APIRouter, Response

from newsdesk.publish.feeds import FeedItem, FeedMeta
from newsdesk.publish.web.context import Site
from newsdesk.publish.web.routes._analysis import (
    bad_request,
    feed_response,
    query_string,
    require_feed_extension,
)

router = APIRouter()
SEARCH_FEED_SIZE = 30
_MARK = re.compile(r"</?mark>")


def plain(marked_html: str) -> str:
    """Text of a highlighted snippet (escaped text plus <mark> tags only) for a feed summary."""
    return html.unescape(_MARK.sub("", marked_html))


@router.get("/feeds/search.{ext}", include_in_schema=False)
def search_feed(site: Site, ext: str, q: str = "") -> Response:
    require_feed_extension(ext)
    results = site.store.search(q, sort="date", limit=SEARCH_FEED_SIZE)
    if not results.terms:
        raise bad_request("a search feed needs words to search for: ?q=…")
    options = site.options
    base = options.base_url.rstrip("/")
    words = " ".join(results.terms)
    meta = FeedMeta(
        title=f"{options.site_name}: search for {words}",
        link=f"{base}/search?{query_string({'q': q, 'sort': 'date'})}",
        feed_url=f"{base}/feeds/search.{ext}?{query_string({'q': q})}",
        description=f"The newest articles matching every word of: {words}.",
    )
    items = [
        FeedItem(
            id=f"{base}/articles/{hit.article_id}",
            title=hit.title,
            link=f"{base}/articles/{hit.article_id}",
            summary=plain(hit.snippet_html),
            published=hit.published,
            authors=(hit.source_name,) if hit.source_name else (),
        )
        for hit in results.hits
    ]
    return feed_response(ext, meta, items)
