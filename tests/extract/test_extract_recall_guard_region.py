"""A recall-guard win must be a fuller version of the precision pass's text, not another region
of the page (decision.other_region_reason, ExtractOptions.recall_guard_same_region)."""

from __future__ import annotations

import pytest
from lxml import etree

import newsdesk.extract.article as article_module
from newsdesk.extract import ExtractOptions, extract_article
from newsdesk.extract.candidates import Candidate, CandidateName
from newsdesk.extract.decision import (
    FULLER_BODY_MIN_CONTAINMENT,
    containment,
    other_region_reason,
)

ARTICLE = [
    f"The harbour board voted on Tuesday to fund the new ferry pier, item {n} of the plan, "
    f"after residents of the island asked for a second daily crossing in winter months."
    for n in range(4)
]
MENU = [
    f"Services for employers and jobseekers, section {n}: unemployment benefit, training "
    f"grants, pensions, disability support, occupational safety and all our press releases."
    for n in range(30)
]


def test_containment_is_the_share_of_the_primary_text_the_fuller_one_holds() -> None:
    primary = "\n".join(ARTICLE)
    assert containment(primary, primary) == 1.0
    assert containment(primary, "\n".join([*MENU[:3], *ARTICLE, *MENU[3:]])) == 1.0
    assert containment(primary, "\n".join(MENU)) == 0.0
    half = containment(primary, "\n".join(ARTICLE[:2]))
    assert 0.4 < half < 0.6


def test_a_fuller_text_that_holds_the_primary_is_the_same_region() -> None:
    primary = "\n".join(ARTICLE[:2])
    assert other_region_reason(primary, "\n".join(ARTICLE)) is None
    # case and line breaks do not make it another region
    assert other_region_reason(primary, " ".join(ARTICLE).upper()) is None


def test_a_fuller_text_that_holds_almost_none_of_the_primary_is_another_region() -> None:
    reason = other_region_reason("\n".join(ARTICLE), "\n".join(MENU))
    assert reason is not None
    assert "0.00" in reason


@pytest.mark.parametrize(
    ("primary", "fuller"),
    [
        ("", "\n".join(MENU)),  # no primary text at all
        ("   \n ", "\n".join(MENU)),
        ("pier", "\n".join(MENU)),  # a primary of one word
        ("\n".join(ARTICLE), ""),  # an empty fuller text
    ],
)
def test_degenerate_texts_count_as_another_region(primary: str, fuller: str) -> None:
    assert containment(primary, fuller) == 0.0
    assert other_region_reason(primary, fuller) is not None


def test_a_primary_under_four_words_is_held_only_by_the_same_words() -> None:
    # never met in practice: the guard asks only about primaries of 500 characters and more
    assert other_region_reason("ferry pier", "Ferry  PIER") is None
    assert other_region_reason("ferry pier", "the new ferry pier opens") is not None


def test_the_same_article_in_another_script_is_another_region() -> None:
    russian = "Портовый совет во вторник проголосовал за строительство нового причала для парома."
    assert other_region_reason(russian, "\n".join(ARTICLE)) is not None
    assert other_region_reason(russian, "\n".join([*ARTICLE, russian])) is None


def test_a_huge_fuller_text_is_judged() -> None:
    huge = "\n".join(MENU * 2000 + ARTICLE)  # about 1.6 million words
    assert other_region_reason("\n".join(ARTICLE), huge) is None
    assert other_region_reason("\n".join(ARTICLE), "\n".join(MENU * 2000)) is not None


def _page(*, title: str = "<title>Ferry pier funded | Island Daily</title>") -> str:
    return (
        f"<html><head>{title}</head><body>"
        '<div class="menu">' + "".join(f"<p>{line}</p>" for line in MENU) + "</div>"
        "<article>" + "".join(f"<p>{p}</p>" for p in ARTICLE) + "</article></body></html>"
    )


def _balanced_is_the_menu(monkeypatch: pytest.MonkeyPatch) -> None:
    """The balanced pass returns the page's menu instead of a fuller article (as trafilatura
    did on a dev page), and is long enough for the recall guard to prefer it."""
    real = article_module.make_candidate

    def fake(tree: object, name: CandidateName, **kwargs: object) -> Candidate | None:
        if name is not CandidateName.BALANCED:
            return real(tree, name, **kwargs)  # type: ignore[arg-type]
        body = etree.Element("body")
        for line in MENU:
            etree.SubElement(body, "p").text = line
        return Candidate(name=name, body=body, is_html=False)

    monkeypatch.setattr(article_module, "make_candidate", fake)


GUARDED = ExtractOptions(recall_guard_share=0.9)


def test_a_recall_guard_win_from_another_region_keeps_the_precision_pass(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _balanced_is_the_menu(monkeypatch)
    article = extract_article(_page(), url=None, options=GUARDED)
    assert article.extractor == "trafilatura-precision"
    assert all(paragraph in article.text for paragraph in ARTICLE)
    assert MENU[0] not in article.text


def test_the_switch_turns_the_check_off(monkeypatch: pytest.MonkeyPatch) -> None:
    _balanced_is_the_menu(monkeypatch)
    options = ExtractOptions(recall_guard_share=0.9, recall_guard_same_region=False)
    article = extract_article(_page(), url=None, options=options)
    assert article.extractor == "trafilatura"
    assert MENU[0] in article.text


@pytest.mark.parametrize(
    "title",
    [
        "",  # no title at all
        "<title></title><meta name='description' content=''>",  # empty title and description
        "<title>Паромный причал</title>",  # a title in another script
    ],
)
def test_the_check_does_not_depend_on_the_title(
    monkeypatch: pytest.MonkeyPatch, title: str
) -> None:
    _balanced_is_the_menu(monkeypatch)
    article = extract_article(_page(title=title), url=None, options=GUARDED)
    assert article.extractor == "trafilatura-precision"
    assert MENU[0] not in article.text


def test_a_page_in_a_legacy_encoding_is_judged_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    _balanced_is_the_menu(monkeypatch)
    page = _page(title="<meta charset='iso-8859-1'><title>Fähre für Öland</title>")
    article = extract_article(page.encode("iso-8859-1"), url=None, options=GUARDED)
    assert article.extractor == "trafilatura-precision"
    assert all(paragraph in article.text for paragraph in ARTICLE)


def test_the_threshold_separates_a_fuller_body_from_another_region() -> None:
    assert 0.0 < FULLER_BODY_MIN_CONTAINMENT < 0.4
