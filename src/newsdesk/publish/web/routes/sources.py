"""GET /sources: the operator's view of source health (last fetch, errors, articles per day)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from newsdesk.domain.models import utcnow
from newsdesk.publish.web.context import Site
from newsdesk.publish.web.templating import render

router = APIRouter()
WINDOW_DAYS = 7


@router.get("/sources", response_class=HTMLResponse, include_in_schema=False)
def sources_page(request: Request, site: Site) -> HTMLResponse:
    health = site.store.source_health(utcnow(), window_days=WINDOW_DAYS)
    return render(
        request,
        "sources.html",
        {
            "health": health,
            "window_days": WINDOW_DAYS,
            "failing": sum(1 for row in health if row.source.consecutive_failures),
            "disabled": sum(1 for row in health if not row.source.enabled),
        },
    )
