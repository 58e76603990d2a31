"""OPML subscription lists: import (flattened outlines) and export (OPML 2.0)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import format_datetime
from typing import Any

from lxml import etree

from newsdesk.domain import Source, SourceKind, SourceParseError, utcnow
from newsdesk.sources.xmlguard import hardened_parser, local_name, prepare_xml

MAX_OPML_BYTES = 10 * 1024 * 1024
KIND_ATTRIBUTE = "newsdeskKind"  # extra attribute so sitemap and page sources survive a round trip
_XML_FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class OpmlOutline:
    """One subscription: an outline with an ``xmlUrl``; category is its folder path."""

    title: str | None
    xml_url: str
    html_url: str | None = None
    category: str | None = None  # parent outline titles joined with " / "
    kind: SourceKind = SourceKind.FEED


def parse_opml(body: bytes) -> list[OpmlOutline]:
    """Every outline carrying an ``xmlUrl``, nested folders flattened, in document order.

    Any DOCTYPE is refused; a document whose root is not ``opml`` raises SourceParseError.
    """
    data = prepare_xml(body, max_bytes=MAX_OPML_BYTES)
    try:
        root = etree.fromstring(data, parser=hardened_parser())
    except etree.XMLSyntaxError as error:
        raise SourceParseError(f"malformed OPML: {error}") from error
    if local_name(root.tag) != "opml":
        raise SourceParseError(f"not OPML: root element is {local_name(root.tag)!r}")
    outlines: list[OpmlOutline] = []
    for child in root:
        if local_name(child.tag) == "body":
            _collect(child, (), outlines)
    return outlines


def export_opml(sources: Iterable[Source], *, title: str) -> bytes:
    """An OPML 2.0 document listing the sources (XML-escaped by the serializer)."""
    opml = etree.Element("opml", version="2.0")
    head = etree.SubElement(opml, "head")
    etree.SubElement(head, "title").text = _xml_safe(title)
    etree.SubElement(head, "dateCreated").text = format_datetime(utcnow(), usegmt=True)
    body = etree.SubElement(opml, "body")
    for source in sources:
        name = _xml_safe(source.name or source.url)
        outline = etree.SubElement(
            body, "outline", type="rss", text=name, title=name, xmlUrl=_xml_safe(source.url)
        )
        if source.kind is not SourceKind.FEED:
            outline.set(KIND_ATTRIBUTE, source.kind.value)
    return bytes(etree.tostring(opml, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _collect(parent: Any, folders: tuple[str, ...], outlines: list[OpmlOutline]) -> None:
    for element in parent:
        if local_name(element.tag) != "outline":
            continue
        title = " ".join((element.get("title") or element.get("text") or "").split()) or None
        xml_url = (element.get("xmlUrl") or element.get("xmlurl") or "").strip()
        if xml_url:
            outlines.append(
                OpmlOutline(
                    title=title,
                    xml_url=xml_url,
                    html_url=(element.get("htmlUrl") or "").strip() or None,
                    category=" / ".join(folders) or None,
                    kind=_kind(element.get(KIND_ATTRIBUTE)),
                )
            )
        _collect(element, (*folders, title) if title and not xml_url else folders, outlines)


def _kind(value: str | None) -> SourceKind:
    try:
        return SourceKind(value) if value else SourceKind.FEED
    except ValueError:
        return SourceKind.FEED


def _xml_safe(value: str) -> str:
    return _XML_FORBIDDEN_CHARS.sub("", value)
