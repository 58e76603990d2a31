"""A drafted report: sections of claims and table rows, each citing the articles it rests on.

Text is kept in typed spans (plain text, a figure read from a stored fact, a count newsdesk
made, an entity name, a date), never as markup: the renderers escape every span, and the tests
can tell a count from a reported figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal
from urllib.parse import urlsplit

SpanKind = Literal["text", "figure", "count", "entity", "date"]


@dataclass(frozen=True)
class Span:
    text: str
    kind: SpanKind = "text"
    value: str = ""  # count: the number; entity: its id; date: ISO


def text(value: str) -> Span:
    return Span(value)


def count(value: int, noun: str = "") -> tuple[Span, ...]:
    """A count newsdesk computed ("3 articles"): the number marked as a count."""
    spans = [Span(str(value), "count", str(value))]
    if noun:
        spans.append(Span(f" {noun}" if value == 1 else f" {noun}s"))
    return tuple(spans)


@dataclass(frozen=True)
class Claim:
    """One sentence of the report and the references (numbers) of the articles it rests on."""

    spans: tuple[Span, ...]
    citations: tuple[int, ...]

    @property
    def plain(self) -> str:
        return "".join(span.text for span in self.spans)


@dataclass(frozen=True)
class Row:
    cells: tuple[tuple[Span, ...], ...]
    citations: tuple[int, ...]


@dataclass(frozen=True)
class Table:
    caption: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    numeric: frozenset[int] = frozenset()  # column indexes aligned right


@dataclass(frozen=True)
class Chart:
    """Counts for a chart and its data table: one series of values over labels, or several."""

    key: str
    title: str
    description: str
    kind: Literal["bar", "line"]
    labels: tuple[str, ...]
    series: tuple[tuple[str, tuple[int, ...]], ...]  # (label, values)
    unit: str = "articles"


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    claims: tuple[Claim, ...] = ()
    tables: tuple[Table, ...] = ()
    charts: tuple[Chart, ...] = ()
    notice: str = ""  # what the section found nothing of (no figures, nothing to cite)


@dataclass(frozen=True)
class Reference:
    number: int
    article_id: int
    title: str
    source_name: str | None
    published: datetime | None
    url: str

    @property
    def original(self) -> str | None:
        """The original's address when a reader can follow it: a house piece's house:<slug>
        (and any other scheme) has none, so a report links only to its page here."""
        return self.url if urlsplit(self.url).scheme.lower() in ("http", "https") else None


@dataclass(frozen=True)
class Report:
    kind: str  # "sector" or "entity"
    key: str
    title: str
    label: str
    period: str  # e.g. "Week 2026-W49 (30 Nov – 6 Dec 2026)"
    first_day: date
    last_day: date
    articles: int
    previous_articles: int
    sections: tuple[Section, ...] = ()
    references: tuple[Reference, ...] = ()
    week: str | None = None
    outline: tuple[str, ...] = field(default=())  # section titles, for previews

    @property
    def empty(self) -> bool:
        return self.articles == 0
