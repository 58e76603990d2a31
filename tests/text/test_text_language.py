"""Language tags and the one language detector: a language when the text tells, else None."""

from __future__ import annotations

import subprocess
import sys

import pytest

from newsdesk.text.language import detect_language, normalize_language


def test_language_tags() -> None:
    assert normalize_language("en-US") == "en"
    assert normalize_language("pt_BR") == "pt"
    assert normalize_language("EN") == "en"
    assert normalize_language("not a tag!") is None
    assert normalize_language(None) is None


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
        # languages the stop-word detectors did not know are told too
        ("Правительство обсудило новый план для школ и больниц в понедельник утром сегодня.", "ru"),
        ("日本はナミビアと協定を結んだ。探査は三年間続く。", "ja"),
        (
            "Die Regierung hat am Montag beschlossen, dass die Preise für das Gas "
            "nicht weiter steigen sollen, und die Opposition ist dagegen.",
            "de",
        ),
        (
            "The government said on Monday that the prices of gas would not rise "
            "any further and that the opposition was against it.",
            "en",
        ),
        # a headline is enough
        ("Bundesregierung senkt die Stromsteuer für Unternehmen", "de"),
        # no words, or too few to tell
        ("12 34 56", None),
        ("Copper smelter", None),
    ],
)
def test_detect_language(text: str, language: str | None) -> None:
    assert detect_language(text) == language


def test_a_text_that_is_not_language_gets_none() -> None:
    assert detect_language("3.5% 74.89 $1,234 -- ** // 2024-01-02") is None
    assert detect_language("\x00" * 50) is None


def test_importing_the_text_layer_does_not_load_the_model() -> None:
    code = (
        "import sys, newsdesk.text.language, newsdesk.text.sentences, newsdesk.text.numbers, "
        "newsdesk.text.normalize; print('py3langid' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
