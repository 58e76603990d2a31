"""File imports: a folder of HTML files, JSONL records, WARC archives.

Each iterator streams (one file, line or record in memory at a time) and yields either an
``ImportedPage`` or an ``ImportProblem`` for an item it could not read, then carries on, so
one bad line or file never stops an import.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any, BinaryIO, cast

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from newsdesk.sources.house import has_front_matter
from newsdesk.sources.html_head import HtmlHead, decode_html, read_head
from newsdesk.sources.normalize import absolute_http_url, parse_iso_datetime, plain_text

MAX_IMPORT_ITEM_BYTES = 15 * 1024 * 1024  # one HTML file, JSONL line or WARC record body
_HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
_HTML_TYPES = {"text/html", "application/xhtml+xml"}


@dataclass(frozen=True)
class ImportedPage:
    url: str
    html: str | None
    text: str | None
    title: str | None
    published: datetime | None


@dataclass(frozen=True)
class ImportProblem:
    """An item that was skipped: where it was (file, 1-based line or record) and why."""

    location: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.location}:{self.line}" if self.line is not None else self.location
        return f"{where}: {self.message}"


ImportItem = ImportedPage | ImportProblem


def iter_html_folder(
    path: Path, *, max_file_bytes: int = MAX_IMPORT_ITEM_BYTES
) -> Iterator[ImportItem]:
    """Every ``*.html``/``*.htm``/``*.xhtml`` file under path, in sorted path order.

    The URL is the page's ``<link rel="canonical">`` when it is an absolute http(s) URL (so a
    saved copy of an article dedups against the live one), else the file's ``file:`` URL.
    Files that start with front matter are house pieces (sources.house), not pages: skipped.
    """
    files = sorted(p for p in path.rglob("*") if p.suffix.lower() in _HTML_SUFFIXES)
    for file in files:
        if not file.is_file():
            continue
        try:
            size = file.stat().st_size
            if size > max_file_bytes:
                yield ImportProblem(str(file), f"{size} bytes, over the {max_file_bytes} cap")
                continue
            body = file.read_bytes()
        except OSError as error:
            yield ImportProblem(str(file), f"unreadable: {error.strerror or error}")
            continue
        if has_front_matter(body):
            continue
        yield _page_from_html(decode_html(body), fallback_url=file.resolve().as_uri())


def iter_jsonl(path: Path, *, max_line_bytes: int = MAX_IMPORT_ITEM_BYTES) -> Iterator[ImportItem]:
    """One page per line ``{"url", "html" | "text", "title"?, "published"?}`` (gzip or not).

    ``url`` must be absolute http(s); ``published`` is ISO 8601 (naive means UTC). A bad
    line yields an ImportProblem with its line number and the rest is still read.
    """
    with _open_maybe_gzip(path) as stream:
        number = 0
        while True:
            line = stream.readline(max_line_bytes + 1)
            if not line:
                return
            number += 1
            if len(line) > max_line_bytes and not line.endswith(b"\n"):
                _skip_rest_of_line(stream)
                yield ImportProblem(str(path), f"line over {max_line_bytes} bytes", number)
                continue
            if not line.strip():
                continue
            yield _jsonl_record(line, str(path), number)


def iter_warc(path: Path, *, max_record_bytes: int = MAX_IMPORT_ITEM_BYTES) -> Iterator[ImportItem]:
    """HTML pages from the 2xx ``response`` records of a WARC file (gzip or not).

    ARC files are not read: they give a single ImportProblem.
    """
    with path.open("rb") as stream:
        try:
            for record in ArchiveIterator(stream):
                if record.format != "warc":  # warcio reads anything else as a lenient ARC file
                    yield ImportProblem(str(path), "not a readable WARC file: no WARC header")
                    return
                item = _warc_page(record, str(path), max_record_bytes)
                if item is not None:
                    yield item
        except ArchiveLoadFailed as error:
            yield ImportProblem(str(path), f"not a readable WARC file: {error}")


def _page_from_html(html: str, *, fallback_url: str) -> ImportedPage:
    head = read_head(html)
    return ImportedPage(
        url=_canonical(head, fallback_url) or fallback_url,
        html=html,
        text=None,
        title=plain_text(head.metas.get("og:title")) or plain_text(head.title),
        published=parse_iso_datetime(head.metas.get("article:published_time")),
    )


def _canonical(head: HtmlHead, page_url: str) -> str | None:
    base = page_url if page_url.startswith(("http://", "https://")) else ""
    for link in head.links:
        if "canonical" in link.get("rel", "").lower().split():
            url = absolute_http_url(link.get("href"), base)
            if url:
                return url
    return None


def _jsonl_record(line: bytes, location: str, number: int) -> ImportItem:
    try:
        record = json.loads(line.decode("utf-8", errors="replace"))
    except (ValueError, RecursionError) as error:
        return ImportProblem(location, f"invalid JSON: {error}", number)
    if not isinstance(record, dict):
        return ImportProblem(location, "expected a JSON object", number)
    url = absolute_http_url(_string(record.get("url")), "")
    if url is None:
        return ImportProblem(location, "missing or non-http(s) 'url'", number)
    html, text = _string(record.get("html")), _string(record.get("text"))
    if not html and not text:
        return ImportProblem(location, "needs a non-empty 'html' or 'text'", number)
    published_raw = record.get("published")
    published = parse_iso_datetime(published_raw)
    if published_raw not in (None, "") and published is None:
        return ImportProblem(location, f"unreadable 'published': {published_raw!r}", number)
    return ImportedPage(
        url=url,
        html=html or None,
        text=text or None,
        title=plain_text(_string(record.get("title"))),
        published=published,
    )


def _warc_page(record: Any, location: str, max_bytes: int) -> ImportItem | None:
    if record.rec_type != "response" or record.http_headers is None:
        return None
    status = record.http_headers.get_statuscode()
    content_type = record.http_headers.get_header("Content-Type") or ""
    media_type, _, params = content_type.partition(";")
    if not str(status).startswith("2") or media_type.strip().lower() not in _HTML_TYPES:
        return None
    url = absolute_http_url(record.rec_headers.get_header("WARC-Target-URI"), "")
    if url is None:
        return ImportProblem(location, "response record without an http(s) target URI")
    body = record.content_stream().read(max_bytes + 1)
    if len(body) > max_bytes:
        return ImportProblem(location, f"record for {url} is over {max_bytes} bytes")
    charset = params.partition("charset=")[2].strip().strip("\"'") or None
    page = _page_from_html(decode_html(body, charset), fallback_url=url)
    return ImportedPage(url, page.html, None, page.title, page.published)


def _open_maybe_gzip(path: Path) -> BinaryIO:
    with path.open("rb") as probe:
        compressed = probe.read(2) == b"\x1f\x8b"
    if compressed:
        return cast(BinaryIO, gzip.open(path, "rb"))
    return path.open("rb")


def _skip_rest_of_line(stream: IO[bytes]) -> None:
    while True:
        chunk = stream.readline(1024 * 1024)
        if not chunk or chunk.endswith(b"\n"):
            return


def _string(value: object) -> str | None:
    return value.replace("\x00", "") if isinstance(value, str) else None
