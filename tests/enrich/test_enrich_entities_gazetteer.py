"""The shipped gazetteer and gazetteer files an operator writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.enrich.entities import (
    EntityOptions,
    GazetteerError,
    default_gazetteer,
    extract_entities,
    load_gazetteer,
    parse_gazetteer,
)

RARE_EARTHS = (
    "scandium yttrium lanthanum cerium praseodymium neodymium promethium samarium europium "
    "gadolinium terbium dysprosium holmium erbium thulium ytterbium lutetium"
).split()


def test_every_rare_earth_element_is_a_commodity() -> None:
    gazetteer = default_gazetteer()
    for element in RARE_EARTHS:
        entity = gazetteer.get(f"commodity:{element}")
        assert entity is not None, element
        assert (entity.type, entity.group) == ("commodity", "rare-earth")
    assert len(RARE_EARTHS) == 17


@pytest.mark.parametrize(
    "name",
    [
        "lithium",
        "cobalt",
        "nickel",
        "graphite",
        "manganese",
        "copper",
        "gold",
        "silver",
        "platinum",
        "palladium",
        "iron ore",
        "aluminium",
        "aluminum",
        "zinc",
        "tin",
        "uranium",
        "crude oil",
        "Brent",
        "WTI",
        "LNG",
        "natural gas",
        "coal",
        "gallium",
        "germanium",
        "polysilicon",
        "wheat",
        "corn",
        "soybeans",
        "coffee",
        "cocoa",
        "sugar",
    ],
)
def test_commodities_the_spec_lists_are_known(name: str) -> None:
    entity = default_gazetteer().by_name(name)
    assert entity is not None, name
    assert entity.type == "commodity"


@pytest.mark.parametrize(
    ("name", "entity_id"),
    [
        ("JOGMEC", "org:jogmec"),
        ("Japan Organization for Metals and Energy Security", "org:jogmec"),
        ("Epangelo", "org:epangelo"),
        ("Namibia Critical Metals", "org:namibia-critical-metals"),
        ("OPEC", "supranational:opec"),
        ("Saudi Aramco", "org:saudi-aramco"),
        ("SQM", "org:sqm"),
        ("Codelco", "org:codelco"),
        ("Panasonic", "org:panasonic"),
        ("TSMC", "org:tsmc"),
        ("Nvidia", "org:nvidia"),
        ("Amazon", "org:amazon"),
        ("AWS", "org:aws"),
        ("Lynas", "org:lynas"),
        ("MP Materials", "org:mp-materials"),
        ("CATL", "org:catl"),
        ("Glencore", "org:glencore"),
        ("BHP", "org:bhp"),
        ("Rio Tinto", "org:rio-tinto"),
        ("Vale", "org:vale"),
        ("EU", "supranational:eu"),
        ("IMF", "supranational:imf"),
        ("World Bank", "supranational:world-bank"),
        ("Japan", "country:JP"),
        ("Democratic Republic of Congo", "country:CD"),
        ("Viet Nam", "country:VN"),
    ],
)
def test_seed_organisations_bodies_and_countries_resolve(name: str, entity_id: str) -> None:
    entity = default_gazetteer().by_name(name)
    assert entity is not None, name
    assert entity.id == entity_id


def test_every_iso_country_is_an_entity() -> None:
    countries = [e for e in default_gazetteer().entities.values() if e.type == "country"]
    assert len(countries) >= 249
    assert all(e.id == f"country:{e.id[-2:]}" and e.id[-2:].isupper() for e in countries)


def test_demonyms_and_capitals_are_evidence_not_names() -> None:
    gazetteer = default_gazetteer()
    assert gazetteer.by_name("Japanese") is None  # not a name of Japan ...
    result = extract_entities(
        "", "Japanese buyers met officials in Tokyo.", gazetteer=gazetteer, options=EntityOptions()
    )
    # ... but a mention of it, marked as such
    assert [(m.entity_id, m.text, m.role) for m in result.mentions] == [
        ("country:JP", "Japanese", "demonym"),
        ("country:JP", "Tokyo", "capital"),
    ]
    off = extract_entities(
        "",
        "Japanese buyers met officials in Tokyo.",
        gazetteer=gazetteer,
        options=EntityOptions(demonyms_and_capitals=False),
    )
    assert off.mentions == []


def test_proper_names_match_case_sensitively_commodities_do_not() -> None:
    result = extract_entities(
        "",
        "Vale said the vale was green; Gold and GOLD and gold.",
        gazetteer=default_gazetteer(),
        options=EntityOptions(),
    )
    assert [m.text for m in result.mentions if m.entity_id == "org:vale"] == ["Vale"]
    assert len(result.mentions_of("commodity:gold")) == 3


def test_an_operator_gazetteer_adds_entities(tmp_path: Path) -> None:
    path = tmp_path / "entities.toml"
    path.write_text(
        'format_version = 1\n[[entity]]\nid = "org:acme"\nname = "Acme"\naliases = ["ACME Corp"]\n'
        'kind = "miner"\n',
        encoding="utf-8",
    )
    gazetteer = load_gazetteer(path)
    result = extract_entities(
        "",
        "ACME Corp bought a mine. Acme said the miner would grow.",
        gazetteer=gazetteer,
        options=EntityOptions(),
    )
    assert [m.text for m in result.mentions_of("org:acme")] == ["ACME Corp", "Acme", "the miner"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not toml [", "not valid TOML"),
        ("format_version = 9", "format_version 9"),
        ('[[entity]]\nid = "acme"\nname = "Acme"', "id must look like"),
        ('[[entity]]\nid = "thing:acme"\nname = "Acme"', "no known type prefix"),
        ('[[entity]]\nid = "org:acme"\nname = ""', "needs a name"),
        ('[[entity]]\nid = "org:a"\nname = "A"\n[[entity]]\nid = "org:a"\nname = "B"', "duplicate"),
        ('[[entity]]\nid = "org:a"\nname = "A"\naliases = "A"', "list of non-empty strings"),
        ('[country.XX]\ndemonyms = ["Xian"]', "unknown ISO 3166 codes: XX"),
        ('[[entity]]\nid = "person:a"\nname = "A"', "not taken here"),
    ],
)
def test_bad_gazetteer_files_are_reported(text: str, message: str) -> None:
    with pytest.raises(GazetteerError, match=message):
        parse_gazetteer(text, where="test.toml")


def test_a_missing_gazetteer_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(GazetteerError, match="cannot read gazetteer file"):
        load_gazetteer(tmp_path / "missing.toml")
