"""What the reading pages of the site read: story candidates, article cards and bundles."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from newsdesk.domain.access import Visibility
from newsdesk.domain.enrichment import EntityRecord, FactRecord, SectorLabel
from newsdesk.domain.models import Article, Source, Story
from newsdesk.domain.paging import Cursor

RIGHTS = ("full", "excerpt", "link")


@dataclass(frozen=True)
class StoryCandidate:
    """A story seen in a time window, with what ranking needs to know about it."""

    story_id: int
    title: str
    newest: datetime  # its newest article (published, or stored when undated; never future)
    sources: int  # distinct sources covering it in the window
    source_weight: float  # highest weight among those sources
    sectors: tuple[str, ...] = ()  # strongest first (summed label scores of its articles)
    articles: int = 1


@dataclass(frozen=True)
class ArticleBrief:
    """An article as lists and cards show it."""

    id: int
    title: str
    url: str
    source_id: int | None
    source_name: str | None
    published: datetime | None  # published, or stored when the source gave no date
    summary: str = ""
    image: str | None = None
    story_id: int | None = None
    sectors: tuple[str, ...] = ()
    # What gating needs (domain.preview.shown_summary): whose it is to read, and the summary
    # a preview may show instead of `summary`.
    visibility: Visibility = Visibility.PUBLIC
    summary_reach: int | None = None
    lead: str = ""
    preview_paragraphs: int | None = None


@dataclass(frozen=True)
class ArticleEntity:
    entity: EntityRecord
    mentions: int  # within the article
    paragraphs: tuple[int | None, ...] = ()  # of each mention (TITLE_PARAGRAPH: the title)


@dataclass(frozen=True)
class RelatedArticle:
    article: ArticleBrief
    score: float
    reason: str


@dataclass(frozen=True)
class ArticleDetail:
    article: Article
    source: Source | None
    summary: str
    sectors: tuple[SectorLabel, ...]
    entities: tuple[ArticleEntity, ...]
    facts: tuple[FactRecord, ...]  # with the sentence of this article
    related: tuple[RelatedArticle, ...]
    story: Story | None
    visibility: Visibility = Visibility.PUBLIC  # effective: the article's own, else its source's
    summary_reach: int | None = None
    lead: str = ""


@dataclass(frozen=True)
class StoryDetail:
    story: Story
    articles: tuple[ArticleBrief, ...]  # first report first (each with its visibility)
    sectors: tuple[str, ...]  # strongest first
    sources: int


@dataclass(frozen=True)
class StoryListing:
    """A story as the stories list and the API show it."""

    id: int
    title: str
    first_seen_at: datetime
    last_seen_at: datetime
    articles: int
    sources: int
    lead: ArticleBrief | None = None  # its first report
    sectors: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class ArticleText:
    """An article's body with what decides how much of it a reader gets (private feeds)."""

    id: int
    url: str
    text: str
    html: str
    rights: str | None  # its source's ("full", "excerpt", "link"); None: it has no source
    visibility: Visibility  # effective
    preview_paragraphs: int | None


@dataclass(frozen=True)
class SitemapEntry:
    """An article as a sitemap lists it: where it is, when it last changed, its title."""

    id: int
    modified: datetime
    title: str = ""
    published: datetime | None = None
    language: str | None = None


@dataclass(frozen=True)
class SourceHealth:
    source: Source
    articles: int  # stored, all time
    articles_recent: int  # published (or stored) within the window
    window_days: int
    last_article_at: datetime | None

    @property
    def articles_per_day(self) -> float:
        return self.articles_recent / self.window_days if self.window_days else 0.0


@dataclass(frozen=True)
class BriefPage:
    items: tuple[ArticleBrief, ...]
    next_cursor: Cursor | None  # where the next page starts; None on the last page


@dataclass(frozen=True)
class StoryPage:
    items: tuple[StoryListing, ...]
    next_cursor: Cursor | None
