"""GET /api/v1/sectors and /api/v1/sectors/{id}/stories (cursor pages)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request

from newsdesk.publish.web.pagination import clamp_limit
from newsdesk.publish.web.routes._api_models import (
    SectorList,
    StoryPageOut,
    from_listing,
    sector_item,
)
from newsdesk.publish.web.routes._reading import (
    known_sector,
    options_of,
    parse_time_key,
    reading_store,
    time_cursor,
)

router = APIRouter(prefix="/api/v1", tags=["sectors"])


@router.get("/sectors", response_model=SectorList)
def list_sectors(request: Request) -> SectorList:
    """The sectors of the taxonomy in use."""
    options = options_of(request)
    return SectorList(
        items=[sector_item(options, s.id, s.name, s.description) for s in options.sectors]
    )


@router.get("/sectors/{sector_id}/stories", response_model=StoryPageOut)
def sector_stories(
    request: Request,
    sector_id: str,
    cursor: str | None = Query(None, max_length=512, description="next_cursor of the last page"),
    limit: int = Query(20, ge=1, le=100),
) -> StoryPageOut:
    """Stories with an article in the sector, the most recently seen first."""
    sector = known_sector(request, sector_id)
    options = options_of(request)
    page = reading_store(request).list_story_listings(
        after=parse_time_key(cursor), limit=clamp_limit(limit), sector_id=sector.id
    )
    return StoryPageOut(
        items=[from_listing(options, item) for item in page.items],
        next_cursor=time_cursor(page.next_key),
    )
