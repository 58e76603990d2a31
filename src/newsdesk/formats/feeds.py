"""Feed writers: RSS 2.0, Atom 1.0 and JSON Feed 1.1 from plain items. Pure: no I/O, no clock.

XML goes through ElementTree's serializer, JSON through json.dumps; never string concatenation.
Every string is stripped of characters XML cannot carry and single-line fields (titles, authors,
categories) have their line breaks folded. RSS text is escaped once more because readers treat
it as HTML. ``content_html`` is written as given: a caller that passes on HTML it did not write
sanitizes it first (``publish.feeds`` does, with nh3).
"""

from __future__ import annotations

import html
import json
import mimetypes
import re
import xml.etree.ElementTree as ET  # only ever writes XML, never parses it
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit

FeedKind = Literal["rss", "atom", "json"]

FEED_TYPES: dict[str, str] = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "json": "application/feed+json",
}
FEED_MEDIA_TYPES: dict[str, str] = {kind: f"{t}; charset=utf-8" for kind, t in FEED_TYPES.items()}

# Characters XML 1.0 cannot carry at all (C0 controls but tab/LF/CR, DEL-C1 kept out too,
# lone surrogates and the two non-characters).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile(r"\s+")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class FeedMeta:
    title: str
    link: str  # the page the feed mirrors
    feed_url: str  # the feed's own URL
    description: str = ""
    language: str | None = None  # ISO 639-1 code of the items' language


@dataclass(frozen=True)
class FeedItem:
    id: str  # stable; an absolute URL or URN is best (Atom needs an IRI)
    title: str
    link: str
    summary: str = ""  # plain text
    content_html: str | None = None  # HTML, written as given: the caller sanitizes it
    published: datetime | None = None
    updated: datetime | None = None
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    image: str | None = None  # URL of the item's lead image (an RSS enclosure)


def clean_text(value: str) -> str:
    """Text XML can carry: control characters removed."""
    return _NOT_XML.sub("", value)


def clean_line(value: str) -> str:
    """One line of text: control characters removed, CR/LF and runs of spaces folded."""
    return _LINE_BREAKS.sub(" ", clean_text(value)).strip()


def utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def rfc3339(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class CleanItem:
    """A FeedItem after cleaning, with the times every format needs worked out."""

    id: str
    title: str
    link: str
    summary: str
    content_html: str | None
    published: datetime | None
    updated: datetime  # falls back to published, then the epoch (a pure writer has no clock)
    authors: tuple[str, ...]
    categories: tuple[str, ...]
    image: str | None


def clean_item(item: FeedItem) -> CleanItem:
    published = utc(item.published)
    return CleanItem(
        id=clean_line(item.id),
        title=clean_line(item.title),
        link=clean_line(item.link),
        summary=clean_text(item.summary).strip(),
        content_html=None if item.content_html is None else clean_text(item.content_html),
        published=published,
        updated=utc(item.updated) or published or EPOCH,
        authors=tuple(a for a in (clean_line(name) for name in item.authors) if a),
        categories=tuple(c for c in (clean_line(name) for name in item.categories) if c),
        image=clean_line(item.image) or None if item.image else None,
    )


def clean_meta(meta: FeedMeta) -> FeedMeta:
    return FeedMeta(
        title=clean_line(meta.title),
        link=clean_line(meta.link),
        feed_url=clean_line(meta.feed_url),
        description=clean_line(meta.description),
        language=clean_line(meta.language) or None if meta.language else None,
    )


ATOM_NS = "http://www.w3.org/2005/Atom"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
GENERATOR = "newsdesk"

ET.register_namespace("atom", ATOM_NS)
ET.register_namespace("content", CONTENT_NS)
ET.register_namespace("dc", DC_NS)


def write_feed(kind: FeedKind, meta: FeedMeta, items: Sequence[FeedItem]) -> bytes:
    """The feed as UTF-8 bytes; serve it with FEED_MEDIA_TYPES[kind]."""
    clean = clean_meta(meta)
    entries = [clean_item(item) for item in items]
    if kind == "rss":
        return _rss(clean, entries)
    if kind == "atom":
        return _atom(clean, entries)
    if kind == "json":
        return _json_feed(clean, entries)
    raise ValueError(f"unknown feed kind {kind!r}")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = text
    return element


def _xml_bytes(root: ET.Element) -> bytes:
    ET.indent(root, space="  ")
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body + b"\n"


def _media_type(url: str) -> str:
    return mimetypes.guess_type(urlsplit(url).path)[0] or "application/octet-stream"


def _newest(entries: Sequence[CleanItem]) -> Any:
    return max((entry.updated for entry in entries), default=EPOCH)


def _rss(meta: FeedMeta, entries: Sequence[CleanItem]) -> bytes:
    rss = ET.Element("rss", {"version": "2.0"})
    channel = _sub(rss, "channel")
    # RSS readers treat titles and descriptions as HTML: plain text is escaped once more.
    _sub(channel, "title", html.escape(meta.title, quote=False))
    _sub(channel, "link", meta.link)
    _sub(channel, "description", html.escape(meta.description or meta.title, quote=False))
    if meta.language:
        _sub(channel, "language", meta.language)
    _sub(channel, f"{{{ATOM_NS}}}link", href=meta.feed_url, rel="self", type="application/rss+xml")
    _sub(channel, "lastBuildDate", format_datetime(_newest(entries), usegmt=True))
    _sub(channel, "generator", GENERATOR)
    for entry in entries:
        item = _sub(channel, "item")
        _sub(item, "title", html.escape(entry.title, quote=False))
        _sub(item, "link", entry.link)
        _sub(item, "guid", entry.id, isPermaLink="false")
        if entry.summary:
            _sub(item, "description", html.escape(entry.summary, quote=False))
        if entry.content_html:
            _sub(item, f"{{{CONTENT_NS}}}encoded", entry.content_html)
        if entry.published is not None:
            _sub(item, "pubDate", format_datetime(entry.published, usegmt=True))
        for author in entry.authors:
            _sub(item, f"{{{DC_NS}}}creator", author)
        for category in entry.categories:
            _sub(item, "category", category)
        if entry.image:
            _sub(item, "enclosure", url=entry.image, type=_media_type(entry.image), length="0")
    return _xml_bytes(rss)


def _atom_id(value: str, base: str) -> str:
    """Atom ids must be IRIs: a bare id is made one relative to the feed's page."""
    if urlsplit(value).scheme:
        return value
    return urljoin(base or "urn:newsdesk:", value)


def _atom(meta: FeedMeta, entries: Sequence[CleanItem]) -> bytes:
    # Atom is the default namespace here, declared as a plain attribute on the root.
    feed = ET.Element("feed", {"xmlns": ATOM_NS})
    if meta.language:
        feed.set("{http://www.w3.org/XML/1998/namespace}lang", meta.language)
    _sub(feed, "id", meta.feed_url)
    _sub(feed, "title", meta.title, type="text")
    if meta.description:
        _sub(feed, "subtitle", meta.description, type="text")
    _sub(feed, "updated", rfc3339(_newest(entries)))
    _sub(feed, "link", rel="alternate", type="text/html", href=meta.link)
    _sub(feed, "link", rel="self", type="application/atom+xml", href=meta.feed_url)
    _sub(feed, "generator", GENERATOR)
    for entry in entries:
        element = _sub(feed, "entry")
        _sub(element, "id", _atom_id(entry.id, meta.link))
        _sub(element, "title", entry.title, type="text")
        _sub(element, "link", rel="alternate", type="text/html", href=entry.link)
        if entry.image:
            _sub(element, "link", rel="enclosure", type=_media_type(entry.image), href=entry.image)
        _sub(element, "updated", rfc3339(entry.updated))
        if entry.published is not None:
            _sub(element, "published", rfc3339(entry.published))
        for author in entry.authors:
            _sub(_sub(element, "author"), "name", author)
        for category in entry.categories:
            _sub(element, "category", term=category)
        if entry.summary:
            _sub(element, "summary", entry.summary, type="text")
        if entry.content_html:
            _sub(element, "content", entry.content_html, type="html")
    if not entries or not all(entry.authors for entry in entries):
        # Atom needs an author on the feed when an entry has none.
        feed_author = ET.Element("author")
        _sub(feed_author, "name", meta.title or GENERATOR)
        feed.insert(3, feed_author)
    return _xml_bytes(feed)


def _json_feed(meta: FeedMeta, entries: Sequence[CleanItem]) -> bytes:
    document: dict[str, Any] = {
        "version": JSON_FEED_VERSION,
        "title": meta.title,
        "home_page_url": meta.link,
        "feed_url": meta.feed_url,
    }
    if meta.description:
        document["description"] = meta.description
    if meta.language:
        document["language"] = meta.language
    items: list[dict[str, Any]] = []
    for entry in entries:
        item: dict[str, Any] = {"id": entry.id, "url": entry.link, "title": entry.title}
        if entry.summary:
            item["summary"] = entry.summary
        if entry.content_html:
            item["content_html"] = entry.content_html
        else:
            item["content_text"] = entry.summary or entry.title
        if entry.published is not None:
            item["date_published"] = rfc3339(entry.published)
        if entry.updated != EPOCH:
            item["date_modified"] = rfc3339(entry.updated)
        if entry.authors:
            item["authors"] = [{"name": author} for author in entry.authors]
        if entry.categories:
            item["tags"] = list(entry.categories)
        if entry.image:
            item["image"] = entry.image
        items.append(item)
    document["items"] = items
    text = json.dumps(document, ensure_ascii=False, indent=2)
    # Escaped so the document stays inert even if someone inlines it into an HTML page.
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return (text + "\n").encode("utf-8")
