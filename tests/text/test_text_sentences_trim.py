"""Sentence offsets stay exact around every kind of white space (text.sentences' trim)."""

from __future__ import annotations

from newsdesk.text.sentences import sentence_spans

WHITE = " \t\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\u00a0\u1680\u2000\u2003\u2028\u2029\u202f\u205f\u3000"

HOSTILE = [
    "",
    " ",
    WHITE,
    "word",
    "ALL CAPS. SHOUTED TOO!",
    f"{WHITE}First one.{WHITE}Second one.{WHITE}",
    "日本銀行は利上げした。 市場は反応した。",
    "Goo\u200bgle said\u00ad so.\ufeff Next\u2060 one.",
    "<p>Markup remnants.</p> &amp; more.",
    "Line one.\n\n   \n\tLine two.  \n",
    ("x" * 4500) + f"{WHITE}tail." + (" " * 3000),
]


def _reference(text: str, max_chars: int | None) -> list[tuple[str, int, int]]:
    """What each sentence must be: its text is its slice, trimmed, non-empty, in order."""
    return [(s.text, s.start, s.end) for s in sentence_spans(text, max_chars=max_chars)]


def test_sentences_are_trimmed_slices_of_the_text() -> None:
    for text in HOSTILE:
        for max_chars in (None, 2000, 7):
            previous_end = 0
            for sentence, start, end in _reference(text, max_chars):
                assert sentence == text[start:end]
                assert sentence and sentence == sentence.strip()
                assert start >= previous_end
                if max_chars is not None:
                    assert end - start <= max_chars
                previous_end = end


def test_white_space_around_sentences_is_not_part_of_them() -> None:
    text = f"{WHITE}First one.{WHITE}Second one.{WHITE}"
    found = sentence_spans(text)
    assert [s.text for s in found] == ["First one.", "Second one."]
    assert found[0].start == len(WHITE)
    assert found[1].start == found[0].end + len(WHITE)
    assert sentence_spans(WHITE) == []


def test_a_long_run_is_cut_into_trimmed_pieces() -> None:
    text = ("x" * 4500) + "  tail."
    pieces = sentence_spans(text, max_chars=2000)
    assert [len(p.text) for p in pieces] == [2000, 2000, 507]
    assert pieces[-1].text == ("x" * 500) + "  tail." and pieces[-1].start == 4000
    padded = ("y" * 1999) + (" " * 3) + "z"  # a piece that is white space at either end
    assert [(p.text, p.start) for p in sentence_spans(padded, max_chars=2000)] == [
        ("y" * 1999, 0),
        ("z", 2002),
    ]
