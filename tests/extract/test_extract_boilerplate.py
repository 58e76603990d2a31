"""Boilerplate blocks are recognised; article sentences that look a bit like them are kept."""

from __future__ import annotations

import pytest
from lxml import etree

from newsdesk.extract import ExtractOptions, extract_article
from newsdesk.extract.boilerplate import MAX_BOILERPLATE_CHARS, BoilerplateKind, boilerplate_kind
from newsdesk.extract.cleanup import (
    TRAFILATURA_BLOCKS,
    heading_words,
    remove_boilerplate,
    remove_headline,
)


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
        ("Follow The Gleaner on Twitter and Instagram @JamaicaGleaner and on Facebook "
         "@GleanerJamaica. Send us a message on WhatsApp at 1-876-499-0169.",
         BoilerplateKind.SHARE),
        ("Facebook Twitter LinkedIn Email", BoilerplateKind.SHARE),
        ("© 2024 Daily Planet. All rights reserved.", BoilerplateKind.CREDIT),
        ("Photo: Jane Doe/Reuters", BoilerplateKind.CREDIT),
        ("The new terminal at dusk. © AFP / John Smith", BoilerplateKind.CREDIT),
        ("Kaieteur News – The Petroleum Commission is far more important than the Board of the "
         "Natural Resources Fund. Yet, the... more", BoilerplateKind.TEASER),
        ("Die Stadt plant einen neuen Park am Hafen … mehr", BoilerplateKind.TEASER),
        ("Hinweis: Sie verwenden einen Browser, der in all seiner Altertümlichkeit jenseits von "
         "Gut und Böse ist", BoilerplateKind.NOTICE),
        ("You are using an outdated browser. Please upgrade to improve your experience.",
         BoilerplateKind.NOTICE),
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
        "Sales fell... more than the analysts had expected, and the shares dropped 8%.",
        "He said the company would hire more... and then more.",
        "Most readers said they use a browser on their phone rather than the app.",
        "Follow the money on Twitter and you find the same three funds behind every bid.",
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


# Whole-paragraph furniture recognised beyond MAX_BOILERPLATE_CHARS (each one from a dev page).
@pytest.mark.parametrize(
    ("block", "kind"),
    [
        ("Wir verwenden Cookies, die unser Angebot nutzerfreundlicher, effektiver und sicherer "
         "machen. Durch die Nutzung unserer Dienste stimmen Sie der Verwendung von Cookies zu. "
         "Weitere Informationen finden Sie in unserer Datenschutzerklärung und im Impressum.",
         BoilerplateKind.NOTICE),
        ("We use cookies to give you the best experience on our website. By continuing to browse "
         "you agree to our use of cookies; you can change your settings at any time in the "
         "privacy centre, where each partner and purpose is listed with a switch of its own.",
         BoilerplateKind.NOTICE),
        ("This post contains references to products from one or more of our advertisers. We may "
         "receive compensation when you click on links to those products. Terms apply to the "
         "offers listed on this page, and the offers are not reviewed by the card issuers.",
         BoilerplateKind.PROMO),
        ("© 2022, BreakingBelizeNews.com. This article is the copyrighted property of Breaking "
         "Belize News. Written permission must be obtained before reprint in online or print "
         "media. REPRINTING CONTENT WITHOUT PERMISSION AND/OR PAYMENT IS THEFT.",
         BoilerplateKind.CREDIT),
    ],
)  # fmt: skip
def test_long_furniture_paragraphs_are_recognised(block: str, kind: BoilerplateKind) -> None:
    assert len(block) > MAX_BOILERPLATE_CHARS
    assert boilerplate_kind(block) is kind


# Article paragraphs as long, with the same words, stay.
@pytest.mark.parametrize(
    "block",
    [
        "Websites that use cookies must ask visitors to agree before tracking them, the court "
        "ruled on Monday, and the regulator said it would check the largest news sites first; "
        "publishers that ignore the ruling face fines of up to 4% of their annual turnover.",
        "We use cookies sparingly, the bakery's owner said of her recipes, and customers accept "
        "the higher prices because the butter and the chocolate come from farms nearby; sales "
        "rose by a fifth last year despite the shop being closed for most of January.",
        "Readers can subscribe to the newsletter or read more on the company's website, the "
        "spokesman said, but the board will not comment on the takeover talks until the "
        "shareholders have voted on the offer at the meeting in Frankfurt next month.",
        "Analysts said the company may earn a commission on each sale through its new platform, "
        "which would follow the model of its rivals on Twitter and Facebook, and expect the "
        "first revenue from it in the second half of the year, after the regulator's review.",
        "The deal needs the written permission of the regulator, which must approve any reprint "
        "of the licence terms, the ministry said; the two companies expect the approval by the "
        "end of the quarter and the first shipments from the new plant early next year.",
    ],
)
def test_long_article_paragraphs_are_not_boilerplate(block: str) -> None:
    assert len(block) > MAX_BOILERPLATE_CHARS
    assert boilerplate_kind(block) is None


def _body(*blocks: str) -> etree._Element:
    return etree.fromstring("<body>" + "".join(f"<p>{block}</p>" for block in blocks) + "</body>")


HEADLINE = "Copper smelter restarts after a month-long strike"
PARAGRAPH = "The smelter restarted on Monday after workers accepted a pay rise of 6%."


def test_a_leading_headline_is_removed_from_the_body() -> None:
    body = _body("Copper Smelter Restarts After a Month-Long Strike", PARAGRAPH, PARAGRAPH)
    removed = remove_headline(body, TRAFILATURA_BLOCKS, {heading_words(HEADLINE)})
    assert removed == "Copper Smelter Restarts After a Month-Long Strike"
    assert [p.text for p in body.findall("p")] == [PARAGRAPH, PARAGRAPH]


@pytest.mark.parametrize(
    "blocks",
    [
        (HEADLINE,),  # the headline alone: nothing else would be left
        (PARAGRAPH, HEADLINE),  # not at the top
        (HEADLINE + ", the company said on Monday.", PARAGRAPH),  # a sentence that starts with it
        ("Copper smelter restarts", PARAGRAPH),  # part of it only
    ],
)
def test_other_blocks_like_the_headline_are_kept(blocks: tuple[str, ...]) -> None:
    body = _body(*blocks)
    assert remove_headline(body, TRAFILATURA_BLOCKS, {heading_words(HEADLINE)}) is None
    assert [p.text for p in body.findall("p")] == list(blocks)


PAGE = (
    "<html><head><title>Smelter restarts | Daily Planet</title></head><body>"
    '<nav><a href="/">Home</a></nav><article><h1>Copper smelter restarts after strike</h1>'
    + "".join(
        f"<p>Paragraph {i}: the copper smelter at Kansanshi restarted on Monday after workers "
        "accepted a pay rise of six percent, the company said in a statement.</p>"
        for i in range(6)
    )
    + "</article></body></html>"
)


def test_extracted_text_and_html_leave_the_headline_to_the_title() -> None:
    article = extract_article(PAGE, url="https://example.com/a", options=ExtractOptions())
    assert article.title == "Copper smelter restarts after strike"
    assert article.text.startswith("Paragraph 0:")
    assert "Copper smelter restarts" not in article.html


def test_the_headline_stays_when_asked_to() -> None:
    options = ExtractOptions(drop_headline=False)
    article = extract_article(PAGE, url="https://example.com/a", options=options)
    assert article.text.startswith("Copper smelter restarts after strike\nParagraph 0:")


def test_the_memo_answers_as_a_fresh_classification() -> None:
    from newsdesk.extract import boilerplate

    padded = " " * (boilerplate.BOILERPLATE_MEMO_CHARS + 1) + "Read more"  # long, not article text
    for text in ("Sign up for our newsletter", "The minister spoke on Monday.", padded):
        fresh = boilerplate._boilerplate_kind(text)
        assert boilerplate.boilerplate_kind(text) is fresh
        assert boilerplate.boilerplate_kind(text) is fresh  # the second answer, remembered
    assert boilerplate.boilerplate_kind(padded) is BoilerplateKind.TEASER
