"""Issue 16 (i16x): furniture seen on the dev set's news pages, and the title lines that open
a body. Each rule must keep article sentences that merely contain its words."""

from __future__ import annotations

import pytest
from lxml import etree
from lxml.html import document_fromstring

from newsdesk.extract.body_trims import page_headlines
from newsdesk.extract.boilerplate import BoilerplateKind, boilerplate_kind
from newsdesk.extract.cleanup import (
    HTML_BLOCKS,
    TRAFILATURA_BLOCKS,
    heading_words,
    remove_boilerplate,
    remove_headline,
    title_headlines,
)

ARTICLE = (
    "The ministry said the new tariffs would take effect in May, and exporters warned that "
    "margins in the copper trade were already thin after a year of falling prices."
)


@pytest.mark.parametrize(
    ("block", "kind"),
    [
        ("Otras noticias", BoilerplateKind.TEASER),
        ("OTRAS NOTICIAS:", BoilerplateKind.TEASER),
        ("Más leídas", BoilerplateKind.TEASER),
        ("Lo más leído »", BoilerplateKind.TEASER),
        ("Otras noticias de la semana", BoilerplateKind.TEASER),
        ("Mais lidas:", BoilerplateKind.TEASER),
        ("Weitere aktuelle Themen aus der Arbeitswelt", BoilerplateKind.TEASER),
        ("Les plus lus", BoilerplateKind.TEASER),
        ("Escucha esta nota aquí", BoilerplateKind.NOTICE),
        ("Listen to this article", BoilerplateKind.NOTICE),
        ("Listen to this article · 4 min", BoilerplateKind.NOTICE),
        ("Artikel anhören", BoilerplateKind.NOTICE),
        ("Sign-up Successful!", BoilerplateKind.PROMO),
        ("Pressekontakt:", BoilerplateKind.CONTACT),
        ("Media contacts", BoilerplateKind.CONTACT),
        ("Kontakt", BoilerplateKind.CONTACT),
    ],
)  # fmt: skip
def test_news_page_furniture_is_recognised(block: str, kind: BoilerplateKind) -> None:
    assert boilerplate_kind(block) is kind


@pytest.mark.parametrize(
    "block",
    [
        "Otras noticias apuntan a un acuerdo.",
        "Otras noticias de la semana indican que el gobierno cae.",
        "El diario publicó otras noticias sobre el caso y las más leídas fueron sobre el fútbol.",
        "Weitere Meldungen zum Thema finden Sie hier.",
        "Escucha esta nota aquí y luego vota en nuestra encuesta.",
        "The minister asked reporters to listen to this article of the constitution carefully.",
        "Sign-up rates rose 12% in March, the bank said.",
        "Kontakt zur Familie hatte er nach dem Umzug nicht mehr.",
        "The press contact at the ministry declined to comment on the tariffs.",
        "Другие новости",  # a Russian teaser heading: no rule for Cyrillic here, and no crash
        "",
        " \n\t ",
        ARTICLE,
    ],
)
def test_article_sentences_with_the_trigger_words_stay(block: str) -> None:
    assert boilerplate_kind(block) is None


@pytest.mark.parametrize("start", ["Otras noticias ", "Pressekontakt: ", "Escucha esta nota "])
def test_a_megabyte_block_is_not_furniture(start: str) -> None:
    assert boilerplate_kind(start + "palabra " * 130_000) is None


def test_a_contact_heading_late_in_a_release_cuts_the_address_after_it() -> None:
    body = etree.fromstring(
        "<body>" + f"<p>{ARTICLE}</p>" * 6 + "<p>Pressekontakt:</p>"
        "<p>Jane Doe, Presse, +49 30 1234567</p></body>"
    )
    remove_boilerplate(body, TRAFILATURA_BLOCKS)
    text = " ".join(body.itertext())
    assert text.count("copper trade") == 6
    assert "Jane Doe" not in text and "Pressekontakt" not in text


def test_an_early_contact_heading_goes_alone() -> None:
    body = etree.fromstring("<body><p>Kontakt:</p>" + f"<p>{ARTICLE}</p>" * 6 + "</body>")
    remove_boilerplate(body, TRAFILATURA_BLOCKS)
    assert " ".join(body.itertext()).count("copper trade") == 6
    assert "Kontakt" not in " ".join(body.itertext())


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Militares enviaram 88 questões - Brasil 247", "militares enviaram 88 questões"),
        ("Was zum hören in den Ferien | Zahlenzauberin", "was zum hören in den ferien"),
        ("Pour le néolibéralisme | AOC media - Analyse", "pour le néolibéralisme aoc media"),
        ("Новости экономики — Сайт", "новости экономики"),
        ("Kim Jong Un: Der Diktator ist zurück", "kim jong un der diktator ist zurück"),
    ],
)  # fmt: skip
def test_title_headlines_give_the_title_without_the_site(title: str, expected: str) -> None:
    found = title_headlines(title)
    assert tuple(expected.split()) in found
    assert heading_words(title) in found


@pytest.mark.parametrize("title", ["", "   ", " | ", "x" * 1_000_000])
def test_title_headlines_of_empty_or_huge_titles(title: str) -> None:
    assert title_headlines(title) == frozenset()


def test_page_headlines_read_title_and_open_graph_when_the_h1_is_the_site_name() -> None:
    tree = document_fromstring(
        "<html><head><title>Post title here | My Blog</title>"
        '<meta property="og:title" content="Post title, reposted"></head>'
        "<body><h1>My Blog</h1><p>text</p></body></html>"
    )
    found = page_headlines(tree)
    assert ("my", "blog") in found
    assert ("post", "title", "here") in found
    assert ("post", "title", "reposted") in found


def body_of(*blocks: str) -> etree._Element:
    return etree.fromstring("<div>" + "".join(f"<p>{block}</p>" for block in blocks) + "</div>")


def test_a_kicker_above_the_headline_goes_with_it() -> None:
    headlines = title_headlines("Buscan apropiarse de avión | Panamá América")
    body = body_of("Panamá", "Buscan apropiarse de avión", ARTICLE, ARTICLE)
    assert remove_headline(body, HTML_BLOCKS, headlines) == "Panamá / Buscan apropiarse de avión"
    assert [p.text for p in body] == [ARTICLE, ARTICLE]


def test_a_longer_first_paragraph_before_a_headline_repeat_stays() -> None:
    headlines = title_headlines("Buscan apropiarse de avión")
    body = body_of("Los fiscales de Panamá dijeron", "Buscan apropiarse de avión", ARTICLE)
    assert remove_headline(body, HTML_BLOCKS, headlines) is None
    assert len(body) == 3


def test_a_kicker_and_headline_with_nothing_after_them_stay() -> None:
    headlines = title_headlines("Buscan apropiarse de avión")
    body = body_of("Panamá", "Buscan apropiarse de avión")
    assert remove_headline(body, HTML_BLOCKS, headlines) is None
    assert len(body) == 2


def test_a_first_paragraph_that_only_starts_like_the_title_stays() -> None:
    headlines = title_headlines("Copper tariffs | Daily Planet")
    body = body_of("Copper tariffs take effect in May, the ministry said on Monday.", ARTICLE)
    assert remove_headline(body, HTML_BLOCKS, headlines) is None
    assert len(body) == 2


def test_non_latin_title_line_is_removed() -> None:
    headlines = title_headlines("Пожар в Ростове — Новости")
    body = body_of("Пожар в Ростове", "В Ростове сгорел жилой дом, сообщили власти.", ARTICLE)
    assert remove_headline(body, HTML_BLOCKS, headlines) == "Пожар в Ростове"
