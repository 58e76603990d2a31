"""News sitemaps, plain sitemaps and sitemap indexes (gzip or not) into ParsedSource.

Parsing streams (lxml iterparse, elements cleared as they are read), so memory stays bounded
by the document cap. A sitemap with more than ``max_sitemap_urls`` URLs is truncated: the
first ``max_sitemap_urls`` are kept and the rest of the file is not read.
"""

from __future__ import annotations

import zlib
from typing import Any

from lxml import etree

from newsdesk.domain import FeedEntry, ParsedSource, SourceKind, SourceParseError
from newsdesk.sources.normalize import absolute_http_url, parse_iso_datetime, plain_text
from newsdesk.sources.options import ParseOptions
from newsdesk.sources.sitemap_crawl import sitemap_key
from newsdesk.sources.xmlguard import iterparse_hardened, local_name, prepare_xml

GZIP_MAGIC = b"\x1f\x8b"
_CHUNK = 1024 * 1024


def parse_sitemap(body: bytes, *, base_url: str, options: ParseOptions) -> ParsedSource:
    """URLs of a ``urlset`` (with Google News and image extensions) or the children of a
    ``sitemapindex``; any DOCTYPE is refused. A sitemap index never lists its own URL.
    """
    if body.startswith(GZIP_MAGIC):
        body = gunzip_capped(body, options.max_document_bytes)
    data = prepare_xml(body, max_bytes=options.max_document_bytes)
    entries: list[FeedEntry] = []
    children: list[str] = []
    seen_children: set[str] = set()
    own_key = sitemap_key(base_url) if base_url else None
    events = iterparse_hardened(data, tag=("{*}url", "{*}sitemap"))
    root: Any = None
    try:
        for _event, element in events:
            root = element.getroottree().getroot() if root is None else root
            parent = element.getparent()
            parent_name = local_name(parent.tag) if parent is not None else ""
            if parent_name == "urlset":
                entry = _url_entry(element, base_url)
                if entry is not None:
                    entries.append(entry)
                _release(element)
            elif parent_name == "sitemapindex":
                child = absolute_http_url(_child_texts(element).get("loc"), base_url)
                if child and sitemap_key(child) != own_key and child not in seen_children:
                    seen_children.add(child)
                    children.append(child)
                _release(element)
            if len(entries) + len(children) >= options.max_sitemap_urls:
                break
        root = root if root is not None else events.root
        root_name = local_name(root.tag) if root is not None else None
    except etree.XMLSyntaxError as error:
        raise SourceParseError(f"malformed sitemap: {error}") from error
    if root_name not in {"urlset", "sitemapindex"}:
        raise SourceParseError(f"not a sitemap: root element is {root_name!r}")
    return ParsedSource(
        kind=SourceKind.SITEMAP,
        link=base_url or None,
        entries=tuple(entries),
        child_sitemaps=tuple(children),
    )


def gunzip_capped(body: bytes, max_bytes: int) -> bytes:
    """Decompressed gzip body; SourceParseError past max_bytes (a gzip bomb) or if corrupt."""
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    output = bytearray()
    pending = body
    try:
        while not decompressor.eof:
            chunk = decompressor.decompress(pending, min(_CHUNK, max_bytes + 1 - len(output)))
            output += chunk
            if len(output) > max_bytes:
                raise SourceParseError(f"gzip body expands past the {max_bytes} byte cap")
            pending = decompressor.unconsumed_tail
            if not chunk and not pending:
                break  # input ran out before the end of the gzip stream
    except zlib.error as error:
        raise SourceParseError(f"corrupt gzip body: {error}") from error
    if not decompressor.eof:
        raise SourceParseError("truncated gzip body")
    return bytes(output)


def _url_entry(element: Any, base_url: str) -> FeedEntry | None:
    fields = _child_texts(element)
    url = absolute_http_url(fields.get("loc"), base_url)
    if url is None:
        return None
    news = fields.get("news")
    title = published = language = image = None
    if news is not None or "image" in fields:
        for child in element.iter():
            parent_name = local_name(child.getparent().tag)
            name = local_name(child.tag)
            text = child.text.strip() if isinstance(child.text, str) else None
            if parent_name == "news" and name == "title":
                title = plain_text(text)
            elif parent_name == "news" and name == "publication_date":
                published = parse_iso_datetime(text)
            elif parent_name == "publication" and name == "language":
                language = text or None
            elif parent_name == "image" and name == "loc" and image is None:
                image = absolute_http_url(text, base_url)
    return FeedEntry(
        url=url,
        title=title,
        published=published,
        updated=parse_iso_datetime(fields.get("lastmod")),
        language=language,
        image=image,
    )


def _child_texts(element: Any) -> dict[str, str]:
    """Local name -> stripped text of the direct children (first occurrence wins)."""
    texts: dict[str, str] = {}
    for child in element:
        name = local_name(child.tag)
        if name not in texts:
            texts[name] = child.text.strip() if isinstance(child.text, str) else ""
    return texts


def _release(element: Any) -> None:
    """Free an element already read, and its earlier siblings, to keep memory flat."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    while parent is not None and element.getprevious() is not None:
        del parent[0]
