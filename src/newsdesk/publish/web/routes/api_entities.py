"""GET /api/v1/entities, /api/v1/entities/{id} and its paged /mentions, as JSON."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, HTTPException

from newsdesk.domain.enrichment import EntityRecord
from newsdesk.domain.insights import FactFilters
from newsdesk.publish.web.context import Site, SiteStore
from newsdesk.publish.web.pagination import (
    clamp_limit,
    cursor_text,
    offset_cursor,
    read_cursor,
    read_offset,
)
from newsdesk.publish.web.routes._analysis import (
    DEFAULT_TREND_WEEKS,
    bad_request,
    entity_path,
    fact_entity_ids,
    fact_json,
    parse_entity_id,
)

router = APIRouter(prefix="/api/v1", tags=["entities"])


def entity_json(entity: EntityRecord, base_url: str) -> dict[str, Any]:
    return {
        "id": entity.id,
        "name": entity.name,
        "type": entity.type,
        "aliases": list(entity.aliases),
        "url": base_url + entity_path(entity.id),
    }


@router.get("/entities")
def api_entities(
    site: Site,
    *,
    type: str | None = None,
    limit: int | None = None,
    cursor: str | None = None,
) -> dict[str, Any]:
    """Entities most mentioned first, with their mention counts."""
    store = site.store
    if type and type not in store.entity_types():
        raise bad_request("unknown entity type")
    offset = read_offset(cursor)
    size = clamp_limit(limit)
    listing = store.entity_listing(entity_type=type or None, limit=size + 1, offset=offset)
    base = site.options.base_url.rstrip("/")
    return {
        "items": [
            {**entity_json(item.entity, base), "mentions": item.mentions} for item in listing[:size]
        ],
        "next_cursor": offset_cursor(offset + size) if len(listing) > size else None,
    }


@router.get("/entities/{entity_id}")
def api_entity(site: Site, entity_id: str) -> dict[str, Any]:
    """The entity, its weekly article counts, co-mentioned entities and facts involving it."""
    store = site.store
    entity = _entity_or_404(store, entity_id)
    base = site.options.base_url.rstrip("/")
    end = store.newest_published() or datetime.now(UTC)
    series = store.entity_weekly_counts(weeks=DEFAULT_TREND_WEEKS, end=end, entity_ids=[entity.id])
    facts, _ = store.find_facts(FactFilters(party=entity.id), limit=20)
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
            for item in store.co_mentioned(entity.id)
        ],
        "facts": [fact_json(row, names, base) for row in facts],
        "mentions_url": f"{base}/api/v1{entity_path(entity.id)}/mentions",
    }


@router.get("/entities/{entity_id}/mentions")
def api_entity_mentions(
    site: Site, entity_id: str, *, limit: int | None = None, cursor: str | None = None
) -> dict[str, Any]:
    """Articles naming the entity, newest first."""
    entity = _entity_or_404(site.store, entity_id)
    timeline, next_cursor = site.store.entity_timeline(
        entity.id, limit=clamp_limit(limit), cursor=read_cursor(cursor)
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


def _entity_or_404(store: SiteStore, entity_id: str) -> EntityRecord:
    entity = store.get_entity(parse_entity_id(entity_id) or "")
    if entity is None:
        raise HTTPException(status_code=404, detail="no such entity")
    return entity
