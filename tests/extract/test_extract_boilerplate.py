"""Boilerplate blocks are recognised; article sentences that look a bit like them are kept."""

from __future__ import annotations

import pytest
from lxml import etree

from newsdesk.extract.boilerplate import BoilerplateKind, boilerplate_kind
from newsdesk.extract.cleanup import TRAFILATURA_BLOCKS, remove_boilerplate


@pytest.mark.parametrize(
    ("block", "kind"),
    [
        ("Read more insights", BoilerplateKind.TEASER),
        ("Read more: Oil majors cut spending", BoilerplateKind.TEASER),
        ("Lesen Sie auch: Die Inflation sinkt", BoilerplateKind.TEASER),
        ("Related articles", BoilerplateKind.TEASER),
        ("Sign up for Top Insights Today", BoilerplateKind.PROMO),
        ("Top Insights Today delivers the latest insights straight to your inbox.",
         BoilerplateKind.PROMO),
        ("By clicking subscribe you agree to our privacy policy.", BoilerplateKind.PROMO),
        ("Subscribe to our newsletter", BoilerplateKind.PROMO),
        ("Elevate your business with QU4TRO PRO!", BoilerplateKind.PROMO),
        ("error: Content is protected !!", BoilerplateKind.NOTICE),
        ("This website uses cookies to improve your experience.", BoilerplateKind.NOTICE),
        ("Share on Facebook", BoilerplateKind.SHARE),
        ("Facebook Twitter LinkedIn Email", BoilerplateKind.SHARE),
        ("© 2024 Daily Planet. All rights reserved.", BoilerplateKind.CREDIT),
        ("Photo: Jane Doe/Reuters", BoilerplateKind.CREDIT),
        ("The new terminal at dusk. © AFP / John Smith", BoilerplateKind.CREDIT),
        ("Leave a comment", BoilerplateKind.COMMENTS),
        ("12 Comments", BoilerplateKind.COMMENTS),
        ("About the author", BoilerplateKind.AUTHOR_BOX),
        ("View all posts by Maria Lopez", BoilerplateKind.AUTHOR_BOX),
        ("March 5, 2024", BoilerplateKind.BYLINE),
        ("19.10.2019 07:49 Uhr", BoilerplateKind.BYLINE),
        ("Category: Energy", BoilerplateKind.BYLINE),
        ("24. März 2004, 19:49 | Genesis", BoilerplateKind.BYLINE),
        ("11.09.2011, 16:20 von jovelstefan", BoilerplateKind.BYLINE),
        ("Erstellt von Fabian am Dienstag 6. Mai 2014", BoilerplateKind.BYLINE),
        ("vom Krimiblogger", BoilerplateKind.BYLINE),
        ("By Staff Reporter", BoilerplateKind.BYLINE),
        ("Stand: 28.04.2020 18:00 Uhr", BoilerplateKind.BYLINE),
        ("Abgelegt unter: Lesenswert, Literatur", BoilerplateKind.BYLINE),
    ],
)  # fmt: skip
def test_boilerplate_blocks_are_recognised(block: str, kind: BoilerplateKind) -> None:
    assert boilerplate_kind(block) is kind


@pytest.mark.parametrize(
    "block",
    [
        "The company said its newsletter reached two million readers last year.",
        "Readers who signed up for the trial saw prices rise by 20% in March.",
        "Copper prices rose 3% on Monday, the biggest gain since 2021.",
        "Related party transactions were reviewed by the auditors in detail before the vote.",
        "In 2019 the cookie maker sold its European plants to a rival for $1.2 billion.",
        "Share prices fell sharply after the announcement.",
        "- Werbung neuer Mitglieder",
        "By the end of the year the mine will ship 40,000 tonnes of ore to the coast.",
        "Von der Leyen said the talks would resume in May.",
        "March 5, 2024 - the day the deal closed - was a Tuesday, and markets rose by 2%.",
        "2024 was the hottest year on record, the agency said, and 2025 may be hotter still.",
        "",
        "Sign up for " + "a very long paragraph that goes on " * 10,
    ],
)
def test_article_sentences_are_not_boilerplate(block: str) -> None:
    assert boilerplate_kind(block) is None


def test_remove_boilerplate_keeps_text_and_cuts_the_teaser_tail() -> None:
    paragraphs = "".join(
        f"<p>Paragraph {i} of the article about the copper smelter and its new furnace.</p>"
        for i in range(8)
    )
    body = etree.fromstring(
        "<body><p>Photo: Jane Doe</p>" + paragraphs + "<p>Share on Facebook</p>"
        "<p>The plant will open in May, the company said.</p>"
        "<head>Read more insights</head><p>Another story about something else</p>"
        "<list><item>And another teaser</item></list></body>"
    )
    removed = remove_boilerplate(body, TRAFILATURA_BLOCKS)
    text = " ".join(body.itertext())
    assert "Paragraph 0" in text and "Paragraph 7" in text and "open in May" in text
    for gone in ("Photo:", "Share on", "Read more", "Another story", "another teaser"):
        assert gone not in text
    assert [kind for kind, _ in removed][:2] == [BoilerplateKind.CREDIT, BoilerplateKind.SHARE]
    assert body.find("list") is None


def test_an_early_teaser_heading_does_not_cut_the_article() -> None:
    body = etree.fromstring(
        "<body><p>Read more: Earlier coverage</p>"
        + "<p>The board approved the merger after a long debate about the price.</p>" * 5
        + "</body>"
    )
    remove_boilerplate(body, TRAFILATURA_BLOCKS)
    assert len(body.findall("p")) == 5
