"""GET /facts (filterable facts tracker) and /facts.csv (the same rows, every one, as CSV)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import HTMLResponse

from newsdesk.domain.access import Item, Resource
from newsdesk.domain.insights import FactRow
from newsdesk.formats.disposition import attachment
from newsdesk.publish.web.context import Site
from newsdesk.publish.web.pagination import read_cursor
from newsdesk.publish.web.reader import CurrentReader
from newsdesk.publish.web.routes._analysis import (
    FACT_TYPES,
    Facts,
    describe_fact,
    entity_path,
    fact_entity_ids,
    facts_within,
    query_string,
)
from newsdesk.publish.web.templating import render

router = APIRouter()
PAGE_SIZE = 50
CSV_MAX_ROWS = 100_000
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection). One that
# opens the file splitting on ';', '|' or tabs sees a new cell after each of those too, so a
# formula character after any separator (spaces between allowed) is neutralised as well.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_AFTER_SEPARATOR = re.compile(r"([,;|\t\r\n] *)([=+\-@])")
CSV_COLUMNS = (
    "key",
    "type",
    "summary",
    "entities",
    "sentence",
    "first_reported",
    "article_id",
    "article_title",
    "article_url",
    "sources",
)


def neutralise(cell: object) -> str:
    """The cell as text a spreadsheet shows as text: an apostrophe before a formula start,
    at the start of the cell and after every separator in it."""
    value = "" if cell is None else str(cell)
    value = _FORMULA_AFTER_SEPARATOR.sub(r"\1'\2", value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


@router.get("/facts", response_class=HTMLResponse, include_in_schema=False)
def facts_page(
    request: Request,
    site: Site,
    reader: CurrentReader,
    facts: Facts,
    cursor: str | None = None,
) -> HTMLResponse:
    store = site.store
    position = read_cursor(cursor, id_type=str)
    since = reader.window_start(Resource.FACTS_HISTORY)
    rows, next_cursor = store.find_facts(
        facts_within(facts.filters, since), limit=PAGE_SIZE, cursor=position, scope=reader.scope
    )
    names = store.entity_names([i for row in rows for i in fact_entity_ids(row.data)])
    params = facts.params
    party = facts.filters.party
    chosen_party = store.get_entity(party, scope=reader.scope) if party else None
    export = reader.decide(Item(Resource.FACTS_EXPORT))
    return render(
        request,
        "facts.html",
        {
            "rows": [
                (
                    row,
                    describe_fact(row, names),
                    [(i, names.get(i, i)) for i in fact_entity_ids(row.data)],
                )
                for row in rows
            ],
            "fact_types": FACT_TYPES,
            "params": params,
            "commodities": store.entities_of_type(["commodity"], scope=reader.scope),
            "countries": store.entities_of_type(["country"], scope=reader.scope),
            "history_limited": since is not None,
            "can_export": export.full,
            "party": chosen_party,
            "csv_href": "/facts.csv?" + query_string(params),
            "next_href": (
                "/facts?" + query_string({**params, "cursor": next_cursor.encode()})
                if next_cursor
                else None
            ),
            "entity_path": entity_path,
        },
    )


@router.get("/facts.csv", include_in_schema=False)
def facts_csv(site: Site, reader: CurrentReader, facts: Facts) -> Response:
    if not reader.decide(Item(Resource.FACTS_EXPORT)).full:
        raise HTTPException(
            status_code=403, detail="The CSV export of the facts tracker is part of Pro: see /pro"
        )
    store = site.store
    rows, _ = store.find_facts(
        facts_within(facts.filters, reader.window_start(Resource.FACTS_HISTORY)),
        limit=CSV_MAX_ROWS,
        scope=reader.scope,
    )
    names = store.entity_names([i for row in rows for i in fact_entity_ids(row.data)])
    base = site.options.base_url.rstrip("/")
    return Response(
        facts_as_csv(rows, names, base),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": attachment("facts.csv")},
    )


def facts_as_csv(rows: Iterable[FactRow], names: dict[str, str], base_url: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        cells = (
            row.key,
            row.type,
            describe_fact(row, names),
            "; ".join(names.get(i, i) for i in fact_entity_ids(row.data)),
            row.sentence,
            row.reported.isoformat() if row.reported else "",
            row.article_id,
            row.article_title,
            f"{base_url}/articles/{row.article_id}",
            row.sources,
        )
        writer.writerow([neutralise(cell) for cell in cells])
    return out.getvalue()
