"""Text preparation for the classifiers: markup stripping, tokens and folding."""

from __future__ import annotations

from newsdesk.enrich.sectors.text_prep import prepare_text
from newsdesk.text.normalize import fold, strip_markup, tokens


def test_strip_markup_removes_tags_scripts_comments_and_entities() -> None:
    html = (
        '<div class="x"><h1>Oil &amp; gas</h1><script>var a = "<b>";</script>'
        "<!-- hidden --><p>Crude&nbsp;rises</p><style>p{}</style></div>"
    )
    assert strip_markup(html) == "Oil & gas Crude rises"


def test_strip_markup_keeps_comparisons_that_are_not_tags() -> None:
    assert strip_markup("profit < 5 and > 3") == "profit < 5 and > 3"


def test_prepare_text_caps_the_text() -> None:
    title, text = prepare_text("<b>T</b>", "word " * 10_000, max_chars=1000)
    assert title == "T"
    assert len(text) <= 1000


def test_tokens_and_fold() -> None:
    assert tokens("Lithium-ion cells, OPEC+ and U.S. crude") == [
        "Lithium",
        "ion",
        "cells",
        "OPEC",
        "and",
        "U",
        "S",
        "crude",
    ]
    assert [fold(w) for w in ("Barrels", "gas", "Glass", "Erdöl")] == [
        "barrel",
        "gas",
        "glass",
        "erdöl",
    ]
