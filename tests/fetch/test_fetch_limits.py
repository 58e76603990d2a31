"""Caps and deadlines: bombs, big and lying bodies, drip servers and odd encodings."""

from __future__ import annotations

import tracemalloc
import zlib
from urllib.parse import quote

import pytest
from fetch_servers import MIB, PAGE, LocalServer, gzip_bomb_parts, options_for, run

from newsdesk.domain import FetchError, FetchErrorKind, FetchResponse
from newsdesk.fetch import Fetcher, FetchOptions
from newsdesk.fetch import client as client_module
from newsdesk.fetch.body import read_capped

CAP = 15 * MIB


async def fetch_one(options: FetchOptions, url: str) -> FetchResponse:
    async with Fetcher(options) as fetcher:
        return await fetcher.fetch(url)


def fetch_error(options: FetchOptions, url: str) -> FetchError:
    with pytest.raises(FetchError) as caught:
        run(fetch_one(options, url))
    return caught.value


@pytest.fixture
def body_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The URLs whose body the fetcher started to read (read_capped calls)."""
    reads: list[str] = []
    real = client_module.read_capped

    async def recording(*args: object, **kwargs: object) -> bytes:
        reads.append(str(kwargs.get("url")))
        return await real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(client_module, "read_capped", recording)
    return reads


def test_gzip_bomb_is_refused_with_bounded_memory(server: LocalServer) -> None:
    tracemalloc.start()
    try:
        error = fetch_error(options_for(server, max_bytes=CAP), server.url("/bomb"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.kind is FetchErrorKind.TOO_LARGE
    assert peak < 2 * CAP  # 1 GiB decoded would need 64 times the cap


def test_bomb_decoder_never_produces_more_than_the_cap() -> None:
    head, block, repeat, tail = gzip_bomb_parts()

    async def chunks():  # type: ignore[no-untyped-def]
        yield head
        for _ in range(repeat):
            yield block
        yield tail

    with pytest.raises(FetchError, match="too large"):
        run(read_capped(chunks(), content_encoding="gzip", max_bytes=MIB, url="u"))


def test_twenty_megabyte_page_is_too_large(server: LocalServer, body_reads: list[str]) -> None:
    error = fetch_error(options_for(server, max_bytes=CAP), server.url("/big"))
    assert error.kind is FetchErrorKind.TOO_LARGE
    assert body_reads == []  # refused on the declared Content-Length, nothing downloaded


def test_twenty_megabyte_page_without_length_stops_at_the_cap(server: LocalServer) -> None:
    error = fetch_error(options_for(server, max_bytes=CAP), server.url("/big?declare=0"))
    assert error.kind is FetchErrorKind.TOO_LARGE
    assert "15728640 bytes" in str(error)


def test_page_within_cap_is_accepted(server: LocalServer) -> None:
    response = run(fetch_one(options_for(server, max_bytes=len(PAGE)), server.url("/page")))
    assert response.body == PAGE
    error = fetch_error(options_for(server, max_bytes=len(PAGE) - 1), server.url("/page"))
    assert error.kind is FetchErrorKind.TOO_LARGE


def test_content_length_larger_than_body_then_close_is_a_clear_error(
    server: LocalServer,
) -> None:
    error = fetch_error(options_for(server), server.url("/lying/short-close"))
    assert error.kind is FetchErrorKind.PROTOCOL
    assert "complete" in str(error)


def test_content_length_larger_than_body_on_open_connection_times_out(
    server: LocalServer,
) -> None:
    error = fetch_error(options_for(server, timeout=0.5), server.url("/lying/short-open"))
    # TIMEOUT, not the PROTOCOL error of a body cut short: the client gave up first (the
    # server closes after 5 s).
    assert error.kind is FetchErrorKind.TIMEOUT


def test_content_length_smaller_than_body_is_truncated_safely(server: LocalServer) -> None:
    response = run(fetch_one(options_for(server), server.url("/lying/long")))
    assert response.body == b"0123456789"


def test_huge_declared_length_is_refused_without_waiting(
    server: LocalServer, body_reads: list[str]
) -> None:
    error = fetch_error(options_for(server, max_bytes=CAP), server.url("/lying/huge"))
    assert error.kind is FetchErrorKind.TOO_LARGE
    assert body_reads == []  # the declared length decides; the 4 bytes sent are never read


def test_drip_server_hits_the_whole_request_deadline(server: LocalServer) -> None:
    error = fetch_error(options_for(server, timeout=1.2), server.url("/drip"))
    assert error.kind is FetchErrorKind.TIMEOUT
    # Each byte arrives within the read timeout: only the whole-request deadline ends it.
    assert "no complete response within 1.2 s" in str(error)


def test_gzip_and_deflate_bodies_are_decoded(server: LocalServer) -> None:
    for path in ("/gzip", "/deflate", "/deflate?raw=1"):
        response = run(fetch_one(options_for(server), server.url(path)))
        assert response.body == PAGE, path
        assert "content-encoding" not in response.headers  # the body is no longer encoded


def test_unsupported_content_encoding_is_a_protocol_error(server: LocalServer) -> None:
    error = fetch_error(options_for(server), server.url("/brotli"))
    assert error.kind is FetchErrorKind.PROTOCOL
    assert "content-encoding" in str(error)


def test_corrupt_gzip_is_a_protocol_error() -> None:
    async def chunks():  # type: ignore[no-untyped-def]
        yield b"\x1f\x8b\x08\x00garbage-not-deflate"

    with pytest.raises(FetchError, match="corrupt"):
        run(read_capped(chunks(), content_encoding="gzip", max_bytes=MIB, url="u"))


def test_multi_member_gzip_is_read_whole() -> None:
    members = [zlib.compress(b"one ", wbits=31), zlib.compress(b"two", wbits=31)]

    async def chunks():  # type: ignore[no-untyped-def]
        yield b"".join(members)

    assert run(read_capped(chunks(), content_encoding="gzip", max_bytes=MIB, url="u")) == (
        b"one two"
    )


def test_truncating_read_keeps_the_first_bytes() -> None:
    async def chunks():  # type: ignore[no-untyped-def]
        yield b"abcdef"
        yield b"ghij"

    body = run(read_capped(chunks(), content_encoding="", max_bytes=8, url="u", truncate=True))
    assert body == b"abcdefgh"


@pytest.mark.parametrize(
    ("content_type", "body", "encoding", "text"),
    [
        ("text/html; charset=ISO-8859-1", "caf\xe9", "iso8859-1", "café"),
        (
            "text/html; charset=bogus-charset",
            "<meta charset='windows-1252'>caf\xe9",
            "cp1252",
            "café",
        ),
        (
            "text/html",
            "<meta http-equiv=Content-Type content='text/html; charset=koi8-r'>\xc1",
            "koi8-r",
            "а",
        ),
        (
            "application/xml",
            "<?xml version='1.0' encoding='iso-8859-2'?><a>\xb1</a>",
            "iso8859-2",
            "ą",
        ),
        ("text/plain", "caf\xc3\xa9", "utf-8", "café"),
        ("text/plain; charset=utf-8", "caf\xff", "utf-8", "caf\ufffd"),
    ],
)
def test_charset_detection(
    server: LocalServer, content_type: str, body: str, encoding: str, text: str
) -> None:
    url = server.url(f"/charset?type={quote(content_type)}&body={quote(body, encoding='latin-1')}")
    response = run(fetch_one(options_for(server), url))
    assert response.encoding == encoding
    assert text in response.text()
