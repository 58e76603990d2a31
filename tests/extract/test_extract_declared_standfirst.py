"""A standfirst the page declares as its description goes back in front of the body.

Pages often set the standfirst apart from the body, in the article's header, so the extracted
body (the body's container) lacks it. When a paragraph shortly before the body's first kept
block equals the page's declared description (meta, og:, twitter: or JSON-LD description), it
goes in front. Hostile shapes (no, empty, huge or malformed descriptions, one equal to the
title, one the body already holds, one inside navigation or an aside) leave the body as it was
and never print a paragraph twice.
"""

from __future__ import annotations

import html
import json
from typing import Any

import pytest

from article_paragraphs import PARAGRAPHS
from newsdesk.extract import ExtractOptions, extract_article
from newsdesk.extract.decision import folded_words
from newsdesk.extract.jsonld import article_descriptions, read_json_ld
from newsdesk.extract.page import parse_page
from newsdesk.extract.standfirst import (
    MAX_BLOCKS_BEFORE,
    MAX_CHARS,
    LeadBlock,
    page_descriptions,
    standfirst_reason,
)

STANDFIRST = (
    "After two years of hearings the port may grow by half: what the new terminal means for "
    "shipping, jobs and the people who live along the coastal road."
)
TITLE = "Port expansion approved after two years of hearings"


def page(
    *,
    description: str | None = STANDFIRST,
    lead: str = STANDFIRST,
    lead_wrapper: tuple[str, str] = ("", ""),
    head: str = "",
) -> str:
    meta = (
        f'<meta name="description" content="{html.escape(description)}">'
        if description is not None
        else ""
    )
    body = "".join(f"<p>{paragraph}</p>" for paragraph in PARAGRAPHS)
    opening, closing = lead_wrapper
    return (
        f"<html><head><title>{TITLE}</title>{meta}{head}</head><body>"
        '<div class="page"><header class="article-header">'
        f"<h1>{TITLE}</h1>{opening}<p>{lead}</p>{closing}"
        '<span class="date">7 December 2026</span></header>'
        f'<div class="article-content">{body}</div>'
        "<footer><p>Contact the newsroom: newsroom@example.org</p></footer></div></body></html>"
    )


def text_of(html_page: str, **options: Any) -> str:
    return extract_article(html_page, url=None, options=ExtractOptions(**options)).text


def lines_of(html_page: str, **options: Any) -> list[str]:
    return text_of(html_page, **options).splitlines()


def test_fixture_loses_the_standfirst_without_the_rule() -> None:
    assert STANDFIRST not in lines_of(page(), declared_standfirst=False)


def test_declared_standfirst_goes_in_front_of_the_body() -> None:
    lines = lines_of(page())
    assert lines[0] == STANDFIRST
    assert lines[1:] == lines_of(page(), declared_standfirst=False)


@pytest.mark.parametrize("key", ["og:description", "twitter:description"])
def test_social_descriptions_are_declarations_too(key: str) -> None:
    head = f'<meta property="{key}" content="{html.escape(STANDFIRST)}">'
    assert lines_of(page(description=None, head=head))[0] == STANDFIRST


def test_json_ld_description_is_a_declaration() -> None:
    schema = {"@context": "https://schema.org", "@type": "NewsArticle", "description": STANDFIRST}
    head = f'<script type="application/ld+json">{json.dumps(schema)}</script>'
    assert lines_of(page(description=None, head=head))[0] == STANDFIRST


def test_truncated_description_still_declares_the_paragraph() -> None:
    cut = " ".join(STANDFIRST.split()[:16]) + "…"
    assert lines_of(page(description=cut))[0] == STANDFIRST


def test_undeclared_paragraph_stays_out() -> None:
    assert STANDFIRST not in lines_of(page(description=None))
    other = "A bakery chain from the north opens twelve new shops before the winter holidays."
    assert STANDFIRST not in lines_of(page(description=other))


@pytest.mark.parametrize("description", ["", "   ", "Port news", "x" * 200_000])
def test_empty_short_or_huge_descriptions_change_nothing(description: str) -> None:
    assert lines_of(page(description=description)) == lines_of(page(), declared_standfirst=False)


def test_huge_paragraph_equal_to_a_huge_description_stays_out() -> None:
    huge = " ".join(["The port authority met again."] * 60)
    assert len(huge) > MAX_CHARS
    huge_page = page(description=huge, lead=huge)
    lines = lines_of(huge_page)
    assert lines == lines_of(huge_page, declared_standfirst=False)
    assert lines.count(huge) <= 1


def test_description_equal_to_the_title_adds_nothing() -> None:
    title_lead = f"{TITLE} as the board voted on Tuesday"
    lines = lines_of(page(description=TITLE, lead=title_lead))
    assert TITLE not in lines and title_lead not in lines


def test_description_the_body_already_holds_is_not_printed_twice() -> None:
    lines = lines_of(page(description=PARAGRAPHS[0]))
    assert lines.count(PARAGRAPHS[0]) == 1
    assert STANDFIRST not in lines


def test_standfirst_the_body_kept_is_not_printed_twice() -> None:
    inside = page().replace(
        '<div class="article-content">', f'<div class="article-content"><p>{STANDFIRST}</p>'
    )
    assert lines_of(inside).count(STANDFIRST) == 1


@pytest.mark.parametrize("wrapper", ["nav", "aside", "figure", "footer", "form"])
def test_declared_paragraph_in_page_furniture_stays_out(wrapper: str) -> None:
    lines = lines_of(page(lead_wrapper=(f"<{wrapper}>", f"</{wrapper}>")))
    assert STANDFIRST not in lines


def test_malformed_json_ld_descriptions_are_ignored() -> None:
    scripts = "".join(
        f'<script type="application/ld+json">{value}</script>'
        for value in (
            "{broken",
            json.dumps({"@type": "NewsArticle", "description": {"text": STANDFIRST}}),
            json.dumps({"@type": "NewsArticle", "description": ["a", "b"]}),
            json.dumps({"@type": "NewsArticle", "description": None}),
        )
    )
    tree = parse_page(
        f"<html><head>{scripts}</head><body><p>x</p></body></html>", max_html_bytes=10**7
    )
    assert article_descriptions(read_json_ld(tree)) == ()
    assert STANDFIRST not in lines_of(page(description=None, head=scripts))


def test_page_descriptions_dedupe_and_collapse_whitespace() -> None:
    head = (
        f'<meta name="description" content="  {STANDFIRST} ">'
        f'<meta property="og:description" content="{STANDFIRST}">'
        '<meta name="keywords" content="port, harbour">'
        '<meta name="description" content="">'
    )
    tree = parse_page(
        f"<html><head>{head}</head><body><p>x</p></body></html>", max_html_bytes=10**7
    )
    assert page_descriptions(tree, ("  " + STANDFIRST,)) == [STANDFIRST]


def reason(block: LeadBlock, body: str = PARAGRAPHS[0]) -> tuple[bool, str]:
    words = folded_words(body)
    grams = {tuple(words[i : i + 4]) for i in range(len(words) - 3)}
    return standfirst_reason(
        block,
        descriptions=[folded_words(STANDFIRST)],
        body_grams=grams,
        is_furniture=lambda text: text.startswith("Sign up"),
    )


def test_reason_accepts_the_declared_paragraph_near_the_body() -> None:
    assert reason(LeadBlock(STANDFIRST, blocks_before=1)) == (
        True,
        "the declared description, before the body",
    )


@pytest.mark.parametrize(
    ("block", "why"),
    [
        (LeadBlock("Port news today, read on.", 0), "too short for a standfirst"),
        (LeadBlock(PARAGRAPHS[1], 0), "not the page's declared description"),
        (LeadBlock(STANDFIRST, MAX_BLOCKS_BEFORE + 1), "too far before the body"),
        (LeadBlock(STANDFIRST, 0, in_furniture=True), "inside page furniture"),
        (LeadBlock(STANDFIRST, 0, link_chars=len(STANDFIRST)), "mostly link text"),
        (LeadBlock(STANDFIRST, 0, has_script=True), "holds a script"),
    ],
)
def test_reason_refuses(block: LeadBlock, why: str) -> None:
    assert reason(block) == (False, why)


def test_reason_refuses_what_the_body_holds_and_furniture() -> None:
    assert reason(LeadBlock(STANDFIRST, 0), body=STANDFIRST) == (False, "the body already holds it")
    sign_up = "Sign up " + STANDFIRST
    refused = standfirst_reason(
        LeadBlock(sign_up, 0),
        descriptions=[folded_words(sign_up)],
        body_grams=set(),
        is_furniture=lambda text: text.startswith("Sign up"),
    )
    assert refused == (False, "reads as furniture")
