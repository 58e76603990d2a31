"""Page metadata: title (without the site name), authors, date, language, site, image, URL."""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from htmldate import find_date
from lxml.html import HtmlElement
from trafilatura.json_metadata import extract_json, extract_json_parse_error
from trafilatura.metadata import (
    examine_meta,
    extract_sitename,
    extract_title,
    extract_url,
)
from trafilatura.settings import Document as TrafilaturaMetadata

from newsdesk.domain.models import in_utc
from newsdesk.extract.author import page_author
from newsdesk.extract.jsonld import JsonLd, metadata_schema, read_json_ld
from newsdesk.extract.language import page_language
from newsdesk.extract.sanitize import absolute_url

logger = logging.getLogger(__name__)

# Separators between a headline and a site or section name, e.g. "Headline | Site".
TITLE_SEPARATOR = re.compile(r"\s+(?:\||-|–|—|·|•|::|»|«)\s+")
# Separators that almost always mark a site or section name rather than a sub-title.
STRONG_SEPARATOR = re.compile(r"\s+(?:\||·|•|::|»|«)\s+")
DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
AUTHOR_SEPARATOR = re.compile(r"\s*;\s*")


@dataclass(frozen=True)
class PageMetadata:
    title: str | None = None
    authors: tuple[str, ...] = ()
    published: datetime | None = None
    language: str | None = None
    site_name: str | None = None
    image: str | None = None
    canonical_url: str | None = None


def _key(text: str) -> str:
    """Letters and digits only, lower case: 'The Verge' and 'theverge.com' compare equal-ish."""
    folded = unicodedata.normalize("NFKD", text).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def _site_keys(site_name: str | None, url: str | None) -> set[str]:
    keys = set()
    if site_name:
        keys.add(_key(site_name))
    host = urlsplit(url).hostname if url else None
    if host:
        labels = [label for label in host.split(".") if label not in {"www", "m", "amp"}]
        if labels:
            keys.add(_key(".".join(labels)))
            keys.add(_key(labels[0]) if len(labels) == 1 else _key(labels[-2]))
    return {key for key in keys if len(key) >= 2}


def _names_site(part: str, site_keys: set[str]) -> bool:
    key = _key(part)
    if not key:
        return True
    return any(key == site or (len(site) >= 4 and site in key) for site in site_keys)


def clean_title(title: str | None, *, site_name: str | None, url: str | None) -> str | None:
    """The article title without a leading or trailing site name ("Deal signed | Site")."""
    if not title:
        return None
    title = " ".join(title.split())
    parts = TITLE_SEPARATOR.split(title)
    if len(parts) == 1:
        return title or None
    site_keys = _site_keys(site_name, url)
    while len(parts) > 1 and _names_site(parts[-1], site_keys):
        parts.pop()
    while len(parts) > 1 and _names_site(parts[0], site_keys):
        parts.pop(0)
    cleaned = _rejoin(title, parts)
    strong = STRONG_SEPARATOR.split(cleaned)
    if len(strong) > 1:
        # "Headline | Section | Brand" where the brand is unknown: keep the longest part.
        cleaned = max(strong, key=len)
    return cleaned.strip() or None


def _heading_title(tree: HtmlElement, site_keys: set[str]) -> str | None:
    """A page heading to use when the declared title is only the site name."""
    for path in (
        "//meta[@property='og:title']/@content",
        "//meta[@name='twitter:title']/@content",
        "//h1",
    ):
        for found in tree.xpath(path)[:3]:
            text = found if isinstance(found, str) else found.text_content()
            text = " ".join(str(text).split())
            if text and not _names_site(text, site_keys) and len(text) <= 300:
                return text
    return None


def _rejoin(title: str, parts: list[str]) -> str:
    """The span of `title` from the first to the last kept part, separators included."""
    start = title.find(parts[0])
    end = title.rfind(parts[-1]) + len(parts[-1])
    return title[start:end] if 0 <= start < end else " ".join(parts)


def parse_published(value: str | None) -> datetime | None:
    """An htmldate result as an aware datetime in UTC; dates without a zone are taken as UTC,
    and one whose UTC time lies outside the calendar is no date (None)."""
    if not value:
        return None
    for candidate in (value, value[:10]):
        try:
            parsed = datetime.fromisoformat(candidate)
        except ValueError:
            continue
        return in_utc(parsed)
    return None


def split_authors(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    seen: dict[str, None] = {}
    for raw_name in AUTHOR_SEPARATOR.split(value):
        name = " ".join(raw_name.split())
        if name and name.casefold() not in {seen_name.casefold() for seen_name in seen}:
            seen[name] = None
    return tuple(seen)


def _json_ld_metadata(json_ld: JsonLd, found: TrafilaturaMetadata) -> TrafilaturaMetadata:
    """trafilatura's JSON-LD metadata steps over the page's scripts, parsed once (jsonld.py):
    its reading of each parsed script, and its pattern search in those that did not parse."""
    for script in json_ld.scripts:
        try:
            if script.unparsed is not None:
                found = extract_json_parse_error(script.unparsed, found)
            else:
                found = extract_json(metadata_schema(script.schema), found)
        except Exception:  # publishers' JSON-LD takes every shape; the markup has the rest
            logger.debug("unreadable JSON-LD metadata", exc_info=True)
    return found


def _declared_metadata(
    tree: HtmlElement, url: str | None, known: Collection[str] = (), json_ld: JsonLd | None = None
) -> TrafilaturaMetadata:
    """trafilatura's metadata steps that newsdesk uses (its categories, tags and licence
    searches are skipped: they cost a sixth of an extraction and nothing reads them). The
    searches through the whole page for a title or an author are skipped when the caller
    already `known`s them (a feed item's title and authors win over the page's anyway)."""
    found = examine_meta(tree)
    if found.author and " " not in found.author:
        found.author = None  # a single token is a handle or a site, not a person's name
    found = _json_ld_metadata(read_json_ld(tree) if json_ld is None else json_ld, found)
    if "title" not in known:
        found.title = found.title or extract_title(tree)
    if "authors" not in known:
        found.author = found.author or page_author(tree)
    found.url = found.url or extract_url(tree, url)
    site_name = found.sitename or extract_sitename(tree)
    found.sitename = site_name.lstrip("@") if site_name else None
    found.clean_and_trim()
    return found


def extract_page_metadata(
    tree: HtmlElement,
    *,
    url: str | None,
    text: str,
    date_search: str = "full",
    known: Collection[str] = (),
    json_ld: JsonLd | None = None,
) -> PageMetadata:
    """Metadata of a parsed page; `text` is the extracted article text, used for language.
    Fields named in `known` ("title", "authors") are taken from markup only when it declares
    them, never searched for. `json_ld` is the page's JSON-LD when the caller has read it."""
    found = _declared_metadata(tree, url, known, json_ld)
    canonical = found.url or url
    date = None
    # The quick date search reads markup and URL; the costly text search runs only without one.
    if date_search != "off":
        date = find_date(
            tree,
            extensive_search=False,
            original_date=True,
            outputformat=DATE_FORMAT,
            url=canonical,
        )
    if date is None and date_search == "full":
        date = find_date(
            tree,
            extensive_search=True,
            original_date=True,
            outputformat=DATE_FORMAT,
            url=canonical,
        )
    site_name = found.sitename or None
    image = absolute_url(found.image, canonical) if found.image else None
    title = clean_title(found.title, site_name=site_name, url=canonical)
    site_keys = _site_keys(site_name, canonical)
    if "title" not in known and (title is None or _names_site(title, site_keys)):
        heading = _heading_title(tree, site_keys)
        title = clean_title(heading, site_name=site_name, url=canonical) if heading else title
    return PageMetadata(
        title=title,
        authors=split_authors(found.author),
        published=parse_published(date),
        language=page_language(tree, text),
        site_name=site_name,
        image=image,
        canonical_url=canonical,
    )
