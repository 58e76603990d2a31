"""Feeds out for a search: /feeds/search.{xml,atom,json}?q=…, newest matching articles first,
and the private twin under /feeds/private/{token}/search (see feeds.py)."""

from __future__ import annotations

import html
import re

from fastapi import APIRouter, Response

from newsdesk.publish.feeds import FeedItem, FeedMeta
from newsdesk.publish.web.context import Site
from newsdesk.publish.web.reader import AnonymousReader, CurrentReader, Reader
from newsdesk.publish.web.routes._analysis import (
    bad_request,
    feed_response,
    query_string,
    require_feed_extension,
)
from newsdesk.publish.web.routes.feeds import PRIVATE, private_reader

router = APIRouter()
SEARCH_FEED_SIZE = 30
_MARK = re.compile(r"</?mark>")


def plain(marked_html: str) -> str:
    """Text of a highlighted snippet (escaped text plus <mark> tags only) for a feed summary."""
    return html.unescape(_MARK.sub("", marked_html))


def _search_feed(site: Site, reader: Reader, ext: str, q: str, base: str) -> Response:
    require_feed_extension(ext)
    results = site.store.search(q, sort="date", limit=SEARCH_FEED_SIZE, scope=reader.scope)
    if not results.terms:
        raise bad_request("a search feed needs words to search for: ?q=…")
    options = site.options
    url = options.base_url.rstrip("/")
    words = " ".join(results.terms)
    meta = FeedMeta(
        title=f"{options.site_name}: search for {words}",
        link=f"{url}/search?{query_string({'q': q, 'sort': 'date'})}",
        feed_url=f"{url}{base}/search.{ext}?{query_string({'q': q})}",
        description=f"The newest articles matching every word of: {words}.",
    )
    items = [
        FeedItem(
            id=f"{url}/articles/{hit.article_id}",
            title=hit.title,
            link=f"{url}/articles/{hit.article_id}",
            summary=plain(hit.snippet_html),
            published=hit.published,
            authors=(hit.source_name,) if hit.source_name else (),
        )
        for hit in results.hits
    ]
    return feed_response(ext, meta, items, private=base != "/feeds")


@router.get("/feeds/search.{ext}", include_in_schema=False)
def search_feed(site: Site, reader: AnonymousReader, ext: str, q: str = "") -> Response:
    return _search_feed(site, reader, ext, q, "/feeds")


@router.get(PRIVATE + "/search.{ext}", include_in_schema=False)
def private_search_feed(
    site: Site, reader: CurrentReader, feed_token: str, ext: str, q: str = ""
) -> Response:
    return _search_feed(site, private_reader(reader), ext, q, f"/feeds/private/{feed_token}")
