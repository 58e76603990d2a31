"""GET /api/v1/entities, /api/v1/entities/{id} and its paged /mentions, as JSON."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query

from newsdesk.domain.access import Resource
from newsdesk.domain.enrichment import EntityRecord
from newsdesk.domain.insights import FactFilters
from newsdesk.publish.web.context import Site, SiteStore
from newsdesk.publish.web.openapi import errors
from newsdesk.publish.web.pagination import (
    clamp_limit,
    cursor_text,
    offset_cursor,
    read_cursor,
    read_offset,
)
from newsdesk.publish.web.params import CursorQuery, EntityIdPath, LimitQuery
from newsdesk.publish.web.reader import CurrentReader, Reader
from newsdesk.publish.web.routes._analysis import (
    DEFAULT_TREND_WEEKS,
    bad_request,
    entity_path,
    fact_entity_ids,
    fact_json,
    facts_within,
    parse_entity_id,
    weeks_within,
)

router = APIRouter(prefix="/api/v1", tags=["entities"])
ENTITY_TYPE = re.compile(r"^[a-z][a-z_-]{0,39}$")
TYPE_SCHEMA = {"type": "string", "pattern": "^(?:[a-z][a-z_-]{0,39})?$"}


def entity_json(entity: EntityRecord, base_url: str) -> dict[str, Any]:
    return {
        "id": entity.id,
        "name": entity.name,
        "type": entity.type,
        "aliases": list(entity.aliases),
        "url": base_url + entity_path(entity.id),
    }


@router.get("/entities", responses=errors(400, 404, 422))
def api_entities(
    site: Site,
    reader: CurrentReader,
    *,
    type: Annotated[
        str | None,
        Query(description="organisation, country, commodity, …", json_schema_extra=TYPE_SCHEMA),
    ] = None,
    limit: LimitQuery = None,
    cursor: CursorQuery = None,
) -> dict[str, Any]:
    """Entities most mentioned first, with their mention counts."""
    store = site.store
    if type and not ENTITY_TYPE.match(type):  # a type no entity has lists nothing
        raise bad_request("type is not an entity type")
    offset = read_offset(cursor)
    size = clamp_limit(limit)
    listing = store.entity_listing(
        entity_type=type or None, limit=size + 1, offset=offset, scope=reader.scope
    )
    base = site.options.base_url.rstrip("/")
    return {
        "items": [
            {**entity_json(item.entity, base), "mentions": item.mentions} for item in listing[:size]
        ],
        "next_cursor": offset_cursor(offset + size) if len(listing) > size else None,
    }


@router.get("/entities/{entity_id}", responses=errors(400, 404))
def api_entity(site: Site, reader: CurrentReader, entity_id: EntityIdPath) -> dict[str, Any]:
    """The entity, its weekly article counts, co-mentioned entities and facts involving it
    (weeks and facts within your plan's window)."""
    store = site.store
    scope = reader.scope
    entity = _entity_or_404(store, entity_id, reader)
    base = site.options.base_url.rstrip("/")
    end = store.newest_published() or datetime.now(UTC)
    weeks = weeks_within(DEFAULT_TREND_WEEKS, reader.window_start(Resource.TRENDS_HISTORY), end)
    series = store.entity_weekly_counts(weeks=weeks, end=end, entity_ids=[entity.id], scope=scope)
    facts, _ = store.find_facts(
        facts_within(FactFilters(party=entity.id), reader.window_start(Resource.FACTS_HISTORY)),
        limit=20,
        scope=scope,
    )
    names = store.entity_names([i for row in facts for i in fact_entity_ids(row.data)])
    return {
        **entity_json(entity, base),
        "weekly_articles": [
            {"week": week.isoformat(), "articles": count}
            for week, count in zip(series[0].weeks, series[0].counts, strict=True)
        ]
        if series
        else [],
        "co_mentioned": [
            {**entity_json(item.entity, base), "shared_articles": item.articles}
            for item in store.co_mentioned(entity.id, scope=scope)
        ],
        "facts": [fact_json(row, names, base) for row in facts],
        "mentions_url": f"{base}/api/v1{entity_path(entity.id)}/mentions",
    }


@router.get("/entities/{entity_id}/mentions", responses=errors(400, 404, 422))
def api_entity_mentions(
    site: Site,
    reader: CurrentReader,
    entity_id: EntityIdPath,
    *,
    limit: LimitQuery = None,
    cursor: CursorQuery = None,
) -> dict[str, Any]:
    """Articles naming the entity, newest first (within your plan's timeline window)."""
    entity = _entity_or_404(site.store, entity_id, reader)
    timeline, next_cursor = site.store.entity_timeline(
        entity.id,
        limit=clamp_limit(limit),
        cursor=read_cursor(cursor),
        scope=reader.scope,
        since=reader.window_start(Resource.ENTITY_TIMELINE),
    )
    base = site.options.base_url.rstrip("/")
    return {
        "items": [
            {
                "article_id": item.article_id,
                "title": item.title,
                "url": f"{base}/articles/{item.article_id}",
                "published": item.published.isoformat() if item.published else None,
                "source": item.source_name,
                "mentions": item.mentions,
            }
            for item in timeline
        ],
        "next_cursor": cursor_text(next_cursor),
    }


def _entity_or_404(store: SiteStore, entity_id: str, reader: Reader) -> EntityRecord:
    entity = store.get_entity(parse_entity_id(entity_id) or "", scope=reader.scope)
    if entity is None:
        raise HTTPException(status_code=404, detail="no such entity")
    return entity
