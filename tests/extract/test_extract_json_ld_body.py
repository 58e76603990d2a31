"""The publisher's JSON-LD articleBody as a second opinion on the body's edge blocks.

When a page declares the article's own text and it holds most of the extracted body, the
body's leading and trailing blocks it leaves out go (a standfirst of another story, a sign-up
box); every other shape of JSON-LD (broken, huge, nested, not a string, a teaser, a summary,
another article's or another language's text) must leave the body as it was, and the page's
metadata must still be read from the same single parse.
"""

from __future__ import annotations

import html
import json
from typing import Any

import pytest

from article_paragraphs import PARAGRAPHS
from newsdesk.extract import ExtractOptions, extract_article
from newsdesk.extract.decision import publisher_body_opinion
from newsdesk.extract.jsonld import MAX_SCRIPT_CHARS, JsonLd, article_bodies, read_json_ld
from newsdesk.extract.page import parse_page

ARTICLE_TEXT = "\n\n".join(PARAGRAPHS)
STANDFIRST = (
    "A bakery chain from the north opens twelve new shops before the winter "
    "holidays and hires apprentices for all of them."
)
SIGN_UP = (
    "Get our free morning briefing with the stories of the day delivered to your inbox every "
    "weekday before breakfast, sign up in one click."
)
TITLE = "Port expansion approved after two years of hearings"


def page(*scripts: str, lead: str = STANDFIRST, tail: str = SIGN_UP) -> str:
    body = "".join(f"<p>{paragraph}</p>" for paragraph in PARAGRAPHS)
    return (
        f"<html><head><title>{TITLE}</title>{''.join(scripts)}</head><body><article>"
        f"<h1>{TITLE}</h1><p>{lead}</p>{body}<p>{tail}</p></article></body></html>"
    )


def ld_script(value: Any) -> str:
    return f'<script type="application/ld+json">{json.dumps(value)}</script>'


def news_article(body: Any, **more: Any) -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": TITLE,
        "author": {"@type": "Person", "name": "Maria Jensen"},
        "articleBody": body,
        **more,
    }


def text_of(html_page: str, **options: Any) -> str:
    return extract_article(html_page, url=None, options=ExtractOptions(**options)).text


def without_json_ld(**options: Any) -> str:
    return text_of(page(), **options)


def test_fixture_keeps_both_edge_blocks_without_json_ld() -> None:
    # The test below means something only if the extractor keeps the edge blocks by itself.
    text = without_json_ld()
    assert STANDFIRST in text
    assert SIGN_UP in text
    assert PARAGRAPHS[0] in text


def test_edge_blocks_left_out_of_the_article_body_are_removed() -> None:
    text = text_of(page(ld_script(news_article(ARTICLE_TEXT))))
    assert STANDFIRST not in text
    assert SIGN_UP not in text
    assert all(paragraph in text for paragraph in PARAGRAPHS)


def test_removed_blocks_leave_the_html_body_too() -> None:
    article = extract_article(
        page(ld_script(news_article(ARTICLE_TEXT))), url=None, options=ExtractOptions()
    )
    assert "bakery chain" not in article.html
    assert "morning briefing" not in article.html
    assert "harbour authority" in article.html


def test_the_option_switches_it_off() -> None:
    text = text_of(page(ld_script(news_article(ARTICLE_TEXT))), json_ld_body=False)
    assert text == without_json_ld()


@pytest.mark.parametrize(
    "schema",
    [
        {"@context": "https://schema.org",
         "@graph": [{"@type": "WebPage"}, news_article(ARTICLE_TEXT)]},
        [{"@type": "Organization", "name": "Port Times"}, news_article(ARTICLE_TEXT)],
        news_article(ARTICLE_TEXT, **{"@type": ["NewsArticle", "ReportageNewsArticle"]}),
        news_article(ARTICLE_TEXT, **{"@type": "BlogPosting"}),
        {"@type": "WebPage", "mainEntity": news_article(ARTICLE_TEXT)},
    ],
    ids=["graph", "list", "type-list", "blog-posting", "main-entity"],
)  # fmt: skip
def test_article_body_is_found_in_graphs_lists_and_type_lists(schema: Any) -> None:
    text = text_of(page(ld_script(schema)))
    assert STANDFIRST not in text
    assert SIGN_UP not in text


def test_html_escaped_article_body_with_markup_is_read_as_text() -> None:
    marked_up = "".join(f"<p>{html.escape(paragraph)}</p>" for paragraph in PARAGRAPHS)
    escaped = html.escape(marked_up)  # some sites escape the markup once more
    for body in (marked_up, escaped):
        text = text_of(page(ld_script(news_article(body))))
        assert STANDFIRST not in text
        assert all(paragraph in text for paragraph in PARAGRAPHS)


# -- hostile JSON-LD: the body stays as it is without JSON-LD -------------------------------


def malformed() -> str:
    whole = json.dumps(news_article(ARTICLE_TEXT))
    return f'<script type="application/ld+json">{whole[: len(whole) // 2]}</script>'


def deeply_nested() -> str:
    return f'<script type="application/ld+json">{"[" * 100_000}{"]" * 100_000}</script>'


def nested_just_parseable() -> str:
    # Deep enough to parse yet to overflow a recursive walk over it.
    depth = 900
    inner = json.dumps(news_article(ARTICLE_TEXT))
    return (
        '<script type="application/ld+json">{"@graph": '
        f"{'[' * depth}{inner}{']' * depth}}}</script>"
    )


def huge() -> str:
    padding = "x" * MAX_SCRIPT_CHARS
    return ld_script(news_article(ARTICLE_TEXT, description=padding))


def teaser() -> str:
    return ld_script(news_article(PARAGRAPHS[0][:120] + "..."))


def summary() -> str:
    return ld_script(
        news_article(
            "The port authority approved a bigger container terminal; residents plan to appeal "
            "and construction should start next spring, the operator said, adding that the "
            "works will take four years and create hundreds of jobs in the district, while "
            "environmental groups got sediment tests they had long asked for."
        )
    )


def other_language() -> str:
    return ld_script(
        news_article(
            " ".join(
                [
                    "Die Hafenbehörde hat am Dienstag nach zwei Jahren Anhörungen den Ausbau "
                    "des Containerterminals genehmigt und damit den Weg für den Baubeginn im "
                    "kommenden Frühjahr frei gemacht.",
                    "Nach Angaben der Behörde soll das Projekt die Zahl der Schiffe verdoppeln "
                    "und rund vierhundert Arbeitsplätze schaffen.",
                ]
                * 3
            )
        )
    )


def listing() -> str:
    other = "A different story about a cycling race through the mountains. " * 12
    return ld_script(
        {
            "@context": "https://schema.org",
            "@type": "ItemList",
            "itemListElement": [
                {"@type": "ListItem", "item": news_article(other, headline="Race")},
                {"@type": "ListItem", "item": news_article(other + " Stage two.")},
            ],
        }
    )


def whole_page() -> str:
    return ld_script(news_article(f"{STANDFIRST} {ARTICLE_TEXT} {SIGN_UP}"))


@pytest.mark.parametrize(
    "script",
    [
        malformed(),
        deeply_nested(),
        nested_just_parseable(),
        huge(),
        ld_script(news_article(["a", "list", "of", "words"])),
        ld_script(news_article({"text": ARTICLE_TEXT})),
        ld_script(news_article(12345)),
        ld_script(news_article(None)),
        '<script type="application/ld+json">"just a string"</script>',
        '<script type="application/ld+json">   </script>',
        teaser(),
        summary(),
        other_language(),
        listing(),
        whole_page(),
    ],
    ids=[
        "malformed", "deeply-nested", "nested-just-parseable", "huge", "list-body",
        "object-body", "number-body",
        "null-body", "string-schema", "blank", "teaser", "summary", "other-language",
        "listing", "whole-page",
    ],
)  # fmt: skip
def test_hostile_or_untrustworthy_json_ld_leaves_the_body_alone(script: str) -> None:
    assert text_of(page(script)) == without_json_ld()


def test_huge_script_is_not_read_at_all() -> None:
    json_ld = read_json_ld(parse_page(page(huge()), max_html_bytes=8 * 1024 * 1024))
    assert json_ld == JsonLd()


def test_metadata_is_still_read_from_the_single_parse() -> None:
    # An articleBody quoting with &quot; broke trafilatura's own reading of the script (it
    # decodes entities before parsing); parsed as it stands, its author and headline are read.
    quoted = ARTICLE_TEXT.replace("Officials said", "&quot;Officials&quot; said")
    article = extract_article(
        page(ld_script(news_article(quoted))), url=None, options=ExtractOptions()
    )
    assert article.authors == ("Maria Jensen",)
    assert article.title == TITLE


def test_unparseable_json_ld_still_yields_metadata_by_pattern() -> None:
    broken = (
        '<script type="application/ld+json">{"@context":"https://schema.org","@type":'
        '"NewsArticle","author":{"@type":"Person","name":"Maria Jensen"},"headline":"'
        f'{TITLE}",</script>'
    )
    article = extract_article(page(broken), url=None, options=ExtractOptions())
    assert article.authors == ("Maria Jensen",)
    assert article.text == without_json_ld()


def test_article_bodies_are_distinct_plain_texts() -> None:
    scripts = ld_script(news_article(" <b>Same</b>   text ")) + ld_script(
        {"@graph": [news_article("Same text"), news_article("")]}
    )
    json_ld = read_json_ld(parse_page(page(scripts), max_html_bytes=1 << 20))
    assert article_bodies(json_ld) == ("Same text",)


# -- the decision itself ---------------------------------------------------------------------


def test_interior_blocks_missing_from_the_article_body_stay() -> None:
    subheading = "What the appeal court must decide now"
    table_row = "Berths 4 | Cranes 12 | Depth 16 m"
    blocks = [PARAGRAPHS[0], subheading, PARAGRAPHS[1], table_row, *PARAGRAPHS[2:]]
    opinion = publisher_body_opinion(
        [STANDFIRST, *blocks, SIGN_UP], [ARTICLE_TEXT], min_coverage=0.7
    )
    assert opinion.drop == (0, len(blocks) + 1)


def test_short_edge_blocks_count_when_their_words_are_in_the_body() -> None:
    credit = "Reporting: Maria Jensen"
    opinion = publisher_body_opinion(
        ["By Maria", *PARAGRAPHS, credit, "Share this"],
        [f"{ARTICLE_TEXT}\n\n{credit}"],
        min_coverage=0.7,
    )
    # The credit's three words are in the body, in a row: it ends the trailing run and stays.
    assert opinion.drop == (0, len(PARAGRAPHS) + 2)


def test_edges_go_only_where_the_article_body_starts_and_ends_with_the_kept_blocks() -> None:
    # A body cut mid-paragraph (a paywall's) says nothing about the blocks after the cut.
    cut = ARTICLE_TEXT[: ARTICLE_TEXT.rindex(" a demand they")]
    opinion = publisher_body_opinion([STANDFIRST, *PARAGRAPHS], [cut], min_coverage=0.5)
    assert opinion.drop == (0,)
    assert "1 leading and 0 trailing" in opinion.reason
    # One that starts with a kicker the page does not show keeps the blocks before the text.
    opinion = publisher_body_opinion(
        [STANDFIRST, *PARAGRAPHS, SIGN_UP], [f"Exclusive report. {ARTICLE_TEXT}"], min_coverage=0.7
    )
    assert opinion.drop == (len(PARAGRAPHS) + 1,)


def test_low_coverage_or_large_removals_are_refused() -> None:
    half = "\n".join(PARAGRAPHS[:3])
    opinion = publisher_body_opinion([*PARAGRAPHS, SIGN_UP], [half], min_coverage=0.7)
    assert opinion.drop == ()
    assert "holds only" in opinion.reason
    # Coverage allowed low, the trailing half of the article is still not dropped.
    opinion = publisher_body_opinion([*PARAGRAPHS, SIGN_UP], [half], min_coverage=0.2)
    assert opinion.drop == ()
    assert "would drop" in opinion.reason


def test_short_article_body_is_not_trusted() -> None:
    opinion = publisher_body_opinion([STANDFIRST, PARAGRAPHS[0]], [PARAGRAPHS[0]], min_coverage=0.1)
    assert opinion.drop == ()
    assert "under" in opinion.reason


def test_best_of_several_article_bodies_is_used() -> None:
    other = "A different story about a cycling race through the mountains. " * 12
    opinion = publisher_body_opinion(
        [STANDFIRST, *PARAGRAPHS], [other, ARTICLE_TEXT], min_coverage=0.7
    )
    assert opinion.drop == (0,)


def test_no_article_body_or_empty_blocks() -> None:
    assert publisher_body_opinion(PARAGRAPHS, [], min_coverage=0.7).drop == ()
    assert publisher_body_opinion(["", "  "], [ARTICLE_TEXT], min_coverage=0.7).drop == ()
