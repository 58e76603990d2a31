"""Facts with provenance: the seed article, more sentences, merging, and bad input."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from newsdesk.enrich.entities import EntityOptions, default_gazetteer, extract_entities
from newsdesk.enrich.facts import (
    AgreementFact,
    Amount,
    Fact,
    FactOptions,
    InvestmentFact,
    PolicyFact,
    Quantity,
    QuantityFact,
    extract_facts,
    merge_facts,
)
from research_data import seed_page_text

CORPUS = Path(__file__).resolve().parents[2] / "src" / "newsdesk" / "demo" / "corpus" / "articles"


def facts_of(text: str, *, title: str = "", article_id: int | None = 1) -> list[Fact]:
    entities = extract_entities(title, text, gazetteer=default_gazetteer(), options=EntityOptions())
    facts = extract_facts(text, entities, options=FactOptions(), article_id=article_id)
    for fact in facts:
        assert text[fact.start : fact.end] == fact.sentence
        json.dumps(fact.to_record())  # every record is JSON-ready
    return facts


def seed_text() -> str:
    paragraphs = seed_page_text().split("\n\n")
    return "\n\n".join(paragraphs[1:8])


def agreements(facts: list[Fact]) -> list[AgreementFact]:
    return [f for f in facts if isinstance(f, AgreementFact)]


@pytest.fixture(scope="module")
def seed_facts() -> list[Fact]:
    return facts_of(seed_text())


def find_agreement(facts: list[Fact], parties: set[str]) -> AgreementFact:
    matching = [f for f in agreements(facts) if set(f.parties) == parties]
    assert len(matching) == 1, [f.parties for f in agreements(facts)]
    return matching[0]


def test_seed_jogmec_epangelo_exploration_agreement(seed_facts: list[Fact]) -> None:
    fact = find_agreement(seed_facts, {"org:jogmec", "org:epangelo"})
    assert fact.kind == "exploration"
    assert fact.commodities == ("commodity:rare-earths",)
    assert "country:NA" in fact.countries
    assert fact.sentence.startswith("The agreement was signed between")
    assert fact.article_id == 1


def test_seed_jogmec_namibia_critical_metals_partnership_on_lofdal(
    seed_facts: list[Fact],
) -> None:
    fact = find_agreement(seed_facts, {"org:jogmec", "org:namibia-critical-metals"})
    assert fact.kind == "partnership"
    assert fact.places == ("place:lofdal-deposit",)
    assert set(fact.commodities) == {
        "commodity:yttrium",
        "commodity:dysprosium",
        "commodity:terbium",
    }


def test_seed_namibia_supply_agreement_with_the_eu_in_2022(seed_facts: list[Fact]) -> None:
    fact = find_agreement(seed_facts, {"country:NA", "supranational:eu"})
    assert (fact.kind, fact.date, fact.status) == ("supply", "2022", "signed")
    assert fact.commodities == ("commodity:rare-earths",)


def test_seed_restated_agreement_is_not_a_new_fact(seed_facts: list[Fact]) -> None:
    japan_namibia = [
        f for f in agreements(seed_facts) if set(f.parties) == {"country:JP", "country:NA"}
    ]
    assert len(japan_namibia) == 1
    assert japan_namibia[0].kind == "exploration"


def test_investment_with_two_currencies_and_a_period() -> None:
    text = (
        "Amazon announced on Thursday the official launch of the Amazon Web Services (AWS) "
        "Asia Pacific (Taipei) Region, alongside plans to invest over $5 billion "
        "(TWD 160 billion) in Taiwan over the next 15 years."
    )
    (fact,) = [f for f in facts_of(text) if isinstance(f, InvestmentFact)]
    assert (fact.investor, fact.target) == ("org:amazon", "country:TW")
    assert fact.amount == Amount(value=5e9, currency="USD")
    assert fact.other_amounts == (Amount(value=160e9, currency="TWD"),)
    assert fact.period == "over the next 15 years"


def test_quantity_forecast_with_its_change() -> None:
    text = (
        "After years of surging imports, forecasts for Chinese LNG purchases were slashed this "
        "year to 74.89 million tons — roughly 11 million tons lower than previous estimates."
    )
    (fact,) = [f for f in facts_of(text) if isinstance(f, QuantityFact)]
    assert fact.quantity == Quantity(value=74.89e6, unit="t")
    assert fact.change == Quantity(value=-11e6, unit="t")
    assert (fact.commodity, fact.estimate, fact.period) == (
        "commodity:lng",
        "forecast",
        "this year",
    )
    assert fact.countries == ("country:CN",)


def test_a_quantity_stated_as_a_cut_is_a_negative_change() -> None:
    text = "OPEC+ agreed to remove another 500,000 barrels per day of crude from January."
    (fact,) = [f for f in facts_of(text) if isinstance(f, QuantityFact)]
    assert fact.quantity == Quantity(value=500000.0, unit="bbl/d")
    assert fact.change == Quantity(value=-500000.0, unit="bbl/d")
    assert fact.commodity == "commodity:crude-oil"


@pytest.mark.parametrize(
    ("text", "action", "by", "on", "what"),
    [
        (
            "Beijing banned exports of gallium and germanium to the United States.",
            "export_control",
            ("country:CN",),
            ("country:US",),
            ("commodity:gallium", "commodity:germanium"),
        ),
        (
            "Washington and London sanctioned 45 tankers carrying Russian crude.",
            "sanction",
            ("country:US", "country:GB"),
            ("country:RU",),
            ("commodity:crude-oil",),
        ),
        (
            "The US finalised steep tariffs on solar cells from Vietnam and Thailand.",
            "tariff",
            ("country:US",),
            ("country:VN", "country:TH"),
            (),
        ),
    ],
)
def test_policy_actions_say_who_on_whom_and_on_what(
    text: str, action: str, by: tuple[str, ...], on: tuple[str, ...], what: tuple[str, ...]
) -> None:
    (fact,) = [f for f in facts_of(text) if isinstance(f, PolicyFact)]
    assert (fact.action, fact.by, fact.on, fact.what) == (action, by, on, what)


def test_a_tariff_war_is_not_a_policy_action() -> None:
    assert facts_of("The IMF meetings were hijacked by a global tariff war.") == []


def test_the_same_fact_from_two_articles_is_one_fact_with_two_sources() -> None:
    first = facts_of(
        "JOGMEC signed an agreement with Epangelo to explore for rare earths in Namibia.",
        article_id=1,
    )
    second = facts_of(
        "Namibia's Epangelo and Japan's JOGMEC have agreed to jointly explore for rare earth "
        "minerals.",
        article_id=2,
    )
    merged = merge_facts([*agreements(first), *agreements(second)])
    assert len(merged) == 1
    assert [s.article_id for s in merged[0].sources] == [1, 2]
    record = merged[0].to_record()
    assert record["type"] == "agreement"
    assert "sentence" not in record
    assert len(record["sources"]) == 2  # type: ignore[arg-type]


def test_different_facts_stay_apart_when_merged(seed_facts: list[Fact]) -> None:
    merged = merge_facts([*seed_facts, *seed_facts])
    assert len(merged) == len({f.key for f in seed_facts})
    assert all(len(m.sources) == 1 for m in merged)  # the same sentence twice is one source


def test_a_single_party_is_no_agreement() -> None:
    assert agreements(facts_of("JOGMEC said a deal was close.")) == []


def test_options_select_the_fact_types() -> None:
    text = "Amazon plans to invest $5bn in Taiwan, and shipments reached 5 Mt."
    entities = extract_entities("", text, gazetteer=default_gazetteer(), options=EntityOptions())
    only = extract_facts(text, entities, options=FactOptions(types=("quantity",)))
    assert [f.type for f in only] == ["quantity"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "Die Regierung investiert 1,2 Mrd. € in Lithium aus Chile.",
        "<p>Amazon will <b>invest</b> $5bn in <i>Taiwan</i>.</p><script>x=1</script>",
        "Revenue was TWD 160 billion; output 74.89 million tons; a $5bn deal; 1,2 Mrd. €.",
        "Amounts like $ and 1,20,00 USD and five billion dollars are not numbers.",
    ],
)
def test_bad_input_never_crashes_and_invents_no_value(text: str) -> None:
    for fact in facts_of(text):
        if isinstance(fact, InvestmentFact):
            assert fact.amount.value is not None
            assert fact.amount.raw in text
        if isinstance(fact, QuantityFact):
            assert fact.quantity.raw in text


def test_german_amount_is_read_with_its_decimal_comma() -> None:
    facts = facts_of("Die Regierung investiert 1,2 Mrd. € in Lithium aus Chile.")
    (fact,) = [f for f in facts if isinstance(f, InvestmentFact)]
    assert fact.amount == Amount(value=1.2e9, currency="EUR")


def test_a_megabyte_of_text_is_capped() -> None:
    text = "Amazon plans to invest $5bn in Taiwan. " * 30_000
    facts = facts_of(text[:1_000_000])
    assert facts
    assert max(f.end for f in facts) <= FactOptions().max_chars


def test_demo_corpus_yields_facts_with_exact_provenance() -> None:
    counts: dict[str, int] = {}
    for path in sorted(CORPUS.glob("*.toml")):
        article = tomllib.loads(path.read_text(encoding="utf-8"))
        for fact in facts_of(article["body"], title=article["title"]):
            counts[fact.type] = counts.get(fact.type, 0) + 1
    assert set(counts) == {"agreement", "investment", "quantity", "policy"}
    assert all(n >= 5 for n in counts.values()), counts
