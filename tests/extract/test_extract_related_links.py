"""Issue 16 (i16y, landed by i16z2): a body block that is only a link to another article of the
same site ("Harbour: <a>New ferry terminal opens</a>", a related-headlines list) is dropped;
sentences that hold a link, off-site links and links to listings stay."""

from __future__ import annotations

import pytest
from lxml.html import document_fromstring

from newsdesk.domain import ExtractionError
from newsdesk.extract import ExtractOptions, extract_article
from newsdesk.extract.links import (
    is_article_path,
    is_other_article_link,
    is_related_link_block,
    link_targets,
    may_be_link_block,
    page_addresses,
    registrable_host,
)

URL = "https://news.example.org/city/2024/05/harbour-budget-agreed"
PARAGRAPH = (
    "<p>The harbour board met on Monday and agreed a budget for the coming year, with money "
    "for dredging, new cranes and a ferry terminal that the city has wanted for a decade. "
    "Exporters welcomed the plan, and the unions asked for a say in how the work is staffed.</p>"
)
TEASER = "New ferry terminal opens in June"
TEASER_LINK = f'<a href="/city/2024/05/new-ferry-terminal-opens-in-june">{TEASER}</a>'


def page(middle: str, *, paragraphs: int = 2) -> bytes:
    return (
        f'<html><head><title>Harbour budget agreed</title><link rel="canonical" href="{URL}">'
        f"</head><body><article><h1>Harbour budget agreed</h1>{PARAGRAPH * paragraphs}"
        f"{middle}{PARAGRAPH * paragraphs}</article></body></html>"
    ).encode()


def body(html: bytes, *, drop: bool = True) -> str:
    return extract_article(html, url=URL, options=ExtractOptions(drop_related_links=drop)).text


def test_a_block_linking_to_another_article_of_the_site_is_dropped() -> None:
    html = page(f"<p>Harbour: {TEASER_LINK}</p>")
    assert TEASER not in body(html)
    assert TEASER in body(html, drop=False)
    assert "agreed a budget" in body(html)


def test_a_related_headlines_list_is_dropped_item_by_item() -> None:
    items = "".join(
        f'<li><a href="/city/2024/0{n}/other-story-number-{n}">'
        f"Other harbour story number {n}</a></li>"
        for n in range(1, 4)
    )
    text = body(page(f"<ul>{items}</ul>"))
    assert "Other harbour story" not in text and "agreed a budget" in text


@pytest.mark.parametrize(
    "href",
    [
        "https://elsewhere.example.com/city/2024/05/new-ferry-terminal-opens-in-june",  # off-site
        "/tag/ferries",  # a listing, not an article
        "/city/2024/05/timetable.pdf",  # a file
        "#comments",
        "javascript:void(0)",
        URL,  # the page itself
    ],
)
def test_links_that_are_no_other_article_of_the_site_are_kept(href: str) -> None:
    html = page(f'<p>Harbour: <a href="{href}">{TEASER}</a></p>')
    assert TEASER in body(html)


def test_a_sentence_ending_in_a_link_is_kept() -> None:
    sentence = f"The minister said the plan follows the report {TEASER_LINK}."
    assert TEASER in body(page(f"<p>{sentence}</p>"))
    assert not is_related_link_block(
        f"Harbour: {TEASER}.", link_targets(document_fromstring(page(""))), (URL,)
    )


def test_the_link_text_mid_sentence_is_kept() -> None:
    sentence = (
        f"Reporters wrote that {TEASER_LINK} was the headline of the week, and readers "
        "agreed with the council about the cost of the works"
    )
    assert "headline of the week" in body(page(f"<p>{sentence}</p>"))


def test_hostile_inputs_empty_text_no_links_no_address() -> None:
    tree = document_fromstring(page(f"<p>Harbour: {TEASER_LINK}</p>"))
    targets = link_targets(tree)
    assert not is_related_link_block("", targets, (URL,))
    assert not is_related_link_block(TEASER, {}, (URL,))
    assert not is_related_link_block(TEASER, targets, ())
    assert page_addresses(tree, None) == (URL,)
    assert page_addresses(document_fromstring("<p>x</p>"), None) == ()
    with pytest.raises(ExtractionError):
        extract_article(b"", url=URL, options=ExtractOptions())


def test_non_latin_link_texts_and_idn_hosts() -> None:
    cyrillic = "Новый паромный терминал откроют в июне"
    link = f'<a href="https://xn--mnchen-3ya.de/stadt/2024/05/neuer-faehrterminal">{cyrillic}</a>'
    tree = document_fromstring(f"<p>Читайте также: {link}</p>")
    addresses = ("https://münchen.de/stadt/2024/05/hafen-haushalt",)
    assert is_related_link_block(f"Читайте также: {cyrillic}", link_targets(tree), addresses)
    assert registrable_host("news.bbc.co.uk") == "bbc.co.uk"
    assert is_other_article_link("/stadt/2024/05/neuer-faehrterminal", addresses)


def test_a_one_megabyte_page_keeps_its_text_and_loses_its_teaser() -> None:
    numbered = "".join(PARAGRAPH.replace("on Monday", f"on day {n}") for n in range(2000))
    html = page(f"{numbered}<p>Harbour: {TEASER_LINK}</p>{numbered}", paragraphs=0)
    assert len(html) > 1_000_000
    text = body(html)
    assert TEASER not in text and text.count("agreed a budget") > 1000


@pytest.mark.parametrize(
    ("path", "article"),
    [
        ("/city/2024/05/harbour", True),
        ("/new-ferry-terminal-opens", True),
        ("/news/123456", True),
        ("/politik", False),
        ("/author/ann-lee/posts", False),
        ("/files/2024/report.pdf", False),
        ("/", False),
    ],
)
def test_article_paths(path: str, article: bool) -> None:
    assert is_article_path(path) is article


LONG_LINK = " ".join(f"word{n}" for n in range(30))


@pytest.mark.parametrize(
    ("text", "may_be"),
    [
        ("", False),
        ("Two words", False),
        ("Read also: Harbour budget agreed.", False),
        (TEASER, True),
        ("Lesen Sie auch: " + TEASER, True),
        ("a b c d: " + LONG_LINK, True),
        ("a b c d e: " + LONG_LINK, False),
    ],
)
def test_blocks_that_may_be_a_link_block(text: str, may_be: bool) -> None:
    """The pre-check that spares reading the page's links never rules out a link block."""
    assert may_be_link_block(text) is may_be
    words = text.split()
    anchors = "".join(
        f'<a href="/city/2024/05/other-story-{start}">{" ".join(words[start:])}</a>'
        for start in range(6)
    )
    targets = link_targets(document_fromstring(f"<html><body>{anchors}</body></html>"))
    assert is_related_link_block(text, targets, (URL,)) is (may_be and "." not in text)
