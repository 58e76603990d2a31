"""Text preparation for the classifiers: markup stripping, folding, language detection."""

from __future__ import annotations

import pytest

from newsdesk.enrich.text_prep import detect_language, fold, prepare_text, strip_markup, tokens


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The company said on Monday that it would cut the price of its crude oil exports.", "en"),
        (
            "Die Regierung hat am Montag mitgeteilt, dass sie die Steuern für Unternehmen nicht "
            "erhöhen wird.",
            "de",
        ),
        (
            "Le gouvernement a annoncé lundi que les impôts des entreprises ne seront pas "
            "augmentés cette année.",
            "fr",
        ),
        (
            "El gobierno anunció el lunes que los impuestos de las empresas no subirán este año "
            "por la crisis.",
            "es",
        ),
        (
            "Il governo ha annunciato lunedì che le tasse per le imprese non saranno aumentate "
            "quest'anno.",
            "it",
        ),
        ("Oil up", None),
        ("", None),
        ("Правительство обсудило новый план для школ и больниц в понедельник утром сегодня.", None),
    ],
)
def test_detect_language(text: str, language: str | None) -> None:
    assert detect_language(text) == language


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
