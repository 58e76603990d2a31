"""Feeds out for an entity: /feeds/entities/{id}.{xml,atom,json}, its newest articles, and the
private twin under /feeds/private/{token}/entities/ (see feeds.py)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Response

from newsdesk.domain.access import Resource
from newsdesk.publish.feeds import FeedItem, FeedMeta
from newsdesk.publish.web.context import Site
from newsdesk.publish.web.reader import AnonymousReader, CurrentReader, Reader
from newsdesk.publish.web.routes._analysis import (
    entity_path,
    feed_response,
    parse_entity_id,
    require_feed_extension,
)
from newsdesk.publish.web.routes.feeds import PRIVATE, private_reader

router = APIRouter()
ENTITY_FEED_SIZE = 30


def _entity_feed(site: Site, reader: Reader, entity_id: str, ext: str, base: str) -> Response:
    require_feed_extension(ext)
    store = site.store
    entity = store.get_entity(parse_entity_id(entity_id) or "", scope=reader.scope)
    if entity is None:
        raise HTTPException(status_code=404, detail="no such entity")
    url = site.options.base_url.rstrip("/")
    path = entity_path(entity.id)
    meta = FeedMeta(
        title=f"{site.options.site_name}: {entity.name}",
        link=url + path,
        feed_url=f"{url}{base}{path}.{ext}",
        description=f"The newest articles naming {entity.name}.",
    )
    timeline, _ = store.entity_timeline(
        entity.id,
        limit=ENTITY_FEED_SIZE,
        scope=reader.scope,
        since=reader.window_start(Resource.ENTITY_TIMELINE),
    )
    items = [
        FeedItem(
            id=f"{url}/articles/{item.article_id}",
            title=item.title,
            link=f"{url}/articles/{item.article_id}",
            published=item.published,
            authors=(item.source_name,) if item.source_name else (),
            categories=(entity.name,),
        )
        for item in timeline
    ]
    return feed_response(ext, meta, items, private=base != "/feeds")


@router.get("/feeds/entities/{entity_id}.{ext}", include_in_schema=False)
def entity_feed(site: Site, reader: AnonymousReader, entity_id: str, ext: str) -> Response:
    return _entity_feed(site, reader, entity_id, ext, "/feeds")


@router.get(PRIVATE + "/entities/{entity_id}.{ext}", include_in_schema=False)
def private_entity_feed(
    site: Site, reader: CurrentReader, feed_token: str, entity_id: str, ext: str
) -> Response:
    return _entity_feed(
        site, private_reader(reader), entity_id, ext, f"/feeds/private/{feed_token}"
    )
