"""An investment word that is part of an organisation's name ("Utilities Investment Inc",
"Savings and Loan Association", "Capital Funding Corp") or of a kind of firm ("investment
dealers") does not make the sentence an investment, nor decide where its clause ends."""

from __future__ import annotations

import pytest

from newsdesk.enrich.entities import EntityOptions, default_gazetteer, extract_entities
from newsdesk.enrich.facts import FactOptions, InvestmentFact, extract_facts
from newsdesk.enrich.facts.roles import in_name


def investments(text: str) -> list[tuple[str | None, str | None]]:
    entities = extract_entities("", text, gazetteer=default_gazetteer(), options=EntityOptions())
    return [
        (f.investor, f.target)
        for f in extract_facts(text, entities, options=FactOptions())
        if isinstance(f, InvestmentFact)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Utilities Investment Inc said it is offering to acquire Pennsylvania Enterprises Inc "
        "for 20 dlrs a share.",
        "First Federal Savings and Loan Association of Salt Lake City said an initial public "
        "offering of 816,927 shares is under way at 6.50 dlrs each.",
        "Mony Funding Inc is issuing a 125 mln dlr eurobond due April 7, 1997.",
        "Dumez Investments said it bought 5 mln shares of United Westburne for 60 mln dlrs.",
        "Chase Investment Bank Ltd said the 100 mln dlr issue was priced at par.",
        "Numac Oil and Gas Ltd said it arranged a 59.7 mln dlr financing with two investment "
        "dealers.",
        "Investment bankers say the market currently stands at roughly 11.9 billion dlrs.",
        "The bill would recapitalize the savings and loan industry with 7.5 billion dlrs.",
    ],
)
def test_an_investment_word_inside_a_name_makes_no_investment(text: str) -> None:
    assert investments(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the name is the investor; the investment word after it decides the target
        (
            "Utilities Investment Inc said it will invest 20 mln dlrs in Pennsylvania "
            "Enterprises Inc.",
            [("org:utilities-investment-inc", "org:pennsylvania-enterprises-inc")],
        ),
        (
            "Japan will invest $500 million in Namibia's rare-earth projects.",
            [("country:JP", "country:NA")],
        ),
    ],
)
def test_an_investment_word_outside_a_name_still_counts(
    text: str, expected: list[tuple[str | None, str | None]]
) -> None:
    assert investments(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # near misses: the word starts the sentence, follows "U.S." (wire style) or "The",
        # or the whole sentence is in capitals
        "Investment in the plant will total $500 million, BHP said.",
        "BASF said it expected a U.S. Investment of 240 mln dlrs in 1987.",
        "The Investment of $5 million was approved.",
        "INVESTMENT BY JAPAN WILL TOTAL $5 MILLION.",
    ],
)
def test_a_capitalised_investment_word_alone_still_counts(text: str) -> None:
    assert len(investments(text)) == 1


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        ("Utilities Investment Inc said", "Investment", True),
        ("the Student Loan Marketing Association said", "Loan", True),
        ("Dumez Investments said", "Investments", True),
        ("Canadian investment dealers bought", "investment", True),
        ("the savings and loan industry", "loan", True),
        ("Investment in the plant", "Investment", False),
        ("a U.S. Investment of", "Investment", False),
        ("The Investment of", "Investment", False),
        ("the investment in Namibia", "investment", False),
        ("a $5 mln loan to Kenya", "loan", False),
        ("TOTAL INVESTMENT WAS", "INVESTMENT", False),
    ],
)
def test_in_name(text: str, word: str, expected: bool) -> None:
    start = text.index(word)
    assert in_name(text, start, start + len(word), []) is expected


def test_in_name_inside_a_recognised_entity() -> None:
    text = "ACME Stake Holdings bought more"
    start = text.index("Stake")
    assert in_name(text, start, start + 5, [(0, 19)])
    assert not in_name("a stake of 5 pct", 2, 7, [(10, 15)])


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "Investment",
        "Loan Loan Loan",
        "Mega Investment " * 90 + "Inc will invest $5m in Kenya.",
        "and Loan " * 150 + "Association said it spent $5m.",
        "Инвестиционная компания Investment Inc вложит $5 млн.",
        "投资公司 Investment 将投资500万美元。",
    ],
)
def test_hostile_text_does_not_break_extraction(text: str) -> None:
    found = investments(text)
    assert all(isinstance(role, str | None) for pair in found for role in pair)
    for word in ("Investment", "Loan", "invest"):
        for start in range(len(text)):
            if text.startswith(word, start):
                in_name(text, start, start + len(word), [])
