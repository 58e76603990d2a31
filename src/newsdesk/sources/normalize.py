"""Small pure helpers every parser shares: plain text, URLs, dates."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from newsdesk.domain.models import in_utc

_WHITESPACE = re.compile(r"\s+")
_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    ]
)
_ABSOLUTE_HTTP = re.compile(r"https?://", re.IGNORECASE)
# An absolute http(s) URL with a plain host, no user info and no whitespace: the common case,
# accepted without the cost of urlsplit.
_PLAIN_HTTP_URL = re.compile(
    r"(?i:https?)://[A-Za-z0-9][A-Za-z0-9.-]*(?::\d{1,5})?(?:[/?#][^\s\\]*)?\Z"
)
_YEAR_OR_MONTH = re.compile(r"^(\d{4})(?:-(\d{2}))?$")


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:  # noqa: ARG002
        if tag in {"script", "style"}:
            self._skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"} and self._skipping:
            self._skipping -= 1
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def plain_text(value: str | None) -> str | None:
    """Tags stripped, entities decoded, whitespace collapsed; None when nothing is left."""
    if not value:
        return None
    if "<" in value:
        collector = _TextCollector()
        collector.feed(value)
        collector.close()
        value = "".join(collector.parts)
    else:
        value = html.unescape(value)
    value = _WHITESPACE.sub(" ", value.replace("\x00", "")).strip()
    return value or None


def absolute_http_url(link: str | None, base_url: str) -> str | None:
    """link resolved against base_url, or None unless it is a usable http(s) URL."""
    if not link:
        return None
    link = link.strip().replace("\x00", "")
    if _PLAIN_HTTP_URL.match(link):
        return link
    try:
        absolute = _ABSOLUTE_HTTP.match(link) is not None
        resolved = link if absolute or not base_url else urljoin(base_url, link)
        parts = urlsplit(resolved)
        _ = parts.port  # raises ValueError on a malformed port
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return None
    if _WHITESPACE.search(resolved):
        return None
    return resolved


def parse_iso_datetime(value: object) -> datetime | None:
    """RFC 3339 / W3C datetime (also ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``) as aware UTC."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    partial = _YEAR_OR_MONTH.match(text)
    try:
        if partial:
            return datetime(int(partial.group(1)), int(partial.group(2) or 1), 1, tzinfo=UTC)
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
        return in_utc(datetime.fromisoformat(text.replace("z", "Z")))
    except (ValueError, OverflowError):
        return None
