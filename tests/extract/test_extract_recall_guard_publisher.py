"""When the recall guard finds the balanced pass in another region of the page than the
precision pass, the publisher's JSON-LD articleBody settles which region is the article
(decision.publisher_backs_other_region): a precision pass that took a subscription box loses to
a balanced pass holding the article the articleBody holds (fresh tuning page 766)."""

from __future__ import annotations

import json

import pytest
from lxml import etree

import newsdesk.extract.article as article_module
from newsdesk.extract import ExtractOptions, extract_article
from newsdesk.extract.candidates import Candidate, CandidateName
from newsdesk.extract.decision import (
    PUBLISHER_BODY_MIN_WORDS,
    publisher_backs_other_region,
    publisher_body_coverage,
)

SENTENCE = (
    "Solar panels on a roof can carry a lot of snow the testing agency said but wet snow "
    "that freezes over weeks weighs far more"
)
# Each paragraph's words carry its number, so no two paragraphs share a 4-gram.
STORY = [" ".join(f"{word}{n}" for word in SENTENCE.split()) + "." for n in range(12)]
BOX = [
    f"Read on with a premium plan, offer {n}: all articles, daily market prices, twelve "
    f"printed issues a year and webinars at a discount, first month for one euro only."
    for n in range(5)
]
STORY_TEXT, BOX_TEXT = "\n".join(STORY), "\n".join(BOX)
MIN = 0.5


def test_coverage_is_the_share_of_the_text_the_best_article_body_holds() -> None:
    assert publisher_body_coverage(STORY_TEXT, [" ".join(STORY)]) == 1.0
    assert publisher_body_coverage(BOX_TEXT, [" ".join(STORY)]) == 0.0
    assert publisher_body_coverage(STORY_TEXT, [BOX_TEXT, " ".join(STORY)]) == 1.0
    half = publisher_body_coverage(STORY_TEXT, [" ".join(STORY[:6])])
    assert 0.4 < half < 0.6


@pytest.mark.parametrize(
    ("text", "bodies"),
    [
        ("", [" ".join(STORY)]),  # no text
        ("snow", [" ".join(STORY)]),  # under four words
        (STORY_TEXT, []),  # no articleBody
        (STORY_TEXT, [""]),
        (STORY_TEXT, ["Solar panels carry snow."]),  # an articleBody of a few words
    ],
)
def test_degenerate_inputs_have_no_coverage(text: str, bodies: list[str]) -> None:
    assert publisher_body_coverage(text, bodies) == 0.0


def test_an_article_body_just_under_the_minimum_is_not_read() -> None:
    words = " ".join(STORY).split()
    short = " ".join(words[: PUBLISHER_BODY_MIN_WORDS - 1])
    assert publisher_body_coverage(" ".join(words[:20]), [short]) == 0.0
    assert publisher_body_coverage(" ".join(words[:20]), [short + " " + words[-1]]) == 1.0


def test_the_article_body_backs_the_region_it_holds() -> None:
    body = [" ".join(STORY)]
    assert publisher_backs_other_region(BOX_TEXT, STORY_TEXT, body, min_coverage=MIN)
    # it never moves the body away from the region the articleBody holds
    assert not publisher_backs_other_region(STORY_TEXT, BOX_TEXT, body, min_coverage=MIN)
    assert not publisher_backs_other_region(BOX_TEXT, STORY_TEXT, [], min_coverage=MIN)


def test_an_article_body_holding_both_regions_settles_nothing() -> None:
    both = [" ".join(STORY + BOX)]
    assert not publisher_backs_other_region(BOX_TEXT, STORY_TEXT, both, min_coverage=MIN)


def test_an_article_body_holding_too_little_of_the_fuller_text_settles_nothing() -> None:
    partial = [" ".join(STORY[:4])]  # a third of the story: a teaser-length articleBody
    assert not publisher_backs_other_region(BOX_TEXT, STORY_TEXT, partial, min_coverage=MIN)


def test_the_article_in_another_script_is_not_backed_by_an_english_article_body() -> None:
    russian = "\n".join(
        f"Солнечные панели на крыше выдерживают до {n + 2} сотен килограммов снега на "
        f"квадратный метр, сообщило ведомство, но мокрый снег весит гораздо больше."
        for n in range(12)
    )
    body = [" ".join(STORY)]
    assert not publisher_backs_other_region(BOX_TEXT, russian, body, min_coverage=MIN)
    assert publisher_backs_other_region(BOX_TEXT, russian, [russian], min_coverage=MIN)


def test_text_without_spaces_is_compared_by_its_runs_of_letters() -> None:
    chinese = "\n".join(
        f"屋顶上的太阳能板可以承受大量积雪第{n}段，但结冰的湿雪要重得多。" for n in range(12)
    )
    # each line is one or two \w runs: too few words to back anything
    assert not publisher_backs_other_region(BOX_TEXT, chinese, [chinese], min_coverage=MIN)


def test_a_huge_text_is_judged() -> None:
    huge = "\n".join(STORY * 3000)  # about one million words
    assert publisher_backs_other_region(BOX_TEXT, huge, [" ".join(STORY)], min_coverage=MIN)


def _page(json_ld: object | None) -> str:
    script = (
        f'<script type="application/ld+json">{json.dumps(json_ld)}</script>'
        if json_ld is not None
        else ""
    )
    return (
        f"<html><head><title>Snow on solar panels</title>{script}</head><body>"
        '<div class="paywall">' + "".join(f"<p>{line}</p>" for line in BOX) + "</div>"
        "<article>" + "".join(f"<p>{p}</p>" for p in STORY) + "</article></body></html>"
    )


def _precision_is_the_box(monkeypatch: pytest.MonkeyPatch) -> None:
    """The precision pass returns the subscription box and the balanced pass the article, as
    trafilatura did on fresh tuning page 766."""

    def fake(tree: object, name: CandidateName, **kwargs: object) -> Candidate | None:
        body = etree.Element("body")
        for line in BOX if name is CandidateName.PRECISION else STORY:
            etree.SubElement(body, "p").text = line
        return Candidate(name=name, body=body, is_html=False)

    monkeypatch.setattr(article_module, "make_candidate", fake)


def _article(body: object) -> dict[str, object]:
    return {"@context": "https://schema.org", "@type": "NewsArticle", "articleBody": body}


GUARDED = ExtractOptions(recall_guard_share=0.9)


def test_the_article_body_moves_the_guard_to_the_article(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _precision_is_the_box(monkeypatch)
    article = extract_article(_page(_article(" ".join(STORY))), url=None, options=GUARDED)
    assert article.extractor == "trafilatura"
    assert all(paragraph in article.text for paragraph in STORY)
    assert BOX[0] not in article.text


@pytest.mark.parametrize(
    "json_ld",
    [
        None,  # no JSON-LD: the same-region check keeps the precision pass, as before
        _article(""),
        _article("Solar panels carry snow."),  # too short to read
        _article(" ".join(BOX)),  # the publisher's body is the box itself
        _article(" ".join(STORY + BOX)),  # it holds both regions
        {"@type": "NewsArticle", "articleBody": ["not", "a", "string"]},
    ],
)
def test_without_a_clear_article_body_the_precision_pass_stays(
    monkeypatch: pytest.MonkeyPatch, json_ld: object | None
) -> None:
    _precision_is_the_box(monkeypatch)
    article = extract_article(_page(json_ld), url=None, options=GUARDED)
    assert article.extractor == "trafilatura-precision"
    assert BOX[0] in article.text


def test_the_json_ld_switch_turns_the_tie_break_off(monkeypatch: pytest.MonkeyPatch) -> None:
    _precision_is_the_box(monkeypatch)
    options = ExtractOptions(recall_guard_share=0.9, json_ld_body=False)
    article = extract_article(_page(_article(" ".join(STORY))), url=None, options=options)
    assert article.extractor == "trafilatura-precision"
