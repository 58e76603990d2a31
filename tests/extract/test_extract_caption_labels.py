"""Issue 16 (i16fb7): a caption that names the picture it belongs to ("Header image: …",
"Auf dem Foto zu sehen: …"), seen on the seventh full-body tuning draw inside news bodies, is
a credit line; article sentences about a picture stay."""

from __future__ import annotations

import pytest

from article_paragraphs import PARAGRAPHS, article_page
from newsdesk.extract import ExtractOptions, extract_article
from newsdesk.extract.boilerplate import BoilerplateKind, boilerplate_kind

HEADER_CAPTION = (
    "Header Image: Dock workers have loaded ships at the old quay for two hundred years, "
    "including the crane shown here. Credit: Jane Doe/Harbour Archive (CC BY-NC-ND 2.0)"
)
PHOTO_CAPTION = (
    "Auf dem Foto zu sehen: Die neue Hafenmeisterin mit dem Vorsitzenden des Vereins links "
    "und seinem Stellvertreter rechts."
)


@pytest.mark.parametrize(
    "block",
    [
        HEADER_CAPTION,
        PHOTO_CAPTION,
        "Featured image: the harbour at dawn.",
        "Top photo: cranes at the container terminal (Harbour Archive)",
        "Auf dem Bild: Der neue Kran am Westkai.",
    ],
)
def test_captions_that_name_their_picture_are_credits(block: str) -> None:
    assert boilerplate_kind(block) is BoilerplateKind.CREDIT


@pytest.mark.parametrize(
    "block",
    [
        "The header image of the campaign showed a crane, and the port authority objected.",
        "Auf dem Foto ist die Hafenmeisterin neben dem Kran zu sehen, sagte der Sprecher.",
        "Top officials met at the harbour: the mayor, the port director and two ministers.",
        "Lead image rights were sold to the agency in 2019, the report says.",
    ],
)
def test_article_sentences_about_a_picture_stay(block: str) -> None:
    assert boilerplate_kind(block) is None


def test_the_captions_inside_a_body_leave_the_extracted_text() -> None:
    paragraphs = [*PARAGRAPHS[:2], PHOTO_CAPTION, *PARAGRAPHS[2:], HEADER_CAPTION]
    text = extract_article(article_page(paragraphs), url=None, options=ExtractOptions()).text
    assert PARAGRAPHS[0] in text and PARAGRAPHS[-1] in text
    assert "Auf dem Foto zu sehen" not in text and "Header Image" not in text
