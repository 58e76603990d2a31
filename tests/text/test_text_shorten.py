"""One way to shorten a text for a teaser, a digest line or a meta description: whole when it
fits, else cut at a word boundary with "…" and no punctuation left dangling before it."""

from __future__ import annotations

import pytest

from newsdesk.text.normalize import shorten


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("Spares, with work in Andover, Massachusetts.", 30, "Spares, with work in Andover…"),
        (
            "The administration considers strategic, it said.",
            42,
            "The administration considers strategic…",
        ),
        ("Prices: up; volumes: down", 13, "Prices: up…"),
        ("Wait — then go", 7, "Wait…"),
        ("Short enough.", 13, "Short enough."),
        ("Oneverylongwordwithoutspaces", 10, "Oneverylo…"),
        ("", 5, ""),
    ],
)
def test_a_text_is_cut_at_a_word_with_nothing_dangling(
    text: str, limit: int, expected: str
) -> None:
    shortened = shorten(text, limit)
    assert shortened == expected
    assert len(shortened) <= limit


def test_the_site_teasers_use_it() -> None:
    from newsdesk.publish.web import SiteOptions
    from newsdesk.publish.web.templating import build_environment

    environment = build_environment(SiteOptions())
    template = environment.from_string("{{ text | shorten(30) }}")
    assert template.render(text="Spares, with work in Andover, Massachusetts & more.") == (
        "Spares, with work in Andover…"
    )
    assert template.render(text="Rio <Tinto> & BHP") == "Rio &lt;Tinto&gt; &amp; BHP"
