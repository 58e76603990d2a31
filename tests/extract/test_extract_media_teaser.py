"""An embedded video's or gallery's title line above its player ("VIDEO: <title>", "WATCH:
<title>", "Bildergalerie: <title>") is a teaser (boilerplate.MEDIA_TEASER); a sentence that
starts with the same word, or a label followed by a sentence, stays."""

from __future__ import annotations

import pytest

from newsdesk.extract.boilerplate import BoilerplateKind, boilerplate_kind


@pytest.mark.parametrize(
    "block",
    [
        "VIDEO: The Harbour Ferry's First Winter Crossing",
        "Watch: ferry leaves the harbour at dawn",
        "PHOTOS: The new pier from above",
        "Gallery: ten years of the island ferry",
        "Bildergalerie: Die neue Fähre (2022) im Hafen",
        "Video:Harbour board vote",
    ],
)
def test_media_title_lines_are_teasers(block: str) -> None:
    assert boilerplate_kind(block) is BoilerplateKind.TEASER


@pytest.mark.parametrize(
    "block",
    [
        "Video footage shows the ferry leaving the harbour at dawn.",
        "Watch: the board will vote again next week, the mayor said.",
        "Videos of the crossing were shared widely on Tuesday",
        "VIDEO:",
        "The video: a ferry leaves the harbour",
    ],
)
def test_sentences_and_bare_labels_stay(block: str) -> None:
    assert boilerplate_kind(block) is None
