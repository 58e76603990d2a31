"""The page author search (author.page_author) answers what trafilatura's extract_author does,
on hostile markup, without touching the page."""

from __future__ import annotations

import pytest
from lxml import etree
from lxml.html import fromstring
from trafilatura.metadata import extract_author

import newsdesk.extract.author as author_module
from newsdesk.extract.author import page_author

BYLINES = [
    "<span class='author'>Jane Doe</span>",
    "<div class='byline'>By <a rel='author' href='/jane'>Jane Doe</a> and John Roe</div>",
    "<p class='author-name'>Jane&nbsp;Doe &amp; John Roe</p>",
    "<div class='Byline'>By Jane<!-- c --> Doe<br>Staff <b>writer</b>, <i>Harbour</i></div>",
    "<span itemprop='author'>Jane Doe<time>12 May</time> tail after time</span>",
    "<div class='byline'>By Jane Doe <time datetime='2024-05-12'>May 12</time></div>",
    "<div class='byline'><figure><img src='x'>caption</figure>By Jane Doe</div>",
    "<div class='post-author'>Jane <span class='date'>today</span> Doe</div>",
    "<div class='author'>Ja\u00adne Doe\u200b</div>",
    "<author>Jane Doe</author>",
    "<div><rel>me</rel>Jane Doe</div>",
    "<a data-testid='AuthorURL' href='/j'>Jane Doe</a>",
    "<div data-component='Byline'>Jane Doe</div>",
    "<h4 id='author-box'>Jane Doe</h4>",
    "<div class='writer'>Jane Doe</div>",
    "<span class='author'>JD</span><div class='byline'>Jane Doe</div>",
    "<span class='author'>" + "Very long " * 20 + "</span><p class='byline'>Jane Doe</p>",
    "<div class='author'><div class='author'>Jane Doe</div></div>",
    "<div class='author'></div><span class='byline'>  </span><em class='Author'>Jane</em>",
    "<div id='comments'><span class='author'>A Commenter</span></div><p class='byl'>Jane</p>",
    "<section class='sidebar'><a class='author'>Side Bar</a></section>",
    "<div class='comments-list'><div class='author'>Someone</div></div>",
    "<div class='quote'><span class='author'>Quoted Person</span></div>"
    "<span class='author'>Jane Doe</span>",
    "<time class='author'>Jane Doe</time><span class='username'>jdoe</span>",
    "<figure class='author'>Fig Author</figure>",
    "<div class='author'>Jane <div class='print'>print me</div>Doe"
    "<span class='is-hidden'>hidden</span> end</div>",
    "<div class='author'><div class='sidebar'><p class='byline'>Inner</p></div>Jane Doe</div>",
    "<p class='author'>By <a href='/a'>A</a>, <a href='/b'>B</a> and <a href='/c'>C</a></p>",
    "<span class='authorName'>jane doe</span>",
    "<div class='meta-date'><span class='author'>In Meta</span></div>",
    "<span class='author'>Jane</span><span class='author'>Doe</span>",
    "<p>No author at all, just a paragraph with a <a href='/x'>link</a>.</p>",
]


def page(inner: str) -> etree._Element:
    return fromstring(
        "<html><head><title>T</title></head><body><article><h1>Headline</h1>"
        f"{inner}<p>The body of the article goes here.</p></article></body></html>"
    )


@pytest.mark.parametrize("snippet", BYLINES)
def test_page_author_is_trafilaturas(snippet: str) -> None:
    tree = page(snippet)
    before = etree.tostring(tree)
    assert page_author(tree) == extract_author(page(snippet))
    assert etree.tostring(tree) == before


def test_every_byline_together_reads_as_trafilatura_reads_them() -> None:
    for start in range(len(BYLINES)):
        inner = "".join(BYLINES[start:])
        assert page_author(page(inner)) == extract_author(page(inner)), start


def test_the_patterns_are_the_ones_it_was_written_from() -> None:
    # Fails when a trafilatura upgrade changes its author patterns: page_author then runs
    # trafilatura's own (slow) function until _discards and _search_rank are brought in line.
    assert author_module.patterns_digest() == author_module.TRAFILATURA_PATTERNS
    assert author_module.SAME_PATTERNS


def test_other_patterns_fall_back_to_trafilatura(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(author_module, "SAME_PATTERNS", False)
    monkeypatch.setattr(author_module, "extract_author", lambda tree: "From Trafilatura")
    assert page_author(page(BYLINES[0])) == "From Trafilatura"
