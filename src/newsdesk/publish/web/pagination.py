"""Cursor pagination for the JSON API: opaque, URL-safe cursors over a stable sort key.

A cursor carries the sort key of the last item served (e.g. {"t": "2026-11-27T…", "id": 42});
the next page is everything strictly after it. Cursors are tamper-evident only in the sense
that malformed ones are refused with 400; they grant nothing, so they are not signed.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


def encode_cursor(key: dict[str, Any]) -> str:
    raw = json.dumps(key, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def decode_cursor(cursor: str | None, *, fields: Sequence[str]) -> dict[str, Any] | None:
    """The key inside a cursor, which must hold exactly `fields`; None for no cursor; else 400."""
    if cursor is None or cursor == "":
        return None
    if len(cursor) > 512:
        raise HTTPException(status_code=400, detail="invalid cursor")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key = json.loads(raw)
    except (ValueError, binascii.Error, UnicodeDecodeError) as error:
        raise HTTPException(status_code=400, detail="invalid cursor") from error
    if not isinstance(key, dict) or sorted(key) != sorted(fields):
        raise HTTPException(status_code=400, detail="invalid cursor")
    if any(not isinstance(v, str | int | float) or isinstance(v, bool) for v in key.values()):
        raise HTTPException(status_code=400, detail="invalid cursor")
    return key


@dataclass(frozen=True)
class Page:
    """One page of API results: {"items": [...], "next_cursor": "…" | null}."""

    items: list[dict[str, Any]]
    next_cursor: str | None

    def as_json(self) -> dict[str, Any]:
        return {"items": self.items, "next_cursor": self.next_cursor}


def clamp_limit(limit: int | None) -> int:
    if limit is None:
        return DEFAULT_LIMIT
    return max(1, min(MAX_LIMIT, limit))
