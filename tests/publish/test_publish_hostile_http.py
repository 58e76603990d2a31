"""Hostile HTTP seen from outside: a Range header the static files cannot read is ignored
(RFC 9110 section 14.2: the file is served whole), not refused with 400; feed readers and
crawlers (sitemaps, robots.txt) get errors as one line of text, not an HTML page; pages keep
their HTML error pages."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient

from newsdesk.config import Settings
from newsdesk.publish.web import SiteOptions, create_app
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


@pytest.mark.parametrize(
    ("since", "status"),
    [
        ("Mon, 32 Dec 9999 99:99:99 GMT", 200),  # no date: ignored (Starlette said 304)
        ("yesterday", 200),
        ("Sat, 01 Jan 2000 00:00:00 GMT", 200),
        ("Fri, 31 Dec 9999 23:59:59 GMT", 304),
    ],
)
def test_if_modified_since_is_read_as_a_date_or_ignored(
    client: TestClient, since: str, status: int
) -> None:
    answer = client.get("/static/site.css", headers={"If-Modified-Since": since})
    assert answer.status_code == status
    assert (answer.content == CSS) is (status == 200)
    etag = client.get("/static/site.css").headers["etag"]
    assert client.get("/static/site.css", headers={"If-None-Match": etag}).status_code == 304


@pytest.mark.parametrize("header", ["bytes=99999999-", "bytes=-0"])
def test_a_readable_range_the_file_cannot_satisfy_is_a_416(client: TestClient, header: str) -> None:
    answer = client.get("/static/site.css", headers={"Range": header})
    assert answer.status_code == 416
    assert answer.headers["content-range"] == f"bytes */{len(CSS)}"


@pytest.mark.parametrize(
    ("method", "path", "status", "line"),
    [
        ("GET", "/feeds/sectors/nope.xml", 404, "404 Not Found: no such sector"),
        ("GET", "/feeds/sectors/nope.atom", 404, "404 Not Found: no such sector"),
        ("GET", "/feeds/sectors/nope.json", 404, "404 Not Found: no such sector"),
        ("GET", "/feeds/top.csv", 404, "404 Not Found: feeds come as .xml, .atom or .json\n"),
        ("GET", "/feeds/private/nobody/top.xml", 404, "404 Not Found: no such feed"),
        ("GET", "/feeds/alerts/nothing.xml", 404, "404 Not Found: no such feed"),
        ("POST", "/feeds/top.xml", 405, "405 Method Not Allowed\n"),
        ("GET", "/feeds/search.xml", 400, "400 Bad Request: "),
        ("GET", "/feeds/search.xml?q=%ff%fe", 400, "400 Bad Request: "),
        ("GET", "/sitemaps/articles-1.xml", 404, "404 Not Found: no such sitemap"),
        ("GET", "/sitemaps/articles--1.xml", 404, "404 Not Found\n"),  # no id names nothing
        ("GET", "/sitemaps/articles-x.xml", 404, "404 Not Found\n"),
        ("GET", "/sitemaps/nope.xml", 404, "404 Not Found\n"),
        ("POST", "/sitemap.xml", 405, "405 Method Not Allowed\n"),
        ("POST", "/sitemaps/news.xml", 405, "405 Method Not Allowed\n"),
        ("POST", "/robots.txt", 405, "405 Method Not Allowed\n"),
    ],
)
def test_feed_sitemap_and_robots_errors_are_a_line_of_text(
    client: TestClient, method: str, path: str, status: int, line: str
) -> None:
    answer = client.request(method, path)
    assert answer.status_code == status
    assert answer.headers["content-type"] == "text/plain; charset=utf-8"
    assert answer.text.startswith(line) and answer.text.count("\n") == 1, answer.text
    assert "<" not in answer.text
    if status == 405:
        assert answer.headers["allow"] == "GET, HEAD"
    for name in SECURITY:
        assert name in answer.headers


@pytest.mark.parametrize("path", ["/sitemap.xml.bak", "/sitemapsx", "/robots.txt/x"])
def test_paths_that_only_look_like_crawler_files_keep_the_html_page(
    client: TestClient, path: str
) -> None:
    answer = client.get(path)
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("text/html")


def test_a_feed_body_over_the_limit_is_a_line_of_text(client: TestClient) -> None:
    answer = client.post("/feeds/top.xml", content=b"x" * (10 * 1024 * 1024))
    assert answer.status_code == 413
    assert answer.headers["content-type"] == "text/plain; charset=utf-8"
    assert answer.text.startswith("413 ")  # the phrase changed in Python 3.13
    assert answer.text.endswith(": request body larger than 65536 bytes\n")


def test_a_feed_route_s_422_and_500_are_lines_of_text(
    shared_empty_site: tuple[Any, SqlStore, Settings],
) -> None:
    router = APIRouter()

    @router.get("/feeds/typed.{ext}")
    def typed(ext: str, n: int = 0) -> None:
        return None

    @router.get("/feeds/boom.xml")
    def boom() -> None:
        raise RuntimeError("a bug in a feed route")

    app = create_app(shared_empty_site[1], SiteOptions(), routers=[router])
    client = TestClient(app, raise_server_exceptions=False)
    invalid = client.get("/feeds/typed.xml?n=many")
    assert invalid.status_code == 422
    assert invalid.text.startswith("422 Unprocessable Entity: n: ")
    assert invalid.headers["content-type"] == "text/plain; charset=utf-8"
    broken = client.get("/feeds/boom.xml")
    assert broken.status_code == 500
    assert broken.text == (
        "500 Internal Server Error: The server hit a problem answering this request. "
        "Please try again later.\n"
    )


@pytest.mark.parametrize(
    ("path", "kind"),
    [("/sectors/nope", "text/html"), ("/api/v1/sectors/nope", "application/json")],
)
def test_pages_and_the_api_keep_their_error_formats(
    client: TestClient, path: str, kind: str
) -> None:
    answer = client.get(path)
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith(kind)


@pytest.mark.parametrize(("path", "location"), [("/stories/", "/stories"), ("/static", "/static/")])
def test_a_redirect_never_names_the_host_the_request_sent(
    client: TestClient, path: str, location: str
) -> None:
    # Starlette's trailing-slash and mount redirects are built from the Host header.
    answer = client.get(path, headers={"Host": "evil.example"}, follow_redirects=False)
    assert answer.status_code in {307, 308}
    assert answer.headers["location"] == location
