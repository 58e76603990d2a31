"""Keyset pagination, the one way every listing and search pages (see domain/paging.py).

A listing is ordered by (sort key DESC, id DESC), optionally with the rows whose sort key is
NULL after all others (undated articles). The next page is the rows strictly after the
previous page's last Cursor, compared as a row value, ``(key, id) < (:key, :id)``, which
both databases can answer from an index on (key, id) (SQLite's rowid is the implicit last
column of every index).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, and_, literal, or_, tuple_

from newsdesk.domain.paging import BadCursorError, Cursor

Row = TypeVar("Row")


def newest_first(
    key: ColumnElement[Any], row_id: ColumnElement[Any], *, nulls_last: bool = False
) -> tuple[Any, ...]:
    """ORDER BY key DESC, id DESC (NULL keys last when nulls_last; SQLite already does so)."""
    descending = key.desc()
    return (descending.nulls_last() if nulls_last else descending, row_id.desc())


def after(
    cursor: Cursor,
    key: ColumnElement[Any],
    row_id: ColumnElement[Any],
    *,
    nulls_last: bool = False,
) -> ColumnElement[bool]:
    """The rows after cursor in newest_first(key, row_id, nulls_last=...) order."""
    position = literal(cursor.id, row_id.type)
    if cursor.key is None:
        if not nulls_last:
            raise BadCursorError("invalid cursor: this listing has no items without a sort key")
        return and_(key.is_(None), row_id < position)
    before = tuple_(key, row_id) < tuple_(literal(cursor.key, key.type), position)
    return or_(before, key.is_(None)) if nulls_last else before


def cut(
    rows: Sequence[Row], limit: int, position: Callable[[Row], Cursor]
) -> tuple[list[Row], Cursor | None]:
    """The first limit of rows (read limit + 1 of them) and the cursor of the next page."""
    page = list(rows[:limit])
    more = len(rows) > limit and bool(page)
    return page, position(page[-1]) if more else None
