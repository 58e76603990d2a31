"""Zero-shot evidence added in part 4 of #17: events in the other languages, deals cleared or
blocked by authorities, Treasury sanctions, lithium for batteries, and company names that are
also place names."""

from __future__ import annotations

import pytest

from newsdesk.enrich import ClassifyOptions, SectorScore, classify_batch, load_taxonomy
from newsdesk.enrich.sectors.zero_shot import ZeroShotOptions, sector_evidence

TAXONOMY = load_taxonomy()


def _score(title: str, text: str, sector: str, language: str = "en") -> SectorScore:
    result = classify_batch(
        [(title, text)],
        taxonomy=TAXONOMY,
        model=None,
        options=ClassifyOptions(),
        languages=[language],
    )[0]
    return next(s for s in result.scores if s.id == sector)


def _vale_count(title: str, text: str) -> int:
    evidence = sector_evidence(
        title, text, language="en", taxonomy=TAXONOMY, options=ZeroShotOptions()
    )
    return sum(count for label, count, _ in evidence["mining-metals"].hits if label == "Vale")


def test_a_company_name_inside_a_place_name_is_not_the_company() -> None:
    assert _vale_count("Town fair", "The former steel town of Ebbw Vale held its fair.") == 0
    assert _vale_count("Park plan", "Councillors in the Vale of Glamorgan approved a park.") == 0
    assert not _score(
        "Vale of Glamorgan council approves seafront park",
        "Councillors in the Vale of Glamorgan approved a new park with a playground.",
        "mining-metals",
    ).labelled


@pytest.mark.parametrize(
    ("title", "text", "count"),
    [
        ("Miners report", "Rio Tinto, BHP and Vale cut costs. Brazil's Vale raised output.", 2),
        ("Brazilian Miner Vale Raises Output Target", "Output rose.", 1),  # title case
        ("Output target", "Vale said output rose. Shares of Vale fell.", 2),
    ],
)
def test_the_company_is_still_found_in_lists_titles_and_possessives(
    title: str, text: str, count: int
) -> None:
    assert _vale_count(title, text) == count


@pytest.mark.parametrize(
    ("language", "title", "text", "sector", "pattern"),
    [
        (
            "de",
            "Rheinmetall erhöht Prognose",
            "Der Konzern hob seine Prognose an. Die Aktie stieg im frühen Handel um sechs Prozent.",
            "business-politics",
            "share-price move (de)",
        ),
        (
            "es",
            "El Banco de México recorta su tasa",
            "El Banco de México recortó su tasa de interés en 25 puntos básicos.",
            "business-politics",
            "rate decision (es)",
        ),
        (
            "pt",
            "Petrobras encontra petróleo",
            "A empresa encontrou petróleo em um poço. As ações subiram 2% na bolsa.",
            "business-politics",
            "share-price move (pt)",
        ),
        (
            "it",
            "Eni cede una quota di Plenitude",
            "Eni cede una quota del 30% di Plenitude a un fondo per 3 miliardi di euro.",
            "business-politics",
            "deal between organisations (it)",
        ),
        (
            "fr",
            "Amende pour des fabricants",
            "L'Autorité de la concurrence a infligé une amende de 470 millions d'euros.",
            "sanctions-regulation",
            "competition case (fr)",
        ),
        (
            "nl",
            "Shell verkoopt chemiefabriek",
            "Shell verkoopt zijn chemiefabriek aan een Amerikaanse investeringsmaatschappij.",
            "business-politics",
            "deal between organisations (nl)",
        ),
    ],
)
def test_events_in_other_languages_are_evidence_named_in_the_explanation(
    language: str, title: str, text: str, sector: str, pattern: str
) -> None:
    score = _score(title, text, sector, language)
    assert pattern in score.explanation


def test_a_language_s_event_patterns_do_not_apply_to_another_language() -> None:
    text = "Die Aktie stieg um sechs Prozent."
    assert (
        "share-price move (de)" not in _score("Aktie", text, "business-politics", "fr").explanation
    )


def test_a_merger_cleared_on_conditions_is_also_sanctions_regulation() -> None:
    score = _score(
        "Brussels clears space merger",
        "The European Commission approved the merger of the two satellite makers on condition "
        "that they license their technology to rivals. The combined company will have 25,000 "
        "employees.",
        "sanctions-regulation",
    )
    assert score.labelled
    assert "merger cleared on conditions" in score.explanation


def test_a_deal_blocked_by_a_government_is_sanctions_regulation_evidence() -> None:
    score = _score(
        "Ottawa blocks Chinese bid for graphite miner",
        "The industry minister ordered the buyer to drop its planned takeover, citing national "
        "security.",
        "sanctions-regulation",
    )
    assert "deal blocked by a government" in score.explanation


def test_sanctions_imposed_by_the_treasury_are_not_economy_news() -> None:
    title = "US sanctions shipping company over Iranian oil"
    text = (
        "The U.S. Treasury imposed sanctions on a Dubai-based shipping company and nine of its "
        "tankers, saying they carried Iranian crude worth hundreds of millions of dollars. The "
        "Treasury said the ships switched off their tracking systems."
    )
    assert _score(title, text, "sanctions-regulation").labelled
    assert not _score(title, text, "business-politics").labelled
    # the Treasury is economy evidence where it is not imposing sanctions
    assert (
        "Treasury"
        in _score(
            "Treasury sells bonds", "The Treasury sold $40 billion of bonds.", "business-politics"
        ).explanation
    )


def test_lithium_is_battery_evidence_beside_a_battery_word_only() -> None:
    mining = (
        "Lithium producer posts first loss",
        "The lithium miner reported a loss as lithium prices fell and deferred a mine expansion.",
    )
    battery = (
        "Lithium supply deal for batteries",
        "The miner will supply lithium for electric vehicle batteries to a carmaker from 2027.",
    )
    assert not _score(*mining, "evs-battery-tech").labelled
    battery_score = _score(*battery, "evs-battery-tech")
    assert battery_score.labelled
    assert "lithium for batteries" in battery_score.explanation


def test_an_authority_halting_work_is_sanctions_regulation_evidence() -> None:
    score = _score(
        "Court lifts halt on wind farm",
        "A federal judge lifted the Interior Department's order that had halted construction of "
        "the wind farm.",
        "sanctions-regulation",
    )
    assert "work halted or resumed by an authority" in score.explanation


def _business_hits(title: str, text: str) -> dict[str, int]:
    evidence = sector_evidence(
        title, text, language="en", taxonomy=TAXONOMY, options=ZeroShotOptions()
    )
    return {label: count for label, count, _ in evidence["business-politics"].hits}


@pytest.mark.parametrize(
    "text",
    [
        "The Commission fined the group 2.95 billion euros.",
        "The fee is 50 dollars a ton.",
        "The plant cost billions of dollars.",
        "It paid a fine of 500 million euros.",
        "The tax rises to 25 Singapore dollars a tonne.",
    ],
)
def test_a_currency_word_after_an_amount_is_not_currency_news(text: str) -> None:
    hits = _business_hits("Fine", text)
    assert "euro" not in hits
    assert "dollar" not in hits


def test_the_currency_itself_is_still_currency_news() -> None:
    hits = _business_hits("Euro climbs", "The euro rose against the dollar after the data.")
    assert hits["euro"] == 2  # title and body
    assert hits["dollar"] == 1
    assert _score(
        "Euro hits two-year high against the dollar",
        "The euro rose 1.2% against the dollar as traders bet on a rate cut.",
        "business-politics",
    ).labelled


def test_a_fine_in_euros_is_not_also_economy_news() -> None:
    title = "EU fines search company 2.95 billion euros over ad tech"
    text = (
        "The European Commission fined the search company 2.95 billion euros for abusing its "
        "dominance in advertising technology, and ordered it to end the practices."
    )
    assert _score(title, text, "sanctions-regulation").labelled
    assert not _score(title, text, "business-politics").labelled


def test_share_meaning_to_give_is_not_a_share_story() -> None:
    title = "Court orders search giant to share data with rivals"
    text = (
        "A federal judge ordered the search company to share its index and click data with "
        "rivals for six years as a remedy in the monopoly case. The company will appeal."
    )
    assert not _score(title, text, "business-politics").labelled
    # the shares of a company still move
    assert _score(
        "Search giant's shares jump after ruling",
        "Shares of the search company jumped 8% after the ruling, adding $200 billion "
        "in market value.",
        "business-politics",
    ).labelled


def test_project_financing_is_a_capital_raise() -> None:
    hits = _business_hits("Wind farm", "The developer closed project financing from banks.")
    assert "financing" in hits


@pytest.mark.parametrize(
    ("language", "title", "text"),
    [
        (
            "en",
            "Parliament passes climate law with 2045 carbon neutrality goal",
            "The law sets binding emission budgets and a carbon tax on heating fuels.",
        ),
        (
            "en",
            "Utility commissions 1.2 GW hydroelectric plant",
            "The hydroelectric dam will supply hydroelectricity to two million homes.",
        ),
        (
            "pt",
            "Nova usina hidrelétrica entra em operação no Pará",
            "A hidrelétrica vai abastecer dois milhões de casas com energia limpa.",
        ),
    ],
)
def test_climate_policy_and_hydro_power_are_esg_renewables(
    language: str, title: str, text: str
) -> None:
    assert _score(title, text, "esg-renewables", language).labelled


def test_a_funds_ethical_exclusion_is_esg_investing_not_a_market_event() -> None:
    title = "Ethics council drops exclusion of miner after river clean-up"
    text = (
        "The ethics council of the country's sovereign wealth fund said it no longer "
        "recommends the exclusion of the miner, after the company cleaned up a river. The "
        "fund may now hold the miner's shares again; it had sold a holding worth about "
        "$300 million when it excluded the company in 2020."
    )
    assert _score(title, text, "esg-renewables").labelled
    assert not _score(title, text, "business-politics").labelled


def test_a_court_striking_down_a_rule_is_not_a_labour_strike() -> None:
    hits = _business_hits(
        "Court strikes down noncompete ban", "An appeals court struck down the agency's rule."
    )
    assert "strike" not in hits
    assert "strike" in _business_hits("Dock workers strike", "The union called a strike.")


def test_wind_meaning_the_weather_is_not_wind_power() -> None:
    title = "Wind strips roofs and cuts power to 200,000 homes"
    text = (
        "Winds of up to 180 km/h tore off roofs overnight and left 200,000 homes without "
        "power, the grid operator said. Trains were cancelled."
    )
    assert not _score(title, text, "esg-renewables").labelled
    assert _score(
        "Offshore wind farm starts supplying power",
        "The 900-megawatt offshore wind farm began supplying power to the grid on Monday.",
        "esg-renewables",
    ).labelled


def test_green_steel_is_steel_as_well_as_the_energy_transition() -> None:
    title = "Green steel plant starts in Sweden"
    text = (
        "The first plant designed to run on green hydrogen made with renewable electricity "
        "started on Friday. It will make 2.5 million tonnes of green steel a year once its "
        "700-megawatt electrolyser is complete, cutting emissions from the energy transition's "
        "hardest industry."
    )
    assert _score(title, text, "esg-renewables").labelled
    assert _score(title, text, "mining-metals").labelled


def test_an_emissions_cap_set_by_lawmakers_is_a_rule() -> None:
    title = "EU carbon price jumps as lawmakers back tighter cap"
    text = (
        "The price of EU carbon permits rose 6% after the parliament's environment committee "
        "voted to remove more allowances from the emissions trading system, a tighter cap. "
        "Utilities and steelmakers are the largest buyers of permits."
    )
    score = _score(title, text, "sanctions-regulation")
    assert score.labelled
    assert "an emissions cap or target set by lawmakers or a court" in score.explanation


def test_an_amount_in_another_language_is_not_currency_news() -> None:
    evidence = sector_evidence(
        "Multa",
        "La Comisión impuso una multa de 25 millones de euros y pagará 3 millones de dólares.",
        language="es",
        taxonomy=TAXONOMY,
        options=ZeroShotOptions(),
    )
    labels = {label for label, _, _ in evidence["business-politics"].hits}
    assert not labels & {"euro", "dólar", "dólares"}


def _hit_labels(title: str, text: str, language: str) -> set[str]:
    evidence = sector_evidence(
        title, text, language=language, taxonomy=TAXONOMY, options=ZeroShotOptions()
    )
    return {label for label, _, _ in evidence["business-politics"].hits}


@pytest.mark.parametrize(
    ("text", "language", "word"),
    [
        ("Los inversores compraron dólares y vendieron pesos.", "es", "dólares"),
        ("Os exportadores venderam dólares e compraram reais.", "pt", "dólares"),
        ("Os exportadores venderam dólares e compraram reais.", "pt", "reais"),
    ],
)
def test_spanish_and_portuguese_plural_currencies_are_the_currency(
    text: str, language: str, word: str
) -> None:
    # the plural fold only drops an "s": "dólares" and "reais" are not "dólar" and "real"
    assert word in _hit_labels("Câmbio", text, language)


def test_a_plural_currency_after_an_amount_is_still_an_amount() -> None:
    text = "A empresa vai investir 5 bilhões de reais e 2 milhões de dólares."
    assert not _hit_labels("Investimento", text, "pt") & {"reais", "dólares", "real", "dólar"}


@pytest.mark.parametrize(
    ("text", "language", "word"),
    [
        ("Os EUA impõem uma tarifa de 50% sobre produtos do Brasil.", "pt", "tarifa"),
        ("Die USA erheben neue Zölle auf Stahl aus der EU.", "de", "zölle"),
        ("México sube los aranceles a los coches asiáticos.", "es", "aranceles"),
        ("Gli Stati Uniti impongono dazi sulle auto europee.", "it", "dazi"),
        ("Washington impose des droits de douane sur l'acier.", "fr", "droits de douane"),
        ("米国が鉄鋼に追加の関税を課す。", "ja", "関税"),
    ],
)
def test_a_tariff_is_trade_policy_evidence_in_every_language_as_in_english(
    text: str, language: str, word: str
) -> None:
    # English "tariff" is business-politics evidence as well as sanctions-regulation
    assert word in _hit_labels("", text, language)


def _business_total(title: str, text: str) -> float:
    evidence = sector_evidence(
        title, text, language="en", taxonomy=TAXONOMY, options=ZeroShotOptions()
    )
    return evidence["business-politics"].total


def test_a_new_chief_executive_is_a_business_event() -> None:
    title = "Copper miner names new chief executive"
    text = (
        "The copper miner named its finance director as chief executive on Monday, succeeding "
        "a founder who led the group for 14 years. She starts in March."
    )
    score = _score(title, text, "business-politics")
    assert score.labelled
    assert "leadership change" in score.explanation
    # a chair elected to a board is not a leadership change of the company's management
    assert "leadership change" not in _business_hits(
        "Exchange names chairman", "The exchange named a new chairman of its board."
    )


def test_a_share_meaning_a_proportion_is_not_a_share_story() -> None:
    assert _business_total("", "Wind supplies a large share of the island's electricity.") == 0
    assert _business_total("", "The country spends the highest share of GDP on defence.") < (
        _business_total("", "The country spends the most of GDP on defence.") + 1e-9
    )
    # the shares of a company still count
    assert _business_total("", "Shares of the utility fell 5% on Monday.") > 0


def test_export_quotas_are_trade_rules_in_argentine_spanish() -> None:
    evidence = sector_evidence(
        "Argentina elimina los cupos de exportación de trigo",
        "El gobierno eliminó los cupos que limitaban las ventas al exterior.",
        language="es",
        taxonomy=TAXONOMY,
        options=ZeroShotOptions(),
    )
    assert "cupos" in {label for label, _, _ in evidence["sanctions-regulation"].hits}


_SATELLITE_DEAL = (
    "Orbital Lines said on Tuesday it had completed its takeover of Skyreach, adding eleven "
    "communications satellites in geostationary orbit and two launch pads. The combined fleet "
    "will serve military and civil customers, and the operator plans four more satellites by "
    "2028, with the first launch on a heavy rocket next spring. Defence ministries in Europe are "
    "its largest customers for secure satellite links."
)


def test_a_deal_in_the_headline_of_an_industry_story_is_business_politics() -> None:
    # the deal is the headline's news, however much of the text is about satellites
    titled = _score(
        "Satellite operator completes takeover of launch rival",
        _SATELLITE_DEAL,
        "business-politics",
    )
    assert titled.labelled and "takeover" in titled.explanation
    # the same text under a headline about launches: the deal is a side note
    assert not _score(
        "Satellite operator plans four more launches", _SATELLITE_DEAL, "business-politics"
    ).labelled


def _sanctions_hits(title: str, text: str) -> set[str]:
    evidence = sector_evidence(
        title, text, language="en", taxonomy=TAXONOMY, options=ZeroShotOptions()
    )
    return {label for label, _, _ in evidence["sanctions-regulation"].hits}


def test_an_order_citing_national_security_is_a_rule_being_applied() -> None:
    title = "US halts work on nearly finished gas pipeline"
    text = (
        "The US Interior Department ordered Northline to stop work on its natural gas pipeline "
        "under Lake Erie, which was 85% complete, citing national security concerns it did not "
        "specify. The pipeline would carry 1.2 billion cubic feet of natural gas a day from "
        "shale fields to refineries, LNG terminals and gas-fired power plants. Northline shares "
        "fell 12% and the company said it was weighing legal action. The order came weeks after "
        "the administration revoked permits for two other pipelines."
    )
    assert "citing national security" in _sanctions_hits(title, text)
    assert _score(title, text, "sanctions-regulation").labelled
    # national security named without an order resting on it is not one
    assert not _sanctions_hits(
        "Pipeline report", "The report on gas imports and national security is due in May."
    ) & {"citing national security", "cited national security", "on national security grounds"}


def test_a_company_worth_a_record_sum_is_business_politics() -> None:
    title = "Chip designer Arcline becomes first company worth $5 trillion"
    text = (
        "Arcline's shares rose 3% on Wednesday, making the designer of AI accelerators and "
        "data-centre chips the first company worth $5 trillion. Demand for its GPUs from "
        "hyperscalers has outstripped supply for two years, and its next chip, made by TSMC "
        "on a 2-nanometre process, ships in the spring. Semiconductor stocks rose across Asia."
    )
    score = _score(title, text, "business-politics")
    assert score.labelled and "market value milestone" in score.explanation


def test_a_rule_watered_down_is_still_regulation_news() -> None:
    title = "EU cuts solar panel recycling obligations"
    text = (
        "EU governments and lawmakers agreed to exempt installers of rooftop solar panels "
        "from the recycling obligations of the waste directive, and watered down the "
        "reporting duty for utility-scale solar farms and wind farms. Solar installers "
        "welcomed the cut in red tape; recyclers said the renewable energy industry would "
        "leave more old photovoltaic modules in landfill."
    )
    hits = _sanctions_hits(title, text)
    assert {"watered down", "red tape"} <= hits


def test_a_capital_city_blocking_a_takeover_is_a_government_blocking_it() -> None:
    assert "deal blocked by a government" in _sanctions_hits(
        "Canberra blocks Chinese bid for lithium miner", "The miner's shares fell."
    )
    assert "deal blocked by a government" in _sanctions_hits(
        "Lithium deal", "Washington blocked the takeover of the miner by a Chinese rival."
    )


def test_deals_at_a_state_visit_and_partnerships_between_companies_are_business() -> None:
    visit = "deals at a state visit or summit"
    partnership = "partnership between companies"
    assert visit in _business_hits(
        "Airbus wins 150-jet order during state visit to Vietnam", "The airline's fleet grows."
    )
    assert partnership in _business_hits(
        "Copper venture", "The ministry approved a partnership between Antofagasta and Codelco."
    )
    # a visit with nothing agreed, a partnership of nobody named: no event
    assert visit not in _business_hits(
        "Minister's state visit", "The minister toured a satellite factory during a state visit."
    )
    assert partnership not in _business_hits(
        "Research", "a partnership between universities and hospitals was praised."
    )


def test_a_company_changing_its_guidance_is_business_news() -> None:
    title = "Australian miner Fortescue cuts iron ore output target"
    text = (
        "Fortescue cut its iron ore output target for the year to 185 million tonnes after "
        "cyclones shut Port Hedland for nine days. Iron ore shipments from the Pilbara fell "
        "8% in the quarter, and the miner said ore grades at its Solomon mines had declined."
    )
    score = _score(title, text, "business-politics")
    assert score.labelled and "company guidance changed" in score.explanation
    # a target nobody named changed is not company guidance
    assert "company guidance changed" not in _business_hits(
        "Iron ore", "the output target was cut across the region."
    )
