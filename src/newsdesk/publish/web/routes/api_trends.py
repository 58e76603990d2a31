"""GET /api/v1/trends: weekly article counts per sector and per entity, as JSON."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from newsdesk.domain.access import Resource
from newsdesk.domain.insights import WeeklySeries
from newsdesk.publish.web.context import Site
from newsdesk.publish.web.openapi import ENTITY_ID_SCHEMA, errors
from newsdesk.publish.web.reader import CurrentReader
from newsdesk.publish.web.routes._analysis import (
    WeeksQuery,
    bad_request,
    parse_entity_id,
    parse_weeks,
    weeks_within,
)
from newsdesk.publish.web.routes.trends import series_end, trend_series

router = APIRouter(prefix="/api/v1", tags=["trends"])
MAX_ENTITIES = 20


def series_json(series: WeeklySeries) -> dict[str, Any]:
    return {
        "id": series.key,
        "label": series.label,
        "total": series.total,
        "counts": [
            {"week": week.isoformat(), "articles": count}
            for week, count in zip(series.weeks, series.counts, strict=True)
        ],
    }


@router.get("/trends", responses=errors(400, 422))
def api_trends(
    site: Site,
    reader: CurrentReader,
    *,
    weeks: WeeksQuery = None,
    entity: Annotated[
        list[str] | None,
        Query(json_schema_extra={"items": ENTITY_ID_SCHEMA, "maxItems": MAX_ENTITIES}),
    ] = None,
) -> dict[str, Any]:
    """Articles per week (weeks start on Monday) for every sector, and for the given entities
    or else the most named ones; the window ends with the newest article's week. Beyond your
    plan's trends window (4 weeks without Pro) weeks is cut to it: see "weeks" in the answer."""
    if len(entity or []) > MAX_ENTITIES:
        raise bad_request(f"at most {MAX_ENTITIES} entities")
    end = series_end(site.store)
    chosen = weeks_within(parse_weeks(weeks), reader.window_start(Resource.TRENDS_HISTORY), end)
    wanted = [e for e in (parse_entity_id(value) for value in entity or []) if e]
    sectors, entities = trend_series(
        site.store, site.options, chosen, wanted, scope=reader.scope, end=end
    )
    return {
        "weeks": chosen,
        "sectors": [series_json(series) for series in sectors],
        "entities": [series_json(series) for series in entities],
    }
