"""Furniture at the edges of an article body, from a reading audit of the dev set's tuning pages:
ad labels in more languages, republication and network notes, reader-response lines, "last
edited" lines, and, among the last blocks only, author bios and bare source credits. Each kind
has article sentences beside it that look alike and must stay."""

from __future__ import annotations

import pytest
from lxml import etree

from newsdesk.extract import ExtractOptions, extract_article
from newsdesk.extract.boilerplate import BoilerplateKind, boilerplate_kind, trailing_kind
from newsdesk.extract.cleanup import TRAFILATURA_BLOCKS, remove_boilerplate


@pytest.mark.parametrize(
    ("block", "kind"),
    [
        ("Reklama", BoilerplateKind.PROMO),
        ("REKLAMA", BoilerplateKind.PROMO),
        ("Publicité", BoilerplateKind.PROMO),
        ("Pubblicità", BoilerplateKind.PROMO),
        ("This article originally appeared on VICE US.", BoilerplateKind.CREDIT),
        ("This story was first published by The Conversation.", BoilerplateKind.CREDIT),
        ("Dieser Artikel erschien zuerst in der EMOTION 10/22.", BoilerplateKind.CREDIT),
        ("Dieser Artikel entstand in Kooperation mit Arcadia Live.", BoilerplateKind.CREDIT),
        ("*fr.de ist Teil des bundesweiten Ippen-Redaktionsnetzwerks", BoilerplateKind.CREDIT),
        ("We want to hear what you think about this article. Submit a letter to the editor or "
         "write to letters@theatlantic.com.", BoilerplateKind.COMMENTS),
        ("To reach the reporter behind this story, contact tatyana@citylimits.org. To reach the "
         "editor, contact emma@citylimits.org", BoilerplateKind.COMMENTS),
        ("zuletzt überarbeitet am 29. Mai 2019", BoilerplateKind.BYLINE),
        ("Dieses Thema im Programm: MDR THÜRINGEN - Das Radio | Nachrichten | 20. April 2020 | "
         "13:00 Uhr", BoilerplateKind.BYLINE),
    ],
)  # fmt: skip
def test_edge_furniture_blocks_are_recognised(block: str, kind: BoilerplateKind) -> None:
    assert boilerplate_kind(block) is kind


@pytest.mark.parametrize(
    "block",
    [
        "Reklama w telewizji kosztuje coraz więcej, twierdzą agencje.",
        "Publicité mensongère : l'entreprise a été condamnée à une amende.",
        "This article originally appeared to be a hoax, the court found on Tuesday.",
        "The story was first published in 1962 and sold a million copies.",
        "Der Artikel erschien zuerst in einer Fachzeitschrift, sagte der Verleger.",
        "Die Stadt ist Teil des europäischen Netzwerks für saubere Luft.",
        "We want to hear what the minister thinks, the union leader said.",
        "To reach the reporters' gallery, visitors climb 120 steps.",
        "Zuletzt überarbeitet wurde das Gesetz 2019, sagte die Ministerin.",
        "Dieses Thema beschäftigt die Stadt seit Jahren.",
    ],
)
def test_article_sentences_like_edge_furniture_stay(block: str) -> None:
    assert boilerplate_kind(block) is None


EARLIER = (
    "Die Winzer am Hang schlossen sich 1927 zu einer Genossenschaft zusammen. Reinhold Messner "
    "besuchte das Weingut im Sommer und lobte den Vernatsch."
)


@pytest.mark.parametrize(
    ("block", "kind"),
    [
        ("Inga Buller ist Head of Social & Community bei CHIP. Wenn sie gerade nichts verkauft, "
         "testet sie gerne neue Haushalts-Gadgets.", BoilerplateKind.AUTHOR_BOX),
        ("Jossi Loibl (Jahrgang 1962) schreibt seit mehr als 25 Jahren über Wein und "
         "Gastronomie.", BoilerplateKind.AUTHOR_BOX),
        ("Candice Sealey is the Founder & Principal Consultant at Ignite! a Full-service "
         "Marketing & PR Consultancy.", BoilerplateKind.AUTHOR_BOX),
        ("Die Autorin ist Achtsamkeitslehrerin und im Vorstand der MBSR-MBCT-Vereinigung.",
         BoilerplateKind.AUTHOR_BOX),
        ("The author is a senior fellow at the Brookings Institution.",
         BoilerplateKind.AUTHOR_BOX),
        ("Autor*in: Prof. Dr. Benjamin-Immanuel Hoff ist seit 2014 Minister für Kultur.",
         BoilerplateKind.AUTHOR_BOX),
        ("Geboren 1983, ist seit 2015 Redakteur bei KATAPULT und vor allem als Layouter tätig.",
         BoilerplateKind.AUTHOR_BOX),
        ("Quelle: kathpress", BoilerplateKind.CREDIT),
        ("Source: Reuters", BoilerplateKind.CREDIT),
        ("(dr/spot)", BoilerplateKind.CREDIT),
        ("(dpa)", BoilerplateKind.CREDIT),
    ],
)  # fmt: skip
def test_trailing_furniture_is_recognised(block: str, kind: BoilerplateKind) -> None:
    assert trailing_kind(block, EARLIER) is kind


@pytest.mark.parametrize(
    "block",
    [
        # The person the article is about (named before): a closing paragraph, not a bio.
        "Reinhold Messner ist Bergsteiger und schreibt seit Jahren Bücher über die Alpen.",
        # An organisation, not a person.
        "The Federal Reserve is expected to raise rates again in March, analysts said.",
        # A name and a verb, but no role in the first sentence.
        "Jane Smith is due in court on Monday. Her editor declined to comment.",
        "Anna Weber ist seit gestern wieder zu Hause, sagte ihr Bruder.",
        "Der Autor ist unbekannt; die Polizei ermittelt.",
        "The author is unknown, the museum said.",
        "Quelle: Statistisches Bundesamt, Berechnungen des Instituts für Wirtschaftsforschung 2019",
        "Source: a person familiar with the talks said the deal could close by June.",
        "(Lesen Sie dazu auch den Kommentar auf Seite drei.)",
    ],
)
def test_closing_article_paragraphs_are_not_trailing_furniture(block: str) -> None:
    assert trailing_kind(block, EARLIER) is None


PARAGRAPH = "The smelter restarted on Monday after workers accepted a pay rise of six percent."
BIO = "Maria Lopez is a reporter at the Daily Planet covering mining and energy."


def _body(*blocks: str) -> etree._Element:
    return etree.fromstring("<body>" + "".join(f"<p>{block}</p>" for block in blocks) + "</body>")


def test_a_closing_bio_and_source_credit_are_removed() -> None:
    body = _body(*[PARAGRAPH] * 6, BIO, "Quelle: dpa-AFX")
    removed = remove_boilerplate(body, TRAFILATURA_BLOCKS)
    assert [p.text for p in body.findall("p")] == [PARAGRAPH] * 6
    assert sorted(kind for kind, _ in removed) == sorted(
        [BoilerplateKind.CREDIT, BoilerplateKind.AUTHOR_BOX]
    )


@pytest.mark.parametrize(
    "blocks",
    [
        (BIO, *[PARAGRAPH] * 6),  # at the top it may be the article's subject introduced
        (PARAGRAPH, BIO, *[PARAGRAPH] * 5),  # in the middle
        (BIO, PARAGRAPH),  # too little text before it to call it the end of an article
        (*[PARAGRAPH] * 6, BIO, PARAGRAPH, PARAGRAPH),  # three blocks from the end
        # The article is about her: her name came before.
        ("Maria Lopez found the leak in 2019.", *[PARAGRAPH] * 5, BIO),
    ],
)
def test_bio_like_paragraphs_elsewhere_stay(blocks: tuple[str, ...]) -> None:
    body = _body(*blocks)
    remove_boilerplate(body, TRAFILATURA_BLOCKS)
    assert [p.text for p in body.findall("p")] == list(blocks)


PAGE = (
    "<html><head><title>Smelter restarts | Daily Planet</title></head><body>"
    '<nav><a href="/">Home</a></nav><article><h1>Copper smelter restarts after strike</h1>'
    + "".join(
        f"<p>Paragraph {i}: the copper smelter at Kansanshi restarted on Monday after workers "
        "accepted a pay rise of six percent, the company said in a statement.</p>"
        for i in range(6)
    )
    + f"<p>{BIO}</p><p>This article originally appeared on Mining Weekly.</p>"
    "</article></body></html>"
)


def test_extracted_text_and_html_end_with_the_article() -> None:
    article = extract_article(PAGE, url="https://example.com/a", options=ExtractOptions())
    assert article.text.endswith("said in a statement.")
    for gone in ("Maria Lopez", "originally appeared"):
        assert gone not in article.text
        assert gone not in article.html
