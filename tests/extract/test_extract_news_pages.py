"""The benchmark's news-page rule (benchmarks/news_pages.py): dated article declarations only."""

from __future__ import annotations

import json

import pytest

from research_data import load_benchmark

news_pages = load_benchmark("news_pages")


def page(head: str = "", body: str = "<p>Text</p>") -> bytes:
    return f"<html><head>{head}</head><body>{body}</body></html>".encode()


def json_ld(value: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(value)}</script>'


@pytest.mark.parametrize(
    "schema",
    [
        {"@type": "NewsArticle", "datePublished": "2022-05-04"},
        {"@type": "ReportageNewsArticle", "datePublished": "2022-05-04"},
        {"@type": ["Article", "WebPage"], "datePublished": "2022-05-04"},
        {"@graph": [{"@type": "WebSite"}, {"@type": "Article", "datePublished": "2022-05-04"}]},
        [{"@type": "Organization"}, {"@type": "AnalysisNewsArticle", "datePublished": "x"}],
        {"@type": "WebPage", "mainEntity": {"@type": "NewsArticle", "datePublished": "2022"}},
    ],
)
def test_dated_article_in_json_ld_is_news(schema: object) -> None:
    assert news_pages.is_news_page(page(json_ld(schema)))


@pytest.mark.parametrize(
    "schema",
    [
        {"@type": "NewsArticle"},  # no date
        {"@type": "NewsArticle", "datePublished": ""},
        {"@type": "BlogPosting", "datePublished": "2022-05-04"},
        {"@type": "Recipe", "datePublished": "2022-05-04"},
        {"@type": "Product", "datePublished": "2022-05-04"},
    ],
)
def test_undated_or_other_types_are_not_news(schema: object) -> None:
    assert not news_pages.is_news_page(page(json_ld(schema)))


def test_open_graph_article_needs_a_date() -> None:
    og = '<meta property="og:type" content="article">'
    assert not news_pages.is_news_page(page(og))
    dated = og + '<meta property="article:published_time" content="2022-05-04T10:00:00Z">'
    assert news_pages.is_news_page(page(dated))
    assert news_pages.is_news_page(page(og, '<time datetime="2022-05-04">4 May</time>'))
    website = dated.replace('content="article"', 'content="website"')
    assert not news_pages.is_news_page(page(website))


def test_strict_asks_for_a_news_article_type() -> None:
    article = page(json_ld({"@type": "Article", "datePublished": "2022-05-04"}))
    news = page(json_ld({"@type": "NewsArticle", "datePublished": "2022-05-04"}))
    assert news_pages.is_news_page(article) and not news_pages.is_news_page(article, strict=True)
    assert news_pages.is_news_page(news, strict=True)


@pytest.mark.parametrize(
    "html",
    [
        b"",
        b"   ",
        b"\xff\xfe\x00garbage",
        page('<script type="application/ld+json">{"@type": "NewsArticle", </script>'),
        page('<script type="application/ld+json">' + "[" * 5000 + "]" * 5000 + "</script>"),
        page("", "<p>" + "Новости " * 200_000 + "</p>"),
    ],
)
def test_hostile_pages_are_not_news_and_do_not_raise(html: bytes) -> None:
    assert news_pages.is_news_page(html) is False
