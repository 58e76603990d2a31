"""A photo caption that opens the kept body (the lead photo's `<figcaption>` printed above the
text, which the precision pass keeps as the body's first block) leaves the body like any other
caption (ExtractOptions.drop_leading_captions): `remove_matching_blocks(keep_first=False)` may
take the first block, never every block, and a paragraph that only quotes the caption stays."""

from __future__ import annotations

import pytest
from lxml import etree
from lxml.html import fromstring

from article_paragraphs import PARAGRAPHS
from newsdesk.extract import ExtractOptions, extract_article
from newsdesk.extract.cleanup import remove_matching_blocks

CAPTION = "Ferry passengers wait on the quay before the first crossing of the winter timetable."
URL = "https://example.org/news/ferry"
BLOCKS = ("p", "h2", "li", "div", "figcaption")


def lead_photo_page(caption: str = CAPTION, paragraphs: list[str] = PARAGRAPHS) -> bytes:
    """The lead photo in a paragraph wrapper, its figcaption after the figure (the HTML parser
    closes the <p> at the <figure>, so the caption stands beside it), then the story."""
    story = "".join(f"<p>{text}</p>" for text in paragraphs)
    return (
        "<html><head><title>Ferry timetable</title></head><body><article><h1>Ferry timetable</h1>"
        "<div class='entry'><p class='img-single-wrap'><figure class='wp-caption'>"
        "<img src='ferry.jpg' alt=''></figure>"
        f"<figcaption class='wp-caption-text'>{caption}</figcaption></p>{story}</div>"
        "</article></body></html>"
    ).encode()


def body(*blocks: str) -> etree._Element:
    return fromstring("<div>" + "".join(blocks) + "</div>")


def texts(element: etree._Element) -> list[str]:
    return [" ".join(p.text_content().split()) for p in element.iter("p", "h2", "li")]


def test_the_lead_caption_leaves_the_body_and_the_switch_keeps_it() -> None:
    html = lead_photo_page()
    text = extract_article(html, url=URL, options=ExtractOptions()).text
    assert CAPTION not in text
    assert text.splitlines()[0] == PARAGRAPHS[0]
    assert PARAGRAPHS[-1] in text
    kept = extract_article(html, url=URL, options=ExtractOptions(drop_leading_captions=False)).text
    assert kept.splitlines()[0] == CAPTION
    assert kept.splitlines()[1:] == text.splitlines()


def test_a_non_latin_lead_caption_leaves_too() -> None:
    caption = "Пассажиры парома ждут на причале первого рейса по зимнему расписанию."
    text = extract_article(lead_photo_page(caption), url=URL, options=ExtractOptions()).text
    assert caption not in text and PARAGRAPHS[0] in text


def test_a_paragraph_quoting_the_caption_stays() -> None:
    quoting = f"{CAPTION} That was the scene on Monday, when the harbour board cut the ribbon."
    text = extract_article(
        lead_photo_page(paragraphs=[quoting, *PARAGRAPHS[1:]]), url=URL, options=ExtractOptions()
    ).text
    assert quoting in text
    assert text.splitlines().count(CAPTION) == 0


def test_the_first_block_goes_only_when_asked() -> None:
    tree = body(f"<p>{CAPTION}</p>", f"<p>{PARAGRAPHS[0]}</p>")
    assert remove_matching_blocks(tree, BLOCKS, lambda t: t == CAPTION) == []
    assert remove_matching_blocks(tree, BLOCKS, lambda t: t == CAPTION, keep_first=False) == [
        CAPTION
    ]
    assert texts(tree) == [PARAGRAPHS[0]]


@pytest.mark.parametrize(
    "blocks",
    [
        (),  # an empty body
        (f"<p>{CAPTION}</p>",),  # the caption alone
        (f"<p>{CAPTION}</p>", f"<p>{CAPTION}</p>"),  # nothing but captions
        (f"<div><div><p>{CAPTION}</p></div></div>",),  # nested, still alone
    ],
)
def test_the_body_is_never_emptied(blocks: tuple[str, ...]) -> None:
    tree = body(*blocks)
    before = texts(tree)
    assert remove_matching_blocks(tree, BLOCKS, lambda t: t == CAPTION, keep_first=False) == []
    assert texts(tree) == before


def test_a_nested_first_caption_goes() -> None:
    tree = body(f"<div class='media'><div><p>{CAPTION}</p></div></div>", f"<p>{PARAGRAPHS[0]}</p>")
    removed = remove_matching_blocks(tree, BLOCKS, lambda t: t == CAPTION, keep_first=False)
    assert removed == [CAPTION]
    assert texts(tree) == [PARAGRAPHS[0]]
