"""Hostile HTTP seen from outside: a Range header the static files cannot read is ignored
(RFC 9110 section 14.2: the file is served whole), not refused with 400."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from newsdesk.config import Settings
from newsdesk.publish.web.app import STATIC_DIR
from newsdesk.publish.web.static import readable_range
from newsdesk.store import SqlStore

CSS = (STATIC_DIR / "site.css").read_bytes()
SECURITY = ("content-security-policy", "x-content-type-options", "x-frame-options")


@pytest.fixture(scope="module")
def client(shared_empty_site: tuple[Any, SqlStore, Settings]) -> TestClient:
    return TestClient(shared_empty_site[0], raise_server_exceptions=False)


@pytest.mark.parametrize(
    "header",
    [
        "pages=1-2",  # another unit: MUST be ignored
        "bytes=abc",
        "bytes=5-1",  # last before first
        "bytes=",
        "bytes=,",
        "bytes=0-1;2-3",
        "bytes=\u00b2-\u00b3",  # superscript digits: str.isdigit() says yes, HTTP does not
        "bytes=0_0-1_0",  # so are underscores
        "bytes=0-" + "9" * 5000,  # past int()'s 4,300 digits
        "bytes=--5",
        "bytes=0-1," + ",".join(["2-3"] * 120),  # more ranges than are served
        "=0-1",
    ],
)
def test_a_range_that_cannot_be_read_gets_the_whole_file(client: TestClient, header: str) -> None:
    answer = client.get("/static/site.css", headers={"Range": header.encode()})  # UTF-8 too
    assert answer.status_code == 200, answer.text
    assert answer.content == CSS and "content-range" not in answer.headers
    assert not readable_range(header)
    for name in SECURITY:
        assert name in answer.headers


def test_two_range_headers_get_the_whole_file(client: TestClient) -> None:
    answer = client.get(
        "/static/site.css", headers=[("Range", "bytes=0-1"), ("Range", "bytes=2-3")]
    )
    assert answer.status_code == 200 and answer.content == CSS


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [
        ("bytes=0-9", 0, 10),
        ("BYTES = 10-19", 10, 20),
        ("bytes=-5", len(CSS) - 5, len(CSS)),
        ("bytes=100-", 100, len(CSS)),
        ("bytes=0-99999999999", 0, len(CSS)),  # a last position past the end: to the end
        ("bytes=, 0-3", 0, 4),  # empty list elements are allowed
    ],
)
def test_a_readable_range_is_still_served(
    client: TestClient, header: str, start: int, end: int
) -> None:
    assert readable_range(header)
    answer = client.get("/static/site.css", headers={"Range": header})
    assert answer.status_code == 206
    assert answer.content == CSS[start:end]
    assert answer.headers["content-range"] == f"bytes {start}-{end - 1}/{len(CSS)}"


@pytest.mark.parametrize("header", ["bytes=99999999-", "bytes=-0"])
def test_a_readable_range_the_file_cannot_satisfy_is_a_416(client: TestClient, header: str) -> None:
    answer = client.get("/static/site.css", headers={"Range": header})
    assert answer.status_code == 416
    assert answer.headers["content-range"] == f"bytes */{len(CSS)}"
