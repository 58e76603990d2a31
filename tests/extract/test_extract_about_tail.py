"""A press release's or a series' closing "About <organisation>" blurb leaves the body: an
"About" heading among the body's last blocks takes itself and what follows it, as does a last
block whose first line (before a `<br>`) is such a heading (`cleanup._about_tail`). The same
heading inside the story, a long tail after it, a sentence that opens with "Über" and a block
that is only the heading stay."""

from __future__ import annotations

import pytest

from article_paragraphs import PARAGRAPHS
from newsdesk.extract import ExtractOptions, extract_article
from newsdesk.extract.boilerplate import about_heading

URL = "https://example.org/news/harbour"
BLURB = (
    "The Harbour Trust is the association of the region's port operators. It represents about "
    "forty members before the city, the state and the federal authorities."
)


def page(blocks: list[str]) -> bytes:
    body = "".join(f"<p>{block}</p>" for block in blocks)
    return (
        "<html><head><title>Harbour</title></head><body><article><h1>Harbour</h1>"
        f"<div class='article-content'>{body}</div></article></body></html>"
    ).encode()


def lines(html: bytes) -> list[str]:
    return extract_article(html, url=URL, options=ExtractOptions()).text.splitlines()


def test_an_about_heading_and_its_blurb_at_the_end_leave() -> None:
    assert lines(page([*PARAGRAPHS, "<strong>About the Harbour Trust</strong>", BLURB])) == (
        PARAGRAPHS
    )


@pytest.mark.parametrize(
    "heading", ["Über den NÖ Jagdverband", "<strong>Über diese Reihe</strong>"]
)
def test_a_last_block_opening_with_an_about_line_leaves(heading: str) -> None:
    assert lines(page([*PARAGRAPHS, f"{heading}<br>{BLURB}"])) == PARAGRAPHS


def test_the_heading_inside_the_story_stays() -> None:
    blocks = [*PARAGRAPHS[:2], "<strong>About the Harbour Trust</strong>", BLURB, *PARAGRAPHS[2:]]
    kept = lines(page(blocks))
    assert "About the Harbour Trust" in kept and BLURB in kept


def test_a_long_section_after_the_heading_stays() -> None:
    blocks = [*PARAGRAPHS[:3], "<strong>Über die Zukunft des Hafens</strong>", *PARAGRAPHS[3:]]
    assert "Über die Zukunft des Hafens" in lines(page(blocks))


def test_a_closing_sentence_opening_with_ueber_stays() -> None:
    ending = "Über 500 Menschen kamen am Abend zur Einweihung.<br>Der Bürgermeister sprach."
    assert "Über 500 Menschen kamen am Abend zur Einweihung." in lines(page([*PARAGRAPHS, ending]))


def test_a_last_block_that_is_only_the_heading_stays() -> None:
    assert lines(page([*PARAGRAPHS, "Über den Hafen"]))[-1] == "Über den Hafen"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Über den NÖ Jagdverband", True),
        ("About Acme Energy", True),
        ("Acerca de la fundación:", True),
        ("Über 500 Menschen", False),
        ("über den Hafen", False),
        ("About a year later the port reopened.", False),
        ("Über die Studie hinaus sagte er, dass", False),
        ("", False),
    ],
)
def test_about_heading(text: str, expected: bool) -> None:
    assert about_heading(text) is expected
