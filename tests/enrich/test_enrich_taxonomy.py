"""The sector taxonomy file: the default nine sectors, and clear errors for broken copies."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.enrich import TaxonomyError, load_taxonomy, parse_taxonomy

NINE = (
    "oil-gas",
    "rare-earths-commodities",
    "mining-metals",
    "evs-battery-tech",
    "esg-renewables",
    "ai-semiconductors",
    "aerospace-defense",
    "sanctions-regulation",
    "business-politics",
)

MINIMAL = """
[[sector]]
id = "oil-gas"
name = "Oil & Gas"
description = "Oil."
[sector.terms.en]
"crude" = 3.0
"""

PATTERN = """
[[pattern]]
name = "deal"
sectors = ["oil-gas"]
weight = 2.0
all = [["buy", "acquire"], ["@org"], ["stake"]]
"""


def test_default_taxonomy_has_the_nine_sectors_in_order() -> None:
    taxonomy = load_taxonomy()
    assert taxonomy.ids == NINE
    for sector in taxonomy.sectors:
        assert sector.name and sector.description and sector.examples
        assert {"en", "de", "fr", "es"} <= set(sector.terms), sector.id


def test_default_taxonomy_maps_entities_to_sectors() -> None:
    taxonomy = load_taxonomy()
    by_alias = {alias: e.sectors for e in taxonomy.entities for alias in e.aliases}
    assert by_alias["OPEC"] == ("oil-gas",)
    assert set(by_alias["JOGMEC"]) == {"rare-earths-commodities", "mining-metals"}
    assert by_alias["TSMC"] == ("ai-semiconductors",)


def test_cross_cutting_sectors_thresholds_and_patterns_are_read() -> None:
    taxonomy = load_taxonomy()
    cross = {s.id for s in taxonomy.sectors if s.cross_cutting}
    assert cross == {"sanctions-regulation", "business-politics"}
    assert all(s.threshold is None or 0 < s.threshold <= 10 for s in taxonomy.sectors)
    names = {p.name for p in taxonomy.patterns}
    assert {"deal between organisations", "sanction meaning approval"} <= names
    assert {"ja", "zh", "pt", "it", "nl"} <= taxonomy.languages
    parsed = parse_taxonomy(MINIMAL + PATTERN)
    (pattern,) = parsed.patterns
    assert pattern.language == "en"
    assert pattern.groups == (("buy", "acquire"), ("@org",), ("stake",))
    assert pattern.sectors == ("oil-gas",) and pattern.weight == 2.0
    assert parsed.sector("oil-gas").threshold is None
    assert not parsed.sector("oil-gas").cross_cutting
    assert parsed.sector("oil-gas").side_note_power is None
    assert taxonomy.sector("sanctions-regulation").side_note_power is not None
    powered = parse_taxonomy(
        MINIMAL.replace('description = "Oil."', 'description = "Oil."\nside_note_power = 0.5')
    )
    assert powered.sector("oil-gas").side_note_power == 0.5
    assert parsed.sector("oil-gas").title_share_floor is None
    assert taxonomy.sector("sanctions-regulation").title_share_floor is not None
    floored = parse_taxonomy(
        MINIMAL.replace('description = "Oil."', 'description = "Oil."\ntitle_share_floor = 1')
    )
    assert floored.sector("oil-gas").title_share_floor == 1.0
    assert parsed.sector("oil-gas").title_event_floor is None
    assert parsed.sector("oil-gas").title_event_weight == 3.0
    assert taxonomy.sector("business-politics").title_event_floor is not None
    evented = parse_taxonomy(
        MINIMAL.replace(
            'description = "Oil."',
            'description = "Oil."\ntitle_event_floor = 0.5\ntitle_event_weight = 2.5',
        )
    )
    assert evented.sector("oil-gas").title_event_floor == 0.5
    assert evented.sector("oil-gas").title_event_weight == 2.5


def test_amount_words_are_read_and_optional() -> None:
    assert parse_taxonomy(MINIMAL).amounts.units == ()
    parsed = parse_taxonomy('[amounts]\nunits = ["euro"]\nmagnitudes = ["billion"]\n' + MINIMAL)
    assert parsed.amounts.units == ("euro",)
    assert parsed.amounts.magnitudes == ("billion",)
    assert "euro" in load_taxonomy().amounts.units


def test_edited_copy_is_loaded_from_a_path(tmp_path: Path) -> None:
    path = tmp_path / "sectors.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    taxonomy = load_taxonomy(path)
    assert taxonomy.ids == ("oil-gas",)
    assert taxonomy.sector("oil-gas").terms["en"] == (("crude", 3.0),)
    assert taxonomy.digest != load_taxonomy().digest


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[sector]\n", "not valid TOML"),
        ("format_version = 2\n" + MINIMAL, "format_version 2 is not supported"),
        ("", "at least one [[sector]]"),
        (MINIMAL + MINIMAL.replace("[[sector]]", "[[sector]]", 1), "duplicate sector ids: oil-gas"),
        (MINIMAL.replace('"oil-gas"', '"Oil Gas"'), "lowercase letters"),
        (MINIMAL.replace('name = "Oil & Gas"\n', ""), "'name' must be a non-empty string"),
        (MINIMAL.replace("3.0", "-1"), "weight must be a number above 0"),
        (MINIMAL.replace("[sector.terms.en]", "[sector.terms.english]"), "two-letter code"),
        (MINIMAL.replace('[sector.terms.en]\n"crude" = 3.0\n', ""), "needs [sector.terms"),
        (
            MINIMAL + '[[entity]]\nname = "X"\nsectors = ["space"]\n',
            "entity #1 ('X'): unknown sector ids: space",
        ),
        (MINIMAL.replace('description = "Oil."', 'description = "Oil."\nthreshold = 0'), "weight"),
        (
            MINIMAL.replace('description = "Oil."', 'description = "Oil."\ncross_cutting = "yes"'),
            "cross_cutting must be true or false",
        ),
        (
            MINIMAL.replace('description = "Oil."', 'description = "Oil."\nside_note_power = 0'),
            "side_note_power: weight must be a number above 0",
        ),
        *(
            (
                MINIMAL.replace(
                    'description = "Oil."', f'description = "Oil."\ntitle_share_floor = {bad}'
                ),
                "title_share_floor must be a number above 0 and at most 1",
            )
            for bad in ("0", "1.5", "true", '"half"')
        ),
        *(
            (
                MINIMAL.replace(
                    'description = "Oil."', f'description = "Oil."\ntitle_event_floor = {bad}'
                ),
                "title_event_floor must be a number above 0 and at most 1",
            )
            for bad in ("0", "1.5", "true", '"half"')
        ),
        (
            MINIMAL.replace('description = "Oil."', 'description = "Oil."\ntitle_event_weight = 0'),
            "title_event_weight: weight must be a number above 0",
        ),
        (
            MINIMAL + PATTERN.replace('[["buy", "acquire"], ["@org"], ["stake"]]', '[["buy"]]'),
            "two or more non-empty lists",
        ),
        (MINIMAL + PATTERN.replace("weight = 2.0", "weight = 0"), "non-zero number"),
        (MINIMAL + PATTERN.replace('"oil-gas"]', '"space"]'), "unknown sector ids: space"),
        (MINIMAL + PATTERN + 'language = "english"\n', "two-letter code"),
        ("pattern = 3\n" + MINIMAL, "list of [[pattern]] tables"),
        ("amounts = 3\n" + MINIMAL, "[amounts]: must be a table"),
        ('[amounts]\nunits = "euro"\n' + MINIMAL, "'units' must be a list of single words"),
        ('[amounts]\nmagnitudes = ["a lot"]\n' + MINIMAL, "'magnitudes' must be a list"),
        ('[amounts]\ncurrencies = ["euro"]\n' + MINIMAL, "unknown keys: currencies"),
    ],
)
def test_broken_taxonomy_is_refused_with_a_clear_error(text: str, message: str) -> None:
    with pytest.raises(TaxonomyError, match=r"^where\.toml: ") as error:
        parse_taxonomy(text, where="where.toml")
    assert message in str(error.value)


def test_missing_file_is_a_taxonomy_error(tmp_path: Path) -> None:
    with pytest.raises(TaxonomyError, match="cannot read taxonomy file"):
        load_taxonomy(tmp_path / "nope.toml")


def test_unknown_sector_lookup_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        load_taxonomy().sector("space")
