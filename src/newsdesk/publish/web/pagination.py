"""Paging parameters of the site and API: opaque cursors (domain.paging.Cursor) and limits.

A cursor this module cannot place raises BadCursorError, which create_app answers on every
route with 400 when it does not have the documented form (CURSOR_PATTERN, CURSOR_MAX_CHARS) and
404 when it has: then the request is well formed but names no page of the listing (made up,
from another listing, from an older version). The entity ranking pages by position instead (an
offset cursor): its order breaks ties by name, which no (sort key, id) position can express.
"""

from __future__ import annotations

import json
import re
from datetime import datetime

from newsdesk.domain.paging import BadCursorError, Cursor
from newsdesk.domain.urlsafe import b64decode, b64encode

CURSOR_PATTERN = "^[A-Za-z0-9_-]*$"  # URL-safe base64 without padding
CURSOR_MAX_CHARS = 512
INVALID_CURSOR = "invalid cursor"
UNKNOWN_CURSOR = "unknown cursor: not one this listing handed out; start again without it"
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_OFFSET = 100_000


def cursor_status(text: str) -> tuple[int, str]:
    """The answer to a cursor that could not be placed: 400 if malformed, else 404."""
    if len(text) <= CURSOR_MAX_CHARS and re.fullmatch(CURSOR_PATTERN, text):
        return 404, UNKNOWN_CURSOR
    return 400, INVALID_CURSOR


def read_cursor(
    text: str | None,
    *,
    key_type: type[datetime] | type[float] = datetime,
    id_type: type[int] | type[str] = int,
) -> Cursor | None:
    """The position in a ?cursor= value (None when absent); BadCursorError when malformed."""
    if text is None or text == "":
        return None
    return Cursor.decode(text, key_type=key_type, id_type=id_type)


def cursor_text(cursor: Cursor | None) -> str | None:
    return None if cursor is None else cursor.encode()


def offset_cursor(offset: int) -> str:
    return b64encode(json.dumps({"o": offset}).encode())


def read_offset(text: str | None) -> int:
    """The offset in an offset_cursor (0 when absent); BadCursorError when malformed."""
    if text is None or text == "":
        return 0
    try:
        value = json.loads(b64decode(text)) if len(text) <= 64 else None
    except (ValueError, UnicodeDecodeError) as error:
        raise BadCursorError("invalid cursor") from error
    offset = value.get("o") if isinstance(value, dict) and len(value) == 1 else None
    if type(offset) is not int or not 0 <= offset <= MAX_OFFSET:
        raise BadCursorError("invalid cursor")
    return offset


def clamp_limit(limit: int | None) -> int:
    if limit is None:
        return DEFAULT_LIMIT
    return max(1, min(MAX_LIMIT, limit))
