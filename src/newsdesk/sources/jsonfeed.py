"""JSON Feed 1.0 and 1.1 documents into ParsedSource."""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from typing import Any

from newsdesk.domain import FeedEntry, ParsedSource, SourceKind, SourceParseError
from newsdesk.sources.normalize import absolute_http_url, parse_iso_datetime, plain_text
from newsdesk.sources.options import ParseOptions
from newsdesk.sources.xmlguard import check_size, decode_untrusted

JSON_FEED_VERSION_PREFIX = "https://jsonfeed.org/version/"


def parse_json_feed(body: bytes, *, base_url: str, options: ParseOptions) -> ParsedSource:
    """Items of a JSON Feed; SourceParseError if the body is not one.

    ``url`` is the entry URL (``external_url`` when there is none); ``content_html`` is kept as
    served, ``content_text`` becomes escaped HTML when there is no ``content_html``.
    """
    check_size(body, options.max_document_bytes, "feed")
    try:
        document = json.loads(decode_untrusted(body))
    except (ValueError, RecursionError) as error:
        raise SourceParseError(f"not a JSON Feed: {type(error).__name__}") from error
    if not isinstance(document, dict) or not str(document.get("version", "")).startswith(
        JSON_FEED_VERSION_PREFIX
    ):
        raise SourceParseError("not a JSON Feed: no https://jsonfeed.org/version/ marker")
    feed_language = _string(document.get("language"))
    feed_authors = _authors(document)
    items = document.get("items")
    entries: list[FeedEntry] = []
    for item in items if isinstance(items, list) else ():
        if not isinstance(item, dict):
            continue
        entry = _entry(item, base_url, feed_language, feed_authors)
        if entry is not None:
            entries.append(entry)
        if len(entries) >= options.max_entries:
            break
    return ParsedSource(
        kind=SourceKind.FEED,
        title=plain_text(_string(document.get("title"))),
        link=absolute_http_url(_string(document.get("home_page_url")), base_url),
        entries=tuple(entries),
    )


def _entry(
    item: Mapping[str, Any],
    base_url: str,
    feed_language: str | None,
    feed_authors: tuple[str, ...],
) -> FeedEntry | None:
    url = absolute_http_url(_string(item.get("url")), base_url) or absolute_http_url(
        _string(item.get("external_url")), base_url
    )
    if url is None:
        return None
    guid = item.get("id")
    content_html = _string(item.get("content_html"))
    content_text = _string(item.get("content_text"))
    if not content_html and content_text:
        content_html = "<p>" + html.escape(content_text) + "</p>"
    return FeedEntry(
        url=url,
        guid=str(guid) if isinstance(guid, str | int) and not isinstance(guid, bool) else None,
        title=plain_text(_string(item.get("title"))),
        published=parse_iso_datetime(item.get("date_published")),
        updated=parse_iso_datetime(item.get("date_modified")),
        authors=_authors(item) or feed_authors,
        summary=plain_text(_string(item.get("summary"))),
        content_html=content_html or None,
        image=absolute_http_url(_string(item.get("image")), base_url)
        or absolute_http_url(_string(item.get("banner_image")), base_url),
        language=_string(item.get("language")) or feed_language,
    )


def _authors(holder: Mapping[str, Any]) -> tuple[str, ...]:
    raw = holder.get("authors")
    people = raw if isinstance(raw, list) else [holder.get("author")]  # 1.1 list, 1.0 object
    names: list[str] = []
    for person in people:
        if isinstance(person, dict):
            name = plain_text(_string(person.get("name")))
            if name and name not in names:
                names.append(name)
    return tuple(names)


def _string(value: object) -> str | None:
    return value.replace("\x00", "") if isinstance(value, str) else None
