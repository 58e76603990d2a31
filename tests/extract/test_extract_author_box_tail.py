"""An author box after a short piece, and a publisher's donation appeal (issue 16's full-body
truth: a map article of a few lines followed by "Unterstütze unsere Arbeit…", an "Autor:innen"
heading and a bio kept three quarters of its output furniture, because the tail rules wait for
the last fifth of the text). Article sentences that look alike stay."""

from __future__ import annotations

import pytest
from lxml import etree

from newsdesk.extract import ExtractOptions, extract_article
from newsdesk.extract.boilerplate import BoilerplateKind, boilerplate_kind
from newsdesk.extract.cleanup import (
    AUTHOR_TAIL_CHARS,
    HTML_BLOCKS,
    TRAFILATURA_BLOCKS,
    remove_boilerplate,
)

SHORT_STORY = (
    "Weil es zu viele sind und viele nur in wenigen Bundesländern antreten, haben wir uns auf "
    "die größten Parteien beschränkt."
)
APPEAL = (
    "KATAPULT ist gemeinnützig und unabhängig. Wir finanzieren uns durch Spenden und Abos. "
    "Unterstütze unsere Arbeit und abonniere das Magazin!"
)
BIO = "Geboren 1983, ist seit 2015 Redakteur bei KATAPULT und vor allem als Layouter tätig."
MORE = "Sein Hauptinteresse liegt im Bereich der Sprachwissenschaft."


@pytest.mark.parametrize(
    "block",
    ["Autor:innen", "Autorin", "AUTOREN", "Die Autorin", "Der Autor:", "Authors", "The author",
     "Autor*innen", "Author ›"],
)  # fmt: skip
def test_author_box_headings_are_recognised(block: str) -> None:
    assert boilerplate_kind(block) is BoilerplateKind.AUTHOR_BOX


@pytest.mark.parametrize(
    "block",
    [
        APPEAL,
        "Wir finanzieren uns ausschließlich über Spenden. Hilf uns!",
        "Support independent journalism: become a member today.",
        "Unterstütze unsere Arbeit mit einem Abo.",
    ],
)
def test_donation_appeals_are_promos(block: str) -> None:
    assert boilerplate_kind(block) is BoilerplateKind.PROMO


@pytest.mark.parametrize(
    "block",
    [
        "Autorin des Jahres wird Monika Maron, teilte die Jury mit.",
        "Autoren fordern mehr Geld für Übersetzungen.",
        "The author signed copies at the fair on Sunday.",
        "Authors Guild sues over AI training data",
        "Автор",  # Cyrillic: not one of the headings this rule knows
        "Wir finanzieren uns über Kredite, sagte der Bürgermeister.",
        "Der Verein unterstützt unsere Arbeit seit Jahren, sagte die Leiterin.",
        "Critics say the fund does not support independent journalists enough.",
        "",
    ],
)
def test_article_sentences_like_these_are_not_furniture(block: str) -> None:
    assert boilerplate_kind(block) is None


def _body(*blocks: str, tag: str = "p") -> etree._Element:
    inner = "".join(f"<{tag}>{block}</{tag}>" for block in blocks)
    return etree.fromstring(f"<body>{inner}</body>")


def _texts(body: etree._Element) -> list[str]:
    return [" ".join("".join(p.itertext()).split()) for p in body.iter("p", "head")]


def test_a_short_piece_loses_the_appeal_and_the_author_box() -> None:
    body = _body(SHORT_STORY, APPEAL, "Autor:innen", BIO, MORE)
    removed = remove_boilerplate(body, TRAFILATURA_BLOCKS)
    assert _texts(body) == [SHORT_STORY]
    assert BoilerplateKind.AUTHOR_BOX in {kind for kind, _ in removed}
    assert (BoilerplateKind.PROMO, APPEAL) in removed


def test_text_after_an_author_heading_stays_when_it_is_more_than_a_bio() -> None:
    # The heading alone goes, as any furniture block does; the text after it stays.
    long_text = ("Die Autoren des Berichts fanden mehr Mängel als erwartet. " * 12).strip()
    assert len(long_text) > AUTHOR_TAIL_CHARS
    body = _body(SHORT_STORY, "Autoren", long_text)
    remove_boilerplate(body, TRAFILATURA_BLOCKS)
    assert _texts(body) == [SHORT_STORY, long_text]


def test_an_author_heading_first_takes_nothing() -> None:
    # Nothing before it: it cannot be an author box after the article, and the whole body
    # would go.
    body = _body("Autorin", SHORT_STORY)
    remove_boilerplate(body, TRAFILATURA_BLOCKS)
    assert _texts(body) == [SHORT_STORY]


def test_empty_and_huge_bodies() -> None:
    empty = etree.fromstring("<body/>")
    assert remove_boilerplate(empty, TRAFILATURA_BLOCKS) == []
    huge = "Der Stadtrat beschloss den Haushalt nach langer Debatte. " * 20_000
    body = _body(SHORT_STORY, "Autor", huge)
    remove_boilerplate(body, TRAFILATURA_BLOCKS)
    assert _texts(body) == [SHORT_STORY, huge.strip()]


def test_nested_html_markup_and_non_latin_text() -> None:
    story = "Власти города утвердили новый бюджет после долгих дебатов в совете."
    body = etree.fromstring(
        "<div><div><p><span>"
        + story
        + "</span></p></div><div class='box'><h3><span>Autor:innen</span></h3>"
        + f"<p><em>{BIO}</em></p></div></div>"
    )
    remove_boilerplate(body, HTML_BLOCKS)
    text = " ".join("".join(body.itertext()).split())
    assert text == story


PAGE = (
    "<html><head><title>Anzahl zugelassener Parteien | KATAPULT</title></head><body>"
    "<nav><a href='/'>Start</a></nav><main><article><h1>Anzahl zugelassener Parteien</h1>"
    "<p>Zur Bundestagswahl sind 47 Parteien zugelassen, so viele wie nie zuvor. Die Karte "
    "zeigt, in welchen Ländern sie mit einer Landesliste antreten.</p>"
    f"<p>{SHORT_STORY}</p><p>{APPEAL}</p><h2>Autor:innen</h2><p>{BIO}</p><p>{MORE}</p>"
    "</article></main></body></html>"
)


def test_extracted_text_and_html_end_with_the_piece() -> None:
    article = extract_article(PAGE, url="https://example.com/karte", options=ExtractOptions())
    assert article.text.rstrip().endswith("größten Parteien beschränkt.")
    for gone in ("Unterstütze", "Autor:innen", "Geboren 1983", "Sprachwissenschaft"):
        assert gone not in article.text
        assert gone not in article.html
