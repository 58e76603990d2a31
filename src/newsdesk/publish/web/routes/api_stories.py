"""GET /api/v1/stories (most recently seen first, cursor pages) and /api/v1/stories/{id}."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Query

from newsdesk.publish.gating import gated_story
from newsdesk.publish.web.context import Site
from newsdesk.publish.web.openapi import errors
from newsdesk.publish.web.pagination import clamp_limit, cursor_text, read_cursor
from newsdesk.publish.web.params import CursorQuery, StoryId
from newsdesk.publish.web.reader import CurrentReader
from newsdesk.publish.web.routes._api_models import (
    StoryFull,
    StoryPageOut,
    from_listing,
    from_story_detail,
)
from newsdesk.publish.web.routes._reading import gated_listing

router = APIRouter(prefix="/api/v1", tags=["stories"])


@router.get("/stories", response_model=StoryPageOut, responses=errors(400, 404, 422))
def list_stories(
    site: Site,
    reader: CurrentReader,
    *,
    cursor: CursorQuery = None,
    limit: int = Query(20, ge=1, le=100),
) -> StoryPageOut:
    """Stories, the most recently seen first."""
    page = site.store.list_story_listings(cursor=read_cursor(cursor), limit=clamp_limit(limit))
    return StoryPageOut(
        items=[from_listing(site.options, gated_listing(item, reader)) for item in page.items],
        next_cursor=cursor_text(page.next_cursor),
    )


@router.get("/stories/{story_id}", response_model=StoryFull, responses=errors(404, 422))
def get_story(site: Site, reader: CurrentReader, story_id: StoryId) -> StoryFull:
    """One story with every article that reports it (each summary as your access allows;
    the story's summary over all reports only if you may read them all)."""
    detail = site.store.story_detail(story_id)
    if detail is None or not detail.articles:
        raise HTTPException(status_code=404, detail="no such story")
    return from_story_detail(site.options, gated_story(detail, reader))
