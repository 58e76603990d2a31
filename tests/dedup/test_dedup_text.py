"""Text normalisation, content hash and shingles."""

from __future__ import annotations

import hashlib
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.dedup import content_hash, shingles
from newsdesk.dedup.text import words
from newsdesk.text.normalize import normalize_text


def test_normalize_text_folds_typography_case_and_whitespace() -> None:
    raw = "  “Oil’s  RISE” —\u00a0a\u200b ﬁrst\tlook\n\nat ＯＰＥＣ  "
    assert normalize_text(raw) == '"oil\'s rise" - a first look at opec'


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_normalize_text_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


def test_content_hash_equal_for_copies_differing_only_in_layout() -> None:
    a = content_hash("Headline", "Oil rose on Monday.\n\nTraders said…")
    b = content_hash("Another headline", "  OIL rose on Monday.   Traders said...  ")
    assert a == b
    assert len(a) == 64
    assert int(a, 16) >= 0


def test_content_hash_differs_when_words_differ() -> None:
    assert content_hash(None, "Oil rose on Monday.") != content_hash(None, "Oil fell on Monday.")


def test_title_breaks_the_tie_only_for_empty_bodies() -> None:
    assert content_hash("Oil rises", "") != content_hash("Gold falls", "")
    assert content_hash("Oil rises", "  ") == content_hash("oil  RISES", "")
    # a body never collides with a title of the same words
    assert content_hash(None, "oil rises") != content_hash("oil rises", "")
    assert content_hash(None, "") == content_hash("", "   ")


def test_shingles() -> None:
    assert shingles("The oil price, the OIL price!", 2) == {
        "the oil",
        "oil price",
        "price the",
    }
    assert shingles("Two words", 3) == {"two words"}
    assert shingles(" ... ", 3) == set()
    with pytest.raises(ValueError, match="at least 1"):
        shingles("text", 0)


@pytest.mark.parametrize("k", [1, 2, 3, 5])
@pytest.mark.parametrize(
    "text",
    [
        "",
        "one",
        "one two",
        "one two three",
        "a b a b a b",
        "x y z " * 50,
        "日本語 の テキスト and more",
    ],
)
def test_shingles_are_every_window_of_k_words(text: str, k: int) -> None:
    found = words(text)
    if len(found) < k:
        expected = {" ".join(found)} if found else set()
    else:
        expected = {" ".join(found[i : i + k]) for i in range(len(found) - k + 1)}
    assert shingles(text, k) == expected


def test_normalised_text_memo_is_bounded_and_transparent() -> None:
    from newsdesk.dedup import text as dedup_text

    assert dedup_text._normalized.cache_info().maxsize == 4
    samples = [f"Text\u00a0number {i}, “quoted” — ＦＵＬＬ" for i in range(10)]
    for sample in samples * 2:  # more texts than the memo holds, each read twice
        expected = normalize_text(sample)
        assert dedup_text.words(sample) == re.findall(r"\w+", expected)
        digest = hashlib.sha256(f"text\x00{expected}".encode()).hexdigest()
        assert content_hash("t", sample) == digest
    assert dedup_text._normalized.cache_info().currsize <= 4
