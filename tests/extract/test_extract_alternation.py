"""A joined rule split into its alternatives answers exactly as one search of the whole does."""

from __future__ import annotations

import re

import pytest

from newsdesk.extract import boilerplate
from newsdesk.extract.alternation import AnyOf, required_starts, top_level_alternatives

SOURCES = (
    [pattern for _, pattern in boilerplate.RULE_PATTERNS]
    + [pattern for _, pattern in boilerplate.LONG_PATTERNS]
    + list(boilerplate.PROMO_PATTERNS)
    + list(boilerplate.NOTICE_PATTERNS)
    + list(boilerplate.CREDIT_PATTERNS)
    + list(boilerplate.BYLINE_PATTERNS)
)


@pytest.mark.parametrize(
    ("pattern", "parts"),
    [
        ("a|(b|c)|d", ["a", "(b|c)", "d"]),
        (r"[|]|\||x", ["[|]", r"\|", "x"]),
        ("[]|]|y", ["[]|]", "y"]),
        ("[^]|]|z", ["[^]|]", "z"]),
        (r"(?:[(|]|\))|w", [r"(?:[(|]|\))", "w"]),
        ("^a(?=b|c)|d", ["^a(?=b|c)", "d"]),
        ("solo", ["solo"]),
    ],
)
def test_top_level_alternatives_split_only_at_the_top(pattern: str, parts: list[str]) -> None:
    assert top_level_alternatives(pattern) == parts


@pytest.mark.parametrize("pattern", SOURCES)
def test_splitting_every_rule_source_is_lossless(pattern: str) -> None:
    parts = top_level_alternatives(pattern)
    assert "|".join(parts) == pattern
    for part in parts:
        re.compile(part)  # each alternative is a pattern of its own: no group was cut


@pytest.mark.parametrize(
    ("alternative", "starts"),
    [
        (r"newsletter\b.*\binbox", ("newsletter",)),
        (r"\bfree\s+sign\s+up\b", ("free",)),
        (r"(?:rss|feed)\S*\s+abonnieren", ("rss", "feed")),
        (r"(?:delivers?|straight|directly)\b.*\binbox", ("deliver", "straight", "directly")),
        ("affiliate\\s+links?\\s*\\)?$", ("affiliate",)),
        (r"abc?d", ("ab",)),
        (r"(?:a|b)?c", ()),
        (r"(?:a|\bb)+c", ()),
        (r"(?:\.{3}|…)\s*more", ()),
        (r"\((?:fotos?|photos?)\s*:", ()),
        (r"[ab]c", ()),
    ],
)
def test_required_starts_are_what_every_match_begins_with(
    alternative: str, starts: tuple[str, ...]
) -> None:
    assert required_starts(alternative) == starts


TEXTS = [
    "",
    "sign up",
    "sign-up successful!",
    "we deliver the news to your inbox",
    "the courier delivered it straight away",
    "please subscribe now",
    "to read this story, become a subscriber",
    "the road to the tower was closed",
    "rss-feed abonnieren",
    "im abo mit e-paper",
    "wir finanzieren uns durch spenden",
    "photo: reuters",
    "the scene (foto: dpa)",
    "all rights reserved",
    "© 2024 acme",
    "text ending © acme corp",
    "share this",
    "share: on twitter",
    "facebook twitter linkedin",
    "view all comments",
    "12 kommentare",
    "about the author",
    "kontakt:",
    "12.03.2024, 10:30",
    "march 4, 2024 by jane doe",
    "this post contains affiliate links",
    "we may earn a commission when you buy",
    "diese seite nutzt cookies für die navigation. mit der nutzung stimmen sie zu",
    "listen to this article 4 min",
    "sie verwenden einen veralteten browser",
    "jetzt unterstützen!",
    "apoie o jornalismo",
    "written permission must be obtained to reprint",
    "the minister said on tuesday that the talks would resume",
    "…read more",
    "the board met on monday... mehr",
]


@pytest.mark.parametrize(("kind", "pattern"), boilerplate.RULE_PATTERNS + boilerplate.LONG_PATTERNS)
def test_compiled_rules_answer_as_one_search(
    kind: boilerplate.BoilerplateKind, pattern: str
) -> None:
    compiled = AnyOf(pattern)
    whole = re.compile(pattern)
    for text in TEXTS:
        expected = whole.search(text) is not None
        assert compiled.search(text) is expected, (kind, text)
        assert bool(compiled.finder(text)) is expected, (kind, text)


def test_the_sample_texts_hit_rules() -> None:
    hits = sum(
        1 for _, pattern in boilerplate.RULE_PATTERNS for text in TEXTS if re.search(pattern, text)
    )
    assert hits >= 25  # the equivalence above is tested on matches, not only on misses
