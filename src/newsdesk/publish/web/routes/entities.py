"""GET /entities (most mentioned first) and /entities/{id}: timeline, co-mentions, facts."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from newsdesk.domain.access import Resource
from newsdesk.domain.insights import FactFilters
from newsdesk.publish.charts import bar_chart
from newsdesk.publish.web.context import Site
from newsdesk.publish.web.pagination import read_cursor
from newsdesk.publish.web.reader import CurrentReader
from newsdesk.publish.web.routes._analysis import (
    DEFAULT_TREND_WEEKS,
    bad_request,
    describe_fact,
    entity_path,
    fact_entity_ids,
    facts_within,
    parse_entity_id,
    weeks_within,
)
from newsdesk.publish.web.templating import render

router = APIRouter()
ENTITIES_PER_PAGE = 60
TIMELINE_PAGE = 20
FACTS_SHOWN = 20
MAX_PAGE = 1000


@router.get("/entities", response_class=HTMLResponse, include_in_schema=False)
def entities_page(
    request: Request, site: Site, reader: CurrentReader, type: str | None = None, page: int = 1
) -> HTMLResponse:
    store = site.store
    types = store.entity_types()
    if type and type not in types:
        raise bad_request("unknown entity type")
    if not 1 <= page <= MAX_PAGE:
        raise bad_request("page out of range")
    listing = store.entity_listing(
        entity_type=type or None,
        limit=ENTITIES_PER_PAGE + 1,
        offset=(page - 1) * ENTITIES_PER_PAGE,
        scope=reader.scope,
    )
    return render(
        request,
        "entities.html",
        {
            "listing": listing[:ENTITIES_PER_PAGE],
            "types": types,
            "chosen_type": type or "",
            "page": page,
            "has_next": len(listing) > ENTITIES_PER_PAGE,
            "entity_path": entity_path,
        },
    )


@router.get("/entities/{entity_id}", response_class=HTMLResponse, include_in_schema=False)
def entity_page(
    request: Request, site: Site, reader: CurrentReader, entity_id: str, cursor: str | None = None
) -> HTMLResponse:
    store = site.store
    scope = reader.scope
    entity = store.get_entity(parse_entity_id(entity_id) or "", scope=scope)
    if entity is None:
        raise HTTPException(status_code=404, detail="No such entity.")
    timeline_since = reader.window_start(Resource.ENTITY_TIMELINE)
    timeline, next_cursor = store.entity_timeline(
        entity.id,
        limit=TIMELINE_PAGE,
        cursor=read_cursor(cursor),
        scope=scope,
        since=timeline_since,
    )
    co_mentions = store.co_mentioned(entity.id, scope=scope)
    facts, _ = store.find_facts(
        facts_within(FactFilters(party=entity.id), reader.window_start(Resource.FACTS_HISTORY)),
        limit=FACTS_SHOWN,
        scope=scope,
    )
    names = store.entity_names([i for row in facts for i in fact_entity_ids(row.data)])
    end = store.newest_published() or datetime.now(UTC)
    weeks = weeks_within(DEFAULT_TREND_WEEKS, reader.window_start(Resource.TRENDS_HISTORY), end)
    series = store.entity_weekly_counts(weeks=weeks, end=end, entity_ids=[entity.id], scope=scope)
    chart = None
    if series:
        labels = [week.strftime("%-d %b") for week in series[0].weeks]
        chart = bar_chart(
            series[0].counts,
            labels,
            title=f"Articles naming {entity.name}, per week",
            description=(
                f"{series[0].total} articles in the {len(labels)} weeks to "
                f"{series[0].weeks[-1]:%-d %b %Y}."
            ),
            key=f"entity-{entity.id}",
        )
    path = entity_path(entity.id)
    feeds = [
        ("application/rss+xml", "RSS", "xml"),
        ("application/atom+xml", "Atom", "atom"),
        ("application/feed+json", "JSON Feed", "json"),
    ]
    return render(
        request,
        "entity.html",
        {
            "entity": entity,
            "timeline": timeline,
            "next_href": f"{path}?cursor={next_cursor.encode()}" if next_cursor else None,
            "co_mentions": co_mentions,
            "facts": [(row, describe_fact(row, names)) for row in facts],
            "chart": chart,
            "series": series[0] if series else None,
            "entity_path": entity_path,
            "timeline_limited": timeline_since is not None,
            "alternate_feeds": [
                {
                    "type": media,
                    "title": f"{entity.name} ({label})",
                    "href": f"/feeds{path}.{suffix}",
                }
                for media, label, suffix in feeds
            ],
        },
    )
