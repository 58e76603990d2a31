"""GET /api/v1/sectors and /api/v1/sectors/{id}/stories (cursor pages)."""

from __future__ import annotations

from fastapi import APIRouter, Query

from newsdesk.publish.web.context import Site
from newsdesk.publish.web.openapi import errors
from newsdesk.publish.web.pagination import clamp_limit, cursor_text, read_cursor
from newsdesk.publish.web.params import CursorQuery, SectorIdPath
from newsdesk.publish.web.reader import CurrentReader
from newsdesk.publish.web.routes._api_models import (
    SectorList,
    StoryPageOut,
    from_listing,
    sector_item,
)
from newsdesk.publish.web.routes._reading import gated_listing, known_sector

router = APIRouter(prefix="/api/v1", tags=["sectors"])


@router.get("/sectors", response_model=SectorList)
def list_sectors(site: Site, _reader: CurrentReader) -> SectorList:
    """The sectors of the taxonomy in use."""
    # The same for every viewer, but an API request like any other: the reader counts it.
    options = site.options
    return SectorList(
        items=[sector_item(options, s.id, s.name, s.description) for s in options.sectors]
    )


@router.get(
    "/sectors/{sector_id}/stories", response_model=StoryPageOut, responses=errors(400, 404, 422)
)
def sector_stories(
    site: Site,
    reader: CurrentReader,
    sector_id: SectorIdPath,
    *,
    cursor: CursorQuery = None,
    limit: int = Query(20, ge=1, le=100),
) -> StoryPageOut:
    """Stories with an article in the sector, the most recently seen first."""
    options = site.options
    sector = known_sector(options, sector_id)
    page = site.store.list_story_listings(
        cursor=read_cursor(cursor), limit=clamp_limit(limit), sector_id=sector.id
    )
    return StoryPageOut(
        items=[from_listing(options, gated_listing(item, reader)) for item in page.items],
        next_cursor=cursor_text(page.next_cursor),
    )
