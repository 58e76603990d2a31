"""The demo source server over HTTP on loopback: status codes, validators, reachability."""

from __future__ import annotations

import html
from http.server import BaseHTTPRequestHandler

import feedparser
import httpx
import pytest
from defusedxml.ElementTree import fromstring
from demo_corpus import HOSTILE_TITLE

from newsdesk.demo import DemoSourceServer
from newsdesk.domain import SourceKind


@pytest.fixture
def client(demo_server: DemoSourceServer) -> httpx.Client:
    with httpx.Client(base_url=demo_server.base_url, timeout=5) as client:
        yield client


def test_serves_on_loopback_with_ephemeral_port(demo_server: DemoSourceServer) -> None:
    assert demo_server.base_url.startswith("http://127.0.0.1:")
    assert not demo_server.base_url.endswith(":0")
    base = demo_server.base_url
    assert demo_server.feed_urls() == [
        ("Alpha <Metals> & Co", f"{base}/alpha/feed.xml"),
        ("Beta Energy", f"{base}/beta/atom.xml"),
    ]
    # Named as the publication readers know, not by how the site fetches it: the method is
    # the source's kind and address, on the operator's pages.
    assert demo_server.source_urls()[-1] == (
        "Alpha <Metals> & Co",
        f"{base}/alpha/news-sitemap.xml",
        SourceKind.SITEMAP,
    )


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/alpha/", "text/html; charset=utf-8"),
        ("/alpha/feed.xml", "application/rss+xml; charset=utf-8"),
        ("/beta/atom.xml", "application/atom+xml; charset=utf-8"),
        ("/alpha/news-sitemap.xml", "application/xml; charset=utf-8"),
        ("/alpha/2026/11/27/tin-rally.html", "text/html; charset=utf-8"),
        ("/alpha/images/tin-rally.svg", "image/svg+xml"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/", "text/html; charset=utf-8"),
    ],
)
def test_content_types_and_validators(client: httpx.Client, path: str, content_type: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"] == content_type
    assert response.headers["etag"].startswith('"')
    assert response.headers["last-modified"].endswith(" GMT")
    assert int(response.headers["content-length"]) == len(response.content)


def test_article_last_modified_is_its_publication_time(client: httpx.Client) -> None:
    response = client.get("/alpha/2026/11/27/tin-rally.html")
    assert response.headers["last-modified"] == "Fri, 27 Nov 2026 03:30:00 GMT"


@pytest.mark.parametrize(
    "path",
    [
        "/gamma/",
        "/alpha/atom.xml",
        "/beta/feed.xml",
        "/beta/news-sitemap.xml",
        "/alpha/2026/11/26/tin-rally.html",
        "/alpha/2026/11/27/missing.html",
        "/alpha/../robots",
    ],
)
def test_unknown_paths_are_404(client: httpx.Client, path: str) -> None:
    assert client.get(path).status_code == 404


def test_publication_root_without_slash_redirects(client: httpx.Client) -> None:
    response = client.get("/alpha")
    assert response.status_code == 301
    assert response.headers["location"] == "/alpha/"


def test_conditional_requests(client: httpx.Client) -> None:
    first = client.get("/alpha/feed.xml")
    etag, modified = first.headers["etag"], first.headers["last-modified"]

    by_etag = client.get("/alpha/feed.xml", headers={"If-None-Match": etag})
    assert by_etag.status_code == 304
    assert by_etag.content == b""
    assert by_etag.headers["etag"] == etag

    assert (
        client.get("/alpha/feed.xml", headers={"If-None-Match": f'"x", W/{etag}'}).status_code
        == 304
    )
    assert client.get("/alpha/feed.xml", headers={"If-Modified-Since": modified}).status_code == 304
    stale = client.get("/alpha/feed.xml", headers={"If-None-Match": '"stale"'})
    assert stale.status_code == 200
    assert stale.content == first.content
    # If-None-Match decides when both are sent
    both = client.get(
        "/alpha/feed.xml", headers={"If-None-Match": '"stale"', "If-Modified-Since": modified}
    )
    assert both.status_code == 200
    older = client.get(
        "/alpha/feed.xml", headers={"If-Modified-Since": "Thu, 26 Nov 2026 00:00:00 GMT"}
    )
    assert older.status_code == 200
    assert client.get("/alpha/feed.xml", headers={"If-Modified-Since": "junk"}).status_code == 200


def test_head_sends_headers_only(client: httpx.Client) -> None:
    response = client.head("/alpha/feed.xml")
    assert response.status_code == 200
    assert response.content == b""
    assert int(response.headers["content-length"]) > 0


def test_every_article_is_reachable_from_its_feed(
    demo_server: DemoSourceServer, client: httpx.Client
) -> None:
    corpus = demo_server.corpus
    assert corpus is not None
    seen = set()
    for _, url in demo_server.feed_urls():
        feed = feedparser.parse(client.get(url).content)
        assert not feed.bozo
        for entry in feed.entries:
            page = client.get(entry.link)
            assert page.status_code == 200
            title = html.unescape(entry.title)  # RSS titles are HTML to readers
            assert f"<h1>{title.replace('&', '&amp;')}" in page.text or (
                title == HOSTILE_TITLE and "&lt;script&gt;" in page.text
            )
            seen.add(entry.link)
    assert len(seen) == len(corpus.articles)


def test_sitemap_urls_are_reachable(client: httpx.Client) -> None:
    root = fromstring(client.get("/alpha/news-sitemap.xml").content)
    locs = [e.text for e in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert len(locs) == 3
    assert all(client.get(loc).status_code == 200 for loc in locs)


def test_home_page_autodiscovers_the_feed(
    client: httpx.Client, demo_server: DemoSourceServer
) -> None:
    page = client.get("/beta/").text
    feed = f"{demo_server.base_url}/beta/atom.xml"
    assert f'type="application/atom+xml" title="Beta Energy" href="{feed}"' in page


def test_server_is_quiet_and_stops(corpus_dir, capfd: pytest.CaptureFixture[str]) -> None:
    server = DemoSourceServer(corpus_dir=corpus_dir)
    with pytest.raises(RuntimeError, match="not running"):
        _ = server.base_url
    server.start()
    base = server.base_url
    httpx.get(f"{base}/alpha/")
    httpx.get(f"{base}/nothing")
    server.stop()
    server.stop()  # stopping twice is harmless
    out, err = capfd.readouterr()
    assert out == ""
    assert err == ""
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{base}/alpha/", timeout=2)


def test_a_reader_hanging_up_prints_nothing_and_other_faults_are_logged(
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    # socketserver's default printed a traceback on stderr; from a handler thread outliving
    # stop() it landed in whatever the process printed next (a CLI's captured output in CI)
    from newsdesk.demo.server import _DemoHTTPServer

    server = _DemoHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler, bind_and_activate=False)

    def raise_(error: Exception) -> None:
        raise error

    def fail_with(error: Exception, port: int) -> None:
        try:
            raise_(error)
        except Exception:  # handle_error reads the exception being handled
            server.handle_error(None, ("127.0.0.1", port))

    try:
        fail_with(BrokenPipeError(32, "Broken pipe"), 50000)
        fail_with(ConnectionResetError(104, "reset"), 50001)
        assert caplog.records == []
        fail_with(ValueError("a fault of the handler"), 50002)
    finally:
        server.server_close()
    printed = capsys.readouterr().err
    assert "Exception occurred during processing" not in printed  # socketserver's own print
    assert "Broken pipe" not in printed and "reset" not in printed
    assert [r.levelname for r in caplog.records] == ["WARNING"]
    assert "a fault of the handler" in caplog.text
