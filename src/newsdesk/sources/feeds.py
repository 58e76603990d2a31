"""RSS 0.9x/1.0/2.0 and Atom documents (feedparser on screened bytes) into ParsedSource."""

from __future__ import annotations

import html
import io
import time
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

import feedparser

from newsdesk.domain import FeedEntry, ParsedSource, SourceKind, SourceParseError
from newsdesk.sources.jsonfeed import parse_json_feed
from newsdesk.sources.normalize import absolute_http_url, plain_text
from newsdesk.sources.options import ParseOptions
from newsdesk.sources.xmlguard import NETSCAPE_RSS_091_PUBLIC_ID, check_size, prepare_xml

_HTML_TYPES = {"text/html", "application/xhtml+xml", "html", "xhtml"}


def parse_feed(body: bytes, *, base_url: str, options: ParseOptions) -> ParsedSource:
    """Entries of an RSS, Atom or JSON Feed document; SourceParseError if it is none of those.

    A JSON body (first non-blank byte ``{``) is read as JSON Feed. XML is screened first: a
    DOCTYPE with an internal subset or an external DTD (other than the RSS 0.91 Netscape one,
    which is never loaded) is refused. A malformed feed that feedparser recovered still gives
    its entries.
    """
    check_size(body, options.max_document_bytes, "feed")
    if body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return parse_json_feed(body, base_url=base_url, options=options)
    data = prepare_xml(
        body,
        max_bytes=options.max_document_bytes,
        allowed_public_ids=(NETSCAPE_RSS_091_PUBLIC_ID,),
        allow_bare_doctype=True,
    )
    try:
        # A stream, never bytes or str: feedparser treats those as a possible path or URL.
        result = feedparser.parse(
            io.BytesIO(data),
            response_headers={"content-location": base_url, "content-type": "application/xml"},
        )
    except Exception as error:  # a third-party parser on hostile input; report, don't crash
        raise SourceParseError(f"unreadable feed: {type(error).__name__}") from error
    if not result.get("version") and not result.get("entries"):
        reason = result.get("bozo_exception")
        raise SourceParseError(f"not a feed document{f': {reason}' if reason else ''}")
    return _parsed_source(result, base_url, options)


def _parsed_source(result: Mapping[str, Any], base_url: str, options: ParseOptions) -> ParsedSource:
    feed: Mapping[str, Any] = result.get("feed") or {}
    feed_language = _text(feed.get("language"))
    entries: list[FeedEntry] = []
    for raw in result.get("entries") or ():
        entry = _feed_entry(raw, base_url, feed_language)
        if entry is not None:
            entries.append(entry)
        if len(entries) >= options.max_entries:
            break
    return ParsedSource(
        kind=SourceKind.FEED,
        title=plain_text(_text(feed.get("title"))),
        link=absolute_http_url(_text(feed.get("link")), base_url),
        entries=tuple(entries),
    )


def _feed_entry(
    raw: Mapping[str, Any], base_url: str, feed_language: str | None
) -> FeedEntry | None:
    url = absolute_http_url(_entry_link(raw), base_url)
    if url is None:
        return None
    title_detail: Mapping[str, Any] = raw.get("title_detail") or {}
    # Read the dates without FeedParserDict's aliasing (which reports published as updated).
    published = _utc(dict.get(raw, "published_parsed")) if isinstance(raw, dict) else None
    updated = _utc(dict.get(raw, "updated_parsed")) if isinstance(raw, dict) else None
    return FeedEntry(
        url=url,
        guid=_text(raw.get("id")) or None,
        title=plain_text(_text(raw.get("title"))),
        published=published or updated,  # a feed's only date is the best publication time
        updated=updated,
        authors=_authors(raw),
        summary=plain_text(_text(raw.get("summary"))),
        content_html=_longest_content(raw.get("content")),
        image=_image(raw, base_url),
        language=_text(title_detail.get("language")) or _text(raw.get("language")) or feed_language,
    )


def _entry_link(raw: Mapping[str, Any]) -> str | None:
    link = _text(raw.get("link"))
    if link:
        return link
    for candidate in raw.get("links") or ():
        if candidate.get("rel", "alternate") == "alternate" and candidate.get("href"):
            return _text(candidate.get("href"))
    guid = _text(raw.get("id"))
    if raw.get("guidislink") and guid:
        return guid
    return None


def _longest_content(contents: Iterable[Mapping[str, Any]] | None) -> str | None:
    best: str | None = None
    for content in contents or ():
        value = _text(content.get("value"))
        if not value or not value.strip():
            continue
        if content.get("type", "text/html") not in _HTML_TYPES:
            value = "<p>" + html.escape(value) + "</p>"
        if best is None or len(value) > len(best):
            best = value
    return best


def _authors(raw: Mapping[str, Any]) -> tuple[str, ...]:
    names: list[str] = []
    for author in raw.get("authors") or ():
        name = plain_text(_text(author.get("name")) or _text(author.get("email")))
        if name and name not in names:
            names.append(name)
    if not names:
        single = plain_text(_text(raw.get("author")))
        if single:
            names.append(single)
    return tuple(names)


def _image(raw: Mapping[str, Any], base_url: str) -> str | None:
    candidates: list[str | None] = [
        _text(link.get("href"))
        for link in raw.get("links") or ()
        if link.get("rel") == "enclosure" and str(link.get("type", "")).startswith("image/")
    ]
    for media in raw.get("media_content") or ():
        medium, kind = str(media.get("medium", "")), str(media.get("type", ""))
        if medium == "image" or kind.startswith("image/"):
            candidates.append(_text(media.get("url")))
    candidates.extend(_text(thumb.get("url")) for thumb in raw.get("media_thumbnail") or ())
    image = raw.get("image")
    if isinstance(image, Mapping):
        candidates.append(_text(image.get("href")))
    for candidate in candidates:
        resolved = absolute_http_url(candidate, base_url)
        if resolved:
            return resolved
    return None


def _utc(parsed: object) -> datetime | None:
    if not isinstance(parsed, time.struct_time):
        return None
    try:
        return datetime(*parsed[:6], tzinfo=UTC)
    except (ValueError, OverflowError):
        return None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None
