"""The body's last blocks that are paragraphs set wholly in italics (an editor's note, a series
blurb, a contributor line) leave the body (notes.trailing_note_reason,
ExtractOptions.drop_trailing_notes); an italic paragraph inside the story, at its start, a
sign-off too short for a note, or a paragraph only partly in italics stays."""

from __future__ import annotations

import time

from lxml.html import fromstring

from article_paragraphs import PARAGRAPHS
from newsdesk.extract import ExtractOptions, extract_article
from newsdesk.extract.decision import folded_words
from newsdesk.extract.notes import (
    MAX_NOTE_WORDS,
    italic_only,
    italic_paragraphs,
    trailing_note_reason,
)

NOTE = "Editor's note: this story is part of our series on harbour towns in winter."
SERIES = "Harbour Weekly profiles the people who keep the ferries running through the storms."
URL = "https://example.org/ferry"


def article(before: str = "", after: str = "") -> bytes:
    body = before + "".join(f"<p>{text}</p>" for text in PARAGRAPHS) + after
    return (
        "<html><head><title>Ferry timetable</title></head><body><article><h1>Ferry timetable"
        f"</h1>{body}</article></body></html>"
    ).encode()


def words(text: str) -> tuple[str, ...]:
    return tuple(folded_words(text))


def text_of(html: bytes, **options: bool) -> str:
    return extract_article(html, url=URL, options=ExtractOptions(**options)).text


def test_italic_only_paragraphs_are_found() -> None:
    tree = fromstring(
        f"<div><p><em>{NOTE}</em></p><p><i>{SERIES}</i><br></p>"
        f"<p>Partly <em>{NOTE}</em></p><p><em>{NOTE}</em> and more</p>"
        f"<p><em>{NOTE}</em><strong>Bold</strong></p></div>"
    )
    assert italic_paragraphs(tree) == {words(NOTE), words(SERIES)}
    assert [italic_only(p) for p in tree.iter("p")] == [True, True, False, False, False]


def test_a_trailing_note_leaves_the_body_and_the_switch_keeps_it() -> None:
    html = article(after=f"<p><em>{NOTE}</em></p>")
    text = text_of(html)
    assert NOTE not in text
    assert PARAGRAPHS[0] in text and PARAGRAPHS[-1] in text
    kept = text_of(html, drop_trailing_notes=False)
    assert NOTE in kept
    assert [line for line in kept.splitlines() if line != NOTE] == text.splitlines()


def test_two_trailing_notes_leave_a_third_stays() -> None:
    third = "Ferry times are checked against the harbour board's own schedule every week."
    html = article(after=f"<p><i>{third}</i></p><p><em>{SERIES}</em></p><p><em>{NOTE}</em></p>")
    text = text_of(html)
    assert NOTE not in text and SERIES not in text
    assert third in text


def test_italics_inside_or_at_the_start_of_the_story_stay() -> None:
    html = article(before=f"<p><em>{SERIES}</em></p>")
    assert SERIES in text_of(html)
    middle = "".join(f"<p>{text}</p>" for text in PARAGRAPHS[:2]) + f"<p><em>{NOTE}</em></p>"
    html = article(before=middle)
    assert NOTE in text_of(html)


def test_a_last_paragraph_only_partly_in_italics_stays() -> None:
    html = article(after=f"<p>Finally, <em>{NOTE}</em></p>")
    assert NOTE in text_of(html)


def test_refusals() -> None:
    italics = {words("Poetic justice."), words(NOTE), tuple(["word"] * (MAX_NOTE_WORDS + 1))}
    assert trailing_note_reason(words(SERIES), italics) == (
        False,
        "not an italic-only paragraph of the page",
    )
    assert trailing_note_reason(words("Poetic justice."), italics) == (
        False,
        "too short for a note",
    )
    long = tuple(["word"] * (MAX_NOTE_WORDS + 1))
    assert trailing_note_reason(long, italics) == (False, "too long for a note")
    assert trailing_note_reason(words(NOTE), italics)[0] is True


def test_many_italic_paragraphs_stay_fast() -> None:
    tree = fromstring(
        "<div>"
        + "".join(f"<p><em>Note number {n} on the ferry.</em></p>" for n in range(5000))
        + "</div>"
    )
    started = time.perf_counter()
    assert len(italic_paragraphs(tree)) == 5000
    assert time.perf_counter() - started < 2.0


def test_a_note_set_in_several_emphasis_elements_is_italic_only() -> None:
    tree = fromstring(
        f"<div><p><em>{NOTE}<br></em><em>{SERIES}</em></p>"
        f"<p><em>{NOTE}</em> <i>{SERIES}</i></p>"
        f"<p><em>{NOTE}</em> and <em>{SERIES}</em></p></div>"
    )
    assert [italic_only(p) for p in tree.iter("p")] == [True, True, False]


def test_a_trailing_bio_set_line_by_line_in_emphasis_leaves_the_body() -> None:
    bio = f"<p><em>{NOTE}<br></em><em>{SERIES}</em></p>"
    text = text_of(article(after=bio))
    assert NOTE not in text and SERIES not in text
    assert text.splitlines()[-1] == PARAGRAPHS[-1]
