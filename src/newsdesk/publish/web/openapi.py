"""The exact OpenAPI document of the JSON API (/openapi.json): what a generated client needs.

FastAPI writes most of it from the routes' signatures; this module supplies what it cannot:

* the error answers: every operation lists the 4xx statuses it can give (400 for values the
  route checks itself, 404 for a path id or cursor that names nothing, 422 for values that fail the
  declared types, 429 when rate limited) with their body, `{"error": "…"}`;
* parameter schemas as they are checked: optional query parameters are absent or a string
  (never JSON null), dates are `format: date` (or empty: the site's forms send empty fields),
  cursors are URL-safe base64, entity ids and enums have their patterns and values;
* the site's sectors (configured per site) as the enum of every sector parameter.

Route modules declare their parameters with the annotations below and their errors with
`errors(...)`; create_app installs `exact_openapi` as the app's document. Routes that are not
part of the public API (pages, feeds, forms, admin) are left out with include_in_schema=False.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, Field

from newsdesk.domain.paging import MAX_ROW_ID
from newsdesk.publish.web.pagination import CURSOR_MAX_CHARS, CURSOR_PATTERN

ERROR_DESCRIPTIONS = {
    400: "A value the route checks itself is malformed or unknown (the message says which)",
    401: "The credentials sent (API key, session) are not valid",
    404: "The path, or the cursor, names nothing that exists",
    413: "The request body is larger than the site accepts",
    422: "A value does not have the declared type or bounds",
    429: "Too many requests; try again after Retry-After seconds",
}

# Schemas of the parameters whose checks FastAPI does not declare (the route checks them).
CURSOR_SCHEMA: dict[str, Any] = {
    "type": "string",
    "maxLength": CURSOR_MAX_CHARS,
    "pattern": CURSOR_PATTERN,
    "description": "next_cursor of the previous page (opaque; one of this form that the "
    "listing did not hand out is a 404)",
}
DAY_SCHEMA: dict[str, Any] = {
    "anyOf": [{"type": "string", "format": "date"}, {"type": "string", "maxLength": 0}],
    "description": "A day as YYYY-MM-DD (empty: no bound)",
}
# An entity id as the site writes it ("org:jogmec"): no control characters, at most 200.
ENTITY_ID_PATTERN = "^[^\\u0000-\\u001f]{0,200}$"
ENTITY_ID_PATH_PATTERN = "^[^\\u0000-\\u001f]{1,200}$"
ENTITY_ID_SCHEMA: dict[str, Any] = {"type": "string", "pattern": ENTITY_ID_PATTERN}


def digits_at_most(limit: int) -> str:
    """A regular expression for a run of at most len(str(limit)) digits worth at most limit."""
    text = str(limit)
    width = len(text)
    alternatives = [f"[0-9]{{1,{width - 1}}}"] if width > 1 else []
    for place, char in enumerate(text):
        last = place == width - 1
        top = int(char) if last else int(char) - 1  # the last place may equal the limit's digit
        if top < 0:
            continue
        digit = "0" if top == 0 else "[01]" if top == 1 else f"[0-{top}]"
        rest = width - place - 1
        tail = "" if rest == 0 else "[0-9]" if rest == 1 else f"[0-9]{{{rest}}}"
        alternatives.append(text[:place] + digit + tail)
    return "|".join(alternatives)


# A source id as a string (the search form sends one): digits, at most MAX_ROW_ID; or empty.
SOURCE_ID_PATTERN = f"^(?:{digits_at_most(MAX_ROW_ID)})?$"
_ERROR_REF = {"$ref": "#/components/schemas/ErrorBody"}
SECTOR_MARK = "x-newsdesk-sector"  # replaced by the enum of the site's sector ids


class ErrorBody(BaseModel):
    """The body of every 4xx answer of the API."""

    error: str = Field(description="What was wrong, for a person to read")


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a route that can answer with these error statuses."""
    return {code: {"model": ErrorBody, "description": ERROR_DESCRIPTIONS[code]} for code in codes}


def sector_schema(*, empty: bool = False) -> dict[str, Any]:
    """A sector id of this site (the enum is filled in by exact_openapi); empty allowed when
    the route reads an empty value as "any sector"."""
    return {"type": "string", SECTOR_MARK: {"empty": empty}}


def exact_openapi(app: FastAPI, sector_ids: Sequence[str]) -> Callable[[], dict[str, Any]]:
    """The app.openapi of create_app: the document, built once."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            app.openapi_schema = refine(document, sector_ids)
        return app.openapi_schema

    return openapi


def refine(document: dict[str, Any], sector_ids: Sequence[str]) -> dict[str, Any]:
    """The document with exact parameter schemas, the sectors filled in and no JSON null
    where a query parameter can only be absent or a string."""
    components = document.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("ErrorBody", ErrorBody.model_json_schema())
    for operation in _operations(document):
        for parameter in operation.get("parameters", []):
            parameter["schema"] = _fill_sectors(_without_null(parameter["schema"]), sector_ids)
        if operation.get("security"):
            # Credentials are optional: anonymous readers are served too (previews, free quota).
            if {} not in operation["security"]:
                operation["security"].append({})
            # It reads the viewer's credentials (a refused one is a 401) and counts the
            # request against the viewer's quota (429 beyond it): publish/web/reader.py.
            for code in (401, 429):
                operation["responses"].setdefault(
                    str(code),
                    {
                        "description": ERROR_DESCRIPTIONS[code],
                        "content": {"application/json": {"schema": _ERROR_REF}},
                    },
                )
        invalid = operation.get("responses", {}).get("422")
        if invalid is not None:  # create_app answers validation errors as {"error": "…"}
            invalid["description"] = ERROR_DESCRIPTIONS[422]
            invalid["content"] = {"application/json": {"schema": _ERROR_REF}}
    for schema in components.values():
        for name, value in list(schema.get("properties", {}).items()):
            schema["properties"][name] = _fill_sectors(value, sector_ids)
    # FastAPI's own validation error shape is not what the site answers; unused now.
    for unused in ("HTTPValidationError", "ValidationError"):
        if not _referenced(document, unused):
            components.pop(unused, None)
    return document


def _operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        operation
        for methods in document.get("paths", {}).values()
        for operation in methods.values()
        if isinstance(operation, dict)
    ]


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    """`anyOf: [X, null]` as X: a query parameter is absent or a string, never null."""
    branches = schema.get("anyOf")
    if not isinstance(branches, list):
        return schema
    kept = [branch for branch in branches if branch != {"type": "null"}]
    if len(kept) == len(branches):
        return schema
    rest = {key: value for key, value in schema.items() if key != "anyOf"}
    if len(kept) == 1:
        return {**kept[0], **rest}
    return {**rest, "anyOf": kept}


def _fill_sectors(schema: dict[str, Any], sector_ids: Sequence[str]) -> dict[str, Any]:
    """A marked schema (or a list of them) as the enum of the site's sectors."""
    mark = schema.get(SECTOR_MARK)
    items = schema.get("items")
    if not isinstance(mark, dict):
        if schema.get("type") == "array" and isinstance(items, dict) and SECTOR_MARK in items:
            return {**schema, "items": _fill_sectors(items, sector_ids)}
        return schema
    sector = {
        "type": "string",
        "enum": list(sector_ids) + ([""] if mark.get("empty") else []),
    }
    rest = {key: value for key, value in schema.items() if key != SECTOR_MARK}
    if schema.get("type") == "array":
        return {**rest, "items": sector}
    return {**rest, **sector}


def _referenced(document: dict[str, Any], name: str) -> bool:
    import json

    return f'"#/components/schemas/{name}"' in json.dumps(document.get("paths", {}))
