"""Who a web client is: the one client-identity rule every web package uses. Pure, stdlib only.

Behind a reverse proxy the TCP peer is the proxy. ``client_address`` believes the
``X-Forwarded-For`` chain only as far as it was written by listed proxies (read from the right,
each trusted hop vouching for the one before it), so a client cannot choose its own address
by sending the header. ``rate_key`` is what rate limits count under: an IPv4 address, or an
IPv6 client's /64 (one subscriber line gets a whole /64 and rotates freely within it).
``same_origin_problem`` decides whether a browser's form post came from this site.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

LOOPBACK_PROXIES = ("127.0.0.1", "::1")
UNKNOWN_CLIENT = "unknown"
MAX_FORWARDED_HOPS = 32


def parse_trusted_proxies(entries: Iterable[str]) -> tuple[Network, ...]:
    """Addresses or networks (``10.0.0.0/8``, ``::1``) of proxies whose forwarding headers
    are believed; ValueError naming the entry that is neither."""
    networks: list[Network] = []
    for raw in entries:
        entry = raw.strip()
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError as error:
            raise ValueError(f"not an IP address or network: {entry!r}") from error
    return tuple(networks)


def parse_address(text: str | None) -> IPAddress | None:
    """An address as peers and X-Forwarded-For write it (``[v6]:port`` and ``v4:port`` too);
    IPv4-mapped IPv6 as the IPv4 address; None for anything else."""
    if not text:
        return None
    value = text.strip()
    if value.startswith("["):
        value = value[1:].partition("]")[0]
    elif value.count(":") == 1:
        value = value.partition(":")[0]
    try:
        address = ipaddress.ip_address(value.partition("%")[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def is_trusted(address: IPAddress | None, trusted: Sequence[Network]) -> bool:
    return address is not None and any(address in network for network in trusted)


def client_address(
    peer: str | None, forwarded_for: Sequence[str], trusted: Sequence[Network]
) -> str | None:
    """The client's address: the TCP peer, unless the peer is a trusted proxy; then the
    nearest X-Forwarded-For entry (from the right) that is not itself a trusted proxy. An
    entry that is no address ends the walk at the hop that wrote it."""
    nearest = parse_address(peer)
    if not is_trusted(nearest, trusted):
        return str(nearest) if nearest is not None else peer
    hops = [hop for value in forwarded_for for hop in value.split(",")][-MAX_FORWARDED_HOPS:]
    for hop in reversed(hops):
        address = parse_address(hop)
        if address is None:
            break
        nearest = address
        if not is_trusted(address, trusted):
            break
    return str(nearest)


def forwarded_scheme(
    peer: str | None, forwarded_proto: Sequence[str], trusted: Sequence[Network]
) -> str | None:
    """http or https as a trusted proxy reports it (X-Forwarded-Proto); None otherwise."""
    if not forwarded_proto or not is_trusted(parse_address(peer), trusted):
        return None
    value = forwarded_proto[-1].split(",")[-1].strip().lower()
    return value if value in {"http", "https"} else None


def rate_key(address: str | None) -> str:
    """The key a client's rate limits count under: its IPv4 address, its IPv6 /64, or
    "unknown" (shared by every client without a usable address)."""
    parsed = parse_address(address)
    if parsed is None:
        return UNKNOWN_CLIENT
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed)


def origin_of(url: str) -> str:
    """scheme://host[:port] of a URL, lower-cased (how browsers write the Origin header)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def is_loopback_url(url: str) -> bool:
    """True when url's host is this machine only: localhost (and *.localhost), 127.0.0.0/8 or
    ::1. The default secret key and plain-HTTP admin pages are allowed there only."""
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return False
    if host is None:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return True
    address = parse_address(host)
    return address is not None and address.is_loopback


def same_origin_problem(
    origin: str | None, fetch_site: str | None, allowed_origins: Iterable[str]
) -> str | None:
    """Why a browser's form post must be refused as cross-site, or None to let it through.

    Sec-Fetch-Site "cross-site" or "same-site" (a sibling subdomain) is refused; an Origin
    other than the allowed ones too (including "null", sent by sandboxed frames and some
    redirects). A request with neither header is not from a browser form; the form's own
    token then decides."""
    if (fetch_site or "").strip().lower() in {"cross-site", "same-site"}:
        return "cross-site form posts are refused"
    if origin is None:
        return None
    if origin.strip().lower() not in {o.lower() for o in allowed_origins}:
        return "cross-site form posts are refused"
    return None
