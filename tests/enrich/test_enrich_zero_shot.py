"""Zero-shot sector classification: modern sectors, the seed article, and bad inputs."""

from __future__ import annotations

import json
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from newsdesk.enrich import (
    ClassifyOptions,
    SectorScore,
    classify,
    classify_batch,
    load_taxonomy,
    parse_taxonomy,
)
from newsdesk.enrich.sectors.taxonomy import Taxonomy
from newsdesk.enrich.sectors.zero_shot import ZeroShotOptions, sector_evidence
from research_data import seed_page_text

DATA = Path(__file__).parent / "data"
MODERN = [json.loads(line) for line in (DATA / "modern_sectors.jsonl").read_text().splitlines()]
TAXONOMY = load_taxonomy()
OPTIONS = ClassifyOptions()

OIL_ARTICLE = (
    "OPEC+ deepens output cut",
    "Saudi Arabia and Russia agreed to cut crude production by a further 500,000 barrels per "
    "day, sending Brent crude above $80 a barrel. The oil ministers said the cut would last "
    "until the end of the year as refinery demand weakens.",
)


def labels(scores: list[SectorScore]) -> set[str]:
    return {s.id for s in scores if s.labelled}


def zero_shot(title: str, text: str) -> list[SectorScore]:
    return classify(title, text, taxonomy=TAXONOMY, model=None, options=OPTIONS)


def seed_article() -> tuple[str, str]:
    paragraphs = [p.strip() for p in seed_page_text().split("\n\n") if p.strip()]
    return paragraphs[0], "\n\n".join(paragraphs[1:7])


@pytest.mark.parametrize("case", MODERN, ids=[c["id"] for c in MODERN])
def test_modern_sector_cases_are_labelled_zero_shot(case: dict[str, object]) -> None:
    scores = zero_shot(str(case["title"]), str(case["text"]))
    assert set(case["sectors"]) <= labels(scores)  # type: ignore[arg-type]
    for score in scores:
        if score.id in case["sectors"]:  # type: ignore[operator]
            assert score.explanation


def test_modern_cases_cover_each_modern_sector_five_times() -> None:
    for sector in ("evs-battery-tech", "ai-semiconductors", "esg-renewables", "aerospace-defense"):
        assert sum(sector in c["sectors"] for c in MODERN) >= 5


def test_seed_article_is_rare_earths_with_its_evidence() -> None:
    title, text = seed_article()
    assert title == "Japan, Namibia sign rare earths exploration deal"
    scores = zero_shot(title, text)
    assert scores[0].id == "rare-earths-commodities"
    assert scores[0].score >= 0.9
    assert "rare earth" in scores[0].explanation
    assert "JOGMEC" in scores[0].explanation
    assert labels(scores) <= {"rare-earths-commodities", "mining-metals", "evs-battery-tech"}


def test_scores_cover_every_sector_sorted_and_bounded() -> None:
    scores = zero_shot(*OIL_ARTICLE)
    assert sorted(s.id for s in scores) == sorted(TAXONOMY.ids)
    assert [s.score for s in scores] == sorted((s.score for s in scores), reverse=True)
    assert all(0.0 <= s.score <= 1.0 for s in scores)
    assert scores[0].id == "oil-gas"
    assert "crude ×2" in scores[0].explanation
    assert "OPEC" in scores[0].explanation
    assert labels(scores) == {"oil-gas"}


def test_an_article_can_have_no_sector() -> None:
    scores = zero_shot(
        "Local bakery wins pastry prize",
        "The family-run bakery took first place for its croissants at the regional fair.",
    )
    assert labels(scores) == set()


def test_empty_text_gets_no_label() -> None:
    for title, text in (("", ""), ("   ", "\n\n"), ("", "<p></p>")):
        scores = zero_shot(title, text)
        assert labels(scores) == set()
        assert all(s.score == 0.0 and s.explanation == "" for s in scores)


def test_one_megabyte_text_is_read_only_up_to_the_cap() -> None:
    paragraph = OIL_ARTICLE[1] + " Analysts expect prices to stay volatile. "
    text = paragraph * (1_000_000 // len(paragraph) + 1)
    assert len(text) >= 1_000_000
    scores = zero_shot(OIL_ARTICLE[0], text)
    assert labels(scores) == {"oil-gas"}
    # What follows the first 21,000 characters is never read (benchmarks/hostile_inputs.py
    # prints the time per megabyte).
    gold = "Gold miners and bullion dealers expect record gold output. " * 20_000
    assert zero_shot(OIL_ARTICLE[0], text[:21_000] + gold) == scores


def test_html_remnants_do_not_count_as_evidence() -> None:
    clean = zero_shot(*OIL_ARTICLE)
    noisy_text = (
        '<div class="gold-banner" data-topic="semiconductor chips"><p>'
        + OIL_ARTICLE[1].replace("Brent", "<b>Brent</b>")
        + '</p><script>var ai = "missile satellite";</script><!-- esg wind solar -->'
        "&nbsp;&amp;</div>"
    )
    noisy = zero_shot("<h1>" + OIL_ARTICLE[0] + "</h1>", noisy_text)
    assert labels(noisy) == labels(clean) == {"oil-gas"}
    assert {s.id: s.explanation for s in noisy} == {s.id: s.explanation for s in clean}


def test_german_article_is_classified_from_german_aliases() -> None:
    result = classify_batch(
        [
            (
                "Ölpreis steigt nach Förderkürzung",
                "Der Preis für Rohöl ist am Montag deutlich gestiegen, nachdem die "
                "Förderländer eine weitere Kürzung angekündigt hatten. Ein Barrel der Sorte "
                "Brent kostete zeitweise mehr als 80 Dollar, und auch Erdgas wurde teurer.",
            )
        ],
        taxonomy=TAXONOMY,
        model=None,
        options=OPTIONS,
    )[0]
    assert result.language == "de"
    assert result.labels == ("oil-gas",)
    assert "rohöl" in result.scores[0].explanation


def test_foreign_text_without_known_aliases_is_never_confidently_labelled() -> None:
    italian = (
        "Il governo ha presentato oggi il nuovo piano per le scuole",
        "Il ministro ha detto che il piano sarà discusso con le regioni e che i fondi per la "
        "scuola saranno aumentati nel corso dei prossimi anni, come promesso durante la "
        "campagna elettorale. Gold, chip, oil.",
    )
    russian = ("Новости дня", "Правительство обсудило новый план для школ и больниц. " * 20)
    japanese = ("今日のニュース", "政府は学校と病院のための新しい計画について話し合った。" * 20)
    results = classify_batch(
        [italian, russian, japanese], taxonomy=TAXONOMY, model=None, options=OPTIONS
    )
    assert results[0].language == "it"
    for result in results:
        assert result.labels == ()
        assert max(s.score for s in result.scores) < 0.5


def test_english_terms_do_not_leak_into_french_text() -> None:
    # "or" (gold) and "mine" are French aliases with low or no weight; English "gold" is ignored
    result = classify_batch(
        [
            (
                "Le gouvernement et les syndicats ou le patronat",
                "Le ministre a dit que le dialogue avec les syndicats ou le patronat sera "
                "repris la semaine prochaine, mais que la réforme des retraites reste sur la "
                "table pour le gouvernement.",
            )
        ],
        taxonomy=TAXONOMY,
        model=None,
        options=OPTIONS,
    )[0]
    assert result.language == "fr"
    assert "mining-metals" not in result.labels


def test_demo_corpus_sectors_zero_shot() -> None:
    # the demo articles carry expected sectors; measured micro-F1 0.79 when this was written
    articles = resources.files("newsdesk.demo").joinpath("corpus", "articles")
    truth: list[set[str]] = []
    predicted: list[set[str]] = []
    for entry in articles.iterdir():
        if entry.name.endswith(".toml"):
            article = tomllib.loads(entry.read_text(encoding="utf-8"))
            truth.append(set(article["sectors"]))
            predicted.append(labels(zero_shot(article["title"], article["body"])))
    assert len(truth) >= 5
    hits = sum(len(t & p) for t, p in zip(truth, predicted, strict=True))
    wrong = sum(len(p - t) for t, p in zip(truth, predicted, strict=True))
    missed = sum(len(t - p) for t, p in zip(truth, predicted, strict=True))
    assert 2 * hits / (2 * hits + wrong + missed) >= 0.7
    assert hits / (hits + wrong) >= 0.75  # a label shown to a reader is usually right


def _evidence(title: str, text: str, sector: str, language: str | None = "en") -> SectorScore:
    result = classify_batch(
        [(title, text)], taxonomy=TAXONOMY, model=None, options=OPTIONS, languages=[language]
    )[0]
    return next(s for s in result.scores if s.id == sector)


def test_a_deal_between_organisations_is_business_evidence_with_its_pattern_named() -> None:
    score = _evidence(
        "Shell agrees deal for Pavilion Energy",
        "Shell will buy Singapore-based Pavilion Energy from Temasek for about $6.3 billion, "
        "adding liquefied natural gas supply contracts to its trading book. The purchase will "
        "be paid in cash, and Shell shares rose 1% in London.",
        "business-politics",
    )
    assert score.labelled
    assert "deal between organisations" in score.explanation


def test_an_export_licence_rule_on_a_chip_story_is_also_sanctions_regulation() -> None:
    result = zero_shot(
        "Netherlands widens ASML export curbs on chipmaking tools",
        "The Dutch government will require ASML to obtain export licences for shipments of some "
        "lithography systems to China, the trade ministry said. The rules align Dutch policy "
        "with US export controls on semiconductors.",
    )
    assert {"ai-semiconductors", "sanctions-regulation"} <= labels(result)


def test_sanction_meaning_approval_is_not_sanctions_evidence() -> None:
    for title, text in (
        (
            "Council sanctions funding for new stadium roof",
            "The city council sanctioned a further 12 million pounds for the new roof at the "
            "municipal stadium after engineers found the design would not cope with snow.",
        ),
        (
            "Board sanctions first phase of copper project",
            "The miner's board sanctioned the first phase of the project, clearing construction "
            "of a concentrator and a port.",
        ),
    ):
        assert "sanctions-regulation" not in labels(zero_shot(title, text)), title


def test_us_sanctions_on_tankers_stay_sanctions() -> None:
    result = zero_shot(
        "US sanctions 35 tankers in Iran shadow fleet crackdown",
        "The Treasury's Office of Foreign Assets Control designated 35 vessels it accuses of "
        "moving Iranian crude to refiners in China, freezing their US assets.",
    )
    assert {"oil-gas", "sanctions-regulation"} <= labels(result)


def test_japanese_text_is_matched_without_spaces_and_names_inside_it_are_found() -> None:
    result = classify_batch(
        [
            (
                "経産省、半導体製造装置の輸出規制を強化",
                "経済産業省は、先端半導体の製造装置など23品目を輸出管理の対象に追加すると発表"
                "した。オランダのASMLから導入した装置も対象で、輸出には許可が必要になる。",
            )
        ],
        taxonomy=TAXONOMY,
        model=None,
        options=OPTIONS,
    )[0]
    assert result.language == "ja"
    assert {"ai-semiconductors", "sanctions-regulation"} <= set(result.labels)
    by_id = {s.id: s for s in result.scores}
    assert "半導体" in by_id["ai-semiconductors"].explanation
    assert "ASML" in by_id["ai-semiconductors"].explanation
    assert "輸出規制" in by_id["sanctions-regulation"].explanation


def test_the_stored_language_chooses_the_terms() -> None:
    title = "Banco Central eleva a Selic para 15% ao ano"
    text = (
        "O Comitê de Política Monetária elevou a taxa básica de juros para 15% ao ano, o maior "
        "nível desde 2006, e indicou que deve interromper o ciclo de alta."
    )
    assert _evidence(title, text, "business-politics", "pt").labelled
    # told the text is English, the classifier reads only English terms: no Portuguese evidence
    assert not _evidence(title, text, "business-politics", "en").labelled


def test_shell_the_company_is_not_artillery_shells() -> None:
    title, text = (
        "Shell to sell Nigerian onshore unit",
        "Shell agreed to sell its Nigerian onshore subsidiary to a group of local companies for "
        "about $1.3 billion, the company said, leaving it with deepwater fields only. Shell "
        "shares were little changed in London.",
    )
    assert "aerospace-defense" not in labels(zero_shot(title, text))
    shelling = _evidence(
        "Army orders artillery shells",
        "The army ordered 200,000 artillery shells from a state arms maker.",
        "aerospace-defense",
    )
    assert "artillery shells" in shelling.explanation


def test_palm_oil_is_not_oil_and_gas() -> None:
    result = zero_shot(
        "Malaysia raises crude palm oil export duty",
        "Malaysia will raise its export duty on crude palm oil to 10% next month as the "
        "reference price of the edible oil climbed, the customs department said. Palm oil "
        "futures rose 2% in Kuala Lumpur.",
    )
    assert "oil-gas" not in labels(result)
    assert "rare-earths-commodities" in labels(result)


def test_sin_embargo_is_however_not_an_embargo() -> None:
    title = "El banco central mantiene los tipos de interés"
    text = (
        "El banco central mantuvo su tipo de interés en el 4%, como esperaban los analistas. "
        "Sin embargo, advirtió de que la inflación sigue alta y de que la economía crece "
        "menos de lo previsto este año."
    )
    assert not _evidence(title, text, "sanctions-regulation", "es").labelled
    assert _evidence(title, text, "business-politics", "es").labelled


def test_a_government_limiting_exports_is_sanctions_regulation_evidence() -> None:
    score = _evidence(
        "Indonesia limits bauxite exports",
        "Indonesia will limit exports of bauxite ore to companies that are building smelters at "
        "home, the mining ministry said, tightening a policy meant to move processing onshore.",
        "sanctions-regulation",
    )
    assert "trade restricted by a government" in score.explanation


def test_a_sector_s_own_side_note_power_sets_how_hard_it_is_discounted() -> None:
    source = """
[[sector]]
id = "oil-gas"
name = "Oil & Gas"
description = "Oil."
[sector.terms.en]
"crude" = 3.0
"refinery" = 3.0
"barrels" = 3.0

[[sector]]
id = "sanctions-regulation"
name = "Sanctions"
description = "Rules."
cross_cutting = true
[sector.terms.en]
"sanctions" = 2.0
"""
    title, text = "Refinery buys crude", "The refinery bought barrels of crude despite sanctions."
    options = ZeroShotOptions()
    default = sector_evidence(
        title, text, language="en", taxonomy=parse_taxonomy(source), options=options
    )
    softer = sector_evidence(
        title,
        text,
        language="en",
        taxonomy=parse_taxonomy(
            source.replace("cross_cutting = true", "cross_cutting = true\nside_note_power = 0.5")
        ),
        options=options,
    )
    assert 0 < default["sanctions-regulation"].total < softer["sanctions-regulation"].total
    assert default["oil-gas"].total == softer["oil-gas"].total


def test_a_rule_named_in_the_title_is_discounted_less_with_a_title_share_floor() -> None:
    source = """
[[sector]]
id = "oil-gas"
name = "Oil & Gas"
description = "Oil."
[sector.terms.en]
"crude" = 3.0
"refinery" = 3.0
"barrels" = 3.0

[[sector]]
id = "sanctions-regulation"
name = "Sanctions"
description = "Rules."
cross_cutting = true
[sector.terms.en]
"sanctions" = 2.0
"""
    floored = parse_taxonomy(
        source.replace("cross_cutting = true", "cross_cutting = true\ntitle_share_floor = 0.8")
    )
    plain = parse_taxonomy(source)
    body = "The refinery bought barrels of crude. The refinery runs crude despite sanctions."

    def totals(title: str, taxonomy: Taxonomy) -> tuple[float, float]:
        found = sector_evidence(
            title, body, language="en", taxonomy=taxonomy, options=ZeroShotOptions()
        )
        return found["sanctions-regulation"].total, found["oil-gas"].total

    # the title names the rule: its evidence counts as at least 0.8 of the leader's share
    titled = "Refinery defies sanctions"
    assert totals(titled, plain)[0] < totals(titled, floored)[0]
    # summed in set order, so equal up to the last bit
    assert totals(titled, plain)[1] == pytest.approx(totals(titled, floored)[1], rel=1e-12)
    # the title says nothing of the rule: the floor does not apply
    untitled = "Refinery buys crude"
    assert totals(untitled, plain) == totals(untitled, floored)


def test_an_event_in_the_title_is_discounted_less_with_a_title_event_floor() -> None:
    source = """
[[sector]]
id = "aerospace-defense"
name = "Aerospace"
description = "Satellites."
[sector.terms.en]
"satellite" = 3.0
"satellites" = 3.0
"launch" = 3.0
"orbit" = 3.0

[[sector]]
id = "business-politics"
name = "Business"
description = "Deals."
cross_cutting = true
[sector.terms.en]
"takeover" = 3.0
"deal" = 1.0

[[entity]]
name = "Treasury"
aliases = ["Treasury"]
sectors = ["business-politics"]
weight = 3.0
"""
    floored = parse_taxonomy(
        source.replace("cross_cutting = true", "cross_cutting = true\ntitle_event_floor = 0.5")
    )
    plain = parse_taxonomy(source)
    body = (
        "The satellite operator closed the takeover. Its satellites orbit at 36,000 km, "
        "the next launch puts two more satellites in orbit, and a launch pad is being built."
    )

    def totals(title: str, taxonomy: Taxonomy) -> tuple[float, float]:
        found = sector_evidence(
            title, body, language="en", taxonomy=taxonomy, options=ZeroShotOptions()
        )
        return found["business-politics"].total, found["aerospace-defense"].total

    # the headline's news is the deal: not discounted as a side note of satellites
    titled = "Satellite operator completes takeover"
    assert totals(titled, plain)[0] < totals(titled, floored)[0]
    # summed in set order, so equal up to the last bit
    assert totals(titled, plain)[1] == pytest.approx(totals(titled, floored)[1], rel=1e-12)
    # a weak term (below title_event_weight, 3.0 by default) or a name is not an event
    for title in ("Satellite operator's deal", "Treasury watches satellite operator"):
        assert totals(title, plain) == pytest.approx(totals(title, floored), rel=1e-12)
    lowered = parse_taxonomy(
        source.replace(
            "cross_cutting = true",
            "cross_cutting = true\ntitle_event_floor = 0.5\ntitle_event_weight = 1.0",
        )
    )
    deal = "Satellite operator's deal"
    assert totals(deal, plain)[0] < totals(deal, lowered)[0]


def test_sector_words_in_their_other_senses_are_not_sector_evidence() -> None:
    for title, text, sector in (
        (
            "Comedian apologises for crude jokes",
            "The broadcaster apologised after a comedian told crude jokes about a minister on "
            "its late-night show, and said the episode would not be repeated.",
            "oil-gas",
        ),
        (
            "Golfer's chip shot wins the playoff",
            "Her chip shot from the edge of the green rolled in for a birdie. She holed another "
            "chip on the 18th to win the playoff and the title.",
            "ai-semiconductors",
        ),
        (
            "Historians mine wartime letters",
            "Historians at the national archive are mining thousands of letters for stories of "
            "the war years. They mine the archive for names of forgotten soldiers.",
            "mining-metals",
        ),
        (
            "UEFA sanctions club over racist chanting",
            "UEFA fined the club 80,000 euros and banned its fans from the next away match after "
            "racist chanting at a league game. The club said it would appeal the sanctions.",
            "sanctions-regulation",
        ),
        (
            "Bitcoin miner buys wind power in Texas",
            "The bitcoin miner will buy 300 megawatts of power for its mining sites as the "
            "rewards from mining the cryptocurrency fell after the halving.",
            "mining-metals",
        ),
        (
            "Drone light show replaces fireworks",
            "The city replaced its New Year fireworks with a drone light show: 2,000 drones "
            "drew the harbour's landmarks in the sky.",
            "aerospace-defense",
        ),
    ):
        assert sector not in labels(zero_shot(title, text)), title


def test_a_public_authority_setting_rules_is_sanctions_regulation_evidence() -> None:
    score = _evidence(
        "Regulator caps bank's growth",
        "The Federal Reserve imposed a cap on the bank's assets. The rules require the lender "
        "to fix its governance before the cap is lifted.",
        "sanctions-regulation",
    )
    assert "rules set by a public authority" in score.explanation


def test_two_spellings_of_one_entity_count_together() -> None:
    evidence = sector_evidence(
        "OPEC meets",
        "The Organization of the Petroleum Exporting Countries met. OPEC cut output. OPEC said so.",
        language="en",
        taxonomy=TAXONOMY,
        options=ZeroShotOptions(),
    )
    opec = [hit for hit in evidence["oil-gas"].hits if hit[0] == "OPEC"]
    assert len(opec) == 1
    assert opec[0][1] == 4  # one in the title, three in the body whichever spelling


@pytest.mark.parametrize(
    "text",
    [
        "OPEC+ cuts output.  Saudi Aramco said; prices rose! Did they?\nNew line. 2.95 billion",
        "ASML から 出荷。トヨタ は 増産！ 次は？ ok；done",
        "  leading space. trailing .  ",
        "",
    ],
)
def test_pattern_sentences_hold_the_texts_words_in_turn(text: str) -> None:
    # _count_patterns takes each sentence's folded words from the text's (not folded again)
    from newsdesk.enrich.sectors.zero_shot import _SENTENCE_END
    from newsdesk.text.normalize import tokens

    pieces = [tokens(sentence) for sentence in _SENTENCE_END.split(text)]
    assert [word for piece in pieces for word in piece] == tokens(text)
