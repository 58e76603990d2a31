"""The one spelling of a host name: what DNS is asked and what two URLs are compared by.

Non-ASCII names are encoded as browsers and httpx encode them (IDNA 2008 with UTS #46 mapping,
non-transitional), not with Python's ``"idna"`` codec, which is IDNA 2003: that codec turns
``faß.de`` into ``fass.de``, a different registered domain from the ``xn--fa-hia.de`` a browser
opens for the same link.
"""

from __future__ import annotations

__all__ = ["ascii_host"]


def ascii_host(host: str) -> str:
    """``host`` lower-cased, without a final dot, its non-ASCII labels in punycode.

    ASCII names are only lower-cased (DNS allows ``_`` and other names IDNA would refuse).
    Raises ValueError for a non-ASCII name IDNA cannot encode (empty labels, disallowed
    characters, labels over 63 octets).
    """
    name = host.lower().rstrip(".")
    if name.isascii():
        return name
    import idna  # its tables load only when a non-ASCII host appears

    try:
        return idna.encode(name, uts46=True).decode("ascii").rstrip(".")
    except UnicodeError as exc:  # idna.IDNAError is one
        raise ValueError(f"{host!r} is not a host name IDNA can encode: {exc}") from exc
