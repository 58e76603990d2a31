"""One extractor failing, empty or hostile pages: the best available result or a clean error."""

from __future__ import annotations

import pytest

import newsdesk.extract.article as article_module
import newsdesk.extract.candidates as candidates_module
import newsdesk.extract.page as page_module
from newsdesk.domain import ExtractionError
from newsdesk.extract import ExtractOptions, extract_article
from newsdesk.extract.candidates import Candidate, CandidateName
from newsdesk.extract.decision import (
    agreement,
    choose_candidate,
    precision_in_doubt,
    second_opinion_reason,
    shingles,
)

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


def test_oversized_page_is_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[int] = []
    real_load_tree = page_module.load_tree

    def recording_load_tree(html: str | bytes) -> object:
        parsed.append(len(html))
        return real_load_tree(html)

    monkeypatch.setattr(page_module, "load_tree", recording_load_tree)
    options = ExtractOptions(max_html_bytes=10_000)
    page = ARTICLE_PAGE + "<!--" + "x" * 20_000 + "-->"
    with pytest.raises(ExtractionError, match=f"too large: {len(page)} bytes"):
        extract_article(page, url=None, options=options)
    assert parsed == []  # never handed to the parser
    extract_article(ARTICLE_PAGE, url=None, options=options)
    assert parsed == [len(ARTICLE_PAGE)]  # a page within the limit is parsed


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


def test_ten_thousand_nested_divs_are_a_clean_error() -> None:
    # The parser stops descending long before this depth, so the text is out of reach; what
    # matters is a clean ExtractionError (the time it takes: benchmarks/hostile_inputs.py).
    deep = (
        "<html><body>"
        + "<div>" * 10_000
        + "<p>"
        + " ".join(PARAGRAPHS)
        + "</p>"
        + "</div>" * 10_000
        + "</body></html>"
    )
    with pytest.raises(ExtractionError, match="no extractor found article text"):
        extract_article(deep, url=None, options=ExtractOptions())


def test_a_five_megabyte_attribute_leaves_the_article_intact() -> None:
    huge = ARTICLE_PAGE.replace("<article>", '<article data-x="' + "a" * 5_000_000 + '">')
    article = extract_article(huge, url=None, options=ExtractOptions())
    plain = extract_article(ARTICLE_PAGE, url=None, options=ExtractOptions())
    assert article.title == plain.title == "Port approves terminal"
    assert article.text == plain.text
    assert all(paragraph in article.text for paragraph in PARAGRAPHS)
    assert "data-x" not in article.html and "aaaa" not in article.html
    assert len(article.html) < 2_000


def test_precision_is_in_doubt_only_when_it_kept_little_of_the_page() -> None:
    assert precision_in_doubt(200, 1000, share=0.3)
    assert not precision_in_doubt(300, 1000, share=0.3)
    assert not precision_in_doubt(0, 0, share=0.3)


LONG_PARAGRAPHS = [
    f"Paragraph {n}: the terminal operator said the berth would take ships of up to 400 metres, "
    f"and that dredging of the channel would begin once the permits for section {n} arrive."
    for n in range(12)
]
LONG_PAGE = (
    "<html><head><title>Terminal</title></head><body><article><h1>Terminal</h1>"
    + "".join(f"<p>{p}</p>" for p in LONG_PARAGRAPHS)
    + "</article></body></html>"
)


def _truncated_precision_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    """The precision pass keeps only its first four blocks, as it does on some list-like
    pages where its stricter pruning drops part of the article."""
    real = article_module.make_candidate

    def fake(tree: object, name: CandidateName, **kwargs: object) -> Candidate | None:
        candidate = real(tree, name, **kwargs)  # type: ignore[arg-type]
        if name is CandidateName.PRECISION and candidate is not None:
            for block in list(candidate.body)[4:]:
                candidate.body.remove(block)
        return candidate

    monkeypatch.setattr(article_module, "make_candidate", fake)


def test_recall_guard_takes_the_balanced_pass_when_precision_lost_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _truncated_precision_pass(monkeypatch)
    article = extract_article(LONG_PAGE, url=None, options=ExtractOptions())
    assert article.extractor == "trafilatura"
    for paragraph in LONG_PARAGRAPHS:
        assert paragraph in article.text
    unguarded = ExtractOptions(recall_guard_share=0.0)
    truncated = extract_article(LONG_PAGE, url=None, options=unguarded)
    assert truncated.extractor == "trafilatura-precision"
    assert LONG_PARAGRAPHS[-1] not in truncated.text


def test_balanced_primary_when_precision_is_not_favoured() -> None:
    options = ExtractOptions(favor_precision=False)
    article = extract_article(LONG_PAGE, url=None, options=options)
    assert article.extractor == "trafilatura"
    assert LONG_PARAGRAPHS[0] in article.text
