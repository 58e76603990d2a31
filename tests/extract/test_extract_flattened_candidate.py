"""A second opinion that runs the page's lines together into one is left out of the vote
(decision.flattened_reason, choose_candidate(drop_flattened=...), ExtractOptions.drop_flattened):
trafilatura's baseline fallback returns a whole short page (title, byline, body, share buttons,
related posts, copyright) as one paragraph, and two passes that both fell back outvote the
precision pass and readability."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
from lxml import etree

import newsdesk.extract.article as article_module
from newsdesk.extract import ExtractOptions, extract_article
from newsdesk.extract.candidates import Candidate, CandidateName
from newsdesk.extract.decision import FLATTENED_MIN_LINES, choose_candidate, flattened_reason

BODY = [
    "Locations of the two photographers taking part.",
    "Shuji: Japan, in the hills.",
    "Walter: Germany, near the river.",
    "Film stock Fuji X-TRA 400.",
    "Cameras: a Widelux and a Pentax.",
]
FURNITURE = ["Posted 11 April 2018 by Walter", "Share with: Facebook Google", "Related Posts"]
FLAT = " ".join(["Collaboration Shuji and Walter", FURNITURE[0], *BODY, *FURNITURE[1:]])
LINES = "\n".join(BODY)


def test_a_line_that_runs_another_candidates_lines_together_is_flattened() -> None:
    reason = flattened_reason(FLAT, [LINES])
    assert reason is not None
    assert f"holds {len(BODY)} lines" in reason


@pytest.mark.parametrize(
    ("text", "others"),
    [
        (LINES, [LINES]),  # the same text
        (LINES, [FLAT]),  # the line-broken text is not the flattened one
        (FLAT, [FLAT]),  # two one-line texts: nothing to compare lines with
        (FLAT, []),
        (FLAT, [""]),
        ("", [LINES]),
        # fewer than FLATTENED_MIN_LINES lines of the other candidate in the line
        (" ".join(BODY[: FLATTENED_MIN_LINES - 1]), [LINES]),
        # one-word lines (list items, headings, code) are not counted
        ("a b c d e f", ["a\nb\nc\nd\ne\nf"]),
    ],
)
def test_what_is_not_flattened(text: str, others: list[str]) -> None:
    assert flattened_reason(text, others) is None


def test_a_line_no_longer_than_the_other_candidates_longest_line_is_not_flattened() -> None:
    # a paragraph that quotes three short lines of another candidate which also holds it
    paragraph = " ".join(BODY[:3])
    assert flattened_reason(paragraph, ["\n".join([*BODY, paragraph])]) is None


def test_a_pre_block_is_judged_by_its_lines() -> None:
    code = ["def main() -> None:", "    x = load()", "    print(x)", "    return None"]
    # a candidate keeping the code's line breaks is not flattened by one that does too
    assert flattened_reason("\n".join(code), ["\n".join(code)]) is None
    # one that ran the code together is
    assert flattened_reason(" ".join(code), ["\n".join(code)]) is not None


def test_a_huge_single_line_is_judged_quickly() -> None:
    huge = " ".join(BODY * 20000)  # about 3 million characters in one line
    start = time.process_time()
    assert flattened_reason(huge, [LINES]) is not None
    assert flattened_reason(LINES, [huge]) is None
    assert time.process_time() - start < 2.0


CANDIDATES = [
    ("trafilatura-precision", LINES),
    ("trafilatura", FLAT),
    ("trafilatura-recall", FLAT),
    ("readability", "\n".join([*BODY, "Like this: loading..."])),
]


def test_two_flattened_passes_no_longer_outvote_the_line_broken_ones() -> None:
    before = choose_candidate(CANDIDATES, agreement_threshold=0.99)
    assert before is not None
    assert before.winner == "trafilatura"  # the vote of the two fallbacks
    after = choose_candidate(CANDIDATES, agreement_threshold=0.99, drop_flattened=True)
    assert after is not None
    assert after.winner in {"trafilatura-precision", "readability"}
    assert "left out flattened trafilatura:" in after.reason
    assert "trafilatura-recall:" in after.reason


def test_when_every_candidate_is_flattened_the_vote_is_unchanged() -> None:
    candidates = [("trafilatura", FLAT), ("readability", FLAT.upper())]
    plain = choose_candidate(candidates, agreement_threshold=0.8)
    dropped = choose_candidate(candidates, agreement_threshold=0.8, drop_flattened=True)
    assert plain == dropped


def test_a_single_candidate_is_kept_even_when_flattened() -> None:
    decision = choose_candidate(
        [("trafilatura", FLAT)], agreement_threshold=0.8, drop_flattened=True
    )
    assert decision is not None
    assert decision.winner == "trafilatura"


# Second opinions asked and voted on even though the short page is one <article>.
VOTING = ExtractOptions(agreement_threshold=0.99, declared_article_share=None)


def _page() -> str:
    return (
        "<html><head><title>Collaboration Shuji and Walter</title></head><body>"
        f"<p class='byline'>{FURNITURE[0]}</p><article>"
        + "".join(f"<p>{line}</p>" for line in BODY)
        + f"</article><div class='share'>{FURNITURE[1]}</div></body></html>"
    )


def _balanced_and_recall_fall_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """The balanced and recall passes return the page as one paragraph, as trafilatura's
    baseline fallback did on a dev page, and readability keeps a like button the precision
    pass leaves out, so that the two do not confirm each other."""
    real = article_module.make_candidate

    def fake(tree: object, name: CandidateName, **kwargs: object) -> Candidate | None:
        if name is CandidateName.PRECISION:
            return real(tree, name, **kwargs)  # type: ignore[arg-type]
        if name is CandidateName.READABILITY:
            body = etree.Element("div")
            for line in [*BODY, "Like this: loading..."]:
                etree.SubElement(body, "p").text = line
            return Candidate(name=name, body=body, is_html=True)
        body = etree.Element("body")
        etree.SubElement(body, "p").text = FLAT
        return Candidate(name=name, body=body, is_html=False)

    monkeypatch.setattr(article_module, "make_candidate", fake)


def test_a_short_page_keeps_its_line_broken_body(monkeypatch: pytest.MonkeyPatch) -> None:
    _balanced_and_recall_fall_back(monkeypatch)
    article = extract_article(_page(), url=None, options=VOTING)
    assert article.extractor in {"trafilatura-precision", "readability"}
    assert FURNITURE[1] not in article.text
    assert all(line in article.text.splitlines() for line in BODY[1:])


def test_the_switch_turns_the_check_off(monkeypatch: pytest.MonkeyPatch) -> None:
    _balanced_and_recall_fall_back(monkeypatch)
    article = extract_article(_page(), url=None, options=replace(VOTING, drop_flattened=False))
    assert article.extractor == "trafilatura"
    assert article.text == FLAT


@pytest.mark.parametrize(
    "body",
    [
        "<div>" + " ".join(BODY) + "</div>",  # a one-line page with no <p>
        "".join(f"<div>{line}</div>" for line in BODY),  # blocks but no <p>
        "<div>" + "word " * 50000 + "</div>",  # a huge single text node
        "<pre>" + "\n".join(["def main():", "    return load()", "    # done"] * 30) + "</pre>",
    ],
)
def test_hostile_pages_still_extract(body: str) -> None:
    html = f"<html><head><title>t</title></head><body>{body}</body></html>"
    for flag in (True, False):
        article = extract_article(html, url=None, options=ExtractOptions(drop_flattened=flag))
        assert article.text.strip()
