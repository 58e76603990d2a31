"""GET /api/v1/facts: the facts tracker as JSON, newest first report first, cursor-paged."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from newsdesk.publish.web.context import Site
from newsdesk.publish.web.pagination import clamp_limit, cursor_text, read_cursor
from newsdesk.publish.web.routes._analysis import fact_entity_ids, fact_filters, fact_json

router = APIRouter(prefix="/api/v1", tags=["facts"])


@router.get("/facts")
def api_facts(
    site: Site,
    *,
    type: str | None = None,
    commodity: str | None = None,
    country: str | None = None,
    party: str | None = None,
    start: Annotated[str | None, Query(alias="from")] = None,
    end: Annotated[str | None, Query(alias="to")] = None,
    limit: int | None = None,
    cursor: str | None = None,
) -> dict[str, Any]:
    """Facts filtered by type, commodity, country or party (entity ids) and report date."""
    filters = fact_filters(
        fact_type=type, commodity=commodity, country=country, party=party, start=start, end=end
    )
    store = site.store
    position = read_cursor(cursor, id_type=str)
    rows, next_cursor = store.find_facts(filters, limit=clamp_limit(limit), cursor=position)
    names = store.entity_names([i for row in rows for i in fact_entity_ids(row.data)])
    base = site.options.base_url.rstrip("/")
    return {
        "items": [fact_json(row, names, base) for row in rows],
        "next_cursor": cursor_text(next_cursor),
    }
