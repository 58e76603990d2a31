"""Teaser lead-ins in Finnish, Spanish and Portuguese are furniture; sentences opening with
the same words are not."""

from __future__ import annotations

import pytest
from lxml import etree

from newsdesk.extract.boilerplate import BoilerplateKind, boilerplate_kind
from newsdesk.extract.cleanup import TRAFILATURA_BLOCKS, remove_boilerplate


@pytest.mark.parametrize(
    "block",
    [
        "Lue myös:",
        "Lue myös: Merkel ja Marin keskustelivat EU:n budjetista",
        "LUE LISÄÄ",
        "Lue lisää »",
        "Katso myös: Näin EU-budjetti syntyy",
        "Seguir leyendo:",
        "Saiba Mais",
        "Saiba mais: Pacheco rejeita impeachment",
        "Lue my\u00adös:",
    ],
)
def test_teaser_lead_ins_are_teasers(block: str) -> None:
    assert boilerplate_kind(block) is BoilerplateKind.TEASER


@pytest.mark.parametrize(
    "block",
    [
        "Lue myös, mitä komissio sanoi budjetista ja miksi Suomi vastustaa esitystä vielä.",
        "Katso myös tarkemmin, miten jäsenmaiden maksuosuudet on laskettu tänä vuonna.",
        "Seguir leyendo es la única manera de entender por qué el acuerdo fracasó en Bruselas.",
        "Saiba mais sobre o programa, que prevê investimentos de R$ 2 bilhões até 2026 no setor.",
        "Lue",
        "Читайте также заявление министерства о новом бюджете, опубликованное во вторник.",
    ],
)
def test_sentences_opening_with_the_same_words_stay(block: str) -> None:
    assert boilerplate_kind(block) is None


def test_a_finnish_teaser_heading_goes_and_the_article_stays() -> None:
    article = [
        "EU-maiden on vaikea päästä nopeasti sopuun EU:n tulevasta rahoituskehyksestä. " * 3,
        "Suomi esitti viime syksynä, että unionin budjetti on 1,074 prosenttia. " * 3,
    ]
    body = etree.fromstring(f"<body><p>{article[0]}</p><p>Lue myös:</p><p>{article[1]}</p></body>")
    removed = remove_boilerplate(body, TRAFILATURA_BLOCKS)
    assert removed == [(BoilerplateKind.TEASER, "Lue myös:")]
    assert [p.text for p in body.iter("p")] == article
