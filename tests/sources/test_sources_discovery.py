"""Feed autodiscovery, kind detection and the parse_source dispatcher."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsdesk.domain import SourceKind, SourceParseError
from newsdesk.sources import ParseOptions, detect_kind, discover_feeds, parse_source

DATA = Path(__file__).parent / "data"
OPTIONS = ParseOptions()

PAGE = b"""<!DOCTYPE html>
<html><head>
<meta charset="utf-8">
<title>Grid  Daily &amp; more</title>
<link rel="stylesheet" href="/style.css">
<link rel="alternate" type="application/rss+xml" title="RSS" href="/feed.xml">
<link rel="Alternate" type="application/atom+xml; charset=utf-8" href="https://grid.example/atom">
<link rel="alternate" type="application/rss+xml" href="/feed.xml">
<link rel="alternate" type="application/feed+json" href="feed.json">
<link rel="alternate" type="text/html" hreflang="de" href="/de/">
<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
<link rel="canonical" href="https://grid.example/news/story">
<meta property="og:image" content="/img/story.jpg">
<meta property="article:published_time" content="2024-03-04T05:06:07Z">
<meta name="description" content="A short &lt;b&gt;summary&lt;/b&gt;.">
</head><body><p>Body</p></body></html>"""


def test_discover_feeds_in_document_order_absolute_and_unique() -> None:
    assert discover_feeds(PAGE, base_url="https://grid.example/news/") == [
        "https://grid.example/feed.xml",
        "https://grid.example/atom",
        "https://grid.example/news/feed.json",
    ]


def test_discover_feeds_honours_base_href_and_accepts_text() -> None:
    html = (
        '<html><head><base href="https://cdn.example/site/">'
        '<link rel="alternate" type="application/atom+xml" href="atom.xml"></head></html>'
    )
    assert discover_feeds(html, base_url="https://www.example/") == [
        "https://cdn.example/site/atom.xml"
    ]


def test_discover_feeds_on_a_page_without_feeds() -> None:
    assert (
        discover_feeds(b"<html><head><title>x</title></head></html>", base_url="https://e/") == []
    )


@pytest.mark.parametrize(
    ("name", "content_type", "kind"),
    [
        ("rss091.xml", "text/xml", SourceKind.FEED),
        ("rss10.rdf", "application/rdf+xml", SourceKind.FEED),
        ("rss20.xml", "text/html", SourceKind.FEED),  # mislabelled: the body wins
        ("atom.xml", "application/atom+xml", SourceKind.FEED),
        ("feed.json", "application/json", SourceKind.FEED),
        ("news-sitemap.xml", "application/xml", SourceKind.SITEMAP),
        ("news-sitemap.xml.gz", "application/x-gzip", SourceKind.SITEMAP),
        ("sitemap-index.xml", "text/xml", SourceKind.SITEMAP),
        ("subscriptions.opml", "text/x-opml", None),
    ],
)
def test_detect_kind_of_fixtures(name: str, content_type: str, kind: SourceKind | None) -> None:
    assert detect_kind((DATA / name).read_bytes(), content_type) is kind


def test_detect_kind_of_pages_and_unknowns() -> None:
    assert detect_kind(PAGE, "text/html; charset=utf-8") is SourceKind.PAGE
    assert detect_kind(b"<p>fragment</p>", "text/html") is SourceKind.PAGE
    assert detect_kind(b"<!-- c --><html></html>", "") is SourceKind.PAGE
    assert detect_kind(b'{"a": 1}', "application/json") is None
    assert detect_kind(b"\x89PNG\r\n", "image/png") is None
    assert detect_kind(b"", "") is None


def test_parse_source_dispatches_to_each_parser() -> None:
    feed = parse_source(
        (DATA / "atom.xml").read_bytes(),
        url="https://logistik.example/atom",
        content_type="application/atom+xml",
        options=OPTIONS,
    )
    assert feed.kind is SourceKind.FEED
    assert len(feed.entries) == 1
    sitemap = parse_source(
        (DATA / "sitemap-index.xml").read_bytes(),
        url="https://port.example/sitemap_index.xml",
        content_type="text/xml",
        options=OPTIONS,
    )
    assert sitemap.kind is SourceKind.SITEMAP
    assert len(sitemap.child_sitemaps) == 2


def test_parse_source_page_gives_one_entry_for_the_page() -> None:
    parsed = parse_source(
        PAGE, url="https://grid.example/news/story?utm=x", content_type="text/html", options=OPTIONS
    )
    assert parsed.kind is SourceKind.PAGE
    assert parsed.title == "Grid Daily & more"
    (entry,) = parsed.entries
    assert entry.url == "https://grid.example/news/story"  # canonical link
    assert entry.title == "Grid Daily & more"
    assert entry.published == datetime(2024, 3, 4, 5, 6, 7, tzinfo=UTC)
    assert entry.image == "https://grid.example/img/story.jpg"
    assert entry.summary == "A short summary."


def test_parse_source_refuses_unknown_content() -> None:
    with pytest.raises(SourceParseError, match="unrecognised"):
        parse_source(
            b"\x89PNG\r\n", url="https://e/x.png", content_type="image/png", options=OPTIONS
        )


def test_detect_kind_of_json_feed_with_escaped_slashes() -> None:
    body = b'{"version":"https:\\/\\/jsonfeed.org\\/version\\/1.1","title":"Esc","items":[]}'
    assert detect_kind(body, "application/json") is SourceKind.FEED
    parsed = parse_source(body, url="https://e.example/f.json", content_type="", options=OPTIONS)
    assert (parsed.kind, parsed.title) == (SourceKind.FEED, "Esc")
