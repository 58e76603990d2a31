"""Typed parameters shared by the route modules: what a well-formed one looks like.

An id beyond what a row can hold is malformed input (422), not a lookup that overflows in
the database driver. The query parameters the routes check themselves (400) carry their exact
schema for /openapi.json (newsdesk.publish.web.openapi); FastAPI validates only their type.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

from newsdesk.domain.paging import MAX_ROW_ID
from newsdesk.publish.web.openapi import (
    CURSOR_SCHEMA,
    DAY_SCHEMA,
    ENTITY_ID_PATH_PATTERN,
    ENTITY_ID_SCHEMA,
    SECTOR_MARK,
    SOURCE_ID_PATTERN,
    sector_schema,
)

ArticleId = Annotated[int, Path(ge=1, le=MAX_ROW_ID, description="Stable article id")]
StoryId = Annotated[int, Path(ge=1, le=MAX_ROW_ID, description="Stable story id")]
EntityIdPath = Annotated[
    str,
    Path(
        description="An entity id, e.g. org:jogmec",
        json_schema_extra={"pattern": ENTITY_ID_PATH_PATTERN},
    ),
]
SectorIdPath = Annotated[str, Path(description="A sector id", json_schema_extra=sector_schema())]

CursorQuery = Annotated[str | None, Query(json_schema_extra=CURSOR_SCHEMA)]
LimitQuery = Annotated[
    int | None, Query(description="Items per page, 1 to 100 (others are brought into range)")
]
FromQuery = Annotated[str | None, Query(alias="from", json_schema_extra=DAY_SCHEMA)]
ToQuery = Annotated[str | None, Query(alias="to", json_schema_extra=DAY_SCHEMA)]
EntityQuery = Annotated[str | None, Query(json_schema_extra=ENTITY_ID_SCHEMA)]
SectorsQuery = Annotated[list[str] | None, Query(json_schema_extra={SECTOR_MARK: {"empty": True}})]
SourceQuery = Annotated[
    str | None,
    Query(
        description="A source id (empty: any source)",
        json_schema_extra={"type": "string", "pattern": SOURCE_ID_PATTERN},
    ),
]
SortQuery = Annotated[
    str | None,
    Query(
        description="relevance (default) or date, newest first",
        json_schema_extra={"type": "string", "enum": ["", "relevance", "date"]},
    ),
]
