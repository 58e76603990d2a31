"""Keyset positions: the one Cursor type of every paged listing and search.

Every listing is ordered by (sort key DESC, id DESC); a page ends at the Cursor of its last
item and the next page is everything strictly after it. The sort key is a time (None for an
undated article: those come after every dated one) or a relevance score. Cursors travel as
opaque, URL-safe strings; they grant nothing, so they are not signed, but anything that does
not decode to a well-formed position is refused with BadCursorError.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import datetime

from newsdesk.domain.models import in_utc
from newsdesk.domain.urlsafe import b64decode, b64encode

MAX_CURSOR_CHARS = 512
MAX_ID_CHARS = 200
MAX_ROW_ID = 2**31 - 1  # the largest id a row can have: ids are INTEGER, 32-bit on PostgreSQL

SortKey = datetime | float | None


class BadCursorError(ValueError):
    """A cursor that is not one this site made: malformed, wrong kind or tampered with."""


@dataclass(frozen=True)
class Cursor:
    """Where a page ends: the last item's sort key and its id (the tie-breaker)."""

    key: SortKey
    id: int | str

    def __post_init__(self) -> None:
        if isinstance(self.key, datetime) and self.key.utcoffset() is None:
            raise BadCursorError("cursor time without a time zone")
        if isinstance(self.key, float) and not math.isfinite(self.key):
            raise BadCursorError("cursor score is not a number")
        if type(self.id) not in {int, str}:
            raise BadCursorError("cursor id must be an integer or a string")

    def expect(
        self, key_type: type[datetime] | type[float], id_type: type[int] | type[str]
    ) -> Cursor:
        """This cursor, if its sort key (a time may be None: undated) and id have these types."""
        key_fits = isinstance(self.key, key_type) or (self.key is None and key_type is datetime)
        if not key_fits or type(self.id) is not id_type:
            raise BadCursorError("invalid cursor: it belongs to another listing")
        return self

    def encode(self) -> str:
        key = self.key.isoformat() if isinstance(self.key, datetime) else self.key
        return b64encode(json.dumps([key, self.id], separators=(",", ":")).encode())

    @classmethod
    def decode(
        cls, text: str, *, key_type: type[datetime] | type[float], id_type: type[int] | type[str]
    ) -> Cursor:
        """The position in an encoded cursor whose sort key and id have the given types.

        Time keys must carry a time zone (or be null: undated); anything else raises
        BadCursorError."""
        if not text or len(text) > MAX_CURSOR_CHARS:
            raise BadCursorError("invalid cursor")
        try:
            value = json.loads(b64decode(text))
        except (ValueError, UnicodeDecodeError) as error:
            raise BadCursorError("invalid cursor") from error
        if not isinstance(value, list) or len(value) != 2:
            raise BadCursorError("invalid cursor")
        raw_key, raw_id = value
        if isinstance(raw_id, str) and len(raw_id) > MAX_ID_CHARS:
            raise BadCursorError("invalid cursor")
        if type(raw_id) is int and not -MAX_ROW_ID <= raw_id <= MAX_ROW_ID:
            raise BadCursorError("invalid cursor")
        return cls(_sort_key(raw_key, key_type), raw_id).expect(key_type, id_type)


def _sort_key(raw: object, kind: type[datetime] | type[float]) -> SortKey:
    if kind is datetime:
        if raw is None:
            return None
        if not isinstance(raw, str):
            raise BadCursorError("invalid cursor")
        try:
            moment = datetime.fromisoformat(raw)
        except ValueError as error:
            raise BadCursorError("invalid cursor") from error
        if moment.utcoffset() is None:
            return moment  # refused as naive by Cursor itself
        # In UTC, as the store compares: a time at the calendar's edge with an offset is no
        # position, and overflowed when bound (500).
        in_store = in_utc(moment)
        if in_store is None:
            raise BadCursorError("invalid cursor")
        return in_store
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise BadCursorError("invalid cursor")
    return float(raw)
