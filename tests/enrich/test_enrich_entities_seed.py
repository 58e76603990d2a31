"""Entities of the seed article (first 7 paragraphs) and of the demo corpus."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from newsdesk.enrich.entities import (
    EntityOptions,
    EntityResult,
    default_gazetteer,
    extract_entities,
)
from research_data import seed_page_text

CORPUS = Path(__file__).resolve().parents[2] / "src" / "newsdesk" / "demo" / "corpus" / "articles"
OPTIONS = EntityOptions()


def seed_article() -> tuple[str, str]:
    paragraphs = seed_page_text().split("\n\n")
    return paragraphs[0].strip(), "\n\n".join(paragraphs[1:8])


@pytest.fixture(scope="module")
def seed() -> tuple[str, EntityResult]:
    title, text = seed_article()
    return text, extract_entities(title, text, gazetteer=default_gazetteer(), options=OPTIONS)


def assert_offsets_exact(title: str, text: str, result: EntityResult) -> None:
    for mention in result.mentions:
        source = text if mention.field == "text" else title
        assert source[mention.start : mention.end] == mention.text, mention
    ids = {e.id for e in result.entities}
    assert {m.entity_id for m in result.mentions} == ids


@pytest.mark.parametrize(
    ("entity_id", "name", "entity_type"),
    [
        ("org:jogmec", "JOGMEC", "organisation"),
        ("org:epangelo", "Epangelo", "organisation"),
        ("country:NA", "Namibia", "country"),
        ("country:JP", "Japan", "country"),
        ("country:CN", "China", "country"),
        ("org:namibia-critical-metals", "Namibia Critical Metals Inc.", "organisation"),
        ("place:lofdal-deposit", "Lofdal deposit", "place"),
        ("supranational:eu", "European Union", "supranational"),
        ("commodity:yttrium", "yttrium", "commodity"),
        ("commodity:dysprosium", "dysprosium", "commodity"),
        ("commodity:terbium", "terbium", "commodity"),
        ("commodity:rare-earths", "rare earths", "commodity"),
        ("person:yasutoshi-nishimura", "Yasutoshi Nishimura", "person"),
        ("country:ZM", "Zambia", "country"),
        ("country:CD", "Democratic Republic of the Congo", "country"),
    ],
)
def test_seed_article_names_each_expected_entity(
    seed: tuple[str, EntityResult], entity_id: str, name: str, entity_type: str
) -> None:
    _, result = seed
    entity = result.entity(entity_id)
    assert entity is not None, entity_id
    assert (entity.name, entity.type) == (name, entity_type)


def test_jogmec_links_its_long_name_as_an_alias(seed: tuple[str, EntityResult]) -> None:
    text, result = seed
    jogmec = result.entity("org:jogmec")
    assert jogmec is not None
    assert "Japan Organization for Metals and Energy Security" in jogmec.aliases
    spellings = {m.text for m in result.mentions_of("org:jogmec")}
    assert spellings == {"JOGMEC", "Japan Organization for Metals and Energy Security"}
    # the long name is one mention of JOGMEC, not also a mention of Japan
    long_name = text.index("Japan Organization")
    assert all(not (m.entity_id == "country:JP" and m.start == long_name) for m in result.mentions)


def test_nishimura_carries_the_role_the_text_gives_him(seed: tuple[str, EntityResult]) -> None:
    _, result = seed
    roles = {m.role for m in result.mentions_of("person:yasutoshi-nishimura")}
    assert roles == {"Minister for Economy, Trade and Industry"}


def test_short_references_link_to_the_entity_they_mean(seed: tuple[str, EntityResult]) -> None:
    _, result = seed
    deposit = {m.text for m in result.mentions_of("place:lofdal-deposit")}
    assert deposit == {"Lofdal deposit", "This deposit"}
    assert "the country" in {m.text for m in result.mentions_of("country:NA")}


def test_seed_mentions_index_the_text_exactly(seed: tuple[str, EntityResult]) -> None:
    text, result = seed
    title, _ = seed_article()
    assert_offsets_exact(title, text, result)
    assert {m.entity_id for m in result.mentions if m.field == "title"} == {
        "country:JP",
        "country:NA",
        "commodity:rare-earths",
    }


def test_records_have_the_cli_shape(seed: tuple[str, EntityResult]) -> None:
    _, result = seed
    records = {r["id"]: r for r in result.to_records()}
    jogmec = records["org:jogmec"]
    assert set(jogmec) == {"id", "name", "type", "aliases", "mentions"}
    mentions = jogmec["mentions"]
    assert isinstance(mentions, list)
    assert len(mentions) == 3  # long name, "(JOGMEC)", "JOGMEC is already involved"


def test_demo_corpus_articles_all_extract_with_exact_offsets() -> None:
    files = sorted(CORPUS.glob("*.toml"))
    assert len(files) >= 30
    gazetteer = default_gazetteer()
    people: set[str] = set()
    for path in files:
        article = tomllib.loads(path.read_text(encoding="utf-8"))
        title, body = article["title"], article["body"]
        result = extract_entities(title, body, gazetteer=gazetteer, options=OPTIONS)
        assert result.entities, path.name
        assert_offsets_exact(title, body, result)
        people.update(e.id for e in result.entities if e.type == "person")
    # people the corpus names with a role; none of the capitalised phrases that are not people
    assert {"person:scott-bessent", "person:jensen-huang", "person:amanda-lacaze"} <= people
    assert not {p for p in people if p.endswith(("-research", "-s", "-group", "-capital"))}
