"""The one client-identity rule: X-Forwarded-For only from listed proxies, IPv6 by /64."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.domain.clients import (
    client_address,
    forwarded_scheme,
    is_loopback_url,
    parse_trusted_proxies,
    rate_key,
    same_origin_problem,
)

PROXIES = parse_trusted_proxies(["10.0.0.0/8", "::1", "127.0.0.1"])


def test_a_direct_client_is_its_peer_whatever_it_sends() -> None:
    assert client_address("203.0.113.9", ["1.2.3.4"], PROXIES) == "203.0.113.9"
    assert client_address("203.0.113.9", [], ()) == "203.0.113.9"
    assert client_address("203.0.113.9", ["1.2.3.4"], ()) == "203.0.113.9"


def test_behind_a_listed_proxy_the_client_is_the_nearest_untrusted_hop() -> None:
    assert client_address("10.0.0.2", ["198.51.100.4"], PROXIES) == "198.51.100.4"
    # A client's own header is kept to the left of what the proxy appends: ignored.
    assert client_address("10.0.0.2", ["6.6.6.6, 198.51.100.4"], PROXIES) == "198.51.100.4"
    # Two listed proxies in a row (an edge proxy, then a local one), headers repeated.
    assert client_address("127.0.0.1", ["6.6.6.6", "198.51.100.4, 10.1.2.3"], PROXIES) == (
        "198.51.100.4"
    )
    assert client_address("::1", ["[2001:db8::7]:4431"], PROXIES) == "2001:db8::7"
    assert client_address("10.0.0.2", ["198.51.100.4:5555"], PROXIES) == "198.51.100.4"


def test_a_listed_proxy_without_or_with_a_broken_header_is_the_client() -> None:
    assert client_address("10.0.0.2", [], PROXIES) == "10.0.0.2"
    assert client_address("10.0.0.2", ["not-an-address"], PROXIES) == "10.0.0.2"
    assert client_address("10.0.0.2", ["198.51.100.4, garbage"], PROXIES) == "10.0.0.2"
    # Every hop trusted: the farthest one is all we know.
    assert client_address("10.0.0.2", ["10.9.9.9"], PROXIES) == "10.9.9.9"


def test_ipv4_mapped_peers_are_their_ipv4_address() -> None:
    assert client_address("::ffff:10.0.0.2", ["198.51.100.4"], PROXIES) == "198.51.100.4"
    assert client_address("::ffff:203.0.113.9", [], ()) == "203.0.113.9"


def test_the_scheme_is_believed_from_listed_proxies_only() -> None:
    assert forwarded_scheme("10.0.0.2", ["https"], PROXIES) == "https"
    assert forwarded_scheme("10.0.0.2", ["http, https"], PROXIES) == "https"
    assert forwarded_scheme("203.0.113.9", ["https"], PROXIES) is None
    assert forwarded_scheme("10.0.0.2", ["gopher"], PROXIES) is None
    assert forwarded_scheme("10.0.0.2", [], PROXIES) is None


def test_ipv6_clients_are_keyed_by_their_64() -> None:
    assert rate_key("2001:db8:1:2:aaaa::1") == "2001:db8:1:2::/64"
    assert rate_key("2001:db8:1:2:ffff:ffff:ffff:ffff") == "2001:db8:1:2::/64"
    assert rate_key("2001:db8:1:3::1") == "2001:db8:1:3::/64"
    assert rate_key("203.0.113.9") == "203.0.113.9"
    assert rate_key("::ffff:203.0.113.9") == "203.0.113.9"
    assert rate_key(None) == rate_key("testclient") == "unknown"


@settings(deadline=None, max_examples=100, derandomize=True)
@given(st.integers(min_value=1 << 125, max_value=(1 << 128) - 1), st.integers(0, 2**64 - 1))
def test_every_address_of_a_64_shares_one_key(address: int, low: int) -> None:
    network = address >> 64 << 64  # addresses from 2000::/3, global unicast
    sibling = ipaddress.IPv6Address(network | low)
    assert rate_key(str(sibling)) == rate_key(str(ipaddress.IPv6Address(network)))
    assert rate_key(str(sibling)).endswith("::/64")


def test_trusted_proxies_must_be_addresses_or_networks() -> None:
    assert parse_trusted_proxies([" 10.0.0.0/8 ", "", "::1"]) == PROXIES[:2]
    with pytest.raises(ValueError, match=r"proxy\.example"):
        parse_trusted_proxies(["proxy.example"])


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://127.0.0.1:8000", True),
        ("http://localhost:8000/", True),
        ("http://[::1]:8000", True),
        ("http://127.8.9.10", True),
        ("http://insights.example", False),
        ("http://10.0.0.5:8000", False),
        ("https://localhost.example", False),
    ],
)
def test_loopback_base_urls(url: str, loopback: bool) -> None:
    assert is_loopback_url(url) is loopback


@pytest.mark.parametrize(
    ("origin", "site", "refused"),
    [
        ("https://insights.example", "same-origin", False),
        (None, None, False),  # not a browser form post: the form token decides
        ("https://INSIGHTS.example", None, False),
        ("https://evil.example", None, True),
        ("null", None, True),
        (None, "cross-site", True),
        (None, "same-site", True),
        ("https://insights.example", "cross-site", True),
    ],
)
def test_same_origin_decision(origin: str | None, site: str | None, refused: bool) -> None:
    problem = same_origin_problem(origin, site, ["https://insights.example"])
    assert (problem is not None) is refused
