"""A sentence does not end inside a quotation that closes later in the paragraph ("We will.
Then we go," he said.): summaries and fact sentences were cut there, leaving half a quote
and an attribution. A quotation that never closes must not swallow the rest of the text."""

from __future__ import annotations

import pytest

from newsdesk.text.sentences import MAX_QUOTE_CHARS, quotations, sentence_spans


def texts(text: str) -> list[str]:
    sentences = sentence_spans(text)
    for s in sentences:
        assert text[s.start : s.end] == s.text
    return [s.text for s in sentences]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '"We will. Then we go," he said. Markets fell.',
            ['"We will. Then we go," he said.', "Markets fell."],
        ),
        (
            "“We will. Then we go,” he said. Markets fell.",
            ["“We will. Then we go,” he said.", "Markets fell."],
        ),
        (
            'He said: "Prices rose. They fell." Then he left.',
            ['He said: "Prices rose. They fell."', "Then he left."],
        ),
        (
            "„Wir kommen. Dann gehen wir“, sagte er. Die Märkte fielen.",
            ["„Wir kommen. Dann gehen wir“, sagte er.", "Die Märkte fielen."],
        ),
        (
            "»Wir kommen. Dann gehen wir«, sagte er. Die Märkte fielen.",
            ["»Wir kommen. Dann gehen wir«, sagte er.", "Die Märkte fielen."],
        ),
        (
            "« Nous viendrons. Puis nous partirons », a-t-il dit. Les marchés ont chuté.",
            ["« Nous viendrons. Puis nous partirons », a-t-il dit.", "Les marchés ont chuté."],
        ),
        (
            "«\u00a0Nous viendrons. Puis nous partirons\u00a0», a-t-il dit. Fin.",
            ["«\u00a0Nous viendrons. Puis nous partirons\u00a0», a-t-il dit.", "Fin."],
        ),
    ],
)
def test_a_quotation_that_closes_later_is_not_cut(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


def test_a_sentence_opening_with_a_german_quote_mark_still_starts_a_sentence() -> None:
    assert texts("Er ging. „Wir kommen“, sagte er. Gut.") == [
        "Er ging.",
        "„Wir kommen“, sagte er.",
        "Gut.",
    ]
    assert texts("Er ging. „Wir kommen.“ Dann gingen sie.") == [
        "Er ging.",
        "„Wir kommen.“",
        "Dann gingen sie.",
    ]


def test_nested_quotations_stay_whole() -> None:
    text = "“We will ‘never. Ever’ go. Then we stop,” he said. Fine."
    assert texts(text) == ["“We will ‘never. Ever’ go. Then we stop,” he said.", "Fine."]
    assert quotations(text) == [(0, text.index("”"))]
    german = "„Er sagte ‚Nein. Nie.‘ und ging. Dann kam er“, hieß es. Gut."
    assert texts(german) == ["„Er sagte ‚Nein. Nie.‘ und ging. Dann kam er“, hieß es.", "Gut."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'He said "no. Never. The rest. And more.',
            ['He said "no.', "Never.", "The rest.", "And more."],
        ),
        ("They said “go. Now. Later.", ["They said “go.", "Now.", "Later."]),
        ("„Wir kommen. Dann. Später.", ["„Wir kommen.", "Dann.", "Später."]),
        ("« Nous. Puis. Enfin.", ["« Nous.", "Puis.", "Enfin."]),
        ('Yes. No." Then. Later.', ["Yes.", 'No."', "Then.", "Later."]),
    ],
)
def test_a_quotation_that_never_closes_does_not_swallow_the_text(
    text: str, expected: list[str]
) -> None:
    assert texts(text) == expected
    assert quotations(text) == []


def test_apostrophes_and_marks_inside_words_open_nothing() -> None:
    assert texts("It’s the firms’ plan. They rose. Indonesia\"s rice fell. Japan's did not.") == [
        "It’s the firms’ plan.",
        "They rose.",
        'Indonesia"s rice fell.',
        "Japan's did not.",
    ]


def test_a_quotation_longer_than_the_cap_is_split_inside() -> None:
    sentence = "The market grew again this year. "
    long_quote = '"' + sentence * (MAX_QUOTE_CHARS // len(sentence) + 1) + 'Then it fell," he said.'
    assert len(texts(long_quote)) > 2
    short_quote = '"' + sentence * 3 + 'Then it fell," he said.'
    assert len(texts(short_quote)) == 1


def test_a_paragraph_break_ends_an_open_quotation() -> None:
    assert texts('"We will. Then\nwe go," he said.') == ['"We will.', "Then", 'we go," he said.']


def test_a_megabyte_of_quotations_and_stray_marks_is_split_in_one_pass() -> None:
    # A quadratic scan (each mark against every open one, each boundary against every
    # quotation) would not finish; the cap on open marks keeps it linear.
    unit = (
        "He said „no. Never.“ Then he left. « Oui. Non », dit-il. "
        '"Yes. Then," he said. It’s fine. They said “go. Now. '
    )
    count = 1_000_000 // len(unit)
    per_unit = [
        "He said „no. Never.“",
        "Then he left.",
        "« Oui. Non », dit-il.",
        '"Yes. Then," he said.',
        "It’s fine.",
        "They said “go.",
        "Now.",
    ]
    assert texts(unit * count) == per_unit * count
    soup = '„“«»‘’‚"' * 125_000
    assert [len(s) for s in texts(soup)] == [2000] * 500
    stray = "„Wir kommen. " * 80_000
    assert texts(stray) == ["„Wir kommen."] * 80_000
