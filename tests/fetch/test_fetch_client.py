"""The Fetcher against real local servers: statuses, validators, redirects, retries, errors."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator

import pytest
from fetch_servers import (
    ETAG,
    LAST_MODIFIED,
    PAGE,
    Canary,
    LocalServer,
    PlainTCPServer,
    options_for,
    run,
)

from newsdesk.domain import FetchError, FetchErrorKind, FetchResponse
from newsdesk.fetch import Fetcher, FetchOptions
from newsdesk.fetch import client as client_module
from newsdesk.fetch import hosts as hosts_module
from newsdesk.fetch.hosts import HostGate
from ports import refused_port


async def fetch_one(options: FetchOptions, url: str, **kwargs: object) -> FetchResponse:
    async with Fetcher(options) as fetcher:
        return await fetcher.fetch(url, **kwargs)  # type: ignore[arg-type]


def fetch_error(options: FetchOptions, url: str, **kwargs: object) -> FetchError:
    with pytest.raises(FetchError) as caught:
        run(fetch_one(options, url, **kwargs))
    return caught.value


def test_normal_page_returns_body_validators_and_encoding(server: LocalServer) -> None:
    response = run(fetch_one(options_for(server), server.url("/page")))
    assert response.status == 200
    assert response.body == PAGE
    assert response.etag == ETAG
    assert response.last_modified == LAST_MODIFIED
    assert response.encoding == "utf-8"
    assert "café" in response.text()
    assert response.final_url == server.url("/page")
    assert response.url == server.url("/page")


def test_user_agent_names_newsdesk_and_contact(server: LocalServer) -> None:
    options = options_for(server, user_agent="newsdesk/0.1 (+https://example.org/contact)")
    response = run(fetch_one(options, server.url("/ua")))
    assert response.text() == "newsdesk/0.1 (+https://example.org/contact)"


def test_options_refuse_unsafe_values() -> None:
    with pytest.raises(ValueError, match="timeout"):
        FetchOptions(timeout=31)
    with pytest.raises(ValueError, match="max_redirects"):
        FetchOptions(max_redirects=6)
    with pytest.raises(ValueError, match="newsdesk"):
        FetchOptions(user_agent="Mozilla/5.0")
    with pytest.raises(ValueError, match="allow-list"):
        FetchOptions(allow_hosts=("127.0.0.1:notaport",))


@pytest.mark.parametrize(
    ("etag", "last_modified"), [(ETAG, None), (None, LAST_MODIFIED), (ETAG, LAST_MODIFIED)]
)
def test_conditional_get_gives_304_with_empty_body(
    server: LocalServer, etag: str | None, last_modified: str | None
) -> None:
    response = run(
        fetch_one(options_for(server), server.url("/page"), etag=etag, last_modified=last_modified)
    )
    assert response.status == 304
    assert response.not_modified
    assert response.body == b""


def test_stale_validator_gets_the_full_page(server: LocalServer) -> None:
    response = run(fetch_one(options_for(server), server.url("/page"), etag='"old"'))
    assert response.status == 200
    assert response.body == PAGE


def test_404_is_http_status_error_without_retry(server: LocalServer) -> None:
    error = fetch_error(options_for(server, retries=2), server.url("/status?code=404"))
    assert error.kind is FetchErrorKind.HTTP_STATUS
    assert error.status == 404
    assert "404" in str(error)
    assert server.state.paths().count("/status?code=404") == 1


def test_410_is_gone(server: LocalServer) -> None:
    error = fetch_error(options_for(server, retries=2), server.url("/status?code=410"))
    assert error.kind is FetchErrorKind.GONE
    assert error.status == 410
    assert server.state.paths().count("/status?code=410") == 1


def test_500_then_200_is_retried(server: LocalServer) -> None:
    response = run(fetch_one(options_for(server, retries=2), server.url("/flaky")))
    assert response.status == 200
    assert server.state.paths().count("/flaky") == 2


def test_persistent_500_fails_after_retries(server: LocalServer) -> None:
    error = fetch_error(options_for(server, retries=2), server.url("/status?code=503"))
    assert error.kind is FetchErrorKind.HTTP_STATUS
    assert error.status == 503
    assert server.state.paths().count("/status?code=503") == 3


@pytest.fixture
def retry_sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The delays the fetcher waits between attempts (not slept: the test records them)."""
    slept: list[float] = []

    async def record(delay: float) -> None:
        slept.append(delay)

    class AsyncioWithRecordedSleep:
        sleep = staticmethod(record)

        def __getattr__(self, name: str) -> object:
            return getattr(asyncio, name)

    monkeypatch.setattr(client_module, "asyncio", AsyncioWithRecordedSleep())
    return slept


def test_429_waits_for_retry_after(server: LocalServer, retry_sleeps: list[float]) -> None:
    response = run(fetch_one(options_for(server, retries=1), server.url("/busy")))
    assert response.status == 200
    assert retry_sleeps == [1.0]  # Retry-After: 1, not the 0.05 s back-off
    assert server.state.paths().count("/busy") == 2


def test_429_without_retries_reports_retry_after(server: LocalServer) -> None:
    error = fetch_error(options_for(server), server.url("/busy?key=a"))
    assert error.kind is FetchErrorKind.HTTP_STATUS
    assert error.status == 429
    assert error.retry_after == 1.0


def test_retry_after_beyond_the_cap_is_an_error_telling_when(
    server: LocalServer, retry_sleeps: list[float]
) -> None:
    error = fetch_error(
        options_for(server, retries=3, max_retry_after=60), server.url("/busy?after=3600")
    )
    assert retry_sleeps == []  # no waiting at all
    assert server.state.paths() == ["/busy?after=3600"]  # asked once, never again
    assert error.status == 429
    assert error.retry_after == 3600.0
    assert "retry after 3600 s" in str(error)


def test_redirect_is_followed_and_final_url_reported(server: LocalServer) -> None:
    response = run(fetch_one(options_for(server), server.url("/redirect?to=/page&code=301")))
    assert response.status == 200
    assert response.body == PAGE
    assert response.url == server.url("/redirect?to=/page&code=301")
    assert response.final_url == server.url("/page")


def test_five_redirects_are_followed_six_are_too_many(server: LocalServer) -> None:
    assert run(fetch_one(options_for(server), server.url("/chain/5"))).status == 200
    error = fetch_error(options_for(server), server.url("/chain/6"))
    assert error.kind is FetchErrorKind.TOO_MANY_REDIRECTS


def test_redirect_loop_is_a_clear_error(server: LocalServer) -> None:
    error = fetch_error(options_for(server), server.url("/loop/a"))
    assert error.kind is FetchErrorKind.TOO_MANY_REDIRECTS
    assert "loop" in str(error)
    assert server.state.paths() == ["/loop/a", "/loop/b"]


def test_redirect_without_location_is_a_protocol_error(server: LocalServer) -> None:
    error = fetch_error(options_for(server), server.url("/status?code=302"))
    assert error.kind is FetchErrorKind.PROTOCOL


def test_unreachable_host_is_connect_error(canary_port: int) -> None:
    url = f"http://127.0.0.1:{canary_port}/"
    error = fetch_error(options_for(f"127.0.0.1:{canary_port}"), url)
    assert error.kind is FetchErrorKind.CONNECT


@pytest.fixture
def canary_port() -> Iterator[int]:
    """A loopback port nothing listens on, held for the test (tests/ports.py)."""
    with refused_port() as port:
        yield port


def test_server_that_never_answers_times_out(canary: Canary) -> None:
    error = fetch_error(
        options_for(f"127.0.0.1:{canary.port}", timeout=0.5), f"http://127.0.0.1:{canary.port}/"
    )
    assert error.kind is FetchErrorKind.TIMEOUT


def test_dns_failure_is_dns_error() -> None:
    error = fetch_error(options_for(), "http://no-such-host.invalid/feed.xml")
    assert error.kind is FetchErrorKind.DNS
    assert "no-such-host.invalid" in str(error)


def test_tls_error_is_tls(plain_tcp: PlainTCPServer) -> None:
    url = f"https://127.0.0.1:{plain_tcp.port}/"
    error = fetch_error(options_for(f"127.0.0.1:{plain_tcp.port}"), url)
    assert error.kind is FetchErrorKind.TLS


def test_bad_url_is_bad_url() -> None:
    for url in ("http://", "http://exa mple.com/", "http://example.com:99999/", "not a url"):
        error = fetch_error(options_for(), url)
        assert error.kind in {FetchErrorKind.BAD_URL, FetchErrorKind.BLOCKED_DESTINATION}, url


def test_requests_to_one_host_are_serialised_and_spaced(
    make_server: Callable[..., LocalServer],
) -> None:
    server = make_server()

    async def many() -> None:
        async with Fetcher(options_for(server, host_delay=0.2, concurrency=4)) as fetcher:
            await asyncio.gather(*(fetcher.fetch(server.url("/slow")) for _ in range(3)))

    run(many())
    assert server.state.max_in_flight == 1
    assert len(server.state.paths()) == 3


def test_the_host_gate_waits_out_the_delay_after_the_previous_request(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    waits: list[tuple[str, float]] = []

    class AsyncioWithRecordedSleep:
        def __getattr__(self, name: str) -> object:
            return getattr(asyncio, name)

        @staticmethod
        async def sleep(delay: float) -> None:
            waits.append(("sleep", delay))

    monkeypatch.setattr(hosts_module, "asyncio", AsyncioWithRecordedSleep())

    async def three_requests() -> None:
        gate = HostGate(delay=60.0, concurrency=4)
        for host in ("a:80", "a:80", "b:80"):
            async with gate.slot(host):
                waits.append(("request", 0.0))

    asyncio.run(three_requests())
    # The first request to a host goes at once; the next one waits out the 60 s delay
    # (less the moment that passed); another host does not wait for it.
    assert [kind for kind, _ in waits] == ["request", "sleep", "request", "request"]
    assert 59.0 < waits[1][1] <= 60.0


def test_waiting_for_the_host_slot_does_not_count_against_the_deadline(
    server: LocalServer,
) -> None:
    async def many() -> list[int]:
        options = options_for(server, host_delay=0.3, timeout=0.6)
        async with Fetcher(options) as fetcher:
            responses = await asyncio.gather(
                *(fetcher.fetch(server.url(f"/slow?n={n}")) for n in range(3))
            )
        return [response.status for response in responses]

    assert run(many()) == [200, 200, 200]  # the last one waits ~1 s in line, then takes 0.2 s


def test_different_hosts_are_fetched_concurrently(
    make_server: Callable[..., LocalServer],
) -> None:
    servers = [make_server() for _ in range(3)]

    # Each server answers only once all three requests are in flight at the same time; in a
    # row, the first would wait in vain and answer 500.
    together = threading.Barrier(3, timeout=20)
    for each in servers:
        each.state.barrier = together

    async def many() -> list[int]:
        async with Fetcher(options_for(*servers, concurrency=3, timeout=30.0)) as fetcher:
            responses = await asyncio.gather(*(fetcher.fetch(s.url("/together")) for s in servers))
        return [response.status for response in responses]

    assert run(many()) == [200, 200, 200]


def test_fetch_outside_context_manager_is_refused(server: LocalServer) -> None:
    with pytest.raises(RuntimeError, match="context manager"):
        run(Fetcher(options_for(server)).fetch(server.url("/page")))
