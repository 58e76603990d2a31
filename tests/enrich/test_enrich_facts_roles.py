"""Investors and targets: a country that only describes someone else is not the investor, and
a body named as the venue or speaker of an announcement is not the target; countries and
governments that do invest, or are invested in, keep their role."""

from __future__ import annotations

import pytest
from facts_gold import gold_with_bodies

from newsdesk.enrich.entities import EntityOptions, default_gazetteer, extract_entities
from newsdesk.enrich.entities.model import entity_type_of
from newsdesk.enrich.facts import AgreementFact, FactOptions, InvestmentFact, extract_facts
from newsdesk.enrich.facts.roles import clause_end, describes_another, owns


def investment(text: str) -> tuple[str | None, str | None]:
    entities = extract_entities("", text, gazetteer=default_gazetteer(), options=EntityOptions())
    found = [
        f for f in extract_facts(text, entities, options=FactOptions()) if type(f) is InvestmentFact
    ]
    assert len(found) == 1, found
    return found[0].investor, found[0].target


SIBELCO = "Sibelco, the privately held Belgian industrial minerals company,"


@pytest.mark.parametrize(
    ("text", "investor"),
    [
        (
            f"{SIBELCO} plans to invest $200 million to expand its quartz plant at Spruce Pine.",
            "org:sibelco",
        ),
        (f"{SIBELCO} will spend $200 million on a second flotation circuit.", "org:sibelco"),
        (f"{SIBELCO} said on Monday it had secured a $200 million loan.", "org:sibelco"),
        ("Norway's Elkem will invest $100 million in a new silicon plant.", None),
        (
            "A consortium of Saudi developer ACWA Power and Oman's state energy group OQ committed "
            "$3.8 billion to a green ammonia plant.",
            "org:oq",
        ),
        (
            "Offshore Energies UK said investment in new fields fell to about £3 billion a year.",
            None,
        ),
    ],
)
def test_a_country_describing_the_actor_is_not_the_investor(
    text: str, investor: str | None
) -> None:
    # the appositive names the actor ("Sibelco, the ... company", "state energy group OQ")
    assert investment(text)[0] == investor


@pytest.mark.parametrize(
    ("text", "investor", "target"),
    [
        ("Belgium will invest $200 million in a new quartz plant.", "country:BE", None),
        (
            "Japan will invest $500 million in Namibia's rare-earth projects.",
            "country:JP",
            "country:NA",
        ),
        (
            "The Japanese government will invest $500 million in Namibia.",
            "country:JP",
            "country:NA",
        ),
        (
            "Emirati officials promised $1.4 trillion of investment in the US.",
            "country:AE",
            "country:US",
        ),
        ("Canberra's total commitment to the project rose to A$2.05 billion.", "country:AU", None),
        ("Japan's $550 billion investment will go to US industries.", "country:JP", "country:US"),
        ("Chinese investment in Namibia reached $5 billion last year.", "country:CN", "country:NA"),
        (
            "The US government will take a 9.9% stake in Intel, converting $8.9 billion of grants.",
            "country:US",
            "org:intel",
        ),
        (
            "The World Bank approved a $90 million loan to Kenya.",
            "supranational:world-bank",
            "country:KE",
        ),
        (
            "The IMF approved a $1.2 billion loan to the government of Argentina.",
            "supranational:imf",
            "country:AR",
        ),
        ("Amazon said it would invest $5 billion in Taiwan.", "org:amazon", "country:TW"),
        (
            "BHP will spend A$300 million a year on care and maintenance at the Leinster mine.",
            "org:bhp",
            "place:leinster-mine",
        ),
        # the owner of the spending, met after the first trigger word, is the investor
        (
            "Together with the $65 billion already committed, TSMC's planned US spending now "
            "reaches $165 billion.",
            "org:tsmc",
            "country:US",
        ),
    ],
)
def test_countries_and_governments_that_invest_or_are_invested_in_keep_their_role(
    text: str, investor: str | None, target: str | None
) -> None:
    assert investment(text) == (investor, target)


@pytest.mark.parametrize(
    ("text", "investor", "target"),
    [
        (
            "The Stargate partners committed an initial $100 billion when the venture was "
            "announced at the White House in January.",
            None,
            None,
        ),
        (
            "TSMC will invest an additional $100 billion in the United States, chairman C.C. Wei "
            "announced at the White House alongside President Donald Trump.",
            "org:tsmc",
            "country:US",
        ),
        ("TSMC will invest $100 billion in new fabs, the White House said.", "org:tsmc", None),
        ("The White House said TSMC will invest $100 billion in Arizona.", "org:tsmc", None),
        ("TSMC committed $100 billion at a White House ceremony.", "org:tsmc", None),
        ("A $100 billion investment, valued by the White House at $120 billion.", None, None),
        (
            "The additional loan takes the total to A$2.05 billion, making it the largest "
            "government investment outside China.",
            None,
            None,
        ),
    ],
)
def test_the_venue_or_speaker_of_an_announcement_is_not_the_target(
    text: str, investor: str | None, target: str | None
) -> None:
    assert investment(text) == (investor, target)


@pytest.mark.parametrize(
    ("text", "name", "role", "describes"),
    [
        ("the Belgian industrial minerals company", "Belgian", "demonym", True),
        ("US industrial gas company Air Products", "US", None, True),
        ("Norway's Elkem", "Norway", None, True),
        ("Oman's state energy group OQ", "Oman", None, True),
        ("Japan Tobacco", "Japan", None, True),
        ("Offshore Energies UK", "UK", None, True),
        ("the Japanese government", "Japanese", "demonym", False),
        ("Japan's government", "Japan", None, False),
        ("Japan will invest", "Japan", None, False),
        ("On Monday Japan pledged", "Japan", None, False),
        ("the U.S. Is spending", "U.S.", None, False),  # wire copy capitalises after "U.S."
        ("Japan", "Japan", None, False),
        ("Japan,", "Japan", None, False),
    ],
)
def test_describes_another(text: str, name: str, role: str | None, describes: bool) -> None:
    start = text.index(name)
    assert describes_another(text, start, start + len(name), role) is describes


def test_owns_needs_the_trigger_noun_itself_not_a_name_or_a_verb() -> None:
    def owned(text: str, name: str, trigger: str) -> bool:
        start = text.index(trigger)
        return owns(text, text.index(name) + len(name), [(start, start + len(trigger))])

    assert owned("Canberra's total commitment", "Canberra", "commitment")
    assert owned("Japanese investment in Namibia", "Japanese", "investment")
    assert not owned("Canadian investment dealers Nesbitt", "Canadian", "investment")
    assert not owned("Norway's Elkem will invest", "Norway", "invest")
    assert not owned("Prudential-Bache Capital Funding", "Capital", "Funding")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "Belgian " * 180 + "companies will invest $5 million.",
        "White House, " * 110 + "TSMC will invest $5 million at the White House.",
        "Газпром will invest $5 billion in China, the Кремль said.",
        "中国将在纳米比亚投资50亿美元。",
        "Japan's's's $5 billion investment.",
    ],
)
def test_hostile_sentences_never_crash_or_name_a_describing_country(text: str) -> None:
    entities = extract_entities("", text, gazetteer=default_gazetteer(), options=EntityOptions())
    for fact in extract_facts(text, entities, options=FactOptions()):
        if isinstance(fact, InvestmentFact) and "Belgian" in text:
            assert fact.investor != "country:BE"


def test_clause_end_stops_at_a_report_or_a_new_clause() -> None:
    text = "It will invest $5bn in Taiwan, Wei announced at the White House."
    assert text[clause_end(text, 0) :].startswith("announced")
    assert clause_end("It will invest $5bn in Beijing, Taiwan.", 0) == len(
        "It will invest $5bn in Beijing, Taiwan."
    )


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
        ("Under the renewed contract, signed in Paris on Monday, Airbus will buy titanium.", []),
        (
            "Qatar Airways agreed to buy 210 Boeing aircraft in a deal valued by the White House "
            "at $96 billion.",
            [("org:qatar-airways", "org:boeing")],
        ),
        (
            "Commerce Secretary Howard Lutnick announced the agreement after President Donald "
            "Trump met Intel chief executive Lip-Bu Tan at the White House.",
            [],
        ),
        # near misses: the country signing, and the partner standing for an unnamed company
        (
            "Japan and Namibia signed an agreement in Windhoek to explore for rare earths.",
            [("country:JP", "country:NA")],
        ),
        (
            "JOGMEC signed an agreement with Epangelo in Windhoek.",
            [("org:jogmec", "org:epangelo")],
        ),
        (
            "Lufthansa has agreed to buy 250,000 tonnes of fuel from Finland's Neste.",
            [("org:lufthansa", "country:FI")],
        ),
    ],
)
def test_where_an_agreement_was_signed_is_not_a_party(
    text: str, expected: list[tuple[str, ...]]
) -> None:
    assert parties(text) == expected


def test_the_investment_roles_gold_names_real_demo_sentences_and_entity_ids() -> None:
    gold = gold_with_bodies("facts_investment_gold.jsonl")
    assert len(gold) >= 20
    for item, body in gold:
        assert item["sentence"] in body, item
        for role in ("investor", "target"):
            value = item[role]
            assert value is None or value == "?" or entity_type_of(value), item
