"""OPML import (flattened) and export (OPML 2.0), including a round trip."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from newsdesk.domain import Source, SourceKind, SourceParseError
from newsdesk.sources import OpmlOutline, export_opml, parse_opml

DATA = Path(__file__).parent / "data"


def test_parse_opml_flattens_nested_outlines() -> None:
    assert parse_opml((DATA / "subscriptions.opml").read_bytes()) == [
        OpmlOutline(
            title="Grid Daily",
            xml_url="https://grid.example/feed",
            html_url="https://grid.example/",
            category="Energy",
        ),
        OpmlOutline(
            title="Deep & Narrow", xml_url="https://deep.example/rss", category="Energy / Nested"
        ),
        OpmlOutline(title="Top level", xml_url="https://top.example/atom.xml"),
    ]


def test_export_is_valid_opml_2_and_round_trips() -> None:
    sources = [
        Source(url="https://a.example/feed?x=1&y=2", name='Tom & Jerry\'s "<News>"'),
        Source(url="https://b.example/sitemap.xml", name="B sitemap", kind=SourceKind.SITEMAP),
        Source(url="https://c.example/rss", name="Bad\x00\x07 chars"),
        Source(url="https://d.example/feed"),
    ]
    document = export_opml(sources, title="Mine & yours")
    root = etree.fromstring(document)
    assert root.tag == "opml"
    assert root.get("version") == "2.0"
    assert root.findtext("head/title") == "Mine & yours"
    assert root.findtext("head/dateCreated")
    assert parse_opml(document) == [
        OpmlOutline(title='Tom & Jerry\'s "<News>"', xml_url="https://a.example/feed?x=1&y=2"),
        OpmlOutline(
            title="B sitemap", xml_url="https://b.example/sitemap.xml", kind=SourceKind.SITEMAP
        ),
        OpmlOutline(title="Bad chars", xml_url="https://c.example/rss"),
        OpmlOutline(title="https://d.example/feed", xml_url="https://d.example/feed"),
    ]


@pytest.mark.parametrize(
    "body",
    [b"<rss version='2.0'/>", b"<opml><body><outline", b"", b"\xff\xfe\x00garbage"],
)
def test_non_opml_is_refused(body: bytes) -> None:
    with pytest.raises(SourceParseError):
        parse_opml(body)
