"""Policy facts: whoever faces a tariff or sanctions is its target, not its imposer; a denied
action ("has not sanctioned") and "sanctioned" meaning approved state no policy; the named
imposer of a policy ("US sanctions on Russia") is not among its targets."""

from __future__ import annotations

import pytest
from facts_gold import gold_with_bodies

from newsdesk.enrich.entities import EntityOptions, default_gazetteer, extract_entities
from newsdesk.enrich.entities.model import entity_type_of
from newsdesk.enrich.facts import FactOptions, PolicyFact, extract_facts
from newsdesk.enrich.facts.policy import faces, names_the_imposer, void


def policies(text: str) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    entities = extract_entities("", text, gazetteer=default_gazetteer(), options=EntityOptions())
    return [
        (f.action, f.by, f.on)
        for f in extract_facts(text, entities, options=FactOptions())
        if isinstance(f, PolicyFact)
    ]


@pytest.mark.parametrize(
    "text",
    [
        # the one facing the policy is no imposer, and none other is named
        "Indonesia, the largest nickel producer, faces a headline tariff of 32% once the pause "
        "ends.",
        "Russia, whose revenues are squeezed by Western sanctions and the price cap on its "
        "seaborne crude, agreed to a share.",
        "Japan is facing auto export quota restrictions to the Canadian market.",
        # denied
        "The European Union has not sanctioned VSMPO, but Airbus has said it expects to be "
        "independent of Russian titanium.",
        "Australia has said it is not setting any export quota.",
        "Japan said it had no plans to impose tariffs on Chinese steel.",
        "The trade team is persuading the U.S. Not to impose tariffs on Japanese products.",
        # approved, not sanctioned
        "ExxonMobil said the vessel had produced first oil four months ahead of the schedule "
        "set when the project was sanctioned.",
        "Chevron said the board sanctioned the expansion in Kazakhstan.",
        # a country that only describes someone else
        "They argued that Chinese companies had moved production to avoid earlier duties on "
        "China itself.",
        # a trigger word inside a recognised name
        "The U.S. Presented its case to the aircraft committee of the General Agreement on "
        "Tariffs and Trade (GATT).",
    ],
)
def test_no_policy_imposed_by_who_faces_denies_or_approves_it(text: str) -> None:
    assert policies(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "For Boeing, the order comes at a time when China, which faces 145% US tariffs, had "
            "told its airlines to stop taking delivery of new Boeing jets.",
            [("tariff", ("country:US",), ("country:CN",))],
        ),
        (
            "The US Treasury's Office of Foreign Assets Control (OFAC) imposed blocking sanctions "
            "on Rosneft and Lukoil, the first major US sanctions on Russia.",
            [("sanction", ("org:ofac",), ("org:rosneft", "org:lukoil", "country:RU"))],
        ),
        # near misses that keep their imposer
        (
            "The US Treasury has for the first time sanctioned a Chinese independent refinery "
            "for buying Iranian crude.",
            [("sanction", ("org:us-treasury",), ("country:CN", "country:IR"))],
        ),
        (
            "Wingtech, which bought Nexperia in 2019, was added to the US Entity List in December "
            "2024.",
            [("sanction", ("country:US",), ())],
        ),
        (
            "Any company that re-exports the metals risks penalties under China's Export Control "
            "Law of 2020.",
            [("export_control", ("country:CN",), ())],
        ),
        (
            "The U.S. Said it intended to raise tariffs of as much as 300 mln dlrs on Japanese "
            "exports to the U.S.",
            [("tariff", ("country:US",), ("country:JP",))],
        ),
        (
            "Qatar has faced particular difficulty in selling its full quota of production.",
            [("quota", ("country:QA",), ())],
        ),
        (
            "Japan imposed tariffs on Chinese steel, not only on aluminium.",
            [("tariff", ("country:JP",), ("country:CN",))],
        ),
        (
            "The US said it would require countries with large surpluses with the U.S. to cut "
            "them or face special tariffs.",
            [("tariff", ("country:US",), ())],
        ),
    ],
)
def test_the_imposer_and_target_of_a_policy(
    text: str, expected: list[tuple[str, tuple[str, ...], tuple[str, ...]]]
) -> None:
    assert policies(text) == expected


@pytest.mark.parametrize(
    ("text", "trigger", "expected"),
    [
        ("The EU has not sanctioned VSMPO", "sanctioned", True),
        ("the project was sanctioned", "sanctioned", True),
        ("the board sanctioned the new plan", "sanctioned", True),
        ("it ruled out export curbs", "export curbs", True),
        ("there will be no new tariffs", "tariffs", True),
        ("the US sanctioned a refinery", "sanctioned", False),
        ("the company was sanctioned by OFAC", "sanctioned", False),
        ("not only tariffs", "tariffs", False),
        ("it did not say whether it would impose tariffs", "tariffs", False),
        ("must not be muddied with quota rules", "quota", False),
        ("the US imposed sanctions", "sanctions", False),
    ],
)
def test_void(text: str, trigger: str, expected: bool) -> None:
    start = text.index(trigger)
    assert void(text, start, start + len(trigger), []) is expected


def test_void_inside_a_recognised_name() -> None:
    text = "the General Agreement on Tariffs and Trade"
    start = text.index("Tariffs")
    assert void(text, start, start + 7, [(4, len(text))])
    assert not void(text, start, start + 7, [(0, 3)])


@pytest.mark.parametrize(
    ("text", "actor", "trigger", "expected"),
    [
        ("Indonesia faces a headline tariff", "Indonesia", "tariff", True),
        ("China, which faces 145% US tariffs", "China", "tariffs", True),
        ("Russia, whose revenues are squeezed by Western sanctions", "Russia", "sanctions", True),
        ("Japan imposed tariffs", "Japan", "tariffs", False),
        (
            "Qatar has faced particular difficulty in selling its full quota",
            "Qatar",
            "quota",
            False,
        ),
        ("Japan said it faces tariffs", "Japan", "tariffs", False),
        ("Japan; Korea faces tariffs", "Japan", "tariffs", False),
        ("Japan and Korea face tariffs", "Japan", "tariffs", True),
        ("Boeing's order came at a time when China faces tariffs", "Boeing", "tariffs", False),
    ],
)
def test_faces(text: str, actor: str, trigger: str, expected: bool) -> None:
    end = text.index(actor) + len(actor)
    assert faces(text, end, text.index(trigger)) is expected


@pytest.mark.parametrize(
    ("text", "actor", "expected"),
    [
        ("the first US sanctions on Russia", "US", True),
        ("China's export controls", "China", True),
        ("the US Entity List", "US", True),
        ("sanctions on Russia since", "Russia", False),
        ("Japan", "Japan", False),
    ],
)
def test_names_the_imposer(text: str, actor: str, expected: bool) -> None:
    assert names_the_imposer(text, text.index(actor) + len(actor)) is expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "sanctioned",
        "not " * 350 + "tariffs by Japan.",
        "Indonesia faces " * 90 + "a tariff imposed by Japan.",
        "Japan imposed tariffs, " * 60 + "and the project was sanctioned.",
        "Россия, которая сталкивается с санкциями, faces sanctions from Japan.",
        "中国面临美国关税 China faces US tariffs。",
    ],
)
def test_hostile_text_does_not_break_policy_extraction(text: str) -> None:
    for action, by, on in policies(text):
        assert action and by and all(isinstance(t, str) for t in on)
    for start in range(0, len(text), 7):
        void(text, start, min(len(text), start + 7), [])
        faces(text, start, len(text))
        names_the_imposer(text, start)


def test_the_policy_gold_names_real_demo_sentences_and_entity_ids() -> None:
    gold = gold_with_bodies("facts_policy_gold.jsonl")
    assert len(gold) >= 40
    for item, body in gold:
        assert item["sentence"] in body, item
        assert item["by"] is None or entity_type_of(item["by"]), item


@pytest.mark.parametrize(
    "text",
    [
        "Germany cut the feed-in tariff for new solar plants to 8 cents.",
        "Spain approved higher tariff rates for power consumers.",
        "The USDA said barge freight tariffs rose.",
        "AT&T asked the FCC to let it file tariffs for new services.",
    ],
)
def test_a_price_list_called_tariff_is_no_trade_policy(text: str) -> None:
    assert policies(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Japan raised import tariffs on steel from China.",
            [("tariff", ("country:JP",), ("country:CN",))],
        ),
        (
            "The EU set tariffs for Chinese electric vehicles of up to 35%.",
            [("tariff", ("supranational:eu",), ("country:CN",))],
        ),
    ],
)
def test_trade_tariffs_near_price_words_stay(
    text: str, expected: list[tuple[str, tuple[str, ...], tuple[str, ...]]]
) -> None:
    assert policies(text) == expected
