"""The pure parts of search: query words, folding, HTML-safe highlighting and snippets."""

from __future__ import annotations

import pytest

from newsdesk.store.search_repo import (
    MAX_QUERY_CHARS,
    MAX_TERMS,
    fold,
    highlight,
    query_terms,
    snippet_window,
)


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("Copper prices", ("copper", "prices")),
        ('"copper" AND NOT (zinc*)', ("copper", "and", "not", "zinc")),
        ("NEAR(a b, 5)", ("near", "a", "b", "5")),
        ("copper copper COPPER", ("copper",)),
        ('"*^()-+:', ()),
        ("", ()),
        ("Zürich café", ("zürich", "café")),
        ("___", ()),
    ],
)
def test_query_words(query: str, terms: tuple[str, ...]) -> None:
    assert query_terms(query)[0] == terms


def test_long_queries_are_cut_on_a_word_boundary_with_a_notice() -> None:
    terms, notice = query_terms("nickel " * 2000)
    assert terms == ("nickel",) and notice is not None and str(MAX_QUERY_CHARS) in notice
    terms, notice = query_terms("a" * (MAX_QUERY_CHARS - 1) + "bcdef")
    assert terms == () and notice is not None  # the one word was longer than a term may be
    terms, notice = query_terms(" ".join(f"w{n}" for n in range(30)))
    assert len(terms) == MAX_TERMS and notice is not None and str(MAX_TERMS) in notice


@pytest.mark.parametrize(
    ("word", "folded"),
    [
        ("Prices", "pric"),
        ("mining", "min"),
        ("Café", "cafe"),
        ("tariffs", "tariff"),
        ("oil", "oil"),
    ],
)
def test_fold(word: str, folded: str) -> None:
    assert fold(word) == folded


def test_highlight_escapes_everything_then_marks_words() -> None:
    text = '<b onclick="x()">Copper</b> & coppers rose; "copperplate" too'
    assert highlight(text, ["copper"]) == (
        "&lt;b onclick=&quot;x()&quot;&gt;<mark>Copper</mark>&lt;/b&gt; &amp; "
        "<mark>coppers</mark> rose; &quot;<mark>copperplate</mark>&quot; too"
    )
    assert (
        highlight("<mark>x</mark>", ["mark"])
        == "&lt;<mark>mark</mark>&gt;x&lt;/<mark>mark</mark>&gt;"
    )
    assert highlight("no match here", ["zinc"]) == "no match here"


def test_snippet_centres_on_the_first_match() -> None:
    text = " ".join(["filler"] * 200 + ["lithium", "demand", "rose"] + ["tail"] * 200)
    snippet = snippet_window(text, ["lithium"])
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert "lithium demand rose" in snippet
    assert len(snippet) < 260
    assert snippet_window("short text", ["zinc"]) == "short text"
