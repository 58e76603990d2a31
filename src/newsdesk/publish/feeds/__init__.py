"""Feed writers: RSS 2.0, Atom 1.0 and JSON Feed 1.1 from plain items. Pure: no I/O, no clock.

Every string is stripped of characters XML cannot carry, single-line fields (titles, authors,
categories) have their line breaks folded, and content_html is sanitized again with nh3 before
it is written, so nothing a source sent can run script in a feed reader.
"""

from newsdesk.publish.feeds.model import FEED_MEDIA_TYPES, FeedItem, FeedKind, FeedMeta
from newsdesk.publish.feeds.render import render_feed

__all__ = ["FEED_MEDIA_TYPES", "FeedItem", "FeedKind", "FeedMeta", "render_feed"]
