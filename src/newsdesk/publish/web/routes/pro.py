"""GET /pro: what Pro includes and how to get it, built from the settings (group "pro")."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from newsdesk.publish.web.context import Site
from newsdesk.publish.web.templating import render

router = APIRouter()


@router.get("/pro", response_class=HTMLResponse, include_in_schema=False)
def pro_page(request: Request, site: Site) -> HTMLResponse:
    return render(request, "pro.html", {"pro": site.options.pro})
