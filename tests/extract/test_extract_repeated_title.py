"""A body block after the first that repeats the page's title (its <title> or og:title, with or
without the site's name) leaves the body: the headline printed again under a lead photo or
above a section is metadata, as it is at the body's start (ExtractOptions.drop_repeated_title).
An <h1> that is not the title, a paragraph that only quotes the title, and a page without a
title keep their text."""

from __future__ import annotations

import pytest
from lxml.html import fromstring

from article_paragraphs import PARAGRAPHS
from newsdesk.extract import ExtractOptions, extract_article
from newsdesk.extract.body_trims import page_titles
from newsdesk.extract.cleanup import heading_words, repeats_heading

TITLE = "Harbour board approves the terminal expansion"
URL = "https://example.org/news/terminal"


def page(middle: str, title: str = TITLE, head: str | None = None) -> bytes:
    """The story's paragraphs in the publisher's container with `middle` after the third."""
    body = "".join(f"<p>{text}</p>" for text in PARAGRAPHS[:3]) + middle
    body += "".join(f"<p>{text}</p>" for text in PARAGRAPHS[3:])
    if head is None:
        head = f"<title>{title} | Harbour Post</title><meta property='og:title' content='{title}'>"
    return (
        f"<html><head>{head}</head><body><article><h1>{title}</h1>"
        f"<div class='article-content'>{body}</div></article></body></html>"
    ).encode()


def extract(html: bytes, **options: bool) -> list[str]:
    return extract_article(html, url=URL, options=ExtractOptions(**options)).text.splitlines()


@pytest.mark.parametrize(
    "middle",
    [
        f"<h2>{TITLE}</h2>",
        f"<p><strong>{TITLE}</strong></p>",
        f"<figure><img src='lead.jpg' alt=''></figure><p>{TITLE}</p>",
        f"<div class='lead'><div><p>{TITLE}</p></div></div>",  # nested
    ],
)
def test_the_repeated_title_leaves_and_the_switch_keeps_it(middle: str) -> None:
    lines = extract(page(middle))
    assert TITLE not in lines
    assert lines == PARAGRAPHS
    kept = extract(page(middle), drop_repeated_title=False)
    assert TITLE in kept
    assert [line for line in kept if line != TITLE] == lines


def test_a_non_latin_title_repeated_leaves_too() -> None:
    title = "Το λιμενικό ταμείο εγκρίνει την επέκταση του τερματικού"
    lines = extract(page(f"<h2>{title}</h2>", title=title))
    assert title not in lines and lines == PARAGRAPHS


def test_a_paragraph_quoting_the_title_stays() -> None:
    quoting = f"{TITLE}, the board's statement read, after two years of hearings on the plan."
    lines = extract(page(f"<p>{quoting}</p>"))
    assert quoting in lines


def test_an_h1_subheading_that_is_not_the_title_stays() -> None:
    subheading = "What the residents said"
    lines = extract(page(f"<h1>{subheading}</h1>"))
    assert subheading in lines


@pytest.mark.parametrize("head", ["", "<title></title>", "<title>   </title>"])
def test_no_title_no_removal(head: str) -> None:
    lines = extract(page(f"<h2>{TITLE}</h2>", head=head))
    assert TITLE in lines


def test_page_titles_read_title_and_og_title_with_and_without_the_site_name() -> None:
    tree = fromstring(page("", head=f"<title>{TITLE} | Harbour Post</title>"))
    assert heading_words(TITLE) in page_titles(tree)
    assert heading_words(f"{TITLE} | Harbour Post") in page_titles(tree)
    assert page_titles(fromstring(page("", head=""))) == frozenset()


@pytest.mark.parametrize(
    "text",
    [
        "Straße gesperrt",
        "STRASSE GESPERRT",
        "İstanbul votes",
        "Soft\u00adhyphen in a word",
        "Zero\u200bwidth split",
        "ﬁnal word",
        "Plain headline | Site",
        "",
        "!!!",
    ],
)
def test_repeats_heading_answers_as_the_heading_words_lookup(text: str) -> None:
    headings_sets = [
        frozenset({heading_words(text)}),
        frozenset({heading_words(text), ("other", "title")}),
        frozenset({("other", "title")}),
        frozenset({heading_words(text)[:-1]}),
        frozenset({()}),
        frozenset(),
    ]
    for headings in headings_sets:
        assert repeats_heading(text, headings) is (heading_words(text) in headings)
