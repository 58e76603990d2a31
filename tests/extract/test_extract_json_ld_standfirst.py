"""The standfirst a page declares goes in front of the publisher's JSON-LD articleBody too.

A page rendered by JavaScript shows its headline, its standfirst and a photo caption and
carries the story in its JSON-LD articleBody, which becomes the text (extractor "json-ld").
The page does not show the body, so the declared standfirst (a paragraph, or a list's one
item, equal to the page's description) is looked for shortly after the page's headline
instead of before the body's first block; the same `standfirst_reason` decides.
"""

from __future__ import annotations

import html
import json

from article_paragraphs import PARAGRAPHS
from newsdesk.extract import ExtractOptions, extract_article
from newsdesk.extract.standfirst import MAX_BLOCKS_BEFORE

TITLE = "Port expansion approved after two years of hearings"
STANDFIRST = (
    "After two years of hearings the port may grow by half: what the new terminal means for "
    "shipping, jobs and the people who live along the coastal road."
)
CAPTION = "The terminal. Photo: Port Times"


def js_page(
    lead: str = f"<p>{STANDFIRST}</p>", *, description: str | None = STANDFIRST, filler: int = 0
) -> str:
    script = json.dumps(
        {"@type": "NewsArticle", "headline": TITLE, "articleBody": "\n\n".join(PARAGRAPHS)}
    )
    meta = (
        ""
        if description is None
        else f'<meta name="description" content="{html.escape(description)}">'
    )
    between = "".join(f"<p>{n}.</p>" for n in range(filler))  # few words: still a fragment
    return (
        f"<html><head><title>{TITLE}</title>{meta}"
        f'<script type="application/ld+json">{script}</script></head><body><main>'
        f"<h1>{TITLE}</h1>{between}{lead}"
        f"<figure><img src='/port.jpg'><figcaption>{CAPTION}</figcaption></figure>"
        "<div id='app'></div></main></body></html>"
    )


def lines_of(page: str, **options: bool) -> list[str]:
    article = extract_article(page, url=None, options=ExtractOptions(**options))
    assert article.extractor == "json-ld"
    return article.text.splitlines()


def test_the_declared_standfirst_goes_in_front_of_the_articlebody() -> None:
    assert lines_of(js_page(), declared_standfirst=False) == PARAGRAPHS
    assert lines_of(js_page()) == [STANDFIRST, *PARAGRAPHS]


def test_a_list_of_one_item_is_a_standfirst_and_a_longer_list_is_not() -> None:
    one = f"<div class='summary'><ul><li>{STANDFIRST}</li></ul></div>"
    assert lines_of(js_page(one)) == [STANDFIRST, *PARAGRAPHS]
    several = f"<ul><li>{STANDFIRST}</li><li>The vote was nine to four.</li></ul>"
    assert lines_of(js_page(several)) == PARAGRAPHS


def test_an_undeclared_or_far_paragraph_stays_out() -> None:
    assert lines_of(js_page(description=None)) == PARAGRAPHS
    assert lines_of(js_page(description=CAPTION)) == PARAGRAPHS
    assert lines_of(js_page(filler=MAX_BLOCKS_BEFORE)) == [STANDFIRST, *PARAGRAPHS]
    assert lines_of(js_page(filler=MAX_BLOCKS_BEFORE + 1)) == PARAGRAPHS


def test_a_standfirst_the_articlebody_holds_is_not_printed_twice() -> None:
    script = json.dumps(
        {"@type": "NewsArticle", "articleBody": "\n\n".join([STANDFIRST, *PARAGRAPHS])}
    )
    page = js_page().replace('"articleBody"', '"x"', 1)  # the fixture's own body out of play
    page = page.replace("</head>", f'<script type="application/ld+json">{script}</script></head>')
    assert lines_of(page) == [STANDFIRST, *PARAGRAPHS]
