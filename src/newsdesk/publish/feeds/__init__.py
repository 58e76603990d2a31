"""The site's feeds: RSS 2.0, Atom 1.0 and JSON Feed 1.1 written by ``newsdesk.formats.feeds``.

What the site adds is its policy: every item's content_html is sanitized again with nh3 (its
links made absolute against the item's link) before it is written, so nothing a source sent can
run script in a feed reader. Titles, authors and categories are folded to one line and control
characters stripped by the writer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from newsdesk.extract.sanitize import sanitize_html
from newsdesk.formats.feeds import (
    FEED_MEDIA_TYPES,
    FeedItem,
    FeedKind,
    FeedMeta,
    clean_line,
    clean_text,
    write_feed,
)


def render_feed(kind: FeedKind, meta: FeedMeta, items: Sequence[FeedItem]) -> bytes:
    """The feed as UTF-8 bytes, item HTML sanitized; serve it with FEED_MEDIA_TYPES[kind]."""
    return write_feed(kind, meta, [_sanitized(item) for item in items])


def _sanitized(item: FeedItem) -> FeedItem:
    if item.content_html is None:
        return item
    base_url = clean_line(item.link) or None
    return replace(
        item, content_html=sanitize_html(clean_text(item.content_html), base_url=base_url)
    )


__all__ = ["FEED_MEDIA_TYPES", "FeedItem", "FeedKind", "FeedMeta", "render_feed"]
