"""Shared by the analysis routes: allow-listed parameters, fact wording, feed responses.

Not a route module (the leading underscore keeps create_app from including it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import Depends, HTTPException, Query, Response

from newsdesk.domain.insights import SEARCH_SORTS, FactFilters, FactRow, SearchFilters, SearchSort
from newsdesk.domain.paging import MAX_ROW_ID, Cursor
from newsdesk.publish.feeds import FEED_MEDIA_TYPES, FeedItem, FeedKind, FeedMeta, render_feed
from newsdesk.publish.web.context import Site
from newsdesk.publish.web.options import SiteOptions
from newsdesk.publish.web.pagination import read_cursor
from newsdesk.publish.web.params import (
    EntityQuery,
    FromQuery,
    SectorsQuery,
    SortQuery,
    SourceQuery,
    ToQuery,
)
from newsdesk.store.insights_repo import week_starts

FACT_TYPES = ("agreement", "investment", "quantity", "policy")
MAX_ID_CHARS = 200
TREND_WEEKS = (4, 8, 12, 26, 52)
_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
DEFAULT_TREND_WEEKS = 12
# How many weeks a trend covers (parse_weeks refuses others with a 400).
WeeksQuery = Annotated[
    int | None,
    Query(description="Weeks to cover", json_schema_extra={"enum": list(TREND_WEEKS)}),
]
# Fields of a fact's data that hold entity ids (see newsdesk.enrich.facts.model).
_ENTITY_FIELDS = (
    "parties",
    "investor",
    "target",
    "by",
    "on",
    "commodity",
    "commodities",
    "what",
    "countries",
    "places",
)


def bad_request(detail: str) -> HTTPException:
    return HTTPException(status_code=400, detail=detail)


def parse_sort(value: str | None) -> SearchSort:
    if value is None or value == "":
        return "relevance"
    if value not in SEARCH_SORTS:
        raise bad_request(f"sort must be one of: {', '.join(SEARCH_SORTS)}")
    return value


def search_cursor(text: str | None, sort: SearchSort) -> Cursor | None:
    """A search page's position: a relevance score, or a publication time by date."""
    return read_cursor(text, key_type=float if sort == "relevance" else datetime)


def parse_day(value: str | None, name: str) -> date | None:
    if value is None or value == "":
        return None
    if not _DAY.match(value):  # fromisoformat would also read 20260101 and 2026-W01-1
        raise bad_request(f"{name} must be a date as YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise bad_request(f"{name} must be a date as YYYY-MM-DD") from error


def day_range(start: str | None, end: str | None) -> tuple[datetime | None, datetime | None]:
    """from/to days (both inclusive) as [since, until) in UTC; the last day there is
    (9999-12-31) has no end to state, so it is no bound at all."""
    first = parse_day(start, "from")
    last = parse_day(end, "to")
    since = datetime.combine(first, time.min, tzinfo=UTC) if first else None
    until = None
    if last is not None and last < date.max:
        until = datetime.combine(last + timedelta(days=1), time.min, tzinfo=UTC)
    return since, until


def parse_sectors(options: SiteOptions, values: Iterable[str]) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(v for v in values if v))
    known = {sector.id for sector in options.sectors}
    unknown = [v for v in chosen if v not in known]
    if unknown:
        raise bad_request("unknown sector")
    return chosen


def parse_source_id(value: str | None) -> int | None:
    """A source id from a form: empty means any source."""
    if value is None or value == "":
        return None
    if not (value.isascii() and value.isdigit()) or len(value) > 10 or int(value) > MAX_ROW_ID:
        raise bad_request("source must be a source id")
    return int(value)


def parse_entity_id(value: str | None, name: str = "entity") -> str | None:
    if value is None or value == "":
        return None
    if len(value) > MAX_ID_CHARS or any(ord(ch) < 32 for ch in value):
        raise bad_request(f"{name} is not an entity id")
    return value


def search_filters(
    options: SiteOptions,
    *,
    sectors: Iterable[str],
    entity: str | None,
    source: str | None,
    start: str | None,
    end: str | None,
) -> SearchFilters:
    since, until = day_range(start, end)
    return SearchFilters(
        sectors=parse_sectors(options, sectors),
        entity_id=parse_entity_id(entity),
        source_id=parse_source_id(source),
        since=since,
        until=until,
    )


@dataclass(frozen=True)
class SearchQuery:
    """A search as asked for: the words, validated filters and order, and the query
    parameters as given (for the next page's link and the form)."""

    text: str
    filters: SearchFilters
    sort: SearchSort
    params: dict[str, Any]


def search_query(
    site: Site,
    *,
    q: str = "",
    sector: SectorsQuery = None,
    entity: EntityQuery = None,
    source: SourceQuery = None,
    start: FromQuery = None,
    end: ToQuery = None,
    sort: SortQuery = None,
) -> SearchQuery:
    """The search parameters shared by /search and /api/v1/search (a FastAPI dependency)."""
    filters = search_filters(
        site.options, sectors=sector or [], entity=entity, source=source, start=start, end=end
    )
    params = {
        "q": q,
        "sector": list(filters.sectors),
        "entity": filters.entity_id,
        "source": filters.source_id,
        "from": start,
        "to": end,
        "sort": sort,
    }
    return SearchQuery(q, filters, parse_sort(sort), params)


Search = Annotated[SearchQuery, Depends(search_query)]


@dataclass(frozen=True)
class FactQuery:
    filters: FactFilters
    params: dict[str, str | None]  # as given, for the CSV and next-page links


def fact_query(
    *,
    type: Annotated[
        str | None, Query(json_schema_extra={"type": "string", "enum": ["", *FACT_TYPES]})
    ] = None,
    commodity: EntityQuery = None,
    country: EntityQuery = None,
    party: EntityQuery = None,
    start: FromQuery = None,
    end: ToQuery = None,
) -> FactQuery:
    """The facts filters shared by /facts, /facts.csv and /api/v1/facts (a dependency)."""
    filters = fact_filters(
        fact_type=type, commodity=commodity, country=country, party=party, start=start, end=end
    )
    params = {
        "type": type,
        "commodity": commodity,
        "country": country,
        "party": party,
        "from": start,
        "to": end,
    }
    return FactQuery(filters, params)


Facts = Annotated[FactQuery, Depends(fact_query)]


def fact_filters(
    *,
    fact_type: str | None,
    commodity: str | None,
    country: str | None,
    party: str | None,
    start: str | None,
    end: str | None,
) -> FactFilters:
    if fact_type and fact_type not in FACT_TYPES:
        raise bad_request(f"type must be one of: {', '.join(FACT_TYPES)}")
    since, until = day_range(start, end)
    return FactFilters(
        fact_type=fact_type or None,
        commodity=parse_entity_id(commodity, "commodity"),
        country=parse_entity_id(country, "country"),
        party=parse_entity_id(party, "party"),
        since=since,
        until=until,
    )


def facts_within(filters: FactFilters, since: datetime | None) -> FactFilters:
    """filters with their start no earlier than since (the viewer's free window)."""
    if since is None or (filters.since is not None and filters.since >= since):
        return filters
    return replace(filters, since=since)


def weeks_within(weeks: int, since: datetime | None, end: datetime) -> int:
    """How many of the `weeks` weeks ending with end's week (the newest article's: every
    weekly series ends there) a reader sees: those starting no earlier than since, the start
    of their free window (Reader.window_start, from the access policy); all when since is
    None. At least the newest week, so a chart always has one. The one helper for windowed
    weeks: trends, momentum, deal flow and entity timelines."""
    if since is None:
        return weeks
    mondays = week_starts(end, weeks)
    inside = sum(1 for monday in mondays if datetime.combine(monday, time.min, tzinfo=UTC) >= since)
    return max(1, min(weeks, inside))


def parse_weeks(value: int | None) -> int:
    if value is None:
        return DEFAULT_TREND_WEEKS
    if value not in TREND_WEEKS:
        raise bad_request(f"weeks must be one of: {', '.join(map(str, TREND_WEEKS))}")
    return value


def query_string(params: Mapping[str, Any]) -> str:
    """A query string of the non-empty params (lists repeat their key)."""
    pairs: list[tuple[str, str]] = []
    for key, value in params.items():
        values = value if isinstance(value, list | tuple) else [value]
        pairs += [(key, str(v)) for v in values if v not in {None, ""}]
    return urlencode(pairs)


def entity_path(entity_id: str) -> str:
    return "/entities/" + quote(entity_id, safe=":")


def fact_entity_ids(data: Mapping[str, object]) -> list[str]:
    """Entity ids a fact refers to, in field order, each once."""
    found: list[str] = []
    for name in _ENTITY_FIELDS:
        value = data.get(name)
        values = value if isinstance(value, list | tuple) else [value]
        found += [v for v in values if isinstance(v, str) and ":" in v]
    return list(dict.fromkeys(found))


def describe_fact(row: FactRow, names: Mapping[str, str]) -> str:
    """One line of plain text saying what the fact is about (the template escapes it)."""
    data = row.data

    def name(value: object) -> str:
        return names.get(value, str(value)) if isinstance(value, str) else ""

    def joined(value: object) -> str:
        values = value if isinstance(value, list | tuple) else [value]
        return ", ".join(name(v) for v in values if v)

    if row.type == "investment":
        amount = data.get("amount")
        raw = amount.get("raw", "") if isinstance(amount, dict) else ""
        who = " → ".join(
            part for part in (name(data.get("investor")), name(data.get("target"))) if part
        )
        return " ".join(part for part in (str(raw), who) if part) or "investment"
    if row.type == "quantity":
        quantity = data.get("quantity")
        raw = quantity.get("raw", "") if isinstance(quantity, dict) else ""
        parts = [str(raw), name(data.get("commodity")), joined(data.get("countries"))]
        return " · ".join(part for part in parts if part) or "quantity"
    if row.type == "policy":
        action = str(data.get("action") or "policy").replace("_", " ")
        parts = [action, joined(data.get("by")), joined(data.get("on")), joined(data.get("what"))]
        return " · ".join(part for part in parts if part)
    kind = str(data.get("kind") or "")
    parts = [
        kind,
        joined(data.get("parties")),
        joined(data.get("commodities")),
        str(data.get("status") or ""),
    ]
    return " · ".join(part for part in parts if part) or "agreement"


def fact_json(row: FactRow, names: Mapping[str, str], base_url: str) -> dict[str, Any]:
    return {
        "key": row.key,
        "type": row.type,
        "summary": describe_fact(row, names),
        "data": row.data,
        "entities": [
            {"id": entity_id, "name": names.get(entity_id, entity_id)}
            for entity_id in fact_entity_ids(row.data)
        ],
        "sentence": row.sentence,
        "first_report": {
            "article_id": row.article_id,
            "title": row.article_title,
            "url": f"{base_url}/articles/{row.article_id}",
            "published": row.reported.isoformat() if row.reported else None,
        },
        "sources": row.sources,
    }


FEED_EXTENSIONS: dict[str, FeedKind] = {"xml": "rss", "rss": "rss", "atom": "atom", "json": "json"}
FEED_CACHE_CONTROL = "public, max-age=300"


def require_feed_extension(ext: str) -> FeedKind:
    kind = FEED_EXTENSIONS.get(ext)
    if kind is None:
        raise HTTPException(status_code=404, detail="feeds come as .xml, .atom or .json")
    return kind


PRIVATE_FEED_HEADERS = {
    "cache-control": "private, no-cache",
    "x-robots-tag": "noindex, nofollow",  # a private feed URL must never be found by search
    "referrer-policy": "no-referrer",
}


def feed_response(
    ext: str, meta: FeedMeta, items: list[FeedItem], *, private: bool = False
) -> Response:
    """A feed; a private one (a member's token in the URL) is kept out of shared caches and
    search engines."""
    kind = require_feed_extension(ext)
    headers = PRIVATE_FEED_HEADERS if private else {"cache-control": FEED_CACHE_CONTROL}
    return Response(
        render_feed(kind, meta, items), media_type=FEED_MEDIA_TYPES[kind], headers=headers
    )
