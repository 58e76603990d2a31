"""GET /trends: weekly article counts per sector and for the most named entities, as SVG."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from newsdesk.domain.access import ReadScope, Resource
from newsdesk.domain.insights import WeeklySeries
from newsdesk.publish.charts import ChartSeries, line_chart
from newsdesk.publish.web.context import Site, SiteStore
from newsdesk.publish.web.options import SiteOptions
from newsdesk.publish.web.reader import CurrentReader
from newsdesk.publish.web.routes._analysis import (
    TREND_WEEKS,
    entity_path,
    parse_weeks,
    weeks_within,
)
from newsdesk.publish.web.templating import render

router = APIRouter()
TOP_ENTITIES = 6


def trend_series(
    store: SiteStore,
    options: SiteOptions,
    weeks: int,
    entity_ids: list[str] | None = None,
    *,
    scope: ReadScope,
    end: datetime | None = None,
) -> tuple[list[WeeklySeries], list[WeeklySeries]]:
    """(per sector, per entity) weekly counts over the weeks up to end (series_end)."""
    end = end or series_end(store)
    names = {sector.id: sector.name for sector in options.sectors}
    sectors = [
        replace(series, label=names.get(series.key, series.key))
        for series in store.sector_weekly_counts(list(names), weeks=weeks, end=end)
    ]
    entities = store.entity_weekly_counts(
        weeks=weeks, end=end, entity_ids=entity_ids or (), top=TOP_ENTITIES, scope=scope
    )
    return sectors, entities


def series_end(store: SiteStore) -> datetime:
    """Where weekly series end: the newest article (an idle site shows its last weeks)."""
    return store.newest_published() or datetime.now(UTC)


def _chart(series: list[WeeklySeries], title: str, noun: str, key: str) -> Markup | None:
    if not series:
        return None
    weeks = series[0].weeks
    labels = [week.strftime("%-d %b") for week in weeks]
    leader = max(series, key=lambda item: item.total)
    description = (
        f"{noun} per week, {len(weeks)} weeks from {weeks[0]:%-d %b %Y} to the week of "
        f"{weeks[-1]:%-d %b %Y}. Most: {leader.label} with {leader.total}."
    )
    return line_chart(
        [ChartSeries(item.label, item.counts) for item in series],
        labels,
        title=title,
        description=description,
        key=key,
    )


@router.get("/trends", response_class=HTMLResponse, include_in_schema=False)
def trends_page(
    request: Request, site: Site, reader: CurrentReader, weeks: int | None = None
) -> HTMLResponse:
    asked = parse_weeks(weeks)
    end = series_end(site.store)
    chosen = weeks_within(asked, reader.window_start(Resource.TRENDS_HISTORY), end)
    sectors, entities = trend_series(site.store, site.options, chosen, scope=reader.scope, end=end)
    active_sectors = [series for series in sectors if series.total > 0]
    return render(
        request,
        "trends.html",
        {
            "weeks": chosen,
            "weeks_asked": asked,
            "history_limited": chosen < asked,
            "week_choices": TREND_WEEKS,
            "sectors_series": active_sectors,
            "entities_series": entities,
            "sector_chart": _chart(
                active_sectors, "Articles per sector, per week", "Articles", "sectors"
            ),
            "entity_chart": _chart(
                entities,
                "Articles naming the most covered entities, per week",
                "Articles",
                "entities",
            ),
            "entity_path": entity_path,
        },
    )
