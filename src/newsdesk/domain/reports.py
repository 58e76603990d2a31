"""What a report is drafted from: the store's rows for one scope (a sector's ISO week, or an
entity over a period), each carrying the ids of the articles it rests on.

The store fills :class:`ReportData` in one read; ``newsdesk.reports`` drafts the report from it
without any free text of its own: every sentence and table row is built from these rows and
cites their articles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from newsdesk.domain.access import Visibility
from newsdesk.domain.enrichment import EntityRecord

_ISO_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
# A report's volume chart: articles per week for the weeks ending with the scope's last week.
VOLUME_WEEKS = 12


class ReportKind(StrEnum):
    SECTOR = "sector"  # a weekly sector briefing
    ENTITY = "entity"  # an entity dossier over any period


@dataclass(frozen=True)
class ReportScope:
    """What a report covers: [start, end) in UTC, compared with [previous_start, start)."""

    kind: ReportKind
    key: str  # sector id or entity id
    start: datetime
    end: datetime
    week: str | None = None  # "2026-W49" for a sector briefing

    @property
    def previous_start(self) -> datetime:
        return self.start - (self.end - self.start)

    @property
    def last_day(self) -> date:
        return (self.end - timedelta(microseconds=1)).date()


def parse_iso_week(text: str) -> tuple[datetime, datetime]:
    """ "2026-W49" → [Monday 00:00 UTC, next Monday 00:00 UTC); ValueError when it is none."""
    match = _ISO_WEEK.match(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not an ISO week such as 2026-W49")
    year, week = int(match.group(1)), int(match.group(2))
    try:
        monday = date.fromisocalendar(year, week, 1)
        start = datetime.combine(monday, time.min, tzinfo=UTC)
        end = start + timedelta(weeks=1)
        _readable(start, end)
    except (ValueError, OverflowError) as error:
        raise ValueError(f"{text!r} is not a week newsdesk can report on") from error
    return start, end


def _readable(start: datetime, end: datetime) -> None:
    """OverflowError unless every day a report of [start, end) reads lies in the calendar: the
    previous period of equal length and the VOLUME_WEEKS weeks of its volume chart."""
    start - (end - start)
    start - timedelta(weeks=VOLUME_WEEKS)


def iso_week_of(moment: datetime | date) -> str:
    day = moment.astimezone(UTC).date() if isinstance(moment, datetime) else moment
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def sector_scope(sector_id: str, week: str) -> ReportScope:
    start, end = parse_iso_week(week)
    return ReportScope(ReportKind.SECTOR, sector_id, start, end, week=iso_week_of(start))


MAX_PERIOD_DAYS = 366


def entity_scope(entity_id: str, first: date, last: date) -> ReportScope:
    """An entity dossier from first to last (both days included)."""
    if last < first:
        raise ValueError("the period ends before it starts")
    if (last - first).days >= MAX_PERIOD_DAYS:
        raise ValueError(f"a dossier covers at most {MAX_PERIOD_DAYS} days")
    try:
        start = datetime.combine(first, time.min, tzinfo=UTC)
        end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=UTC)
        _readable(start, end)
    except OverflowError as error:
        raise ValueError("the period lies outside the calendar newsdesk reports on") from error
    return ReportScope(ReportKind.ENTITY, entity_id, start, end)


@dataclass(frozen=True)
class ReportArticle:
    id: int
    title: str
    url: str
    source_name: str | None
    published: datetime | None  # when it was news (published, else stored)
    story_id: int | None = None
    visibility: Visibility = Visibility.PUBLIC  # of the piece or of its source


@dataclass(frozen=True)
class ReportStory:
    story_id: int
    title: str
    summary: str
    article_ids: tuple[int, ...]  # its articles within the scope, first report first
    sources: int  # distinct sources among them
    # Of every article of the story (the summary is drawn from all of them, in the scope or
    # not): a reader who does not read each of these in full does not get the summary.
    visibilities: frozenset[Visibility] = frozenset({Visibility.PUBLIC})


@dataclass(frozen=True)
class ReportFact:
    """A fact stated by articles of the scope, with each of those articles' sentence."""

    key: str
    type: str  # agreement, investment, quantity, policy
    data: dict[str, object]
    statements: tuple[tuple[int, str], ...]  # (article id, sentence), first report first

    @property
    def article_ids(self) -> tuple[int, ...]:
        return tuple(article_id for article_id, _ in self.statements)


@dataclass(frozen=True)
class EntityActivity:
    """An entity named in the scope's articles, against the previous period of equal length."""

    entity: EntityRecord
    article_ids: tuple[int, ...]  # articles of the scope naming it, newest first
    previous: int  # articles of the previous period (same scope) naming it


@dataclass(frozen=True)
class VolumePoint:
    week: date  # Monday
    articles: int


@dataclass(frozen=True)
class ReportData:
    scope: ReportScope
    label: str  # the sector's or entity's name
    articles: dict[int, ReportArticle] = field(default_factory=dict)
    previous_articles: int = 0  # articles of the scope in the previous period
    stories: tuple[ReportStory, ...] = ()
    facts: tuple[ReportFact, ...] = ()
    entities: tuple[EntityActivity, ...] = ()  # most named first
    entity_names: dict[str, str] = field(default_factory=dict)  # ids found in facts → names
    volume: tuple[VolumePoint, ...] = ()  # weekly articles of the scope, oldest first
