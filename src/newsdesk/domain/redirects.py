"""Where a redirect after a form may go: the ``next=`` of sign-in and friends (stdlib only)."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

MAX_NEXT = 2048
_REFUSED_CHARS = "\\\r\n\t\x00"


def safe_next(target: str | None, default: str = "/") -> str:
    """A local path to redirect to; anything absolute, scheme-relative or odd gives default.

    Refused: other hosts (``//evil``, ``https://evil``), schemes (``javascript:``), back-
    slashes (browsers read ``/\\evil`` as ``//evil``), control characters, and the same
    tricks percent-encoded once (``/%2F%2Fevil``, ``/%5Cevil``, ``%0d%0a``).
    """
    if not target or len(target) > MAX_NEXT:
        return default
    for candidate in (target, unquote(target)):
        if any(ch in candidate for ch in _REFUSED_CHARS) or not candidate.startswith("/"):
            return default
        if candidate.startswith("//"):
            return default
        parts = urlsplit(candidate)
        if parts.scheme or parts.netloc:
            return default
    return target
