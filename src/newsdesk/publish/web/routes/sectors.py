"""GET /sectors/{id}: a sector's top stories today and its latest stories, page by page."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from newsdesk.publish.web.routes._reading import (
    feed_links,
    known_sector,
    options_of,
    parse_time_key,
    reading_store,
    sector_names,
    time_cursor,
    top_stories,
)
from newsdesk.publish.web.templating import render

router = APIRouter()
PAGE_SIZE = 20


@router.get("/sectors/{sector_id}", response_class=HTMLResponse, include_in_schema=False)
def sector_page(
    request: Request, sector_id: str, after: str | None = Query(None, max_length=512)
) -> HTMLResponse:
    sector = known_sector(request, sector_id)
    options = options_of(request)
    page = reading_store(request).list_story_listings(
        after=parse_time_key(after), limit=PAGE_SIZE, sector_id=sector.id
    )
    return render(
        request,
        "sector.html",
        {
            "sector": sector,
            "cards": [] if after else top_stories(request, sector.id),
            "stories": page.items,
            "next_cursor": time_cursor(page.next_key),
            "paged": after is not None,
            "sector_names": sector_names(options),
            "alternate_feeds": feed_links(
                f"/feeds/sectors/{sector.id}", f"{options.site_name}: {sector.name}"
            ),
        },
    )
