"""unquoted: a sentence that is one whole quotation loses its outer marks, nothing else does."""

from __future__ import annotations

import pytest

from newsdesk.text.sentences import unquoted


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            '"But China produces more. The gap is enormous."',
            "But China produces more. The gap is enormous.",
        ),
        ("“The gap is enormous.”", "The gap is enormous."),
        ("„Wir schaffen das.“", "Wir schaffen das."),
        ("« Nous le ferons. »", "Nous le ferons."),
        ('"The gap is enormous".', "The gap is enormous."),
        ("  “Quoted with spaces.”  ", "Quoted with spaces."),
        ("“He said ‘no’ twice.”", "He said ‘no’ twice."),
    ],
)
def test_a_whole_quotation_loses_its_outer_marks(sentence: str, expected: str) -> None:
    assert unquoted(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        '"We will," he said.',
        'He said: "We will."',
        '"One," he said, "two."',
        "“Never closed.",
        "Closed only.”",
        '""',
        "",
        'Indonesia"s output rose.',
        "Plain sentence without marks.",
        '"A" and "B"',
    ],
)
def test_anything_else_is_unchanged(sentence: str) -> None:
    assert unquoted(sentence) == sentence


def test_a_long_text_is_unchanged_when_its_marks_do_not_pair() -> None:
    text = "“" + "word " * 200_000
    assert unquoted(text) == text
