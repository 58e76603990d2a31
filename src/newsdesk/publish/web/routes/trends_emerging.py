"""Emerging entities and topics: GET /trends/emerging (page), /trends/emerging.csv,
/api/v1/trends/emerging and /feeds/trends/emerging.{xml,atom,json}.

The last two days against the fourteen before them, ending with the newest article (an idle
site shows its last active days): newsdesk.trends.detect_bursts scores each entity named in
the recent window, and each flagged one is shown with its counts and the articles behind it.
The window is recent by definition, inside every plan's free trends window.
"""

from __future__ import annotations

import csv
import io
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from newsdesk.publish.feeds import FeedItem, FeedMeta
from newsdesk.publish.web.context import Site, SiteStore
from newsdesk.publish.web.routes._analysis import entity_path, feed_response, require_feed_extension
from newsdesk.publish.web.routes.facts import neutralise
from newsdesk.publish.web.templating import render
from newsdesk.trends import BurstOptions, Emerging, detect_bursts

router = APIRouter()
OPTIONS = BurstOptions()
ARTICLES_EACH = 5
CACHE_SECONDS = 60.0


@dataclass(frozen=True)
class EmergingEntity:
    burst: Emerging
    name: str
    type: str
    articles: tuple[tuple[int, str, datetime | None], ...]  # (id, title, published)


@dataclass(frozen=True)
class EmergingReport:
    end: datetime
    recent_start: datetime
    baseline_start: datetime
    recent_total: int
    baseline_total: int
    items: tuple[EmergingEntity, ...]


_cache: dict[int, tuple[float, EmergingReport]] = {}


def emerging(store: SiteStore) -> EmergingReport:
    """The emerging entities, recomputed at most once a minute per process and store."""
    cached = _cache.get(id(store))
    if cached is not None and time.monotonic() - cached[0] < CACHE_SECONDS:
        return cached[1]
    end = (store.newest_published() or datetime.now(UTC)) + timedelta(seconds=1)
    counts = store.window_counts(
        end=end,
        recent=timedelta(days=OPTIONS.recent_days),
        baseline=timedelta(days=OPTIONS.baseline_days),
    )
    bursts = detect_bursts(
        counts.entities,
        recent_total=counts.recent_total,
        baseline_total=counts.baseline_total,
        options=OPTIONS,
    )
    ids = [b.entity_id for b in bursts]
    names = store.entity_names(ids)
    kinds = {e.id: e.type for e in (store.get_entity(i) for i in ids) if e is not None}
    behind = store.articles_naming(
        ids, since=counts.recent_start, until=counts.end, per_entity=ARTICLES_EACH
    )
    report = EmergingReport(
        end=counts.end,
        recent_start=counts.recent_start,
        baseline_start=counts.baseline_start,
        recent_total=counts.recent_total,
        baseline_total=counts.baseline_total,
        items=tuple(
            EmergingEntity(
                b,
                names.get(b.entity_id, b.entity_id),
                kinds.get(b.entity_id, ""),
                tuple(behind.get(b.entity_id, [])),
            )
            for b in bursts
        ),
    )
    _cache[id(store)] = (time.monotonic(), report)
    return report


def emerging_json(report: EmergingReport, base_url: str) -> dict[str, Any]:
    return {
        "recent": {
            "from": report.recent_start.isoformat(),
            "to": report.end.isoformat(),
            "articles": report.recent_total,
        },
        "baseline": {
            "from": report.baseline_start.isoformat(),
            "to": report.recent_start.isoformat(),
            "articles": report.baseline_total,
        },
        "method": (
            "score = -log10 of the binomial tail of the recent share; "
            f"support >= {OPTIONS.min_support}, lift >= {OPTIONS.min_lift:g}, "
            f"score >= {OPTIONS.min_score:g}"
        ),
        "entities": [
            {
                "id": item.burst.entity_id,
                "name": item.name,
                "type": item.type,
                "recent_articles": item.burst.recent,
                "baseline_articles": item.burst.baseline,
                "expected": round(item.burst.expected, 2),
                "lift": round(item.burst.lift, 2),
                "score": item.burst.score,
                "url": base_url + entity_path(item.burst.entity_id),
                "articles": [
                    {
                        "id": a,
                        "title": t,
                        "published": p.isoformat() if p else None,
                        "url": f"{base_url}/articles/{a}",
                    }
                    for a, t, p in item.articles
                ],
            }
            for item in report.items
        ],
    }


@router.get("/trends/emerging", response_class=HTMLResponse, include_in_schema=False)
def emerging_page(request: Request, site: Site) -> HTMLResponse:
    return render(
        request,
        "trends_emerging.html",
        {"report": emerging(site.store), "options": OPTIONS, "entity_path": entity_path},
    )


@router.get("/trends/emerging.csv", include_in_schema=False)
def emerging_csv(site: Site) -> Response:
    report = emerging(site.store)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            "entity_id",
            "name",
            "type",
            "recent_articles",
            "baseline_articles",
            "expected",
            "lift",
            "score",
            "article_ids",
        ]
    )
    for item in report.items:
        writer.writerow(
            [
                neutralise(cell)
                for cell in (
                    item.burst.entity_id,
                    item.name,
                    item.type,
                    item.burst.recent,
                    item.burst.baseline,
                    f"{item.burst.expected:.2f}",
                    f"{item.burst.lift:.2f}",
                    item.burst.score,
                    " ".join(str(a) for a, _, _ in item.articles),
                )
            ]
        )
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="emerging.csv"'},
    )


@router.get("/api/v1/trends/emerging", tags=["trends"])
def api_emerging(site: Site) -> dict[str, Any]:
    """Entities and topics named in more of the last 2 days' articles than their share of the
    14 days before predicts, most surprising first, each with its counts, score and the
    newest articles behind it."""
    return emerging_json(emerging(site.store), site.options.base_url.rstrip("/"))


@router.get("/feeds/trends/emerging.{ext}", include_in_schema=False)
def emerging_feed(site: Site, ext: str) -> Response:
    require_feed_extension(ext)
    base = site.options.base_url.rstrip("/")
    report = emerging(site.store)
    meta = FeedMeta(
        title=f"{site.options.site_name}: emerging entities",
        link=f"{base}/trends/emerging",
        feed_url=f"{base}/feeds/trends/emerging.{ext}",
        description="Entities and topics named far more in the last two days than before.",
    )
    items = [
        FeedItem(
            id=f"{base}{entity_path(item.burst.entity_id)}#emerging-{report.end:%Y%m%d}",
            title=(
                f"{item.name}: {item.burst.recent} articles in 2 days "
                f"({item.burst.baseline} in the 14 before)"
            ),
            link=base + entity_path(item.burst.entity_id),
            summary="; ".join(t for _, t, _ in item.articles),
            published=report.end,
            categories=(item.type,) if item.type else (),
        )
        for item in report.items
    ]
    return feed_response(ext, meta, items)
