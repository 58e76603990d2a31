"""Sector momentum and deal flow: GET /trends/momentum and /trends/deals (pages), their CSV
(/trends/momentum.csv, /trends/deals.csv) and JSON (/api/v1/trends/momentum, /deals).

Momentum is each sector's share of all dated articles per week (newsdesk.trends.sector_shares);
deal flow counts agreements and investments first reported in the period by sector, country
and commodity, with the amounts summed per currency as reported (never converted). Weeks
beyond the free trends window (Resource.TRENDS_HISTORY) are cut to it for viewers without
Pro (_analysis.weeks_within over the reader's window), and deals are those whose first report
the reader may read (the reader's scope): every answer asks the access policy through
CurrentReader and varies by viewer.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse

from newsdesk.domain.access import ReadScope, Resource
from newsdesk.formats.disposition import attachment
from newsdesk.publish.charts import ChartSeries, bar_chart, line_chart
from newsdesk.publish.web.context import Site, SiteStore
from newsdesk.publish.web.openapi import errors
from newsdesk.publish.web.options import SiteOptions
from newsdesk.publish.web.reader import CurrentReader, Reader
from newsdesk.publish.web.routes._analysis import (
    WeeksQuery,
    bad_request,
    entity_path,
    parse_weeks,
    weeks_within,
)
from newsdesk.publish.web.routes.facts import neutralise
from newsdesk.publish.web.routes.trends import series_end
from newsdesk.publish.web.templating import render
from newsdesk.store.insights_repo import week_starts
from newsdesk.trends import (
    DIMENSIONS,
    DealFlow,
    Dimension,
    SectorShare,
    currencies,
    deal_flow,
    sector_shares,
)

router = APIRouter()
# The deal-flow dimension (empty: by sector); parse_dimension refuses others with a 400.
DimensionQuery = Annotated[
    str | None,
    Query(
        max_length=20,
        description="What to count deals by (empty: sector)",
        json_schema_extra={"type": "string", "enum": ["", *DIMENSIONS]},
    ),
]
TOP_FLOWS = 15


def momentum(store: SiteStore, options: SiteOptions, weeks: int) -> list[SectorShare]:
    end = series_end(store)
    mondays = week_starts(end, weeks)
    names = {sector.id: sector.name for sector in options.sectors}
    per_sector = {
        s.key: s.counts for s in store.sector_weekly_counts(list(names), weeks=weeks, end=end)
    }
    return sector_shares(mondays, store.weekly_totals(mondays), per_sector)


def flows(store: SiteStore, weeks: int, dimension: Dimension, scope: ReadScope) -> list[DealFlow]:
    end = series_end(store)
    first = datetime.combine(week_starts(end, weeks)[0], time.min, tzinfo=UTC)
    deals = store.deal_facts(since=first, until=end + timedelta(seconds=1), scope=scope)
    return deal_flow(deals, dimension)


def parse_dimension(value: str | None) -> Dimension:
    if value is None or value == "":
        return "sector"
    for dimension in DIMENSIONS:
        if value == dimension:
            return dimension
    raise bad_request(f"by must be one of: {', '.join(DIMENSIONS)}")


def _weeks(weeks: int | None, store: SiteStore, reader: Reader) -> tuple[int, int]:
    """(weeks asked for, weeks the reader sees)."""
    asked = parse_weeks(weeks)
    since = reader.window_start(Resource.TRENDS_HISTORY)
    return asked, weeks_within(asked, since, series_end(store))


def _label(options: SiteOptions, names: dict[str, str], dimension: Dimension, key: str) -> str:
    if dimension == "sector":
        sector = options.sector(key)
        return sector.name if sector else key
    return names.get(key, key)


@router.get("/trends/momentum", response_class=HTMLResponse, include_in_schema=False)
def momentum_page(
    request: Request, site: Site, reader: CurrentReader, weeks: int | None = None
) -> HTMLResponse:
    asked, chosen = _weeks(weeks, site.store, reader)
    shares = momentum(site.store, site.options, chosen)
    names = {s.id: s.name for s in site.options.sectors}
    labels = [f"{w.day} {w:%b}" for w in shares[0].weeks] if shares else []
    chart = (
        line_chart(
            [
                ChartSeries(
                    names.get(s.sector_id, s.sector_id), tuple(round(100 * v) for v in s.shares)
                )
                for s in shares
            ],
            labels,
            title="Share of coverage per sector, per week (%)",
            description=f"{chosen} weeks; rising most: {names.get(shares[0].sector_id, '')}.",
            key="momentum",
            totals=False,
        )
        if shares
        else None
    )
    return render(
        request,
        "trends_momentum.html",
        {
            "shares": shares,
            "names": names,
            "chart": chart,
            "weeks": chosen,
            "weeks_asked": asked,
            "history_limited": chosen < asked,
        },
    )


@router.get("/trends/momentum.csv", include_in_schema=False)
def momentum_csv(site: Site, reader: CurrentReader, weeks: int | None = None) -> Response:
    _, chosen = _weeks(weeks, site.store, reader)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["sector_id", "week", "articles", "share"])
    for share in momentum(site.store, site.options, chosen):
        for week, count, value in zip(share.weeks, share.articles, share.shares, strict=True):
            writer.writerow(
                [neutralise(c) for c in (share.sector_id, week.isoformat(), count, f"{value:.4f}")]
            )
    return _csv(out.getvalue(), "momentum.csv")


@router.get("/api/v1/trends/momentum", tags=["trends"], responses=errors(400, 422))
def api_momentum(site: Site, reader: CurrentReader, weeks: WeeksQuery = None) -> dict[str, Any]:
    """Each sector's share of all dated articles per week, and its momentum: the latest week's
    share minus the mean of the weeks before. Weeks beyond your plan's window are cut."""
    _, chosen = _weeks(weeks, site.store, reader)
    return {
        "weeks": chosen,
        "sectors": [
            {
                "id": s.sector_id,
                "momentum": s.momentum,
                "weeks": [
                    {"week": w.isoformat(), "articles": n, "share": round(v, 4)}
                    for w, n, v in zip(s.weeks, s.articles, s.shares, strict=True)
                ],
            }
            for s in momentum(site.store, site.options, chosen)
        ],
    }


@router.get("/trends/deals", response_class=HTMLResponse, include_in_schema=False)
def deals_page(
    request: Request,
    site: Site,
    reader: CurrentReader,
    weeks: int | None = None,
    by: DimensionQuery = None,
) -> HTMLResponse:
    asked, chosen = _weeks(weeks, site.store, reader)
    dimension = parse_dimension(by)
    found = flows(site.store, chosen, dimension, reader.scope)[:TOP_FLOWS]
    names = site.store.entity_names([f.key for f in found]) if dimension != "sector" else {}
    labels = [_label(site.options, names, dimension, f.key) for f in found]
    chart = (
        bar_chart(
            [f.deals for f in found],
            labels,
            title=f"Agreements and investments by {dimension}",
            description=f"{sum(f.deals for f in found)} deals over {chosen} weeks.",
            key=f"deals-{dimension}",
        )
        if found
        else None
    )
    return render(
        request,
        "trends_deals.html",
        {
            "flows": list(zip(found, labels, strict=True)),
            "currencies": currencies(found),
            "dimension": dimension,
            "dimensions": DIMENSIONS,
            "chart": chart,
            "weeks": chosen,
            "weeks_asked": asked,
            "history_limited": chosen < asked,
            "entity_path": entity_path,
        },
    )


@router.get("/trends/deals.csv", include_in_schema=False)
def deals_csv(
    site: Site,
    reader: CurrentReader,
    weeks: int | None = None,
    by: DimensionQuery = None,
) -> Response:
    _, chosen = _weeks(weeks, site.store, reader)
    dimension = parse_dimension(by)
    found = flows(site.store, chosen, dimension, reader.scope)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([dimension, "agreements", "investments", "currency", "amount"])
    for flow in found:
        sums = sorted(flow.amounts.items()) or [("", 0.0)]
        for currency, amount in sums:
            cells = (
                flow.key,
                flow.agreements,
                flow.investments,
                currency,
                f"{amount:.0f}" if currency else "",
            )
            writer.writerow([neutralise(c) for c in cells])
    return _csv(out.getvalue(), f"deals-by-{dimension}.csv")


@router.get("/api/v1/trends/deals", tags=["trends"], responses=errors(400, 422))
def api_deals(
    site: Site,
    reader: CurrentReader,
    weeks: WeeksQuery = None,
    by: DimensionQuery = None,
) -> dict[str, Any]:
    """Agreements and investments first reported in the period by sector, country or
    commodity (by=), with amounts summed per currency as reported: never converted."""
    _, chosen = _weeks(weeks, site.store, reader)
    dimension = parse_dimension(by)
    base = site.options.base_url.rstrip("/")
    return {
        "weeks": chosen,
        "by": dimension,
        "flows": [
            {
                "key": f.key,
                "agreements": f.agreements,
                "investments": f.investments,
                "amounts": [{"currency": c, "total": v} for c, v in sorted(f.amounts.items())],
                "articles": [f"{base}/articles/{a}" for a in f.article_ids[:10]],
            }
            for f in flows(site.store, chosen, dimension, reader.scope)
        ],
    }


def _csv(body: str, name: str) -> Response:
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": attachment(name)},
    )
