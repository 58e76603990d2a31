"""Organisations an appositive defines: "Sibelco, the ... company," and "the ... group Sibelco"."""

from __future__ import annotations

import pytest

from newsdesk.enrich.entities import EntityOptions, default_gazetteer, extract_entities
from newsdesk.enrich.entities.appositive import appositive_organisations
from newsdesk.enrich.entities.patterns import find_anchors
from newsdesk.enrich.facts import FactOptions, extract_facts

OPTIONS = EntityOptions()


def extract(text: str) -> list[tuple[str, str]]:
    result = extract_entities("", text, gazetteer=default_gazetteer(), options=OPTIONS)
    for m in result.mentions:
        assert text[m.start : m.end] == m.text
    return [(m.entity_id, m.text) for m in result.mentions]


def names(text: str) -> list[str]:
    return [c.name for c in appositive_organisations(text, find_anchors(text))]


SIBELCO = (
    "Sibelco, the privately held Belgian industrial minerals company, plans to invest "
    "$200 million to expand its high-purity quartz operations at Spruce Pine, North Carolina."
)


def test_the_failing_sentence_names_sibelco_and_makes_it_the_investor() -> None:
    assert extract(SIBELCO)[0] == ("org:sibelco", "Sibelco")
    result = extract_entities("", SIBELCO, gazetteer=default_gazetteer(), options=OPTIONS)
    facts = extract_facts(SIBELCO, result, options=FactOptions(types=("investment",)))
    assert [f.to_record()["investor"] for f in facts] == ["org:sibelco"]


def test_a_name_once_defined_is_found_again_and_the_company_refers_to_it() -> None:
    text = SIBELCO + " The company said the work starts in May. Sibelco employs 400 people there."
    found = extract(text)
    assert found.count(("org:sibelco", "Sibelco")) == 2
    assert ("org:sibelco", "The company") in found


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        (
            "Hydro-Quebec, the provincially-owned utility, said it would appeal.",
            "Hydro-Quebec",
            "company",
        ),
        ("Harbour Energy, the largest UK producer, cut output.", "Harbour Energy", "company"),
        (
            "Tianqi Lithium, the Chinese group that owns 22% of SQM, objected.",
            "Tianqi Lithium",
            "company",
        ),
        ("Qcells, a unit of South Korea's Hanwha, will build it.", "Qcells", "company"),
        ("Metrobanc, a federal savings bank, said its holders agreed.", "Metrobanc", "bank"),
        ("The deal was done by the Belgian minerals group Sibelco in May.", "Sibelco", "company"),
        ("It signed a supply agreement with state utility Zesco.", "Zesco", "company"),
        ("Shares of Canadian miner Cameco's rival rose.", "Cameco", "miner"),
    ],
)
def test_appositive_and_reverse_forms(text: str, name: str, kind: str) -> None:
    found = list(appositive_organisations(text, find_anchors(text)))
    assert [(c.name, c.kind) for c in found] == [(name, kind)]
    assert text[found[0].start : found[0].end] == name


@pytest.mark.parametrize(
    "text",
    [
        # people: a role, a person-shaped developer or trader
        "John Smith, the company's chief executive, said so.",
        "Mark Woltz, a former trader of a major firm, was suspended.",
        "It bought shares from real estate developer Donald Trump.",
        # places and counts
        "Spruce Pine, the small Appalachian town that supplies the company, flooded.",
        "In Texas, the company, which makes chips, grew.",
        "A deal with CAP of Woodstock, Ontario, a group of about 400 retailers.",
        # "the company" with no name, speech, adverbs, dates
        "Separately, the company, which makes chips, said it would grow.",
        "Output rose in West Texas, the Virginia-based company said on Monday.",
        "Prices rose, the company said. The group Monday cut its forecast.",
        "On Friday, the group, which is private, said nothing.",
        # names that run on past what the pattern can take
        "It bid for Smith and Wesson, a manufacturer of firearms.",
        "French state computer group Cie des Machines Bull will issue bonds.",
        "Dutch chemical group Akzo N.V. said it agreed.",
        "Volkswagen U.S. Inc, a subsidiary of Volkswagen AG, said sales rose.",
        # an adjective, not the noun
        "Prices rose as firm Chicago wheat futures lent support.",
    ],
)
def test_near_misses_name_no_organisation(text: str) -> None:
    assert names(text) == []


def test_a_known_country_is_not_made_an_organisation() -> None:
    found = extract("Indonesia, the largest nickel producer, banned exports.")
    assert found == [("country:ID", "Indonesia"), ("commodity:nickel", "nickel")]


def test_hostile_inputs() -> None:
    assert names("") == []
    assert extract("") == []
    long_sentence = "Acme, the " + "very " * 275 + "large company, said it grew."
    assert len(long_sentence) >= 1_400
    assert names(long_sentence) == []  # more than six describing words: not an appositive
    run_on = ", ".join(["Alpha Beta, the group"] * 70) + "."
    assert len(run_on) >= 1_400
    assert set(names(run_on)) <= {"Alpha Beta"}
    assert names("Сибелко, бельгийская компания, вложит деньги.") == []
    assert names("東京電力、the company, said.") == []


def test_a_known_name_across_and_does_not_make_one_longer_name() -> None:
    qcells = "Its members include First Solar and Qcells, a unit of South Korea's Hanwha."
    assert ("org:qcells", "Qcells") in extract(qcells)
    acwa = "A consortium of Saudi developer ACWA Power and Oman's state energy group OQ agreed."
    assert ("org:acwa-power", "ACWA Power") in extract(acwa)
    # neither side known: "Smith and Wesson" may be one name, so neither is taken
    assert names("It bid for Smith and Wesson, a manufacturer of firearms.") == []
