"""The records that flow between stages. Plain dataclasses: no I/O, no behaviour beyond helpers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum

from newsdesk.domain.access import Visibility


def utcnow() -> datetime:
    """Timezone-aware now in UTC; every stored time is aware UTC."""
    return datetime.now(UTC)


def in_utc(moment: datetime) -> datetime | None:
    """The moment as aware UTC (a naive one is taken as UTC); None when its UTC time lies
    outside the calendar (9999-12-31T23:59:59-14:00), which no store can hold."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        return None


class SourceKind(StrEnum):
    FEED = "feed"  # RSS 0.9x/1.0/2.0, Atom, JSON Feed
    SITEMAP = "sitemap"  # news sitemap or sitemap index
    PAGE = "page"  # a single page, fetched and extracted as one article


class FetchOutcome(StrEnum):
    OK = "ok"
    NOT_MODIFIED = "not_modified"
    ERROR = "error"


@dataclass
class Source:
    """A place newsdesk reads from, with its schedule and health."""

    url: str
    name: str = ""
    kind: SourceKind = SourceKind.FEED
    id: int | None = None
    interval_seconds: int = 3600
    feed_only: bool = False  # store items from the feed's own content, never fetch pages
    weight: float = 1.0  # editorial weight used in ranking
    rights: str = "excerpt"  # what the site may show: "full" text, "excerpt" + link, "link" only
    # who may read its articles in full (each article may say otherwise; see Article)
    visibility: Visibility = Visibility.PUBLIC
    enabled: bool = True
    disabled_reason: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    next_fetch_at: datetime | None = None
    last_attempt_at: datetime | None = None
    last_success_at: datetime | None = None
    consecutive_failures: int = 0
    last_error: str | None = None
    created_at: datetime | None = None


@dataclass(frozen=True)
class FeedEntry:
    """One item a source points at: a feed item, a sitemap URL, or the page itself."""

    url: str
    guid: str | None = None
    title: str | None = None
    published: datetime | None = None
    updated: datetime | None = None
    authors: tuple[str, ...] = ()
    summary: str | None = None
    content_html: str | None = None  # full content carried by the feed item itself
    image: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class ParsedSource:
    """What a feed or sitemap document contained."""

    kind: SourceKind
    title: str | None = None
    link: str | None = None
    entries: tuple[FeedEntry, ...] = ()
    child_sitemaps: tuple[str, ...] = ()  # for sitemap indexes


@dataclass(frozen=True)
class FetchResponse:
    """A completed HTTP exchange (2xx or 304) with a body decoded within the caps."""

    url: str  # as requested
    final_url: str  # after redirects
    status: int
    headers: Mapping[str, str]
    body: bytes
    encoding: str | None = None
    elapsed_seconds: float = 0.0

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()

    def text(self) -> str:
        return self.body.decode(self.encoding or "utf-8", errors="replace")


@dataclass(frozen=True)
class FetchAttempt:
    """One row of the fetch log."""

    source_id: int | None
    url: str
    started_at: datetime
    outcome: FetchOutcome
    status: int | None = None
    bytes: int = 0
    duration_seconds: float = 0.0
    error: str | None = None


@dataclass(frozen=True)
class StoredEntry:
    """What ingest needs to know of a stored article to skip its feed entry: its keys and
    when the feed last said it was updated."""

    source_id: int | None
    guid: str | None
    canonical_url: str
    updated: datetime | None


@dataclass(frozen=True)
class ExtractedArticle:
    """Main text and metadata extracted from one page."""

    text: str
    html: str = ""  # sanitized body HTML, safe to render
    title: str | None = None
    authors: tuple[str, ...] = ()
    published: datetime | None = None
    language: str | None = None
    site_name: str | None = None
    image: str | None = None
    canonical_url: str | None = None
    extractor: str = ""  # which extractor's result was kept, for explanations


@dataclass
class Article:
    """A stored article."""

    source_id: int | None
    url: str
    canonical_url: str
    title: str
    text: str
    id: int | None = None
    guid: str | None = None
    html: str = ""
    authors: tuple[str, ...] = ()
    published: datetime | None = None
    updated: datetime | None = None
    language: str | None = None
    site_name: str | None = None
    image: str | None = None
    content_hash: str = ""
    fingerprint: bytes = b""
    story_id: int | None = None
    fetched_at: datetime | None = None
    revised_at: datetime | None = None
    created_at: datetime | None = None
    extra: dict[str, object] = field(default_factory=dict)
    # Who may read it in full; None: as its source says (effective_visibility in access).
    visibility: Visibility | None = None
    # The preview break as a count of leading paragraphs (an explicit marker in a house
    # piece); None: the site's default (AccessPolicy.preview_paragraphs).
    preview_paragraphs: int | None = None


@dataclass
class Story:
    """A piece of news and every article that re-reports it."""

    title: str
    id: int | None = None
    first_seen_at: datetime | None = None
    last_seen_at: datetime | None = None
    article_count: int = 0
    summary: str = ""  # extractive, over all its reports (enrichment)
