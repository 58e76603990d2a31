"""Sitemaps, news sitemaps, indexes, gzip bodies and the loop-free crawl plan."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsdesk.domain import SourceKind, SourceParseError
from newsdesk.sources import (
    ParseOptions,
    parse_sitemap,
    plan_sitemap_crawl,
    sitemap_key,
)

DATA = Path(__file__).parent / "data"
OPTIONS = ParseOptions()
INDEX_URL = "https://port.example/sitemap_index.xml"


def test_news_sitemap_entries() -> None:
    parsed = parse_sitemap(
        (DATA / "news-sitemap.xml").read_bytes(),
        base_url="https://port.example/sitemap-news.xml",
        options=OPTIONS,
    )
    assert parsed.kind is SourceKind.SITEMAP
    cranes, tariffs = parsed.entries  # the ftp:// URL is dropped
    assert cranes.url == "https://port.example/2024/05/cranes"
    assert cranes.title == "Cranes & berths: a busy May"
    assert cranes.published == datetime(2024, 5, 1, 18, 30, tzinfo=UTC)
    assert cranes.updated == datetime(2024, 5, 2, 5, 0, tzinfo=UTC)
    assert cranes.language == "en"
    assert cranes.image == "https://port.example/img/cranes.jpg"
    assert tariffs.url == "https://port.example/2024/05/tariffs"  # relative loc resolved
    assert tariffs.updated == datetime(2024, 5, 3, tzinfo=UTC)
    assert (tariffs.title, tariffs.published) == (None, None)


def test_gzip_sitemap_gives_the_same_entries() -> None:
    plain = parse_sitemap(
        (DATA / "news-sitemap.xml").read_bytes(), base_url=INDEX_URL, options=OPTIONS
    )
    zipped = parse_sitemap(
        (DATA / "news-sitemap.xml.gz").read_bytes(), base_url=INDEX_URL, options=OPTIONS
    )
    assert zipped == plain
    assert len(zipped.entries) == 2


def test_sitemap_index_children_deduplicated_without_itself() -> None:
    parsed = parse_sitemap(
        (DATA / "sitemap-index.xml").read_bytes(), base_url=INDEX_URL, options=OPTIONS
    )
    assert parsed.entries == ()
    assert parsed.child_sitemaps == (
        "https://port.example/sitemap-news.xml",
        "https://port.example/sitemap-2024.xml.gz",
    )


def test_small_url_cap_truncates() -> None:
    urls = b"".join(b"<url><loc>https://c.example/%d</loc></url>" % i for i in range(20))
    parsed = parse_sitemap(
        b"<urlset>" + urls + b"</urlset>",
        base_url=INDEX_URL,
        options=ParseOptions(max_sitemap_urls=5),
    )
    assert [e.url for e in parsed.entries] == [f"https://c.example/{i}" for i in range(5)]


def test_gzip_cap_applies_to_the_decompressed_size() -> None:
    body = gzip.compress(b"<urlset>" + b" " * 5000 + b"</urlset>")
    assert len(body) < 1000
    with pytest.raises(SourceParseError, match="cap"):
        parse_sitemap(body, base_url=INDEX_URL, options=ParseOptions(max_document_bytes=1000))


@pytest.mark.parametrize(
    "body", [b"<rss version='2.0'/>", b"<html><body>x</body></html>", b"not xml at all"]
)
def test_non_sitemaps_are_refused(body: bytes) -> None:
    with pytest.raises(SourceParseError):
        parse_sitemap(body, base_url=INDEX_URL, options=OPTIONS)


def test_w3c_date_precisions() -> None:
    body = (
        b"<urlset>"
        b"<url><loc>https://d.example/1</loc><lastmod>2024</lastmod></url>"
        b"<url><loc>https://d.example/2</loc><lastmod>2024-07</lastmod></url>"
        b"<url><loc>https://d.example/3</loc><lastmod>2024-07-09T10:11+05:30</lastmod></url>"
        b"<url><loc>https://d.example/4</loc><lastmod>yesterday</lastmod></url>"
        b"</urlset>"
    )
    updated = [e.updated for e in parse_sitemap(body, base_url=INDEX_URL, options=OPTIONS).entries]
    assert updated == [
        datetime(2024, 1, 1, tzinfo=UTC),
        datetime(2024, 7, 1, tzinfo=UTC),
        datetime(2024, 7, 9, 4, 41, tzinfo=UTC),
        None,
    ]


def crawl(start: str, documents: dict[str, bytes], options: ParseOptions) -> list[str]:
    """The documented caller loop, with a dict standing in for the fetcher."""
    fetched: list[str] = []
    visited = frozenset({sitemap_key(start)})
    queue = [start]
    while queue:
        url = queue.pop(0)
        fetched.append(url)
        parsed = parse_sitemap(documents[url], base_url=url, options=options)
        plan = plan_sitemap_crawl(parsed.child_sitemaps, visited=visited, options=options)
        visited, queue = plan.visited, queue + list(plan.to_fetch)
    return fetched


def index(*children: str) -> bytes:
    locs = "".join(f"<sitemap><loc>{c}</loc></sitemap>" for c in children)
    return f"<sitemapindex>{locs}</sitemapindex>".encode()


def test_crawl_follows_a_cycle_once() -> None:
    a, b, c = (f"https://cyc.example/{n}.xml" for n in "abc")
    documents = {
        a: index(a, b, c),
        b: index(a, c, "https://CYC.example/b.xml#again"),
        c: b"<urlset><url><loc>https://cyc.example/story</loc></url></urlset>",
    }
    assert crawl(a, documents, OPTIONS) == [a, b, c]


def test_crawl_budget_caps_the_number_of_sitemaps() -> None:
    root = "https://wide.example/index.xml"
    children = [f"https://wide.example/{i}.xml" for i in range(10)]
    documents = {root: index(*children)} | dict.fromkeys(children, b"<urlset/>")
    fetched = crawl(root, documents, ParseOptions(max_child_sitemaps=4))
    assert fetched == [root, *children[:3]]


def test_plan_is_pure() -> None:
    visited = frozenset({sitemap_key("https://p.example/index.xml")})
    plan = plan_sitemap_crawl(
        ["https://p.example/a.xml", "https://p.example/a.xml", "https://P.example/index.xml"],
        visited=visited,
        options=OPTIONS,
    )
    assert plan.to_fetch == ("https://p.example/a.xml",)
    assert plan.visited == visited | {"https://p.example/a.xml"}
    assert visited == frozenset({"https://p.example/index.xml"})
