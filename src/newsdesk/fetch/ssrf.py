"""SSRF guard decisions: which URLs and addresses the fetcher may reach. Pure, no I/O.

The network side (resolving a name and connecting only to a checked address) lives in
``transport``; everything here is a decision on strings and addresses.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit, urlunsplit

from newsdesk.domain import FetchError, FetchErrorKind
from newsdesk.text.hosts import ascii_host

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

ALLOWED_SCHEMES = frozenset({"http", "https"})
DEFAULT_PORTS = {"http": 80, "https": 443}

_CGNAT = ipaddress.IPv4Network("100.64.0.0/10")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_DECIMAL = re.compile(r"[0-9]+")
_OCTAL = re.compile(r"0[0-7]*")
_HEX = re.compile(r"0[xX][0-9a-fA-F]*")
_HOSTNAME = re.compile(r"[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*")


def blocked(message: str, url: str = "") -> FetchError:
    """The error for a refused destination; its text starts with "blocked destination"."""
    return FetchError(FetchErrorKind.BLOCKED_DESTINATION, message, url=url)


def is_blocked_address(ip: IPAddress) -> bool:
    """True for every address that is not plainly public unicast.

    Loopback, private, link-local, CGNAT (100.64/10), multicast, unspecified and reserved
    ranges are blocked, as are the deprecated IPv6 site-local range (fec0::/10, still routed
    inside some networks), IPv6 forms that embed such an IPv4 address (mapped, 6to4, NAT64)
    and Teredo tunnels, whose real endpoint cannot be judged.
    """
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return is_blocked_address(ip.ipv4_mapped)
        if ip.sixtofour is not None:
            return is_blocked_address(ip.sixtofour)
        if ip.teredo is not None:
            return True
        if ip in _NAT64:
            return is_blocked_address(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        if ip.is_site_local:
            return True
    elif ip in _CGNAT:
        return True
    return (
        not ip.is_global
        or ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_unspecified
        or ip.is_reserved
    )


def _ipv4_number(part: str) -> int | None:
    """One dotted part as inet_aton reads it: 0x… hex, 0… octal, else decimal; None if no
    number at all. Raises ValueError for digits that are no valid octal (``08``)."""
    if _HEX.fullmatch(part):
        return int(part[2:] or "0", 16)
    if not _DECIMAL.fullmatch(part):
        return None
    if part.startswith("0"):
        if not _OCTAL.fullmatch(part):
            raise ValueError(f"invalid octal number {part!r} in an IPv4 address")
        return int(part, 8)
    return int(part)


def parse_ipv4_loose(host: str) -> ipaddress.IPv4Address | None:
    """Read every spelling inet_aton and browsers accept (``0177.0.0.1``, ``2130706433``,
    ``0x7f.1``) as the address it means; None if ``host`` is a name, not a number.

    Raises ValueError for a host that looks numeric but is no valid address (``1.2.3.999``).
    """
    parts = host.split(".")
    if len(parts) > 1 and parts[-1] == "":
        parts = parts[:-1]
    if _ipv4_number(parts[-1]) is None:
        return None
    numbers = [_ipv4_number(part) for part in parts]
    if len(parts) > 4 or any(number is None for number in numbers):
        raise ValueError(f"invalid IPv4 address {host!r}")
    values = [number for number in numbers if number is not None]
    *leading, last = values
    if any(value > 255 for value in leading) or last >= 256 ** (5 - len(values)):
        raise ValueError(f"invalid IPv4 address {host!r}")
    address = last
    for index, value in enumerate(leading):
        address += value << (8 * (3 - index))
    return ipaddress.IPv4Address(address)


def parse_host(host: str) -> IPAddress | str:
    """Normalise a URL host: an IP address for any numeric spelling, else a lower-case name.

    Raises ValueError for a host that is neither a valid address nor a plausible name.
    """
    host = host.strip().lower()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if ":" in host:
        if "%" in host:
            raise ValueError(f"IPv6 zone identifiers are not accepted: {host!r}")
        return ipaddress.IPv6Address(host)
    try:
        # before the IPv4 reading, as browsers do: IDNA maps "127.0.0.①", fullwidth digits and
        # ideographic dots to an address, which must be judged as that address
        name = ascii_host(host)
    except ValueError as exc:
        raise ValueError(f"invalid host name {host!r}") from exc
    ipv4 = parse_ipv4_loose(name)
    if ipv4 is not None:
        return ipv4
    if not name or len(name) > 253 or not _HOSTNAME.fullmatch(name):
        raise ValueError(f"invalid host name {host!r}")
    return name


@dataclass(frozen=True)
class AllowEntry:
    host: IPAddress | str
    port: int | None  # None: any port

    def matches(self, host: IPAddress | str, port: int) -> bool:
        return self.host == host and (self.port is None or self.port == port)


def _split_host_port(text: str) -> tuple[str, int | None]:
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        if rest and not rest.startswith(":"):
            raise ValueError("text after ']' must be ':port'")
        return host, int(rest[1:]) if rest else None
    if text.count(":") == 1:
        host, _, port = text.partition(":")
        return host, int(port)
    return text, None


def parse_allow_entry(entry: str) -> AllowEntry:
    """``host``, ``host:port``, ``[v6]`` or ``[v6]:port`` → AllowEntry; ValueError if invalid."""
    try:
        host, port = _split_host_port(entry.strip())
        parsed = parse_host(host)
    except ValueError as exc:
        raise ValueError(f"invalid allow-list entry {entry!r}: {exc}") from exc
    if port is not None and not 0 < port < 65536:
        raise ValueError(f"invalid allow-list entry {entry!r}: port out of range")
    return AllowEntry(parsed, port)


def is_allowed_host(host: IPAddress | str, port: int, allow: tuple[AllowEntry, ...]) -> bool:
    return any(entry.matches(host, port) for entry in allow)


@dataclass(frozen=True)
class Target:
    """A URL that passed the static checks, with its host normalised."""

    url: str  # with the host rewritten to its canonical form
    scheme: str
    host: IPAddress | str
    port: int
    allowed: bool  # on the allow-list: may resolve to loopback or private addresses

    @property
    def origin(self) -> str:
        return f"{self.scheme}://{_netloc(self.host, self.port, self.scheme)}"


def _netloc(host: IPAddress | str, port: int, scheme: str) -> str:
    text = f"[{host}]" if isinstance(host, ipaddress.IPv6Address) else str(host)
    return text if DEFAULT_PORTS[scheme] == port else f"{text}:{port}"


def check_url(url: str, allow: tuple[AllowEntry, ...]) -> Target:
    """Refuse URLs the fetcher must never request, before any DNS lookup or connection.

    Raises FetchError BAD_URL for unparseable URLs and BLOCKED_DESTINATION for other schemes
    and for IP-literal hosts in blocked ranges that are not on the allow-list. Host names are
    checked again after DNS, on the address actually connected to.
    """
    try:
        parts: SplitResult = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise FetchError(FetchErrorKind.BAD_URL, f"cannot parse {url!r}: {exc}", url=url) from exc
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise blocked(f"scheme {scheme or '(none)'!r} is not allowed, only http and https", url)
    if parts.hostname is None or parts.username is not None or parts.password is not None:
        raise FetchError(
            FetchErrorKind.BAD_URL, f"{url!r} needs a host and must not carry credentials", url=url
        )
    try:
        host = parse_host(_raw_host(parts.netloc))
    except ValueError as exc:
        raise FetchError(FetchErrorKind.BAD_URL, f"bad host in {url!r}: {exc}", url=url) from exc
    port = port if port is not None else DEFAULT_PORTS[scheme]
    allowed = is_allowed_host(host, port, allow)
    if not allowed and isinstance(host, ipaddress.IPv4Address | ipaddress.IPv6Address):
        if is_blocked_address(host):
            raise blocked(f"{host} is not a public address", url)
    elif not allowed and (host == "localhost" or str(host).endswith(".localhost")):
        raise blocked(f"{host} is loopback", url)
    canonical = urlunsplit(
        (scheme, _netloc(host, port, scheme), parts.path or "/", parts.query, "")
    )
    return Target(url=canonical, scheme=scheme, host=host, port=port, allowed=allowed)


def _raw_host(netloc: str) -> str:
    """The host as written (urlsplit's ``hostname`` lower-cases and drops IPv6 brackets)."""
    hostport = netloc.rpartition("@")[2]
    if hostport.startswith("["):
        return hostport[: hostport.index("]") + 1]
    return hostport.partition(":")[0]
