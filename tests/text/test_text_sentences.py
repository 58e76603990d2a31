"""Sentence splitting with offsets: abbreviations, initials, decimals, line breaks."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsdesk.text.sentences import (
    beyond_lead,
    leading_paragraphs,
    paragraph_of,
    paragraph_spans,
    sentence_spans,
)


def texts(text: str) -> list[str]:
    sentences = sentence_spans(text)
    for s in sentences:
        assert text[s.start : s.end] == s.text
    return [s.text for s in sentences]


def test_sentences_split_on_full_stops_and_paragraphs() -> None:
    assert texts("Japan signed. Namibia agreed!\n\nA new paragraph? Yes") == [
        "Japan signed.",
        "Namibia agreed!",
        "A new paragraph?",
        "Yes",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Namibia Critical Metals Inc. Lofdal is its project.",
        "The U.S. Treasury said so.",
        "Shares of Acme Corp. Ltd. rose.",
        "It was item No. 5 on the list.",
        "Forecasts were slashed to 74.89 million tons this year.",
        "J. R. Smith and Mr. Jones agreed.",
        "Prices rose 2.5% to $1,234.50 in the U.K. market.",
    ],
)
def test_abbreviations_initials_and_decimals_do_not_end_a_sentence(text: str) -> None:
    assert texts(text) == [text]


def test_quotes_after_a_full_stop_stay_with_the_sentence() -> None:
    assert texts('"We will pay," he said. "Not now." Then it ended.') == [
        '"We will pay," he said.',
        '"Not now."',
        "Then it ended.",
    ]


def test_empty_and_blank_text_have_no_sentences() -> None:
    assert texts("") == []
    assert texts(" \n\n \t") == []


@given(st.text(max_size=400))
def test_sentences_are_in_order_do_not_overlap_and_index_exactly(text: str) -> None:
    sentences = sentence_spans(text)
    last_end = 0
    for s in sentences:
        assert s.start >= last_end
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip()
        last_end = s.end


def test_paragraphs_for_previews_are_lines_with_something_on_them() -> None:
    text = "First one.\n\n   \nSecond, a line.\nThird.\n\n\nFourth."
    spans = paragraph_spans(text)
    assert [text[a:b] for a, b in spans] == ["First one.", "Second, a line.", "Third.", "Fourth."]
    starts = [a for a, _ in spans]
    assert paragraph_of(starts, 0) == 0 and paragraph_of(starts, text.index("line")) == 1
    assert paragraph_of(starts, len(text) - 1) == 3
    assert leading_paragraphs(text, 2) == ["First one.", "Second, a line."]
    assert leading_paragraphs(text, 0) == [] and leading_paragraphs(text, -1) == []
    assert leading_paragraphs("", 3) == []


LEAD = (
    "Anglo American's Los Bronces mine has achieved an IRMA 75 rating, the company said on "
    "Monday. The audit took 14 months.\n"
    "IRMA assesses mines against about 400 requirements. Only a handful of sites have reached "
    "the 75 level."
)
LATER = "Los Bronces produced 200,000 tonnes of copper last year."


@pytest.mark.parametrize(
    ("summary", "beyond"),
    [
        # the demo's first article: its lead sentence and one of the next paragraph's
        (
            "Anglo American's Los Bronces mine has achieved an IRMA 75 rating, the company said "
            "on Monday. Only a handful of sites have reached the 75 level.",
            "",
        ),
        ("IRMA assesses mines against about 400 requirements.", ""),  # the second paragraph's
        (
            "ANGLO AMERICAN’S Los Bronces mine has achieved an IRMA 75 rating - the company "
            "said on Monday!",
            "",
        ),  # case, typography and punctuation aside
        ("Anglo American's Los Bronces mine has achieved an IRMA 75 rat…", ""),  # a feed's cut
        ("Anglo American's Los Bronces mine has achieved an IRMA...", ""),
        (f"The audit took 14 months. {LATER}", LATER),  # what the lead does not say stays
        (f"{LATER} The audit took 14 months.", LATER),
        (f"{LATER}  \n Only a handful of sites have reached the 75 level.", LATER),
        ("The audit covered water and tailings.", "The audit covered water and tailings."),
        (
            "Anglo American's Los Bronces mine has achieved an IRMA 75 rating.",  # shorter
            "Anglo American's Los Bronces mine has achieved an IRMA 75 rating.",
        ),
        ("The audit", "The audit"),  # only a part of a sentence, not cut short
        ("Anglo…", "Anglo…"),  # nothing left to match once the cut word goes
        ("", ""),
        ("   \n ", ""),
        ("— …", ""),
    ],
)
def test_a_summary_loses_the_sentences_the_lead_already_says(summary: str, beyond: str) -> None:
    assert beyond_lead(summary, LEAD) == beyond


def test_without_a_lead_the_summary_stays_whole() -> None:
    summary = f"The audit took 14 months. {LATER}"
    assert beyond_lead(summary, "") == summary
