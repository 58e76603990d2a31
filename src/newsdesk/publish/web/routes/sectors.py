"""GET /sectors/{id}: a sector's top stories today and its latest stories, page by page."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from newsdesk.publish.web.context import Site
from newsdesk.publish.web.pagination import cursor_text, read_cursor
from newsdesk.publish.web.reader import CurrentReader
from newsdesk.publish.web.routes._reading import (
    feed_links,
    gated_cards,
    gated_listing,
    known_sector,
    sector_names,
    top_stories,
)
from newsdesk.publish.web.templating import render

router = APIRouter()
PAGE_SIZE = 20


@router.get("/sectors/{sector_id}", response_class=HTMLResponse, include_in_schema=False)
def sector_page(
    request: Request,
    site: Site,
    reader: CurrentReader,
    sector_id: str,
    after: str | None = Query(None, max_length=512),
) -> HTMLResponse:
    options = site.options
    sector = known_sector(options, sector_id)
    page = site.store.list_story_listings(
        cursor=read_cursor(after), limit=PAGE_SIZE, sector_id=sector.id
    )
    return render(
        request,
        "sector.html",
        {
            "sector": sector,
            "cards": [] if after else gated_cards(top_stories(request, sector.id), reader),
            "stories": [gated_listing(item, reader) for item in page.items],
            "next_cursor": cursor_text(page.next_cursor),
            "paged": after is not None,
            "sector_names": sector_names(options),
            "alternate_feeds": feed_links(
                f"/feeds/sectors/{sector.id}", f"{options.site_name}: {sector.name}"
            ),
        },
    )
