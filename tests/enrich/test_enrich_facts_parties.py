"""Agreement parties: who reported, approved or advised on a deal, the parent of a party and
the place of the deal are named in its sentence but did not sign it."""

from __future__ import annotations

import pytest
from facts_gold import gold_with_bodies

from newsdesk.enrich.entities import EntityOptions, default_gazetteer, extract_entities
from newsdesk.enrich.entities.model import entity_type_of
from newsdesk.enrich.facts import AgreementFact, FactOptions, extract_facts
from newsdesk.enrich.facts.parties import not_a_party


def parties(text: str) -> list[tuple[str, ...]]:
    entities = extract_entities("", text, gazetteer=default_gazetteer(), options=EntityOptions())
    return [
        f.parties
        for f in extract_facts(text, entities, options=FactOptions())
        if isinstance(f, AgreementFact)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the reporter of the deal
        (
            "Mount Isa Mines Holding Ltd plans to acquire a 30 pct stake in Norddeutsche "
            "Affinerie AG, a spokesman for Metallgesellschaft AG said.",
            [("org:mount-isa-mines-holding-ltd", "org:norddeutsche-affinerie-ag")],
        ),
        (
            "ADNOC signed an agreement with BASF AG, according to the European Commission.",
            [("org:adnoc", "org:basf-ag")],
        ),
        # the parent of the party that signs
        (
            "Allen-Bradley Co, a unit of Rockwell International Corp, said it has formed a joint "
            "venture with TDK Corp of Tokyo.",
            [("org:allen-bradley-co", "org:tdk-corp")],
        ),
        # who approved it
        (
            "The European Commission has approved the acquisition of German chemicals group "
            "Covestro by ADNOC.",
            [("org:covestro", "org:adnoc")],
        ),
        (
            "The agreement between Delta Air Lines Inc and Western Air Lines Inc was approved by "
            "the U.S. Department of Justice.",
            [("org:delta-air-lines", "org:air-lines-inc")],
        ),
        # who advised on it, and where it happened: no second party is left
        (
            "USAir said it has been advised by Norfolk Southern that the company supports the "
            "proposed merger.",
            [],
        ),
        ("The acquisition is the largest foreign takeover by ADNOC in Germany.", []),
    ],
)
def test_only_who_signs_is_a_party(text: str, expected: list[tuple[str, ...]]) -> None:
    assert parties(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # whoever announces an award is its buyer
        (
            "Mobil Oil Corp has received a 107.2 mln dlr contract for jet fuel, the Defense "
            "Logistics Agency said.",
            [("org:mobil", "org:defense-logistics-agency")],
        ),
        # the parent of what is bought sells it
        (
            "Safety-Kleen Corp said it agreed in principle to acquire McKesson Envirosystems Co, "
            "a subsidiary of McKesson Corp.",
            [("org:safety-kleen-corp", "org:mckesson-envirosystems-co", "org:mckesson-corp")],
        ),
        (
            "Cannon Group Inc said it agreed to sell its interest in the joint venture to the "
            "Home Box Office unit of Time Inc.",
            [("org:cannon-group-inc", "org:time-inc")],
        ),
        # a country standing in for a company it describes; a speaker that signs
        (
            "QatarEnergy has agreed to supply Germany's Uniper with gas for 15 years.",
            [("org:qatarenergy", "country:DE")],
        ),
        (
            "Lufthansa Group has agreed to buy fuel from Finland's Neste.",
            [("org:lufthansa", "country:FI")],
        ),
        ("Japan and Namibia signed the agreement in Windhoek.", [("country:JP", "country:NA")]),
        (
            "Chile has a free-trade agreement with the United States.",
            [("country:CL", "country:US")],
        ),
        # a speaker whose words go on is a party
        (
            "As part of the Paris accord, Japan agreed to stimulate its economy, while America "
            "said it would reduce its budget deficit.",
            [("country:FR", "country:JP", "country:US")],
        ),
    ],
)
def test_parties_that_stay(text: str, expected: list[tuple[str, ...]]) -> None:
    assert parties(text) == expected


@pytest.mark.parametrize(
    ("text", "name", "entity_type", "expected"),
    [
        ("X signed a deal with Y, a spokesman for Acme said.", "Acme", "organisation", True),
        ("X signed a deal with Y, Acme said.", "Acme", "organisation", True),
        ("Acme said it signed a deal with Y.", "Acme", "organisation", False),
        (
            "X signed a deal with Y, while Acme said it would sign too.",
            "Acme",
            "organisation",
            False,
        ),
        ("Acme, a unit of Beta, signed a deal with Y.", "Beta", "organisation", True),
        ("X agreed to buy Acme, a unit of Beta.", "Beta", "organisation", False),
        ("The deal was approved by the Beta Commission.", "Beta", "organisation", True),
        ("The deal was advised by Beta.", "Beta", "organisation", True),
        ("Acme signed a deal with Beta.", "Beta", "organisation", False),
        ("X signed a deal in Germany.", "Germany", "country", True),
        ("X bought a stake in Germany's Uniper in a deal.", "Germany", "country", False),
        ("A deal under the EU's rules.", "EU", "supranational", True),
        ("The EU has approved the deal.", "EU", "supranational", True),
        ("The EU signed a deal with Japan.", "EU", "supranational", False),
    ],
)
def test_not_a_party(text: str, name: str, entity_type: str, expected: bool) -> None:
    start = text.index(name)
    trigger = text.index("deal") if "deal" in text else 0
    assert (
        not_a_party(text, start, start + len(name), entity_type, None, trigger=trigger) is expected
    )


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "agreement",
        "Acme, a unit of " * 200 + "Beta signed an agreement with Japan.",
        "Japan signed an agreement with China" + ", Acme said" * 200 + ".",
        "in the " * 300 + "Japan agreement with China",
        "Японія і Китай підписали угоду (agreement) з ЄС.",
        "日本と中国は協定 agreement に署名した。",
    ],
)
def test_hostile_text_does_not_break_agreement_extraction(text: str) -> None:
    assert isinstance(parties(text), list)


def test_the_agreement_gold_names_real_demo_sentences_and_entity_ids() -> None:
    gold = gold_with_bodies("facts_agreement_gold.jsonl")
    assert len(gold) >= 40
    for item, body in gold:
        assert item["sentence"] in body, item
        for party in item["parties"]:
            assert party == "?" or entity_type_of(party), item
