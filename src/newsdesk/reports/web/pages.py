"""GET /reports (index), a sector's weekly briefing and an entity's dossier as a page, a PDF
and JSON (/api/v1/reports/…). Pro only: a viewer whose decision is `preview` gets the
report's outline (its subject's name, as the entity's own page shows it to them, the period
and the way to Pro), built from no other stored text; 404 where that page is 404 for them;
`none` gets a 403."""

from __future__ import annotations

import logging
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from newsdesk.domain.access import AccessDecision, AccessLevel, Viewer
from newsdesk.domain.reports import ReportScope, iso_week_of
from newsdesk.formats.disposition import attachment
from newsdesk.reports.model import Report
from newsdesk.reports.pdf import PdfUnavailableError
from newsdesk.reports.pdf_cache import KEY_TIME, pdf_key
from newsdesk.reports.render import (
    RenderOptions,
    chart_svg,
    download_names,
    link_makers,
    render_html,
)
from newsdesk.reports.web.common import (
    DAY_SCHEMA,
    ENTITY_ID_PATTERN,
    PRIVATE_HEADERS,
    WEEK_PATTERN,
    ReportsContext,
    dossier_scope,
    error_responses,
    render_page,
    sector_week_scope,
)
from newsdesk.reports.web.pdf_renders import RETRY_AFTER_SECONDS, RendersBusyError

FROM = Query(
    None,
    alias="from",
    description="First day (default: 28 days before `to`; a period over 366 days is cut to "
    "its last 366)",
    json_schema_extra=DAY_SCHEMA,
)
TO = Query(
    None,
    alias="to",
    description="Last day (default: 28 days after `from`, else today)",
    json_schema_extra=DAY_SCHEMA,
)
WEEK = Path(description="An ISO week, e.g. 2026-W49", json_schema_extra={"pattern": WEEK_PATTERN})
ENTITY = Path(
    description="An entity id, e.g. org:jogmec", json_schema_extra={"pattern": ENTITY_ID_PATTERN}
)
ERRORS = {
    400: "A malformed value (week, from/to; the message says which)",
    403: "The access policy grants this viewer no report",
    404: "No such sector, entity or week (or a week not yet begun), or a period no dossier "
    "has (it ends before it starts, or lies outside the calendar)",
}
# A viewer's own copy of a PDF may be kept, revalidated on every download: the site's
# caching layer tags the body (and the viewer's access) with an ETag and answers a repeat
# download with 304 once the access policy, asked first, has let the request through.
PDF_HEADERS = {**PRIVATE_HEADERS, "Cache-Control": "private, no-cache"}
_log = logging.getLogger(__name__)
_told_operator: set[str] = set()  # what the log already said, once per process


def build_pages_router(context: ReportsContext) -> APIRouter:
    router = APIRouter()
    asker = Depends(context.viewer)  # the site's one viewer dependency
    names = context.options.sector_names
    sector = Path(
        description="A sector id of this site",
        json_schema_extra={"enum": sorted(names)} if names else None,
    )

    def outline(
        scope: ReportScope, viewer: Viewer
    ) -> tuple[AccessDecision, Report | None, datetime, str]:
        """The decision, the report (None for a preview) and the subject's name; 404 for a
        sector or entity there is none of, previews included."""
        now = context.clock().astimezone(UTC)
        decision = context.decision(viewer, now)
        if decision.level is AccessLevel.NONE:
            raise HTTPException(status_code=403, detail="reports need Pro")
        if not decision.full:
            return decision, None, now, context.label(scope, viewer, now)
        report = context.report(scope, viewer, now)
        return decision, report, now, report.label

    def page(request: Request, scope: ReportScope, viewer: Viewer) -> HTMLResponse:
        decision, report, _, label = outline(scope, viewer)
        links = link_makers("")
        return render_page(
            request,
            "report_page.html",
            {
                "report": report,
                "scope": scope,
                "label": label,
                "decision": decision,
                "chart_svg": chart_svg,
                "pdf_url": request.url.path
                + ".pdf"
                + (f"?{request.url.query}" if request.url.query else ""),
                **links,
            },
        )

    def pdf(scope: ReportScope, viewer: Viewer) -> Response:
        _, report, now, _ = outline(scope, viewer)  # the access policy, before any cache
        if report is None:
            raise HTTPException(status_code=403, detail="report PDFs need Pro")
        return _pdf_answer(context, report, now)

    def api(scope: ReportScope, viewer: Viewer) -> JSONResponse:
        decision, report, _, _ = outline(scope, viewer)
        body: dict[str, Any] = {
            "kind": str(scope.kind),
            "key": scope.key,
            "from": scope.start.date().isoformat(),
            "to": scope.last_day.isoformat(),
            "access": {"level": str(decision.level), "reason": decision.reason},
        }
        if report is not None:
            body["report"] = _report_json(report, context.options.base_url)
        else:
            body["pro"] = "/pro"
        return JSONResponse(body, headers=PRIVATE_HEADERS)

    @router.get("/reports", response_class=HTMLResponse, include_in_schema=False)
    def index(request: Request, viewer: Viewer = asker) -> HTMLResponse:
        now = context.clock().astimezone(UTC)
        weeks = [iso_week_of(now - timedelta(weeks=n)) for n in range(4)]
        return render_page(
            request,
            "reports_index.html",
            {
                "weeks": weeks,
                "report_sectors": sorted(
                    context.options.sector_names.items(), key=lambda kv: kv[1]
                ),
                "decision": context.decision(viewer, now),
            },
        )

    @router.get("/reports/dossier", include_in_schema=False)
    def dossier_form(
        entity: str = Query(..., min_length=1, max_length=200),
        first: str | None = FROM,
        last: str | None = TO,
    ) -> RedirectResponse:
        """The index's form: on to the entity's dossier page."""
        query = urlencode({k: v for k, v in (("from", first), ("to", last)) if v})
        target = f"/reports/entities/{quote(entity.strip(), safe=':')}"
        return RedirectResponse(target + (f"?{query}" if query else ""), status_code=303)

    @router.get("/reports/sectors/{sector_id}/{week}.pdf", include_in_schema=False)
    def sector_pdf(sector_id: str, week: str, viewer: Viewer = asker) -> Response:
        return pdf(sector_week_scope(sector_id, week, names, now=context.clock()), viewer)

    @router.get(
        "/reports/sectors/{sector_id}/{week}", response_class=HTMLResponse, include_in_schema=False
    )
    def sector_page(
        request: Request, sector_id: str, week: str, viewer: Viewer = asker
    ) -> HTMLResponse:
        return page(request, sector_week_scope(sector_id, week, names, now=context.clock()), viewer)

    @router.get("/reports/entities/{entity_id}.pdf", include_in_schema=False)
    def entity_pdf(
        entity_id: str,
        viewer: Viewer = asker,
        first: str | None = FROM,
        last: str | None = TO,
    ) -> Response:
        today = context.clock().astimezone(UTC).date()
        return pdf(dossier_scope(entity_id, first, last, today), viewer)

    @router.get(
        "/reports/entities/{entity_id}", response_class=HTMLResponse, include_in_schema=False
    )
    def entity_page(
        request: Request,
        entity_id: str,
        viewer: Viewer = asker,
        first: str | None = FROM,
        last: str | None = TO,
    ) -> HTMLResponse:
        today = context.clock().astimezone(UTC).date()
        return page(request, dossier_scope(entity_id, first, last, today), viewer)

    @router.get(
        "/api/v1/reports/sectors/{sector_id}/{week}",
        tags=["reports"],
        responses=error_responses(ERRORS),
    )
    def api_sector(
        sector_id: str = sector, week: str = WEEK, viewer: Viewer = asker
    ) -> JSONResponse:
        """A sector's weekly briefing (Pro): sections of claims and table rows, each with the
        numbers of the references (articles) it cites. Without Pro: its access decision only."""
        return api(sector_week_scope(sector_id, week, names, now=context.clock()), viewer)

    @router.get(
        "/api/v1/reports/entities/{entity_id}",
        tags=["reports"],
        responses=error_responses(ERRORS),
    )
    def api_entity(
        entity_id: str = ENTITY,
        viewer: Viewer = asker,
        first: str | None = FROM,
        last: str | None = TO,
    ) -> JSONResponse:
        """An entity's dossier over from..to (default: the last 28 days), Pro as above."""
        today = context.clock().astimezone(UTC).date()
        return api(dossier_scope(entity_id, first, last, today), viewer)

    return router


def _pdf_answer(context: ReportsContext, report: Report, now: datetime) -> Response:
    """The report's PDF: the one kept for what it shows, else rendered (and kept)."""
    from newsdesk.reports.pdf import render_pdf

    options = RenderOptions(context.options.base_url, context.options.site_name)
    key = pdf_key(render_html(report, options, now=KEY_TIME, print_values=True))
    try:
        body, kept = context.pdfs.pdf(
            key, lambda: render_pdf(render_html(report, options, now=now, print_values=True))
        )
    except RendersBusyError as error:
        raise HTTPException(
            status_code=503,
            detail="too many report PDFs are being made; try again shortly",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        ) from error
    except PdfUnavailableError as error:
        if str(error) not in _told_operator:
            _told_operator.add(str(error))
            _log.warning("report PDFs are off on this site: %s", error)
        raise HTTPException(
            status_code=503, detail="report PDFs are not available on this site"
        ) from error
    name, fallback = download_names(report, "pdf")
    headers = {
        **PDF_HEADERS,
        "Content-Disposition": attachment(name, fallback),
        "X-Pdf-Cache": "hit" if kept else "miss",
    }
    return Response(body, media_type="application/pdf", headers=headers)


def _report_json(report: Report, base_url: str) -> dict[str, Any]:
    article_url = link_makers(base_url)["article_url"]
    data = asdict(report)
    data["first_day"] = report.first_day.isoformat()
    data["last_day"] = report.last_day.isoformat()
    for reference in data["references"]:
        published = reference["published"]
        reference["published"] = published.isoformat() if published else None
        reference["page"] = article_url(reference["article_id"])
    for section in data["sections"]:
        for table in section["tables"]:
            table["numeric"] = sorted(table["numeric"])
    return data
