"""GET /api/v1/facts: the facts tracker as JSON, newest first report first, cursor-paged."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from newsdesk.domain.access import Resource
from newsdesk.publish.web.context import Site
from newsdesk.publish.web.openapi import errors
from newsdesk.publish.web.pagination import clamp_limit, cursor_text, read_cursor
from newsdesk.publish.web.params import CursorQuery, LimitQuery
from newsdesk.publish.web.reader import CurrentReader
from newsdesk.publish.web.routes._analysis import Facts, fact_entity_ids, fact_json, facts_within

router = APIRouter(prefix="/api/v1", tags=["facts"])


@router.get("/facts", responses=errors(400, 404, 422))
def api_facts(
    site: Site,
    reader: CurrentReader,
    facts: Facts,
    *,
    limit: LimitQuery = None,
    cursor: CursorQuery = None,
) -> dict[str, Any]:
    """Facts filtered by type, commodity, country or party (entity ids) and report date;
    first reported within your plan's window (Pro: all)."""
    store = site.store
    position = read_cursor(cursor, id_type=str)
    rows, next_cursor = store.find_facts(
        facts_within(facts.filters, reader.window_start(Resource.FACTS_HISTORY)),
        limit=clamp_limit(limit),
        cursor=position,
        scope=reader.scope,
    )
    names = store.entity_names([i for row in rows for i in fact_entity_ids(row.data)])
    base = site.options.base_url.rstrip("/")
    return {
        "items": [fact_json(row, names, base) for row in rows],
        "next_cursor": cursor_text(next_cursor),
    }
