"""A "Related <kind>" heading alone on its line (the site's other recipes, videos, guides) is
a teaser heading (boilerplate.TEASER_HEADINGS); a sentence that opens with the same words stays."""

from __future__ import annotations

import pytest

from newsdesk.extract.boilerplate import BoilerplateKind, boilerplate_kind


@pytest.mark.parametrize(
    "block",
    [
        "Related Recipes",
        "Related recipes:",
        "RELATED VIDEOS",
        "Related content",
        "Related reading »",
        "Related guides",
        "Related products: Harbour ferry timetable",
    ],
)
def test_related_headings_are_teasers(block: str) -> None:
    assert boilerplate_kind(block) is BoilerplateKind.TEASER


@pytest.mark.parametrize(
    "block",
    [
        "Related recipes from the island's bakeries were sold out by noon on Saturday.",
        "Related news reached the harbour board only after the vote.",
        "Recipes",
    ],
)
def test_sentences_with_the_same_words_stay(block: str) -> None:
    assert boilerplate_kind(block) is None
