"""The publisher's JSON-LD articleBody as the text, on pages whose HTML shows only a fragment.

A page rendered by JavaScript holds in its HTML only a headline, a standfirst and a photo
caption; the story sits in its JSON-LD articleBody. Then the articleBody is the text (as its
paragraphs, escaped and sanitised like every body); a page with no article text at all but an
articleBody extracts instead of raising. A listing (several bodies), a paywall teaser (a body
shorter than the visible text), another article's body, a huge or a malformed script leave the
output as it was without the rule.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from article_paragraphs import PARAGRAPHS
from newsdesk.domain import ExtractedArticle, ExtractionError
from newsdesk.extract import ExtractOptions, extract_article
from newsdesk.extract.decision import publisher_text_reason
from newsdesk.extract.jsonld import article_body_paragraphs, body_paragraphs, read_json_ld
from newsdesk.extract.page import parse_page

TITLE = "Port expansion approved after two years of hearings"
CAPTION = (
    "Cranes stand idle at the container terminal on Tuesday after the vote in the council. "
    "Photo: Port Times"
)
ARTICLE_TEXT = "\n".join(PARAGRAPHS)
OFF = {"json_ld_text_min_words": None}


def ld_script(value: Any) -> str:
    # "</" escaped as JSON allows, so that markup in a string does not end the script.
    escaped = json.dumps(value).replace("</", "<\\/")
    return f'<script type="application/ld+json">{escaped}</script>'


def news_article(body: Any, **more: Any) -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": TITLE,
        "articleBody": body,
        **more,
    }


NAV = "".join(f"<a href='/s{n}'>Section number {n} of the site</a> " for n in range(30))
FOOTER = (
    "Copyright 2024 Port Times. All rights reserved. Terms of use, privacy policy and cookie "
    "settings."
)


def js_page(*scripts: str) -> str:
    """A page rendered by JavaScript: navigation, headline, a captioned photo and a footer in
    the HTML, the story only in the JSON-LD."""
    return (
        f"<html><head><title>{TITLE}</title>{''.join(scripts)}</head><body><main>"
        f"<h1>{TITLE}</h1><figure><img src='/port.jpg'><p>{CAPTION}</p></figure>"
        f"<nav>{NAV}</nav><footer><p>{FOOTER}</p></footer><div id='app'></div></main>"
        "</body></html>"
    )


def bare_page(*scripts: str, headline: bool = True) -> str:
    """No article text in the HTML (at most the headline)."""
    h1 = f"<h1>{TITLE}</h1>" if headline else ""
    return (
        f"<html><head><title>{TITLE}</title>{''.join(scripts)}</head>"
        f"<body>{h1}<div id='app'></div></body></html>"
    )


def full_page(*scripts: str) -> str:
    body = "".join(f"<p>{paragraph}</p>" for paragraph in PARAGRAPHS)
    return (
        f"<html><head><title>{TITLE}</title>{''.join(scripts)}</head><body><article>"
        f"<h1>{TITLE}</h1>{body}</article></body></html>"
    )


def extract(html_page: str, **options: Any) -> ExtractedArticle:
    return extract_article(
        html_page, url="https://example.com/a", options=ExtractOptions(**options)
    )


def test_js_rendered_page_takes_the_article_body_as_its_text() -> None:
    page = js_page(ld_script(news_article(ARTICLE_TEXT)))
    without = extract(page, **OFF)
    assert without.text == CAPTION  # the fixture shows only a fragment
    article = extract(page)
    assert article.text == ARTICLE_TEXT
    assert article.extractor == "json-ld"
    assert article.title == TITLE
    assert article.html.count("<p>") == len(PARAGRAPHS)


def test_page_with_only_its_headline_takes_the_article_body() -> None:
    page = bare_page(ld_script(news_article(ARTICLE_TEXT)))
    assert extract(page, **OFF).text == TITLE
    article = extract(page)
    assert article.text == ARTICLE_TEXT
    assert article.title == TITLE


@pytest.mark.parametrize("primary", ["trafilatura", "readability"])
def test_page_without_article_text_extracts_from_the_article_body(primary: str) -> None:
    # Without second opinions (the batch's fallback for a page that hangs) nothing else reads
    # the JSON-LD: the page raised.
    page = bare_page(ld_script(news_article(ARTICLE_TEXT)), headline=False)
    options = {"primary_extractor": primary, "second_opinion": False}
    with pytest.raises(ExtractionError):
        extract(page, **options, **OFF)
    article = extract(page, **options)
    assert article.text == ARTICLE_TEXT
    assert article.title == TITLE


def test_single_string_body_stays_one_paragraph() -> None:
    page = js_page(ld_script(news_article(" ".join(PARAGRAPHS))))
    article = extract(page)
    assert article.text == " ".join(PARAGRAPHS)
    assert article.html.count("<p>") == 1


def test_listing_with_two_bodies_is_unchanged() -> None:
    other = "\n".join(reversed(PARAGRAPHS)) + "\nA second story of the listing."
    listing = {
        "@type": "ItemList",
        "itemListElement": [news_article(ARTICLE_TEXT), news_article(other)],
    }
    page = js_page(ld_script(listing))
    assert extract(page).text == extract(page, **OFF).text


def test_paywall_teaser_shorter_than_the_visible_text_is_unchanged() -> None:
    teaser = "\n".join(PARAGRAPHS[:2])
    page = full_page(ld_script(news_article(teaser)))
    article = extract(page)
    assert article.text == extract(page, **OFF).text
    assert PARAGRAPHS[-1] in article.text


def test_short_article_body_is_not_the_text() -> None:
    page = js_page(ld_script(news_article(PARAGRAPHS[0])))
    assert extract(page).text == extract(page, **OFF).text


def test_markup_inside_the_article_body_comes_out_as_text_and_escaped() -> None:
    hostile = (
        f"<p>{PARAGRAPHS[0]}</p><script>alert('body')</script><p>{PARAGRAPHS[1]} "
        "&lt;img src=x onerror=alert(1)&gt; by Smith &amp; Sons</p>"
        + "".join(f"<p>{paragraph}</p>" for paragraph in PARAGRAPHS[2:])
        + '<style>p{color:red}</style><iframe src="https://evil.example/"></iframe>'
        + "<a href='javascript:alert(2)'>link text</a>"
    )
    article = extract(js_page(ld_script(news_article(hostile))))
    assert article.extractor == "json-ld"
    assert article.text.splitlines()[0] == PARAGRAPHS[0]
    assert "alert" not in article.text
    assert "color:red" not in article.text
    for needle in ("<script", "<img", "<iframe", "<style", "javascript:", "onerror", "href"):
        assert needle not in article.html
    assert "by Smith & Sons" in article.text  # entities decoded in the text...
    assert "by Smith &amp; Sons" in article.html  # ...and escaped again in the HTML


def test_control_characters_and_lone_surrogates_are_dropped() -> None:
    body = ARTICLE_TEXT.replace(" ", " \x00\x0b", 3) + " \ud800end"
    article = extract(js_page(ld_script(news_article(body))))
    assert article.extractor == "json-ld"
    assert "\x00" not in article.text and "\ud800" not in article.text


def test_huge_article_body_is_not_the_text() -> None:
    huge = "\n".join(PARAGRAPHS * 300)  # ~300,000 characters, under the script limit
    page = js_page(ld_script(news_article(huge)))
    assert extract(page).text == extract(page, **OFF).text
    assert extract(page, json_ld_text_max_chars=10_000_000).extractor == "json-ld"


def test_malformed_json_ld_is_unchanged() -> None:
    whole = json.dumps(news_article(ARTICLE_TEXT))
    page = js_page(f'<script type="application/ld+json">{whole[: len(whole) // 2]}</script>')
    assert extract(page).text == extract(page, **OFF).text


def test_article_body_in_a_graph_counts_once() -> None:
    schema = {"@graph": [news_article(ARTICLE_TEXT), news_article(ARTICLE_TEXT)]}
    assert extract(js_page(ld_script(schema))).text == ARTICLE_TEXT


# -- the pure parts -------------------------------------------------------------------------

RULE = {
    "min_words": 150,
    "max_share": 0.25,
    "min_held": 0.5,
    "tiny_words": 40,
    "max_chars": 200_000,
}


def test_reason_takes_the_body_over_a_fragment_or_nothing() -> None:
    assert publisher_text_reason(CAPTION, [ARTICLE_TEXT], **RULE)[0]
    assert publisher_text_reason(None, [ARTICLE_TEXT], **RULE)[0]
    assert publisher_text_reason("  ", [ARTICLE_TEXT], **RULE)[0]


def test_reason_takes_a_truncated_rendering_of_the_same_story() -> None:
    long_body = "\n".join(PARAGRAPHS * 3)
    use, reason = publisher_text_reason(PARAGRAPHS[0] + " " + PARAGRAPHS[1], [long_body], **RULE)
    assert use, reason


@pytest.mark.parametrize(
    ("text", "bodies", "why"),
    [
        (CAPTION, [], "no articleBody"),
        (CAPTION, [ARTICLE_TEXT, ARTICLE_TEXT + " more"], "listing"),
        (CAPTION, [PARAGRAPHS[0]], "under 150"),
        (CAPTION, [ARTICLE_TEXT * 2_000], "chars"),
        (ARTICLE_TEXT + "\n" + ARTICLE_TEXT, [ARTICLE_TEXT], "words, the articleBody"),
        (" ".join([CAPTION] * 3), ["\n".join(PARAGRAPHS * 3)], "another article"),
    ],
    ids=["none", "listing", "short", "huge", "teaser", "other-article"],
)
def test_reason_refuses(text: str, bodies: list[str], why: str) -> None:
    use, reason = publisher_text_reason(text, bodies, **RULE)
    assert not use
    assert why in reason


def test_body_paragraphs() -> None:
    assert body_paragraphs("one\n\n two  words \r\nthree") == ("one", "two words", "three")
    assert body_paragraphs("<p>a</p><p>b<br>c</p>") == ("a", "b", "c")
    assert body_paragraphs("a <script>x</script> b <style>y") == ("a b",)
    assert body_paragraphs("a &lt;SCRIPT&gt;x&lt;/script&gt; b") == ("a b",)
    assert body_paragraphs(" \n ") == ()


def test_article_body_paragraphs_are_distinct() -> None:
    schema = [news_article("a\nb"), news_article("a\nb"), news_article("c"), news_article(3)]
    json_ld = read_json_ld(parse_page(bare_page(ld_script(schema)), max_html_bytes=10**6))
    assert article_body_paragraphs(json_ld) == (("a", "b"), ("c",))


def test_ingest_digests_the_article_body_like_any_text() -> None:
    # The rest of ingest (language, dedup digest, summaries) reads ExtractedArticle.text.
    from newsdesk.dedup import DedupOptions, StoryOptions
    from newsdesk.domain import FeedEntry
    from newsdesk.pipeline.content import PageJob, extract_and_digest
    from newsdesk.pipeline.writer import digest_content

    entry = FeedEntry(url="https://example.com/a", title=TITLE)
    dedup, stories = DedupOptions(), StoryOptions()
    page = js_page(ld_script(news_article(ARTICLE_TEXT)))
    result = extract_and_digest(PageJob(page, entry.url, entry, ExtractOptions(), dedup, stories))
    assert not isinstance(result, str)
    assert result.extracted.text == ARTICLE_TEXT
    assert result.extracted.language == "en"
    assert result.digest == digest_content(TITLE, ARTICLE_TEXT, dedup, stories)
