"""Signed, expiring tokens for links in emails and for form CSRF protection (stdlib only).

A token is ``base64url(json payload) "." base64url(HMAC-SHA256)``; the MAC covers the
purpose too, so a token made for one purpose ("confirm") never passes for another
("unsubscribe"). Single use is the caller's job (e.g. a nonce stored with the subscriber).

Keys rotate: SigningKeys signs with its current key and verifies with the current and every
previous one, so links already mailed keep working while the old key is still listed.

Why not itsdangerous: its tokens are a different format, so adopting it would break every
unsubscribe and preference link already in a mailbox (they never expire), the very failure
rotation is for; we would have to keep this verifier anyway. What it would add (key lists,
timestamps) is the few lines below, and domain stays free of third-party imports.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import time
from dataclasses import dataclass
from typing import Any

from newsdesk.domain.paging import MAX_ROW_ID
from newsdesk.domain.urlsafe import b64decode, b64encode


class BadTokenError(ValueError):
    """The token is malformed, forged, made for another purpose or expired."""


@dataclass(frozen=True, repr=False)
class SigningKeys:
    """The key that signs, and older keys still accepted when verifying (newest first)."""

    current: str
    previous: tuple[str, ...] = ()

    def __repr__(self) -> str:  # keys must never reach a log line
        return f"SigningKeys(current=********, previous={len(self.previous)} key(s))"

    @property
    def accepted(self) -> tuple[str, ...]:
        return (self.current, *self.previous)


Keys = SigningKeys | str  # a plain string is a single key


def _keys(keys: Keys) -> SigningKeys:
    return keys if isinstance(keys, SigningKeys) else SigningKeys(keys)


def _mac(secret: str, purpose: str, body: str) -> str:
    key = hashlib.sha256(f"newsdesk:{purpose}:{secret}".encode()).digest()
    return b64encode(hmac.new(key, body.encode("ascii"), hashlib.sha256).digest())


def sign(
    keys: Keys,
    purpose: str,
    payload: dict[str, Any],
    *,
    max_age: float | None = None,
    now: float | None = None,
) -> str:
    """A URL-safe token carrying payload, signed with the current key; it expires max_age
    seconds from now when given."""
    claims = dict(payload)
    if max_age is not None:
        claims["exp"] = int((time.time() if now is None else now) + max_age)
    body = b64encode(json.dumps(claims, separators=(",", ":"), sort_keys=True).encode())
    return f"{body}.{_mac(_keys(keys).current, purpose, body)}"


def verify(keys: Keys, purpose: str, token: str, *, now: float | None = None) -> dict[str, Any]:
    """The payload of a token sign() made for this purpose with any accepted key; else
    BadTokenError."""
    body, dot, mac = token.partition(".")
    if not dot or not body or not mac or len(token) > 4096 or not token.isascii():
        raise BadTokenError("malformed token")
    # Every key is tried (no early exit), so the time taken says nothing about which matched.
    matches = [hmac.compare_digest(mac, _mac(key, purpose, body)) for key in _keys(keys).accepted]
    if not any(matches):
        raise BadTokenError("invalid signature")
    try:
        claims = json.loads(b64decode(body))
    except (ValueError, UnicodeDecodeError) as error:
        raise BadTokenError("malformed token") from error
    if not isinstance(claims, dict):
        raise BadTokenError("malformed token")
    if "exp" in claims:
        expires = claims.pop("exp")
        # sign() writes a whole number; anything else (a string, null, NaN) is no time at all
        if type(expires) not in (int, float) or not math.isfinite(expires):
            raise BadTokenError("malformed token")
        if (time.time() if now is None else now) > expires:
            raise BadTokenError("expired token")
    return claims


def claimed_row_id(claims: dict[str, Any], name: str) -> int:
    """The row id a verified token's claim ``name`` holds; BadTokenError unless it is a whole
    number a row can have (1 to MAX_ROW_ID). A signed id outside the id column's range never
    names a row, and handed to the database it fails there (a 500), not as a bad link."""
    value = claims.get(name)
    if type(value) is not int or not 1 <= value <= MAX_ROW_ID:
        raise BadTokenError("malformed token")
    return value
