"""What kind of document a body is: feed, sitemap or HTML page."""

from __future__ import annotations

import json

from newsdesk.domain import SourceKind
from newsdesk.sources.jsonfeed import JSON_FEED_VERSION_PREFIX
from newsdesk.sources.xmlguard import decode_untrusted, root_element_name

_SNIFF_BYTES = 64 * 1024
_FEED_ROOTS = {"rss", "feed", "rdf", "channel"}
_SITEMAP_ROOTS = {"urlset", "sitemapindex"}
_FEED_TYPES = {
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+json",
}


def detect_kind(body: bytes, content_type: str) -> SourceKind | None:
    """Kind of document from its first bytes, with the Content-Type as a tie-breaker.

    The body wins over the header (servers label feeds text/html or text/plain); a gzip body
    is a sitemap file; None when it looks like none of the three.
    """
    media_type = content_type.split(";", 1)[0].strip().lower()
    if body.startswith(b"\x1f\x8b"):
        return SourceKind.SITEMAP
    head = decode_untrusted(body[:_SNIFF_BYTES]).lstrip("\ufeff \t\r\n")
    if head.startswith(("{", "[")):
        return SourceKind.FEED if _is_json_feed(body, head) else None
    root = root_element_name(head)
    if root in _FEED_ROOTS:
        return SourceKind.FEED
    if root in _SITEMAP_ROOTS:
        return SourceKind.SITEMAP
    if root == "html" or media_type in {"text/html", "application/xhtml+xml"}:
        return SourceKind.PAGE
    if media_type in _FEED_TYPES:
        return SourceKind.FEED  # let the feed parser decide and report what is wrong
    return None


def _is_json_feed(body: bytes, head: str) -> bool:
    if "jsonfeed.org" in head:  # also matches the escaped https:\/\/jsonfeed.org form
        return True
    if len(body) > _SNIFF_BYTES:
        return False
    try:
        document = json.loads(head)
    except (ValueError, RecursionError):
        return False
    return isinstance(document, dict) and str(document.get("version", "")).startswith(
        JSON_FEED_VERSION_PREFIX
    )
