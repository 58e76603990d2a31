"""Unpadded base64url, the encoding of signed tokens and API cursors (both travel in URLs)."""

from __future__ import annotations

import base64
import binascii


def b64encode(data: bytes) -> str:
    """base64url without the trailing '=' padding."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64decode(text: str) -> bytes:
    """The bytes of unpadded (or padded) base64url text; ValueError if it is not that."""
    try:
        return base64.urlsafe_b64decode(text.encode("ascii") + b"=" * (-len(text) % 4))
    except (binascii.Error, UnicodeEncodeError) as error:
        raise ValueError("not base64url") from error
