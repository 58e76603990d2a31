"""One extractor failing, empty or hostile pages: the best available result or a clean error."""

from __future__ import annotations

import contextlib
import time

import pytest

import newsdesk.extract.candidates as candidates_module
from newsdesk.domain import ExtractionError
from newsdesk.extract import ExtractOptions, extract_article
from newsdesk.extract.decision import agreement, choose_candidate, second_opinion_reason, shingles

PARAGRAPHS = [
    "The port authority approved a second container terminal on Tuesday after two years of talks.",
    "Construction is expected to start in spring and to employ about 1,200 people at its peak.",
    "Shipping lines have long complained about congestion at the existing quays during harvest.",
    "The regional government will pay a third of the cost, with the rest raised from bonds.",
]
ARTICLE_PAGE = (
    "<html><head><title>Port approves terminal</title></head><body>"
    '<nav><a href="/">Home</a> <a href="/ports">Ports</a></nav>'
    "<article><h1>Port approves terminal</h1>"
    + "".join(f"<p>{p}</p>" for p in PARAGRAPHS * 2)
    + "</article><footer>Contact us</footer></body></html>"
)


def test_decision_prefers_a_confirmed_primary() -> None:
    text = " ".join(PARAGRAPHS)
    decision = choose_candidate(
        [("a", text), ("b", text + " Share this"), ("c", "unrelated words entirely here")],
        agreement_threshold=0.8,
    )
    assert decision is not None and decision.winner == "a"
    assert "confirmed" in decision.reason


def test_decision_votes_when_the_primary_is_alone() -> None:
    text = " ".join(PARAGRAPHS)
    decision = choose_candidate(
        [("a", "Cookie settings and a menu"), ("b", text), ("c", text + " More news")],
        agreement_threshold=0.8,
    )
    assert decision is not None and decision.winner == "b"
    assert "agrees most" in decision.reason


def test_decision_skips_empty_candidates_and_reports_none_when_all_are_empty() -> None:
    only = choose_candidate([("a", ""), ("b", "   "), ("c", "some text")], agreement_threshold=0.8)
    assert only is not None and only.winner == "c"
    assert choose_candidate([("a", ""), ("b", " ")], agreement_threshold=0.8) is None
    assert second_opinion_reason(None, short_text_chars=500) is not None
    assert second_opinion_reason("x" * 600, short_text_chars=500) is None
    assert agreement(shingles("a b c d e"), shingles("a b c d e")) == 1.0
    assert agreement(shingles("a b c d e"), shingles("v w x y z")) == 0.0


def test_page_survives_when_trafilatura_throws(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("extractor bug")

    monkeypatch.setattr(candidates_module, "bare_extraction", broken)
    article = extract_article(ARTICLE_PAGE, url="https://port.example/a", options=ExtractOptions())
    assert article.extractor == "readability"
    for paragraph in PARAGRAPHS:
        assert paragraph in article.text
    assert "Contact us" not in article.text


def test_readability_as_primary_extractor_alone() -> None:
    options = ExtractOptions(primary_extractor="readability", second_opinion=False)
    article = extract_article(ARTICLE_PAGE, url=None, options=options)
    assert article.extractor == "readability"
    assert PARAGRAPHS[0] in article.text


def test_without_second_opinions_a_failing_primary_is_an_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("extractor bug")

    monkeypatch.setattr(candidates_module, "bare_extraction", broken)
    with pytest.raises(ExtractionError, match="second opinions disabled"):
        extract_article(ARTICLE_PAGE, url=None, options=ExtractOptions(second_opinion=False))


def test_short_page_gets_second_opinions_and_still_an_article() -> None:
    page = (
        "<html><body><div><h2>Notice</h2><p>The ferry to the island is cancelled on Friday "
        "because of the storm warning.</p></div></body></html>"
    )
    article = extract_article(page, url=None, options=ExtractOptions())
    assert "ferry to the island is cancelled" in article.text


@pytest.mark.parametrize(
    "page",
    ["", "   ", b"", "<html><body></body></html>", "<html><body><nav>Home</nav></body></html>"],
)
def test_pages_without_an_article_raise_extraction_error(page: str | bytes) -> None:
    with pytest.raises(ExtractionError):
        extract_article(page, url=None, options=ExtractOptions())


def test_oversized_page_is_refused_before_parsing() -> None:
    options = ExtractOptions(max_html_bytes=10_000)
    started = time.perf_counter()
    with pytest.raises(ExtractionError, match="too large"):
        extract_article(ARTICLE_PAGE + "<!--" + "x" * 20_000 + "-->", url=None, options=options)
    assert time.perf_counter() - started < 0.5


def test_broken_encoding_still_extracts() -> None:
    raw = ARTICLE_PAGE.encode("utf-8")
    broken = raw.replace(b"two years", b"two \xff\xfe years").replace(
        b"<head>", b'<head><meta charset="utf-8">'
    )
    article = extract_article(broken, url=None, options=ExtractOptions())
    assert "container terminal" in article.text


def test_latin1_bytes_are_decoded() -> None:
    page = ARTICLE_PAGE.replace("Tuesday", "Tuesday in Zürich").replace(
        "<head>", '<head><meta charset="iso-8859-1">'
    )
    article = extract_article(page.encode("latin-1"), url=None, options=ExtractOptions())
    assert "Zürich" in article.text


def test_deep_nesting_and_huge_attribute_are_bounded() -> None:
    deep = (
        "<html><body>"
        + "<div>" * 10_000
        + "<p>"
        + " ".join(PARAGRAPHS)
        + "</p>"
        + "</div>" * 10_000
        + "</body></html>"
    )
    huge = ARTICLE_PAGE.replace("<article>", '<article data-x="' + "a" * 5_000_000 + '">')
    for page in (deep, huge):
        started = time.perf_counter()
        with contextlib.suppress(ExtractionError):
            extract_article(page, url=None, options=ExtractOptions())
        assert time.perf_counter() - started < 15
