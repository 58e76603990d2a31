"""Signed, expiring tokens for links in emails and for form CSRF protection (stdlib only).

A token is ``base64url(json payload) "." base64url(HMAC-SHA256)``; the MAC covers the
purpose too, so a token made for one purpose ("confirm") never passes for another
("unsubscribe"). Single use is the caller's job (e.g. a nonce stored with the subscriber).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

from newsdesk.domain.urlsafe import b64decode, b64encode


class BadTokenError(ValueError):
    """The token is malformed, forged, made for another purpose or expired."""


def _mac(secret: str, purpose: str, body: str) -> str:
    key = hashlib.sha256(f"newsdesk:{purpose}:{secret}".encode()).digest()
    return b64encode(hmac.new(key, body.encode("ascii"), hashlib.sha256).digest())


def sign(
    secret: str,
    purpose: str,
    payload: dict[str, Any],
    *,
    max_age: float | None = None,
    now: float | None = None,
) -> str:
    """A URL-safe token carrying payload; it expires max_age seconds from now when given."""
    claims = dict(payload)
    if max_age is not None:
        claims["exp"] = int((time.time() if now is None else now) + max_age)
    body = b64encode(json.dumps(claims, separators=(",", ":"), sort_keys=True).encode())
    return f"{body}.{_mac(secret, purpose, body)}"


def verify(secret: str, purpose: str, token: str, *, now: float | None = None) -> dict[str, Any]:
    """The payload of a token sign() made with this secret and purpose; else BadTokenError."""
    body, dot, mac = token.partition(".")
    if not dot or not body or not mac or len(token) > 4096:
        raise BadTokenError("malformed token")
    if not hmac.compare_digest(mac, _mac(secret, purpose, body)):
        raise BadTokenError("invalid signature")
    try:
        claims = json.loads(b64decode(body))
    except (ValueError, UnicodeDecodeError) as error:
        raise BadTokenError("malformed token") from error
    if not isinstance(claims, dict):
        raise BadTokenError("malformed token")
    expires = claims.pop("exp", None)
    if expires is not None and (time.time() if now is None else now) > expires:
        raise BadTokenError("expired token")
    return claims
