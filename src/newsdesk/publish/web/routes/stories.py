"""GET /stories (latest stories, page by page) and /stories/{id} (all coverage of one story)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from newsdesk.publish.gating import gated_story
from newsdesk.publish.web.context import Site
from newsdesk.publish.web.pagination import cursor_text, read_cursor
from newsdesk.publish.web.params import StoryId
from newsdesk.publish.web.reader import CurrentReader
from newsdesk.publish.web.routes._reading import feed_links, gated_listing, sector_names
from newsdesk.publish.web.templating import render

router = APIRouter()
PAGE_SIZE = 25


@router.get("/stories", response_class=HTMLResponse, include_in_schema=False)
def stories_page(
    request: Request,
    site: Site,
    reader: CurrentReader,
    after: str | None = Query(None, max_length=512),
) -> HTMLResponse:
    options = site.options
    page = site.store.list_story_listings(cursor=read_cursor(after), limit=PAGE_SIZE)
    return render(
        request,
        "stories.html",
        {
            "stories": [gated_listing(item, reader) for item in page.items],
            "next_cursor": cursor_text(page.next_cursor),
            "paged": after is not None,
            "sector_names": sector_names(options),
            "alternate_feeds": feed_links("/feeds/top", f"{options.site_name}: top insights"),
        },
    )


@router.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
def story_page(
    request: Request, site: Site, reader: CurrentReader, story_id: StoryId
) -> HTMLResponse:
    detail = site.store.story_detail(story_id)
    if detail is None or not detail.articles:
        raise HTTPException(status_code=404, detail="no such story")
    return render(
        request,
        "story.html",
        {"detail": gated_story(detail, reader), "sector_names": sector_names(site.options)},
    )
