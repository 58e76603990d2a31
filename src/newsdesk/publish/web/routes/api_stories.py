"""GET /api/v1/stories (most recently seen first, cursor pages) and /api/v1/stories/{id}."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Query, Request

from newsdesk.publish.web.pagination import clamp_limit
from newsdesk.publish.web.routes._api_models import (
    StoryFull,
    StoryPageOut,
    from_listing,
    from_story_detail,
)
from newsdesk.publish.web.routes._reading import (
    options_of,
    parse_time_key,
    reading_store,
    time_cursor,
)

router = APIRouter(prefix="/api/v1", tags=["stories"])


@router.get("/stories", response_model=StoryPageOut)
def list_stories(
    request: Request,
    cursor: str | None = Query(None, max_length=512, description="next_cursor of the last page"),
    limit: int = Query(20, ge=1, le=100),
) -> StoryPageOut:
    """Stories, the most recently seen first."""
    options = options_of(request)
    page = reading_store(request).list_story_listings(
        after=parse_time_key(cursor), limit=clamp_limit(limit)
    )
    return StoryPageOut(
        items=[from_listing(options, item) for item in page.items],
        next_cursor=time_cursor(page.next_key),
    )


@router.get("/stories/{story_id}", response_model=StoryFull)
def get_story(request: Request, story_id: int) -> StoryFull:
    """One story with every article that reports it."""
    detail = reading_store(request).story_detail(story_id)
    if detail is None or not detail.articles:
        raise HTTPException(status_code=404, detail="no such story")
    return from_story_detail(options_of(request), detail)
