"""A paywall's truncation notice ("To view the full story, please subscribe …") ends the story
shown on the page: it and the subscription pitch after it leave the body
(`cleanup.remove_boilerplate`, `boilerplate.paywall_notice`). A notice before any text, a
sentence that mentions subscribers, and a newsletter call inside the story do not cut."""

from __future__ import annotations

import pytest

from article_paragraphs import PARAGRAPHS, article_page
from newsdesk.extract import ExtractOptions, extract_article
from newsdesk.extract.boilerplate import paywall_notice

URL = "https://example.org/news/harbour"
NOTICE = (
    "To view the full story, please subscribe to The Harbour Times. You can choose an annual "
    "subscription or a weekly pass."
)
PITCH = [
    "When you join The Harbour Times family, you get unlimited digital access to journalism "
    "about the coast that you will not find anywhere else, from the council to the quays.",
    "Join now or renew to get:",
    "— Instant access to one-of-a-kind stories and special reports",
    "— Membership merch, perks and special invitations",
]


def page(blocks: list[str]) -> bytes:
    return article_page(blocks, title="Harbour").encode()


def lines(html: bytes) -> list[str]:
    return extract_article(html, url=URL, options=ExtractOptions()).text.splitlines()


def test_the_notice_and_the_pitch_after_it_leave() -> None:
    assert lines(page([*PARAGRAPHS[:3], NOTICE, *PITCH])) == PARAGRAPHS[:3]


def test_a_sentence_about_subscribers_does_not_cut() -> None:
    sentence = "The port authority said subscribers to its alerts would hear of the closure first."
    kept = lines(page([*PARAGRAPHS[:3], sentence, *PARAGRAPHS[3:]]))
    assert sentence in kept and PARAGRAPHS[-1] in kept


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (NOTICE, True),
        ("To read the rest of this article, log in or subscribe.", True),
        ("Um den vollständigen Artikel zu lesen, schließen Sie ein Abo ab.", True),
        ("Subscribe to our newsletter for the week's harbour news.", False),
        ("If you're already a subscriber, you can log in for immediate access.", False),
        ("To view the harbour from the quay, visitors must register at the gate.", False),
    ],
)
def test_paywall_notice(text: str, expected: bool) -> None:
    assert paywall_notice(text) is expected
