"""GET /pro: what Pro includes and how to get it, built from the settings (group "pro"); below
it what the members package offers this visitor (the lead form, or sign-up through Stripe),
so the page varies with the viewer's cookies."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from newsdesk.publish.web.context import Site
from newsdesk.publish.web.reader import CurrentReader
from newsdesk.publish.web.templating import render

router = APIRouter()


@router.get("/pro", response_class=HTMLResponse, include_in_schema=False)
def pro_page(request: Request, site: Site, reader: CurrentReader) -> HTMLResponse:
    del reader  # read for its Vary and Cache-Control: the offer depends on who is asking
    offer = site.pro_offer(request) if site.pro_offer is not None else None
    return render(request, "pro.html", {"pro": site.options.pro, "offer": offer})
