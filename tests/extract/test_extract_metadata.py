"""Title cleanup and page metadata: title, authors, date, language, site, image, canonical."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from lxml.html import fromstring

from newsdesk.extract import ExtractOptions, extract_article
from newsdesk.extract.language import page_language
from newsdesk.extract.metadata import clean_title, parse_published, split_authors

BODY = " ".join(
    f"Sentence number {i} of the report explains how the mine will ship ore to the coast."
    for i in range(20)
)


@pytest.mark.parametrize(
    ("title", "site", "url", "expected"),
    [
        ("Oil prices jump | Reuters", "Reuters", None, "Oil prices jump"),
        ("Oil prices jump - Reuters", None, "https://www.reuters.com/x", "Oil prices jump"),
        ("Reuters — Oil prices jump", "Reuters", None, "Oil prices jump"),
        ("Oil prices jump | Markets | Daily Planet", None, None, "Oil prices jump"),
        (
            "Japan - Namibia deal signed",
            None,
            "https://insights.example/a",
            "Japan - Namibia deal signed",
        ),
        ("Brexit: what comes next", "The Paper", None, "Brexit: what comes next"),
        ("  Spaced   out  title ", None, None, "Spaced out title"),
        ("Rare earths :: Top Insights Today", "Top Insights Today", None, "Rare earths"),
        (None, "Site", None, None),
    ],
)
def test_clean_title(
    title: str | None, site: str | None, url: str | None, expected: str | None
) -> None:
    assert clean_title(title, site_name=site, url=url) == expected


def test_dates_and_authors_parse() -> None:
    assert parse_published("2024-03-05T10:20:00+0100") == datetime.fromisoformat(
        "2024-03-05T10:20:00+01:00"
    )
    assert parse_published("2024-03-05T00:00:00") == datetime(2024, 3, 5, tzinfo=UTC)
    assert parse_published("not a date") is None
    # a page's date whose UTC instant is past the calendar's ends could not be stored
    assert parse_published("9999-12-31T23:59:59-14:00") is None
    assert parse_published("0001-01-01T00:00:00+14:00") is None
    assert split_authors("Ana Díaz; Bo Li;ana díaz") == ("Ana Díaz", "Bo Li")
    assert split_authors(None) == ()


def _page(head: str, body: str = f"<article><h1>Headline</h1><p>{BODY}</p></article>") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def test_metadata_from_open_graph_and_json_ld() -> None:
    page = _page(
        "<title>Copper smelter expands | Metal Weekly</title>"
        '<meta property="og:site_name" content="Metal Weekly">'
        '<meta property="og:image" content="/img/smelter.jpg">'
        '<link rel="canonical" href="https://metal.example/news/copper-smelter">'
        '<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",'
        '"headline":"Copper smelter expands","datePublished":"2024-02-29T08:15:00Z",'
        '"author":[{"@type":"Person","name":"Jane Miner"},{"@type":"Person","name":"Raj Patel"}]}'
        "</script>",
    )
    article = extract_article(
        page, url="https://metal.example/news/copper-smelter?utm=x", options=ExtractOptions()
    )
    assert article.title == "Copper smelter expands"
    assert article.site_name == "Metal Weekly"
    assert article.authors == ("Jane Miner", "Raj Patel")
    assert article.published == datetime(2024, 2, 29, 8, 15, tzinfo=UTC)
    assert article.image == "https://metal.example/img/smelter.jpg"
    assert article.canonical_url == "https://metal.example/news/copper-smelter"
    assert article.language == "en"
    assert article.extractor == "trafilatura-precision"


def test_title_that_is_only_the_site_name_falls_back_to_the_heading() -> None:
    page = _page(
        '<title>Metal Weekly</title><meta property="og:site_name" content="Metal Weekly">',
        body=f"<article><h1>Zinc output falls</h1><p>{BODY}</p></article>",
    )
    article = extract_article(page, url="https://metal.example/zinc", options=ExtractOptions())
    assert article.title == "Zinc output falls"


def test_declared_language_wins_over_the_guess() -> None:
    tree = fromstring(f'<html lang="fr-CA"><body><p>{BODY}</p></body></html>')
    assert page_language(tree, BODY) == "fr"


def test_metadata_the_feed_gave_is_not_searched_for_in_the_page() -> None:
    """A feed item's title and authors win, so the page's byline and headings are not read;
    what the markup declares (meta tags, JSON-LD) still comes through."""
    page = _page(
        '<title>Metal Weekly</title><meta property="og:site_name" content="Metal Weekly">',
        body=(
            '<article><h1>Zinc output falls</h1><p class="byline">By <a rel="author" '
            f'href="/staff/jo">Jo Smelter</a></p><p>{BODY}</p></article>'
        ),
    )
    searched = extract_article(page, url="https://metal.example/zinc", options=ExtractOptions())
    assert searched.title == "Zinc output falls"
    assert searched.authors == ("Jo Smelter",)
    known = ExtractOptions(known_metadata=frozenset({"title", "authors"}))
    article = extract_article(page, url="https://metal.example/zinc", options=known)
    assert article.authors == ()
    assert article.title is None  # <title> and <h1> are searches; no meta tag declares one
    assert article.text == searched.text
    assert article.site_name == "Metal Weekly"
