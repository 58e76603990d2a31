"""strip_invisible: the characters a reader never sees go, everything else stays."""

from __future__ import annotations

import pytest

from newsdesk.text.normalize import INVISIBLE_CHARACTERS, normalize_text, strip_invisible, tokens


@pytest.mark.parametrize("character", list(INVISIBLE_CHARACTERS))
def test_each_invisible_character_inside_a_word_goes(character: str) -> None:
    assert strip_invisible(f"Mat{character}thi{character}as") == "Matthias"
    assert tokens(strip_invisible(f"Mat{character}thi{character}as")) == ["Matthias"]


def test_without_it_a_soft_hyphen_splits_the_word_for_tokens() -> None:
    # Why the furniture patterns need the stripped form: \w does not match U+00AD.
    assert tokens("Mat\u00adthi\u00adas") == ["Mat", "thi", "as"]


def test_a_line_of_only_invisible_characters_becomes_empty() -> None:
    assert strip_invisible("\u00ad" * 1000) == ""
    assert strip_invisible(INVISIBLE_CHARACTERS * 50) == ""
    assert strip_invisible("") == ""


def test_visible_text_and_spaces_are_left_alone() -> None:
    text = "Совет гавани\u00a0— 港口委员会 ‘quoted’ - e\u0301 \t\n end"
    assert strip_invisible(text) == text
    assert strip_invisible("Ha\u00adfen\u00a0Kiel") == "Hafen\u00a0Kiel"  # NBSP is a space


def test_cyrillic_and_cjk_with_zero_width_characters() -> None:
    assert strip_invisible("Мос\u200bква") == "Москва"
    assert strip_invisible("港口\u200b委员会\u2060") == "港口委员会"


def test_a_huge_line() -> None:
    line = "Ha\u00adfen\u200b " * 100_000
    assert strip_invisible(line) == "Hafen " * 100_000


def test_normalize_text_drops_the_same_characters() -> None:
    assert normalize_text(f"A{INVISIBLE_CHARACTERS}B") == "ab"
