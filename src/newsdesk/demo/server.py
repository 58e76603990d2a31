"""The demo source server: the fictional publications on 127.0.0.1, over plain HTTP.

Every response is rendered once at start; requests only look them up. Conditional requests
(If-None-Match, If-Modified-Since) are answered with 304 so the fetcher's caching is exercised.
"""

from __future__ import annotations

import hashlib
import logging
import sys
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from newsdesk.demo.corpus_loader import DemoCorpus, load_corpus
from newsdesk.demo.render import (
    article_path,
    feed_url,
    render_article_page,
    render_home_page,
    render_image,
    render_index_page,
    render_news_sitemap,
    render_publication_feed,
    render_robots,
)
from newsdesk.domain import SourceKind
from newsdesk.formats.feeds import FEED_MEDIA_TYPES

HTML = "text/html; charset=utf-8"
NEWS_SITEMAP = "news-sitemap.xml"


@dataclass(frozen=True)
class Resource:
    body: bytes
    content_type: str
    last_modified: datetime

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:20] + '"'

    @property
    def last_modified_header(self) -> str:
        return format_datetime(self.last_modified.astimezone(UTC), usegmt=True)


def build_site(corpus: DemoCorpus, base_url: str) -> dict[str, Resource]:
    """Every path the server answers, mapped to its response."""
    newest = corpus.articles[0].published if corpus.articles else datetime(2026, 1, 1, tzinfo=UTC)
    site_map = {
        "/": Resource(render_index_page(corpus, base_url).encode(), HTML, newest),
        "/robots.txt": Resource(render_robots().encode(), "text/plain; charset=utf-8", newest),
    }
    for publication in corpus.publications:
        site = f"{base_url}/{publication.id}"
        prefix = f"/{publication.id}/"
        articles = corpus.articles_of(publication.id)
        updated = articles[0].published if articles else newest
        xml_type = FEED_MEDIA_TYPES[publication.feed]
        site_map[prefix] = Resource(
            render_home_page(corpus, publication, site).encode(), HTML, updated
        )
        site_map[prefix + publication.feed_path] = Resource(
            render_publication_feed(corpus, publication, site), xml_type, updated
        )
        if publication.sitemap:
            site_map[prefix + NEWS_SITEMAP] = Resource(
                render_news_sitemap(corpus, publication, site),
                "application/xml; charset=utf-8",
                updated,
            )
        for article in articles:
            page = render_article_page(corpus, publication, article, site)
            site_map[prefix + article_path(article)] = Resource(
                page.encode(), HTML, article.published
            )
            site_map[f"{prefix}images/{article.slug}.svg"] = Resource(
                render_image(article).encode(), "image/svg+xml", article.published
            )
    return site_map


def is_not_modified(resource: Resource, headers: Message) -> bool:
    """RFC 9110 section 13.2.2: If-None-Match decides when present, else If-Modified-Since."""
    if_none_match = headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or resource.etag in tags
    if_modified_since = headers.get("If-Modified-Since")
    if if_modified_since is None:
        return False
    try:
        since = parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError):
        return False
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return resource.last_modified.replace(microsecond=0) <= since


class _Handler(BaseHTTPRequestHandler):
    disable_nagle_algorithm = True  # headers and body go out in separate writes
    server: _DemoHTTPServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def _respond(self, *, send_body: bool) -> None:
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        site = self.server.site
        resource = site.get(path)
        if resource is None and f"{path}/" in site:
            self._send_plain(301, "moved\n", send_body, location=f"{path}/")
            return
        if resource is None:
            self._send_plain(404, "not found\n", send_body)
            return
        validators = {
            "ETag": resource.etag,
            "Last-Modified": resource.last_modified_header,
            "Cache-Control": "max-age=60",
        }
        if is_not_modified(resource, self.headers):
            self.send_response(304)
            for name, value in validators.items():
                self.send_header(name, value)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", resource.content_type)
        self.send_header("Content-Length", str(len(resource.body)))
        for name, value in validators.items():
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(resource.body)

    def _send_plain(
        self, status: int, text: str, send_body: bool, location: str | None = None
    ) -> None:
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        if location is not None:
            self.send_header("Location", location)
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the demo prints its own summary."""


class _DemoHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    site: dict[str, Resource]

    def handle_error(self, request: object, client_address: object) -> None:  # noqa: ARG002
        """A reader that hangs up mid-answer (the fetcher stops reading at its size limit or
        deadline) is no fault; anything else is logged. socketserver's own handler printed a
        traceback on stderr, over the demo's output (or, in a thread outliving stop(), into
        whatever else the process was printing)."""
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError):
            return
        logging.getLogger(__name__).warning(
            "demo publications: answering %s failed", client_address, exc_info=error
        )


class DemoSourceServer:
    """The demo publications served from 127.0.0.1 (an ephemeral port unless one is given).

    Use as a context manager, or call start() and stop(). Pages are rendered at start from the
    shipped corpus (or ``corpus_dir``) with publication times relative to ``now``.
    """

    def __init__(
        self, port: int = 0, *, now: datetime | None = None, corpus_dir: Path | None = None
    ) -> None:
        self._port = port
        self._now = now
        self._corpus_dir = corpus_dir
        self._server: _DemoHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.corpus: DemoCorpus | None = None

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the demo source server is not running")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> None:
        if self._server is not None:
            return
        self.corpus = load_corpus(self._now or datetime.now(UTC), self._corpus_dir)
        server = _DemoHTTPServer(("127.0.0.1", self._port), _Handler)
        self._server = server
        server.site = build_site(self.corpus, self.base_url)
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},  # how long stop() may wait for the loop to notice
            name="demo-source-server",
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join()
        self._server = None
        self._thread = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _running_corpus(self) -> DemoCorpus:
        if self.corpus is None or self._server is None:
            raise RuntimeError("the demo source server is not running")
        return self.corpus

    def feed_urls(self) -> list[tuple[str, str]]:
        """(publication name, feed URL) for every publication."""
        return [
            (p.name, feed_url(f"{self.base_url}/{p.id}", p))
            for p in self._running_corpus().publications
        ]

    def source_urls(self) -> list[tuple[str, str, SourceKind]]:
        """Every source to register: each feed, plus the news sitemaps. Each is named as the
        publication readers know; how it is fetched is its kind and address, which the
        operator's pages show."""
        sources = [(name, url, SourceKind.FEED) for name, url in self.feed_urls()]
        sources.extend(
            (
                p.name,
                f"{self.base_url}/{p.id}/{NEWS_SITEMAP}",
                SourceKind.SITEMAP,
            )
            for p in self._running_corpus().publications
            if p.sitemap
        )
        return sources
