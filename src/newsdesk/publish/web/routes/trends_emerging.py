"""Emerging entities and topics: GET /trends/emerging (page), /trends/emerging.csv,
/api/v1/trends/emerging and /feeds/trends/emerging.{xml,atom,json}.

The last two days against the fourteen before them, ending with the newest article (an idle
site shows its last active days): newsdesk.trends.detect_bursts scores each entity named in
the recent window, and each flagged one is shown with its counts and the articles behind it.
The window is recent by definition, inside every plan's free trends window; the counts and
the articles behind them are read within the reader's scope (an entity named only after the
break of a piece the reader may not read in full does not count for them), so every answer
asks the access policy through CurrentReader and varies by viewer.
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

from newsdesk.domain.access import ReadScope
from newsdesk.formats.disposition import attachment
from newsdesk.publish.feeds import FeedItem, FeedMeta
from newsdesk.publish.web.context import Site, SiteStore
from newsdesk.publish.web.reader import AnonymousReader, CurrentReader
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


_cache: dict[tuple[int, ReadScope], tuple[float, EmergingReport]] = {}


def emerging(store: SiteStore, scope: ReadScope) -> EmergingReport:
    """The emerging entities as the scope sees them, recomputed at most once a minute per
    process, store and scope (a scope is what a kind of viewer may read, never one viewer)."""
    key = (id(store), scope)
    cached = _cache.get(key)
    if cached is not None and time.monotonic() - cached[0] < CACHE_SECONDS:
        return cached[1]
    end = (store.newest_published() or datetime.now(UTC)) + timedelta(seconds=1)
    counts = store.window_counts(
        end=end,
        recent=timedelta(days=OPTIONS.recent_days),
        baseline=timedelta(days=OPTIONS.baseline_days),
        scope=scope,
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
        ids, since=counts.recent_start, until=counts.end, per_entity=ARTICLES_EACH, scope=scope
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
    _cache[key] = (time.monotonic(), report)
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
def emerging_page(request: Request, site: Site, reader: CurrentReader) -> HTMLResponse:
    return render(
        request,
        "trends_emerging.html",
        {
            "report": emerging(site.store, reader.scope),
            "options": OPTIONS,
            "entity_path": entity_path,
        },
    )


@router.get("/trends/emerging.csv", include_in_schema=False)
def emerging_csv(site: Site, reader: CurrentReader) -> Response:
    report = emerging(site.store, reader.scope)
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
        headers={"content-disposition": attachment("emerging.csv")},
    )


@router.get("/api/v1/trends/emerging", tags=["trends"])
def api_emerging(site: Site, reader: CurrentReader) -> dict[str, Any]:
    """Entities and topics named in more of the last 2 days' articles than their share of the
    14 days before predicts, most surprising first, each with its counts, score and the
    newest articles behind it."""
    return emerging_json(emerging(site.store, reader.scope), site.options.base_url.rstrip("/"))


@router.get("/feeds/trends/emerging.{ext}", include_in_schema=False)
def emerging_feed(site: Site, reader: AnonymousReader, ext: str) -> Response:
    """A public feed: the same for everyone, so it is what an anonymous reader sees."""
    require_feed_extension(ext)
    base = site.options.base_url.rstrip("/")
    report = emerging(site.store, reader.scope)
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
