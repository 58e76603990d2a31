"""The feed contract shared by every feed the site publishes, and the cleaning of its values."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from newsdesk.extract.sanitize import sanitize_html

FeedKind = Literal["rss", "atom", "json"]

FEED_MEDIA_TYPES: dict[str, str] = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}

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


@dataclass(frozen=True)
class FeedItem:
    id: str  # stable; an absolute URL or URN is best (Atom needs an IRI)
    title: str
    link: str
    summary: str = ""  # plain text
    content_html: str | None = None  # HTML; sanitized again before it is written
    published: datetime | None = None
    updated: datetime | None = None
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()


def clean_text(value: str) -> str:
    """Text XML can carry: control characters removed."""
    return _NOT_XML.sub("", value)


def clean_line(value: str) -> str:
    """One line of text: control characters removed, CR/LF and runs of spaces folded."""
    return _LINE_BREAKS.sub(" ", clean_text(value)).strip()


def clean_html(value: str | None, base_url: str) -> str | None:
    if value is None:
        return None
    return clean_text(sanitize_html(clean_text(value), base_url=base_url or None))


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


def clean_item(item: FeedItem) -> CleanItem:
    published = utc(item.published)
    return CleanItem(
        id=clean_line(item.id),
        title=clean_line(item.title),
        link=clean_line(item.link),
        summary=clean_text(item.summary).strip(),
        content_html=clean_html(item.content_html, clean_line(item.link)),
        published=published,
        updated=utc(item.updated) or published or EPOCH,
        authors=tuple(a for a in (clean_line(name) for name in item.authors) if a),
        categories=tuple(c for c in (clean_line(name) for name in item.categories) if c),
    )


def clean_meta(meta: FeedMeta) -> FeedMeta:
    return FeedMeta(
        title=clean_line(meta.title),
        link=clean_line(meta.link),
        feed_url=clean_line(meta.feed_url),
        description=clean_line(meta.description),
    )
