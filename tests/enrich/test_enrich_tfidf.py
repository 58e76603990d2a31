"""TF-IDF terms and vectors on hostile inputs (enrich/tfidf.py); related ranking over them is
tested in test_enrich_related.py."""

from __future__ import annotations

import math
from collections import Counter

from newsdesk.enrich.tfidf import (
    MAX_TEXT_CHARS,
    _clipped,
    build_tfidf,
    term_counts,
    terms,
)
from newsdesk.text.normalize import strip_markup, tokens

HOSTILE_TEXTS = [
    "",
    "word",
    "ALL CAPS: COPPER PRICES RISE, COPPER MINES SHUT",
    "\t  spaced \u00a0 out\r\n\n  lines\u2003words\u3000here  ",
    "Goo\u200bgle said\u00ad so\ufeff",
    "日本与纳米比亚签署了稀土勘探协议。 and of the",
    "<b>Acme</b> &amp; co <!-- note --> &lt;ACME.N&gt;",
    "copper mine " * 2500,  # beyond MAX_TEXT_CHARS
    ("x" * 19_998) + " copper",
    ("x" * 19_999) + " copper",
]


def test_text_without_markup_reads_the_same_words_unstripped() -> None:
    for text in HOSTILE_TEXTS:
        reference = strip_markup(text[: MAX_TEXT_CHARS + 1000])[:MAX_TEXT_CHARS]
        assert tokens(_clipped(text)) == tokens(reference)


def test_term_counts_are_the_counted_terms_in_first_seen_order() -> None:
    for text in HOSTILE_TEXTS:
        assert list(term_counts(text).items()) == list(Counter(terms(text)).items())


def test_vector_keeps_the_heaviest_terms_ties_by_term() -> None:
    texts = [f"t{i:02d}a common words here" for i in range(60)]
    space = build_tfidf(texts, max_terms=48)
    text = " ".join(f"t{i:02d}a" for i in reversed(range(60)))  # 60 equally weighted terms
    vector = space.vector(text)
    assert list(vector) == [f"t{i:02d}a" for i in range(48)]
    assert math.isclose(sum(w * w for w in vector.values()), 1.0)
    assert space.vector("") == {}
    assert space.vector("the of and 2024 a") == {}


def test_vector_weighs_repeated_and_rare_terms_more() -> None:
    space = build_tfidf(["copper price", "copper mine", "gold price"])
    vector = space.vector("Copper copper COPPERS gold")
    assert set(vector) == {"copper", "gold"}
    assert vector["copper"] > vector["gold"]
