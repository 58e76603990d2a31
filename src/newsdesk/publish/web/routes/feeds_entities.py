"""Feeds out for an entity: /feeds/entities/{id}.{xml,atom,json}, its newest articles."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Response

from newsdesk.publish.feeds import FeedItem, FeedMeta
from newsdesk.publish.web.context import Site
from newsdesk.publish.web.routes._analysis import (
    entity_path,
    feed_response,
    parse_entity_id,
    require_feed_extension,
)

router = APIRouter()
ENTITY_FEED_SIZE = 30


@router.get("/feeds/entities/{entity_id}.{ext}", include_in_schema=False)
def entity_feed(site: Site, entity_id: str, ext: str) -> Response:
    require_feed_extension(ext)
    store = site.store
    entity = store.get_entity(parse_entity_id(entity_id) or "")
    if entity is None:
        raise HTTPException(status_code=404, detail="no such entity")
    base = site.options.base_url.rstrip("/")
    path = entity_path(entity.id)
    meta = FeedMeta(
        title=f"{site.options.site_name}: {entity.name}",
        link=base + path,
        feed_url=f"{base}/feeds{path}.{ext}",
        description=f"The newest articles naming {entity.name}.",
    )
    timeline, _ = store.entity_timeline(entity.id, limit=ENTITY_FEED_SIZE)
    items = [
        FeedItem(
            id=f"{base}/articles/{item.article_id}",
            title=item.title,
            link=f"{base}/articles/{item.article_id}",
            published=item.published,
            authors=(item.source_name,) if item.source_name else (),
            categories=(entity.name,),
        )
        for item in timeline
    ]
    return feed_response(ext, meta, items)
