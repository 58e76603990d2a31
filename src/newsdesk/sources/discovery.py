"""Feed autodiscovery from an HTML page, and one entry point for any body a source serves."""

from __future__ import annotations

from urllib.parse import urljoin

from newsdesk.domain import FeedEntry, ParsedSource, SourceKind, SourceParseError
from newsdesk.sources.detect import detect_kind
from newsdesk.sources.feeds import parse_feed
from newsdesk.sources.html_head import HtmlHead, decode_html, read_head
from newsdesk.sources.normalize import absolute_http_url, parse_iso_datetime, plain_text
from newsdesk.sources.options import ParseOptions
from newsdesk.sources.sitemaps import parse_sitemap
from newsdesk.sources.xmlguard import check_size

FEED_LINK_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/feed+json", "application/json"}
)


def discover_feeds(html: bytes | str, *, base_url: str) -> list[str]:
    """Absolute URLs of the feeds a page advertises with ``<link rel="alternate" type=...>``
    (RSS, Atom, JSON Feed), de-duplicated, in document order; ``<base href>`` is honoured.
    """
    head = read_head(decode_html(html) if isinstance(html, bytes) else html)
    base = _page_base(head, base_url)
    feeds: list[str] = []
    for link in head.links:
        rels = link.get("rel", "").lower().split()
        kind = link.get("type", "").split(";", 1)[0].strip().lower()
        if "alternate" not in rels or kind not in FEED_LINK_TYPES:
            continue
        url = absolute_http_url(link.get("href"), base)
        if url and url not in feeds:
            feeds.append(url)
    return feeds


def parse_source(
    body: bytes, *, url: str, content_type: str, options: ParseOptions
) -> ParsedSource:
    """Whatever a source served, parsed by kind: a feed, a sitemap, or a single HTML page
    (kind PAGE, one FeedEntry for the page itself, at its canonical URL when it declares one).
    """
    kind = detect_kind(body, content_type)
    if kind is SourceKind.FEED:
        return parse_feed(body, base_url=url, options=options)
    if kind is SourceKind.SITEMAP:
        return parse_sitemap(body, base_url=url, options=options)
    if kind is SourceKind.PAGE:
        return parse_page(body, url=url, options=options)
    raise SourceParseError(f"unrecognised content (content type {content_type or 'missing'!r})")


def parse_page(body: bytes, *, url: str, options: ParseOptions) -> ParsedSource:
    check_size(body, options.max_document_bytes, "page")
    head = read_head(decode_html(body))
    base = _page_base(head, url)
    canonical = next(
        (
            absolute_http_url(link.get("href"), base)
            for link in head.links
            if "canonical" in link.get("rel", "").lower().split() and link.get("href")
        ),
        None,
    )
    title = plain_text(head.metas.get("og:title")) or plain_text(head.title)
    entry = FeedEntry(
        url=canonical or url,
        title=title,
        published=parse_iso_datetime(head.metas.get("article:published_time")),
        summary=plain_text(head.metas.get("description") or head.metas.get("og:description")),
        image=absolute_http_url(head.metas.get("og:image"), base),
    )
    return ParsedSource(kind=SourceKind.PAGE, title=title, link=url, entries=(entry,))


def _page_base(head: HtmlHead, page_url: str) -> str:
    return urljoin(page_url, head.base_href) if head.base_href else page_url
