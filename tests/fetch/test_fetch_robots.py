"""robots.txt: fetched once per origin through the guarded client, honoured for page fetches."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fetch_servers import LocalServer, options_for, run

from newsdesk.domain import FetchError, FetchErrorKind
from newsdesk.fetch import Fetcher
from newsdesk.fetch.robots import RobotsCache, RobotsRules, rules_from_response
from ports import refused_port

ServerFactory = Callable[..., LocalServer]


async def fetch_paths(server: LocalServer, *paths: str, check_robots: bool = True) -> list[str]:
    """Fetch each path; the status or the error kind of each, in order."""
    results: list[str] = []
    async with Fetcher(options_for(server, respect_robots=True)) as fetcher:
        for path in paths:
            try:
                response = await fetcher.fetch(server.url(path), check_robots=check_robots)
                results.append(str(response.status))
            except FetchError as error:
                results.append(error.kind.value)
    return results


def test_disallowed_path_is_refused_and_never_requested(server: LocalServer) -> None:
    results = run(fetch_paths(server, "/page", "/private/page", "/page"))
    assert results == ["200", FetchErrorKind.ROBOTS.value, "200"]
    assert server.state.paths() == ["/robots.txt", "/page", "/page"]  # robots.txt once


def test_check_robots_false_skips_robots(server: LocalServer) -> None:
    assert run(fetch_paths(server, "/private/page", check_robots=False)) == ["200"]
    assert "/robots.txt" not in server.state.paths()


def test_respect_robots_off_skips_robots(server: LocalServer) -> None:
    async def go() -> int:
        async with Fetcher(options_for(server, respect_robots=False)) as fetcher:
            return (await fetcher.fetch(server.url("/private/page"))).status

    assert run(go()) == 200
    assert "/robots.txt" not in server.state.paths()


def test_robots_error_names_robots(server: LocalServer) -> None:
    async def go() -> None:
        async with Fetcher(options_for(server, respect_robots=True)) as fetcher:
            await fetcher.fetch(server.url("/private/page"))

    with pytest.raises(FetchError, match=r"disallowed by robots\.txt") as caught:
        run(go())
    assert caught.value.kind is FetchErrorKind.ROBOTS


def test_missing_robots_allows_everything(make_server: ServerFactory) -> None:
    server = make_server(robots=None)
    assert run(fetch_paths(server, "/private/page")) == ["200"]


def test_robots_5xx_disallows_everything(make_server: ServerFactory) -> None:
    server = make_server(robots_status=503)
    assert run(fetch_paths(server, "/page")) == [FetchErrorKind.ROBOTS.value]
    assert server.state.paths() == ["/robots.txt"]


@pytest.mark.parametrize("location", ["/robots.txt", "http://10.0.0.1/robots.txt", "ftp://x/"])
def test_robots_redirected_nowhere_counts_as_unavailable(
    make_server: ServerFactory, location: str
) -> None:
    server = make_server(robots_redirect=location)
    assert run(fetch_paths(server, "/private/page")) == ["200"]


def test_group_for_newsdesk_wins_over_wildcard(make_server: ServerFactory) -> None:
    server = make_server(robots=b"User-agent: *\nDisallow: /\n\nUser-agent: newsdesk\nAllow: /\n")
    assert run(fetch_paths(server, "/page")) == ["200"]
    other = make_server(robots=b"User-agent: *\nDisallow: /\n")
    assert run(fetch_paths(other, "/page")) == [FetchErrorKind.ROBOTS.value]


def test_redirect_into_disallowed_path_is_refused(server: LocalServer) -> None:
    assert run(fetch_paths(server, "/redirect?to=/private/page")) == [FetchErrorKind.ROBOTS.value]
    assert "/private/page" not in server.state.paths()


def test_unreachable_site_reports_the_connection_not_robots() -> None:
    async def go(port: int) -> None:
        async with Fetcher(options_for(f"127.0.0.1:{port}", respect_robots=True)) as fetcher:
            await fetcher.fetch(f"http://127.0.0.1:{port}/page")

    with refused_port() as port, pytest.raises(FetchError) as caught:
        run(go(port))
    assert caught.value.kind is FetchErrorKind.CONNECT


def test_rules_from_statuses() -> None:
    assert rules_from_response(404, b"").allows("http://x/a")
    assert rules_from_response(401, b"").allows("http://x/a")
    assert not rules_from_response(500, b"").allows("http://x/a")
    parsed = rules_from_response(200, b"User-agent: newsdesk\nDisallow: /a\n")
    assert not parsed.allows("http://x/a/b")
    assert parsed.allows("http://x/b")


def test_cache_expires() -> None:
    now = [0.0]
    cache = RobotsCache(clock=lambda: now[0])
    cache.put("http://x", RobotsRules(disallow_all=True))
    assert cache.get("http://x") is not None
    now[0] = 601.0  # an unreachable robots.txt is retried after ten minutes
    assert cache.get("http://x") is None
    cache.put("http://x", RobotsRules())
    now[0] = 601.0 + 23 * 3600
    assert cache.get("http://x") is not None
