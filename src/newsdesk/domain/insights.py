"""What the analysis pages read: search hits, entity timelines, facts, weekly trend counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from newsdesk.domain.enrichment import EntityRecord
from newsdesk.domain.paging import Cursor

SearchSort = Literal["relevance", "date"]
SEARCH_SORTS: tuple[SearchSort, ...] = ("relevance", "date")


@dataclass(frozen=True)
class SearchFilters:
    sectors: tuple[str, ...] = ()
    entity_id: str | None = None
    source_id: int | None = None
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive


@dataclass(frozen=True)
class SearchHit:
    article_id: int
    title: str
    url: str
    source_id: int | None
    source_name: str | None
    published: datetime | None
    score: float  # higher is better, comparable only within one search
    title_html: str  # escaped title with <mark> around the matched words
    snippet_html: str  # escaped excerpt of the text with <mark> around the matched words


@dataclass(frozen=True)
class SearchResults:
    query: str
    terms: tuple[str, ...]  # the words actually searched for
    hits: tuple[SearchHit, ...] = ()
    next_cursor: Cursor | None = None  # where the next page starts; None on the last
    notice: str | None = None  # why the query was changed or not run, for the reader


@dataclass(frozen=True)
class EntityListing:
    entity: EntityRecord
    mentions: int  # across all articles


@dataclass(frozen=True)
class MentionedArticle:
    """One article on an entity's timeline."""

    article_id: int
    title: str
    published: datetime | None
    source_name: str | None
    mentions: int


@dataclass(frozen=True)
class CoMention:
    entity: EntityRecord
    articles: int  # articles naming both


@dataclass(frozen=True)
class FactFilters:
    fact_type: str | None = None
    commodity: str | None = None
    country: str | None = None
    party: str | None = None  # an entity id
    since: datetime | None = None  # first report, inclusive
    until: datetime | None = None  # first report, exclusive


@dataclass(frozen=True)
class FactRow:
    key: str
    type: str
    data: dict[str, object]
    sentence: str  # as the first report states it
    article_id: int  # the first report
    article_title: str
    reported: datetime | None  # the first report's date
    sources: int  # how many articles state it


@dataclass(frozen=True)
class WeeklySeries:
    """Counts per week (weeks start on Monday), one count for every week of the window."""

    key: str  # sector id or entity id
    label: str
    weeks: tuple[date, ...]
    counts: tuple[int, ...]
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts)
