"""The SSRF guard: every odd spelling of a private address is refused, directly and through a
redirect, before any connection is made."""

from __future__ import annotations

import ipaddress
from typing import Any, ClassVar

import httpcore
import pytest
from fetch_servers import Canary, LocalServer, options_for, run
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.domain import FetchError, FetchErrorKind
from newsdesk.fetch import (
    Fetcher,
    FetchOptions,
    check_url,
    is_blocked_address,
    parse_allow_entry,
    parse_host,
    parse_ipv4_loose,
)
from newsdesk.fetch.ssrf import IPAddress
from newsdesk.fetch.transport import GuardedNetworkBackend, Resolver

LOOPBACK_SPELLINGS = [
    "127.0.0.1",
    "0177.0.0.1",
    "2130706433",
    "0x7f.1",
    "0x7f000001",
    "127.1",
    "0.0.0.0",  # Linux connects this to loopback
    "[::ffff:127.0.0.1]",
    "[::1]",
    "localhost",
    "LOCALHOST.",
]
PRIVATE_URLS = [
    "http://10.0.0.1/",
    "http://192.168.1.1/",
    "http://172.16.0.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://100.64.0.1/",
    "http://0.0.0.0/",
    "http://224.0.0.1/",
    "http://[fe80::1]/",
    "http://[fc00::1]/",
    "http://[::]/",
    "http://[2002:7f00:1::]/",  # 6to4 wrapping 127.0.0.1
    "http://[64:ff9b::a00:1]/",  # NAT64 wrapping 10.0.0.1
    "http://[fec0::1]/",  # deprecated site-local, still routed inside some networks
    "http://[feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]/",  # the last site-local address
]
# fec0::/10 (RFC 3879 deprecated it; some networks still route it): its first and last
# addresses, a few inside, and its neighbours on both sides, which are judged on their own.
SITE_LOCAL = [
    "fec0::",
    "fec0::1",
    "fed0:1:2:3::4",
    "fee0::dead:beef",
    "feff:ffff::1",
    "feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
]
OTHER_SCHEMES = ["file:///etc/passwd", "ftp://ftp.example.com/file", "gopher://x/", "data:,x"]


def refused(options: FetchOptions, url: str) -> FetchError:
    async def go() -> None:
        async with Fetcher(options) as fetcher:
            await fetcher.fetch(url)

    with pytest.raises(FetchError) as caught:
        run(go())
    return caught.value


class ConnectLog(httpcore.AnyIOBackend):
    """The real socket layer, recording every (host, port) a connection is opened to."""

    opened: ClassVar[list[tuple[str, int]]] = []

    async def connect_tcp(
        self, host: str, port: int, *args: Any, **kwargs: Any
    ) -> httpcore.AsyncNetworkStream:
        self.opened.append((host, port))
        return await super().connect_tcp(host, port, *args, **kwargs)


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Every connection the fetcher opens during the test, in order."""
    opened: ClassVar[list[tuple[str, int]]] = []
    monkeypatch.setattr(ConnectLog, "opened", opened)
    monkeypatch.setattr(httpcore, "AnyIOBackend", ConnectLog)
    return opened


@pytest.mark.parametrize(
    ("spelling", "expected"),
    [
        ("0177.0.0.1", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("0x7F.0.0.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("10.1", "10.0.0.1"),
        ("192.168.257", "192.168.1.1"),
        ("017700000001", "127.0.0.1"),
        ("1.2.3.4.", "1.2.3.4"),
    ],
)
def test_loose_ipv4_spellings_mean_what_inet_aton_says(spelling: str, expected: str) -> None:
    assert parse_ipv4_loose(spelling) == ipaddress.IPv4Address(expected)


@pytest.mark.parametrize("spelling", ["1.2.3.256", "08.0.0.1", "1.2.3.4.5", "4294967296", "a.1"])
def test_invalid_numeric_hosts_are_errors(spelling: str) -> None:
    with pytest.raises(ValueError, match="invalid"):
        parse_ipv4_loose(spelling)


def test_names_are_not_addresses() -> None:
    assert parse_ipv4_loose("example.com") is None
    assert parse_ipv4_loose("1.2.3.example") is None
    assert parse_host("Example.COM.") == "example.com"
    assert parse_host("[::ffff:127.0.0.1]") == ipaddress.IPv6Address("::ffff:127.0.0.1")


@settings(deadline=None)  # timing on a shared machine is no property
@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_every_integer_spelling_round_trips(number: int) -> None:
    address = ipaddress.IPv4Address(number)
    assert parse_ipv4_loose(str(number)) == address
    assert parse_ipv4_loose(hex(number)) == address
    assert parse_ipv4_loose("0" + oct(number)[2:]) == address
    assert parse_host(f"[::ffff:{address}]") == ipaddress.IPv6Address(f"::ffff:{address}")


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.0.0.1",
        "172.16.0.1",
        "192.168.0.1",
        "169.254.169.254",
        "100.64.0.1",
        "100.127.255.254",
        "0.0.0.0",
        "224.0.0.1",
        "239.255.255.250",
        "255.255.255.255",
        "::1",
        "::",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "2002:7f00:1::",
        "64:ff9b::7f00:1",
        "2001::1",  # Teredo
        *SITE_LOCAL,
    ],
)
def test_blocked_addresses(address: str) -> None:
    assert is_blocked_address(ipaddress.ip_address(address))


@settings(deadline=None, max_examples=200)
@given(st.integers(min_value=0, max_value=2**118 - 1))
def test_every_site_local_address_is_blocked(offset: int) -> None:
    address = ipaddress.IPv6Address(int(ipaddress.IPv6Address("fec0::")) + offset)
    assert address in ipaddress.IPv6Network("fec0::/10")
    assert is_blocked_address(address)


@pytest.mark.parametrize("address", SITE_LOCAL)
def test_site_local_literals_are_refused_before_any_lookup(address: str) -> None:
    with pytest.raises(FetchError, match="blocked destination"):
        check_url(f"http://[{address}]:8080/feed.xml", ())


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "100.128.0.1"])
def test_public_addresses_pass(address: str) -> None:
    assert not is_blocked_address(ipaddress.ip_address(address))


@settings(deadline=None)  # timing on a shared machine is no property
@given(st.ip_addresses(v=4))
def test_ipv4_mapped_form_is_judged_like_the_address(address: ipaddress.IPv4Address) -> None:
    mapped = ipaddress.IPv6Address(f"::ffff:{address}")
    assert is_blocked_address(mapped) == is_blocked_address(address)


def test_allow_list_entries() -> None:
    entry = parse_allow_entry("127.0.0.1:8080")
    assert entry.matches(ipaddress.IPv4Address("127.0.0.1"), 8080)
    assert not entry.matches(ipaddress.IPv4Address("127.0.0.1"), 8081)
    any_port = parse_allow_entry("Intranet.Example.")
    assert any_port.matches("intranet.example", 443)
    assert parse_allow_entry("[::1]:80").matches(ipaddress.IPv6Address("::1"), 80)
    with pytest.raises(ValueError, match="allow-list"):
        parse_allow_entry("host:99999")


def test_allow_listed_target_passes_the_static_check() -> None:
    allow = (parse_allow_entry("127.0.0.1:8080"),)
    assert check_url("http://127.0.0.1:8080/x", allow).allowed
    with pytest.raises(FetchError, match="blocked destination"):
        check_url("http://127.0.0.1:8081/x", allow)


@pytest.mark.parametrize("spelling", LOOPBACK_SPELLINGS)
def test_loopback_spellings_are_blocked_and_the_canary_sees_nothing(
    spelling: str, canary: Canary
) -> None:
    error = refused(options_for(), f"http://{spelling}:{canary.port}/")
    assert error.kind is FetchErrorKind.BLOCKED_DESTINATION
    assert "blocked destination" in str(error)
    assert not canary.was_contacted()


@pytest.mark.parametrize("spelling", LOOPBACK_SPELLINGS)
def test_redirect_to_loopback_spelling_is_blocked(
    spelling: str, canary: Canary, server: LocalServer
) -> None:
    target = f"http://{spelling}:{canary.port}/secret"
    error = refused(options_for(server), server.url(f"/redirect?to={target}"))
    assert error.kind is FetchErrorKind.BLOCKED_DESTINATION
    assert not canary.was_contacted()
    assert len(server.state.paths()) == 1


def test_loopback_host_allowed_on_another_port_does_not_open_the_canary(
    canary: Canary, server: LocalServer
) -> None:
    error = refused(options_for(server), f"http://127.0.0.1:{canary.port}/")
    assert error.kind is FetchErrorKind.BLOCKED_DESTINATION
    assert not canary.was_contacted()


def test_localhost_passes_when_allow_listed(server: LocalServer) -> None:
    async def go() -> int:
        async with Fetcher(options_for(f"localhost:{server.port}")) as fetcher:
            return (await fetcher.fetch(f"http://localhost:{server.port}/page")).status

    assert run(go()) == 200


@pytest.mark.parametrize("url", PRIVATE_URLS)
def test_private_destinations_are_refused_without_trying(
    url: str, connections: list[tuple[str, int]]
) -> None:
    error = refused(options_for(timeout=5.0), url)
    assert error.kind is FetchErrorKind.BLOCKED_DESTINATION
    assert connections == []


@pytest.mark.parametrize("url", [*PRIVATE_URLS[:4], "http://[fec0::1]/", "http://[feff::1]/"])
def test_redirect_to_private_destination_is_blocked(
    url: str, server: LocalServer, connections: list[tuple[str, int]]
) -> None:
    error = refused(options_for(server, timeout=5.0), server.url(f"/redirect?to={url}&code=307"))
    assert error.kind is FetchErrorKind.BLOCKED_DESTINATION
    assert connections == [("127.0.0.1", server.port)]  # the redirecting server, nothing else


@pytest.mark.parametrize("url", OTHER_SCHEMES)
def test_other_schemes_are_refused(url: str, server: LocalServer) -> None:
    error = refused(options_for(), url)
    assert error.kind is FetchErrorKind.BLOCKED_DESTINATION
    error = refused(options_for(server), server.url(f"/redirect?to={url}"))
    assert error.kind is FetchErrorKind.BLOCKED_DESTINATION


def test_unix_socket_and_proxy_environment_are_ignored(
    server: LocalServer, canary: Canary, monkeypatch: pytest.MonkeyPatch
) -> None:
    proxy = f"http://127.0.0.1:{canary.port}"
    monkeypatch.setenv("HTTP_PROXY", proxy)
    monkeypatch.setenv("ALL_PROXY", proxy)

    async def go() -> int:
        async with Fetcher(options_for(server)) as fetcher:
            return (await fetcher.fetch(server.url("/page"))).status

    assert run(go()) == 200
    assert not canary.was_contacted()


class RecordingBackend(httpcore.AsyncNetworkBackend):
    """Stands in for the socket layer: records where a connection would have gone."""

    def __init__(self) -> None:
        self.connected: list[tuple[str, int]] = []

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: object = None,
    ) -> httpcore.AsyncNetworkStream:
        self.connected.append((host, port))
        raise httpcore.ConnectError("recorded, not connected")


def answers(*addresses: str) -> Resolver:
    async def fake_resolve(host: str, port: int) -> list[IPAddress]:
        return [ipaddress.ip_address(address) for address in addresses]

    return fake_resolve


@pytest.mark.parametrize(
    "dns_answer",
    [
        ("127.0.0.1",),
        ("10.1.2.3",),
        ("93.184.216.34", "127.0.0.1"),
        ("::1",),
        ("::ffff:a00:1",),
        *((address,) for address in SITE_LOCAL),
        ("2606:4700::1111", "fec0::1"),
    ],
)
def test_a_name_resolving_to_any_blocked_address_is_refused(dns_answer: tuple[str, ...]) -> None:
    inner = RecordingBackend()
    backend = GuardedNetworkBackend((), inner=inner, resolver=answers(*dns_answer))
    with pytest.raises(FetchError, match="blocked destination") as caught:
        run(backend.connect_tcp("rebind.example", 80))
    assert caught.value.kind is FetchErrorKind.BLOCKED_DESTINATION
    assert inner.connected == []


def test_the_checked_address_is_the_one_connected_to() -> None:
    inner = RecordingBackend()
    backend = GuardedNetworkBackend(
        (), inner=inner, resolver=answers("93.184.216.34", "2606:2800::1")
    )
    with pytest.raises(httpcore.ConnectError):
        run(backend.connect_tcp("news.example", 443))
    assert inner.connected == [("93.184.216.34", 443), ("2606:2800::1", 443)]


def test_allow_listed_name_may_resolve_to_loopback() -> None:
    inner = RecordingBackend()
    backend = GuardedNetworkBackend(
        (parse_allow_entry("intranet.example:8080"),), inner=inner, resolver=answers("10.0.0.5")
    )
    with pytest.raises(httpcore.ConnectError):
        run(backend.connect_tcp("intranet.example", 8080))
    assert inner.connected == [("10.0.0.5", 8080)]
    with pytest.raises(FetchError, match="blocked destination"):
        run(backend.connect_tcp("intranet.example", 8081))


def test_a_unicode_host_is_the_domain_a_browser_would_open() -> None:
    # IDNA 2003 (Python's "idna" codec) would fetch fass.de, another registered domain
    assert parse_host("Faß.de") == "xn--fa-hia.de"
    assert check_url("https://faß.de/feed", ()).url == "https://xn--fa-hia.de/feed"
    with pytest.raises(ValueError, match="invalid host name"):
        parse_host("fa..ß.de")


@pytest.mark.parametrize(
    ("spelling", "address"),
    [
        ("127.0.0.\u2460", "127.0.0.1"),  # circled digit one
        ("\u2460\u2461\u2466.0.0.1", "127.0.0.1"),
        ("\uff11\uff12\uff17.\uff10.\uff10.\uff11", "127.0.0.1"),  # fullwidth digits
        ("127\uff0e0\uff0e0\uff0e1", "127.0.0.1"),  # fullwidth full stops
        ("127\u30020\u30020\u30021\u3002", "127.0.0.1"),  # ideographic full stops, final dot
        (
            "\u246f\u2468.\u2461\u2464\u2463.\u2460\u2465\u2468.\u2461\u2464\u2463",
            "169.254.169.254",
        ),
        ("0x7f.0.0.\u2460", "127.0.0.1"),
        ("\uff12\uff11\uff13\uff10\uff17\uff10\uff16\uff14\uff13\uff13", "127.0.0.1"),
    ],
)
def test_a_unicode_spelling_of_an_address_is_that_address(spelling: str, address: str) -> None:
    # IDNA maps these to digits and dots, as a browser does before it reads an IPv4 address;
    # read as names they passed the static check as the "name" 127.0.0.1 (refused only after
    # DNS), and an allow-list entry so spelt never matched the address
    assert parse_host(spelling) == ipaddress.IPv4Address(address)
    with pytest.raises(FetchError, match="blocked destination"):
        check_url(f"http://{spelling}/latest", ())
    assert parse_allow_entry(spelling).matches(ipaddress.IPv4Address(address), 443)
