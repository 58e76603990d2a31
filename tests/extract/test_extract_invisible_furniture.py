"""Soft hyphens and zero-width characters inside a furniture line do not hide it from the
cleanup's patterns ("Von Mat\u00adthi\u00adas Lauerer" is a byline); kept blocks are not
rewritten."""

from __future__ import annotations

import pytest
from lxml import etree
from lxml import html as lxml_html

from newsdesk.extract import ExtractOptions, extract_article
from newsdesk.extract.boilerplate import (
    MAX_LONG_BOILERPLATE_CHARS,
    BoilerplateKind,
    boilerplate_kind,
    trailing_kind,
)
from newsdesk.extract.candidates import html_body_text
from newsdesk.extract.cleanup import TRAFILATURA_BLOCKS, heading_words, remove_boilerplate

SHY, ZWSP, ZWJ, WJ = "\u00ad", "\u200b", "\u200d", "\u2060"


@pytest.mark.parametrize(
    ("block", "kind"),
    [
        (f"Von Mat{SHY}thi{SHY}as Lauerer", BoilerplateKind.BYLINE),
        (f"Le{SHY}sen Sie auch: Die In{SHY}fla{SHY}tion sinkt", BoilerplateKind.TEASER),
        (f"Read{ZWSP} more: Oil majors cut spending", BoilerplateKind.TEASER),
        (f"News{ZWJ}letter abon{WJ}nieren", BoilerplateKind.PROMO),
        (f"Foto{SHY}credit: Jane Doe", BoilerplateKind.CREDIT),
        (f"\ufeffShare{ZWSP} on Facebook", BoilerplateKind.SHARE),
        (f"Über den Au{SHY}tor", BoilerplateKind.AUTHOR_BOX),
    ],
)
def test_furniture_with_invisible_characters_is_recognised(
    block: str, kind: BoilerplateKind
) -> None:
    assert boilerplate_kind(block) is kind


@pytest.mark.parametrize(
    "block",
    [
        f"Die Stadt hat den Ha{SHY}fen für 12 Mil{SHY}lio{SHY}nen Euro ausgebaut.",
        f"Von Ber{SHY}lin aus fuhr der Zug über Ham{SHY}burg nach Kiel, wo die Fähre wartete.",
        "\u00ad" * 200,
        SHY + ZWSP + ZWJ + WJ + "\ufeff",
        "Совет гавани\u200b проголосовал за новый причал.",
        "港口委员会\u200b周二投票决定为新码头提供资金。",
    ],
)
def test_article_text_and_empty_lines_are_not_furniture(block: str) -> None:
    assert boilerplate_kind(block) is None


def test_a_huge_line_is_too_long_to_be_furniture_even_when_invisible_characters_pad_it() -> None:
    # The length limit applies to what is visible: a byline padded with soft hyphens is still
    # a byline, and a long paragraph stays text.
    assert boilerplate_kind("Von Matthias Lauerer" + SHY * 10_000) is BoilerplateKind.BYLINE
    long_text = f"Der Rat tag{SHY}te lange. " * 10_000
    assert len(long_text) > MAX_LONG_BOILERPLATE_CHARS
    assert boilerplate_kind(long_text) is None


def test_a_trailing_credit_or_bio_with_soft_hyphens_is_recognised() -> None:
    assert trailing_kind(f"Quel{SHY}le: kath{SHY}press", "") is BoilerplateKind.CREDIT
    assert trailing_kind(f"Die Au{SHY}to{SHY}rin ist Redakteurin.", "") is (
        BoilerplateKind.AUTHOR_BOX
    )


def test_headings_match_with_and_without_soft_hyphens() -> None:
    assert heading_words(f"Ha{SHY}fen{ZWSP}aus{SHY}bau in Kiel") == ("hafenausbau", "in", "kiel")
    assert heading_words("港口\u200b委员会") == heading_words("港口委员会")


PARAGRAPHS = (
    "Der Stadtrat hat am Dienstag den Ausbau des Hafens beschlossen, nachdem monatelang "
    "über die Kosten gestritten worden war.",
    f"Die Ar{SHY}bei{SHY}ten sollen im Frühjahr beginnen und zwei Jahre dauern, teilte die "
    "Verwaltung mit.",
)


def test_the_byline_goes_and_the_body_keeps_its_soft_hyphens() -> None:
    body = etree.fromstring(
        "<body>"
        + "".join(f"<p>{text}</p>" for text in (f"Von Mat{SHY}thi{SHY}as Lauerer", *PARAGRAPHS))
        + "</body>"
    )
    removed = remove_boilerplate(body, TRAFILATURA_BLOCKS)
    assert removed == [(BoilerplateKind.BYLINE, f"Von Mat{SHY}thi{SHY}as Lauerer")]
    assert [p.text for p in body.iter("p")] == list(PARAGRAPHS)


def test_extract_article_drops_the_soft_hyphenated_byline() -> None:
    page = (
        "<html><head><title>Hafen wird ausgebaut</title></head><body><main><article>"
        "<h1>Hafen wird ausgebaut</h1>"
        f"<p>Von Mat{SHY}thi{SHY}as Lauerer</p>"
        + "".join(f"<p>{text} {text}</p>" for text in PARAGRAPHS)
        + "</article></main></body></html>"
    )
    article = extract_article(page, url="https://example.com/hafen", options=ExtractOptions())
    assert "Lauerer" not in article.text
    # trafilatura's text drops the invisible characters (the HTML keeps them for hyphenation).
    assert "Die Arbeiten sollen" in article.text
    assert f"Ar{SHY}bei{SHY}ten" in article.html


def test_an_html_body_s_text_drops_invisible_characters_as_trafilatura_s_does() -> None:
    # A readability or HTML-body win gives the same words as a trafilatura win: no soft
    # hyphen splits "Arbeiten" for search or word tokens; a line of them alone is no line.
    body = lxml_html.fromstring(
        f"<div><p>Die Ar{SHY}bei{SHY}ten be{ZWSP}ginnen.</p><p>{SHY * 500}</p>"
        f"<p>Мос{ZWSP}ква и 港口{WJ}委员会</p><p>{'Ha' + SHY + 'fen ' * 20_000}</p></div>"
    )
    lines = html_body_text(body).split("\n")
    assert lines[:2] == ["Die Arbeiten beginnen.", "Москва и 港口委员会"]
    assert lines[2] == ("Ha" + "fen " * 20_000).strip()
    assert html_body_text(lxml_html.fromstring(f"<div>{SHY}Ha{SHY}fen</div>")) == "Hafen"
