"""The shouting-text test of event features: the ASCII fast path counts as the per-character
definition does."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsdesk.dedup.event_features import _mostly_upper, story_feature_counts


def _by_character(words: list[str]) -> bool:
    joined = "".join(words)
    letters = sum(map(str.isalpha, joined))
    return letters > 0 and sum(map(str.isupper, joined)) > 0.6 * letters


@pytest.mark.parametrize(
    "words",
    [
        [],
        [""],
        ["123", "4.5"],
        ["THE", "FEDERAL", "RESERVE", "said"],
        ["The", "Federal", "Reserve", "said"],
        ["ABC", "de", "FG"],  # 5 of 7 letters upper: above 0.6
        ["ABc", "de"],  # 2 of 5
        ["U.S.", "O'Neill", "al-Sabah", "AT&T"],
        ["ÉLECTRICITÉ", "DE", "FRANCE"],
        ["Électricité", "de", "France"],
        ["中国", "ASML"],
        ["ǅemal", "Ǉubljana", "ﬁrm"],
        ["Goo\u200bgle", "INC\u00ad"],
        ["A" * 3, "b" * 2],  # exactly 0.6 is not above
    ],
)
def test_mostly_upper_matches_the_per_character_count(words: list[str]) -> None:
    assert _mostly_upper(words) is _by_character(words)


@given(st.lists(st.text(alphabet=st.characters(max_codepoint=0x7F)) | st.text()))
def test_mostly_upper_matches_on_any_words(words: list[str]) -> None:
    assert _mostly_upper(words) is _by_character(words)


def test_shouting_text_still_yields_no_names() -> None:
    counts = story_feature_counts("", "THE FEDERAL RESERVE SAID ON TUESDAY IT WOULD RAISE RATES.")
    assert not [key for key in counts if key.startswith("e:")]
    counts = story_feature_counts("", "The Federal Reserve said on Tuesday it would raise rates.")
    assert "e:feder" in counts
