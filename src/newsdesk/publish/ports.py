"""What the reading pages, their API and the feeds need: storage (SqlStore implements it) and
who is asking (the members package implements ViewerResolver; bootstrap passes it in)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Protocol

from starlette.requests import Request

from newsdesk.domain.access import ANONYMOUS, ReadScope, Viewer
from newsdesk.domain.enrichment import Enrichment, EntityRecord
from newsdesk.domain.house import HousePiece, RenderedPiece
from newsdesk.domain.insights import (
    CoMention,
    EntityListing,
    FactFilters,
    FactRow,
    MentionedArticle,
    SearchFilters,
    SearchResults,
    SearchSort,
    WeeklySeries,
)
from newsdesk.domain.models import Article
from newsdesk.domain.paging import Cursor
from newsdesk.domain.reading import (
    ArticleBrief,
    ArticleDetail,
    ArticleText,
    BriefPage,
    SitemapEntry,
    SourceHealth,
    StoryCandidate,
    StoryDetail,
    StoryPage,
)
from newsdesk.domain.trends import DealFact, WindowCounts


class HouseDesk(Protocol):
    """The house analysis editor's back end (pipeline.house.HouseDesk; bootstrap passes it)."""

    def render(self, body: str, body_format: str = "markdown") -> RenderedPiece:
        """A draft as it would be stored: sanitized HTML, paragraphs, its break."""

    def save(self, piece: HousePiece) -> int:
        """Store or update (by slug) and enrich; the article id. HousePieceError: why not."""


class ContentVersionStore(Protocol):
    def content_version(self) -> int:
        """A number that changes whenever a committed change reaches what the reading pages
        show (cheap: read on every request of a cached page)."""


class ReadingStore(Protocol):
    def story_candidates(self, since: datetime) -> list[StoryCandidate]:
        """Stories with an article dated at or after `since`, counted within that window."""

    def newest_article_time(self) -> datetime | None:
        """The newest publication date of any article (stored time for undated ones ignored)."""

    def story_leads(self, story_ids: Sequence[int]) -> dict[int, ArticleBrief]:
        """The first report of each story, for its card."""

    def article_detail(self, article_id: int) -> ArticleDetail | None:
        """Everything the article page shows, read in one transaction."""

    def story_detail(self, story_id: int) -> StoryDetail | None: ...

    def source_health(self, now: datetime, *, window_days: int = 7) -> list[SourceHealth]: ...

    def list_article_briefs(
        self,
        *,
        cursor: Cursor | None = None,
        limit: int = 20,
        sector_id: str | None = None,
        source_id: int | None = None,
    ) -> BriefPage:
        """Newest first: dated articles by publication date, then undated ones; id breaks ties."""

    def list_story_listings(
        self, *, cursor: Cursor | None = None, limit: int = 20, sector_id: str | None = None
    ) -> StoryPage:
        """Most recently seen first (id breaks ties), optionally only stories in a sector."""

    def count_articles(self) -> int: ...

    def estimate_articles(self) -> int:
        """Exact for a small site; an estimate read in constant time for a large one."""

    def article_texts(self, article_ids: Sequence[int]) -> dict[int, ArticleText]:
        """Bodies of the given articles (those that exist), in one read."""

    def max_article_id(self) -> int: ...

    def sitemap_entries(self, first_id: int, last_id: int) -> list[SitemapEntry]:
        """Articles with first_id <= id <= last_id, by id (no titles)."""

    def news_sitemap_entries(self, since: datetime, *, limit: int) -> list[SitemapEntry]:
        """Articles published at or after since, newest first, with titles."""


class SearchStore(Protocol):
    def search(
        self,
        query: str,
        *,
        filters: SearchFilters | None = None,
        sort: SearchSort = "relevance",
        limit: int = 20,
        cursor: Cursor | None = None,
        scope: ReadScope = ...,
    ) -> SearchResults:
        """Articles matching every word of query; cursor is a previous result's next_cursor.
        Hits and snippets stay within what scope may read."""


class InsightsStore(Protocol):
    """Entities, facts and weekly counts for the analysis pages (store/insights_repo.py)."""

    def entity_listing(
        self,
        *,
        entity_type: str | None = None,
        limit: int = 50,
        offset: int = 0,
        scope: ReadScope = ...,
    ) -> list[EntityListing]: ...

    def entity_types(self) -> list[str]: ...

    def entities_of_type(
        self, entity_types: Sequence[str], *, limit: int = 500, scope: ReadScope = ...
    ) -> list[EntityRecord]: ...

    def get_entity(self, entity_id: str, *, scope: ReadScope = ...) -> EntityRecord | None:
        """None also when scope sees no mention of it."""

    def entity_names(self, entity_ids: Sequence[str]) -> dict[str, str]: ...

    def entity_timeline(
        self,
        entity_id: str,
        *,
        limit: int = 20,
        cursor: Cursor | None = None,
        scope: ReadScope = ...,
        since: datetime | None = None,
    ) -> tuple[list[MentionedArticle], Cursor | None]: ...

    def co_mentioned(
        self, entity_id: str, *, limit: int = 12, scope: ReadScope = ...
    ) -> list[CoMention]: ...

    def find_facts(
        self,
        filters: FactFilters,
        *,
        limit: int = 50,
        cursor: Cursor | None = None,
        scope: ReadScope = ...,
    ) -> tuple[list[FactRow], Cursor | None]:
        """limit <= 0: every matching fact (the CSV export)."""

    def newest_published(self) -> datetime | None: ...

    def sector_weekly_counts(
        self, sector_ids: Sequence[str], *, weeks: int, end: datetime
    ) -> list[WeeklySeries]: ...

    def entity_weekly_counts(
        self,
        *,
        weeks: int,
        end: datetime,
        entity_ids: Sequence[str] = (),
        top: int = 6,
        scope: ReadScope = ...,
    ) -> list[WeeklySeries]: ...


class SectorCorrectionStore(Protocol):
    """What the admin sector-correction page reads and writes."""

    def get_article(self, article_id: int) -> Article | None: ...

    def get_enrichment(self, article_id: int) -> Enrichment | None: ...

    def editor_corrections(
        self, article_ids: list[int] | None = None
    ) -> dict[int, tuple[str, ...]]: ...

    def set_editor_sectors(self, article_id: int, sector_ids: list[str]) -> None: ...

    def set_editor_no_sector(self, article_id: int) -> None: ...


class ViewerResolver(Protocol):
    """Who is asking: a request (session cookie, ``Authorization: Bearer``, a private feed
    token in the path) turned into a Viewer, read from the store on every request so that a
    revoked credential or a changed plan counts on the next one.

    A credential that is presented but not valid (a revoked API key or feed token) raises
    starlette's HTTPException (401 or 404) rather than passing as anonymous. Bootstrap injects
    the members package's resolver; without one every request is anonymous.
    """

    def __call__(self, request: Request) -> Viewer: ...


class ProOfferView(Protocol):
    """A template to include on the Pro page (from the offering package's templates) and
    the values it reads as ``values``."""

    @property
    def template(self) -> str: ...

    @property
    def values(self) -> Mapping[str, object]: ...


class ProOffer(Protocol):
    """What the Pro page offers the visitor of this request below what Pro includes: the
    members package's lead form, or sign-up through Stripe Checkout (bootstrap passes it;
    without one the page offers nothing but its text)."""

    def __call__(self, request: Request, /) -> ProOfferView: ...


def anonymous_viewer(request: Request) -> Viewer:  # noqa: ARG001 - the ViewerResolver signature
    """The resolver of a site without members: everyone is anonymous."""
    return ANONYMOUS


class TrendsStore(Protocol):
    """Counts behind the market trends (store/trends_repo.py)."""

    def window_counts(
        self,
        *,
        end: datetime,
        recent: timedelta,
        baseline: timedelta,
        scope: ReadScope = ...,
    ) -> WindowCounts: ...

    def articles_naming(
        self,
        entity_ids: Sequence[str],
        *,
        since: datetime,
        until: datetime,
        per_entity: int = 5,
        scope: ReadScope = ...,
    ) -> dict[str, list[tuple[int, str, datetime | None]]]: ...

    def weekly_totals(self, weeks: Sequence[date]) -> list[int]: ...

    def deal_facts(
        self, *, since: datetime, until: datetime, scope: ReadScope = ...
    ) -> list[DealFact]: ...
