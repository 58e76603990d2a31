"""What the report routes share: the store, options, the viewer dependency and the access
decision (domain.access.decide, with Resource.REPORT; nothing else decides)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse

from newsdesk.domain.access import (
    ANONYMOUS,
    DEFAULT_POLICY,
    AccessDecision,
    AccessPolicy,
    Item,
    Resource,
    Viewer,
    decide,
    read_scope,
)
from newsdesk.domain.reports import (
    MAX_PERIOD_DAYS,
    ReportScope,
    entity_scope,
    sector_scope,
)
from newsdesk.reports.build import (
    ReportOptions,
    UnknownSubjectError,
    build_report,
    report_label,
)
from newsdesk.reports.model import Report
from newsdesk.reports.ports import ReportStore
from newsdesk.reports.web.pdf_renders import PdfRenders

ViewerDependency = Callable[..., Viewer]
# Every answer about a report depends on who asks: never stored by a shared cache.
PRIVATE_HEADERS = {"Cache-Control": "private, no-store", "Vary": "Cookie, Authorization"}
MAX_ID_CHARS = 200
DEFAULT_PERIOD_DAYS = 28  # a dossier's period when from or to is left out
# What the routes take, as /openapi.json states it: an ISO week "2026-W49" (one that is well
# formed but not in the calendar, such as 2026-W53, names no report: 404), a day as
# YYYY-MM-DD (date.fromisoformat alone would also read 20260101 and 2026-W01-1).
WEEK_PATTERN = "^[0-9]{4}-W(?:0[1-9]|[1-4][0-9]|5[0-3])$"
DAY_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
ENTITY_ID_PATTERN = f"^[^\\u0000-\\u001f]{{1,{MAX_ID_CHARS}}}$"
DAY_SCHEMA: dict[str, Any] = {
    "anyOf": [{"type": "string", "format": "date"}, {"type": "string", "maxLength": 0}],
    "description": "A day as YYYY-MM-DD (empty: see the operation)",
}


def anonymous_viewer() -> Viewer:
    """The viewer dependency until the site's own is passed in: everyone is anonymous."""
    return ANONYMOUS


@dataclass
class ReportsContext:
    store: ReportStore
    options: ReportOptions
    viewer: ViewerDependency = anonymous_viewer
    policy: AccessPolicy = DEFAULT_POLICY
    clock: Callable[[], datetime] = field(default=lambda: datetime.now().astimezone())
    pdfs: PdfRenders = field(default_factory=PdfRenders)  # no disk cache unless given one

    def decision(self, viewer: Viewer, now: datetime) -> AccessDecision:
        return decide(viewer, Item(Resource.REPORT), now, self.policy)

    def label(self, scope: ReportScope, viewer: Viewer, now: datetime) -> str:
        """The sector's or entity's name as this viewer may know it (a report's preview is
        headed by it): 404 as for the report itself when there is none."""
        reader = read_scope(viewer, now, self.policy)
        try:
            return report_label(self.store, scope, self.options, reader)
        except UnknownSubjectError as error:
            raise HTTPException(status_code=404, detail=str(error)) from error

    def report(self, scope: ReportScope, viewer: Viewer, now: datetime) -> Report:
        """The report as this viewer may read it: only articles they may read in full."""
        reader = read_scope(viewer, now, self.policy)
        try:
            return build_report(self.store, scope, self.options, reader=reader)
        except UnknownSubjectError as error:
            raise HTTPException(status_code=404, detail=str(error)) from error


def sector_week_scope(
    sector_id: str, week: str, sector_names: Mapping[str, str], *, now: datetime
) -> ReportScope:
    """A sector's weekly briefing: 400 for a malformed week, 404 for a sector the site does
    not have, a week the calendar does not have or a week that has not begun at now (it has
    no briefing yet, for a preview as for Pro; the week under way has its briefing so far)."""
    if not re.fullmatch(WEEK_PATTERN, week):
        raise HTTPException(status_code=400, detail="week must be an ISO week such as 2026-W49")
    if sector_id not in sector_names:
        raise HTTPException(status_code=404, detail="no such sector")
    try:
        scope = sector_scope(sector_id, week)
    except ValueError as error:
        raise HTTPException(status_code=404, detail=str(error)) from error
    if scope.start > now:
        raise HTTPException(status_code=404, detail="no briefing for a week not yet begun")
    return scope


def dossier_scope(entity_id: str, first: str | None, last: str | None, today: date) -> ReportScope:
    """An entity's dossier scope: 400 for a malformed day, 404 for a period no dossier has.

    Every from/to of the documented form answers (an API client cannot be told in the schema
    how the two relate): the last 28 days up to today when both are left out; 28 days from
    `from` when only it is given; at most the last MAX_PERIOD_DAYS days up to `to` when the
    period is longer (the answer's from says where it starts); a period that ends before
    it starts, or lies outside the calendar, is a 404.
    """
    if len(entity_id) > MAX_ID_CHARS or any(ord(ch) < 32 for ch in entity_id):
        raise HTTPException(status_code=404, detail="no such entity")
    for day in (first, last):
        if day and not re.fullmatch(DAY_PATTERN, day):
            raise HTTPException(status_code=400, detail="from/to: a day as YYYY-MM-DD")
    try:
        start = date.fromisoformat(first) if first else None
        end = date.fromisoformat(last) if last else None
    except ValueError as error:
        raise HTTPException(status_code=400, detail=f"from/to: {error}") from error
    try:
        if end is None:
            end = start + timedelta(days=DEFAULT_PERIOD_DAYS - 1) if start else today
        earliest = date.fromordinal(max(1, end.toordinal() - MAX_PERIOD_DAYS + 1))
        start = max(start or end - timedelta(days=DEFAULT_PERIOD_DAYS - 1), earliest)
        return entity_scope(entity_id, start, end)
    except (ValueError, OverflowError) as error:
        detail = f"no dossier for that period: {error}"
        raise HTTPException(status_code=404, detail=detail) from error


def error_responses(descriptions: Mapping[int, str]) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of an API route: its error answers in the API's one shape
    ({"error": "…"}, the ErrorBody of /openapi.json)."""
    body = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
    return {code: {"description": text, "content": body} for code, text in descriptions.items()}


def render_page(
    request: Request, template: str, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    """Render with the site's Jinja environment (publish's base.html, the reports' pages)."""
    environment = request.app.state.templates
    html = environment.get_template(template).render(
        request=request, path=request.url.path, **context
    )
    return HTMLResponse(html, status_code=status_code, headers=PRIVATE_HEADERS)
