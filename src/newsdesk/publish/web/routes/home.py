"""GET /: "Top insights today", one card per story."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from newsdesk.publish.web.context import Site
from newsdesk.publish.web.reader import CurrentReader
from newsdesk.publish.web.routes._reading import (
    feed_links,
    gated_cards,
    sector_names,
    top_stories,
)
from newsdesk.publish.web.templating import render

router = APIRouter()


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def home(request: Request, site: Site, reader: CurrentReader) -> HTMLResponse:
    options = site.options
    cards = top_stories(request)
    # The anonymous page depends on nothing but the top list, which top_stories keeps (the
    # same list object) for up to a minute: render it once per list, not once per request.
    # A signed-in viewer's page is rendered for them (their plan, their name in the header).
    cached = not reader.signed_in
    rendered: tuple[object, bytes] | None = getattr(request.app.state, "home_page", None)
    if cached and rendered is not None and rendered[0] is cards:
        return HTMLResponse(rendered[1])
    response = render(
        request,
        "home.html",
        {
            "cards": gated_cards(cards, reader),
            "sector_names": sector_names(options),
            "alternate_feeds": feed_links("/feeds/top", f"{options.site_name}: top insights"),
        },
    )
    if cached:
        request.app.state.home_page = (cards, bytes(response.body))
    return response
