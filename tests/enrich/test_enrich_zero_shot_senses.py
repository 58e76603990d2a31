"""Business words in another sense (part 9 of #17): market data of an industry written with the
words of company and economic news is not business-politics. Each test fails on the taxonomy
before the counter-evidence it names; each also checks that the business sense still counts."""

from __future__ import annotations

from newsdesk.enrich import ClassifyOptions, SectorScore, classify_batch, load_taxonomy
from newsdesk.enrich.sectors.zero_shot import ZeroShotOptions, sector_evidence

TAXONOMY = load_taxonomy()
BUSINESS = "business-politics"


def _score(title: str, text: str, sector: str = BUSINESS) -> SectorScore:
    result = classify_batch(
        [(title, text)], taxonomy=TAXONOMY, model=None, options=ClassifyOptions(), languages=["en"]
    )[0]
    return next(s for s in result.scores if s.id == sector)


def _business_total(title: str, text: str) -> float:
    evidence = sector_evidence(
        title, text, language="en", taxonomy=TAXONOMY, options=ZeroShotOptions()
    )
    return evidence[BUSINESS].total


def _business_raw(title: str, text: str) -> float:
    """The evidence before the side-note discount: what the words themselves say."""
    evidence = sector_evidence(
        title, text, language="en", taxonomy=TAXONOMY, options=ZeroShotOptions()
    )
    return sum(contribution for _, _, contribution in evidence[BUSINESS].hits)


def test_a_metal_market_in_deficit_with_stocks_in_vaults_is_not_business_news() -> None:
    title = "Palladium shortfall to persist as Russian supply slows, refiner says"
    text = (
        "The palladium market will stay in deficit by about 400,000 ounces next year as "
        "Russian mine supply slows and demand from petrol cars holds up, refiner Matthey "
        "Hartley said in its quarterly review on Tuesday. Stocks held in exchange vaults have "
        "fallen to about three months of demand, and investment demand for coins weakened. "
        "Palladium traded at $1,050 an ounce."
    )
    assert not _score(title, text).labelled
    assert _score(title, text, "mining-metals").labelled
    deficit = "The palladium market will stay in deficit by about 400,000 ounces next year."
    assert _business_raw("Palladium", deficit) <= 0.5
    stocks = "Stocks held in exchange vaults fell to 1.2 million ounces."
    assert _business_raw("Palladium", stocks) <= 0.5
    # the economy's deficit and a company's stock still are business news
    assert _business_total("Budget", "The budget deficit widened to 4% of GDP.") >= 3.0
    assert _business_total("Shares", "Its stock rose 8% after the results.") > 0


def test_traders_cutting_their_positions_are_not_job_cuts() -> None:
    cut = "Investment funds cut their net long positions in carbon to the smallest in a year."
    held = "Investment funds held their net long positions in carbon at the smallest in a year."
    assert _business_total("Carbon", cut) <= _business_total("Carbon", held)
    assert _business_total("Carmaker", "The carmaker will cut 2,000 jobs.") >= 2.0


def test_proven_reserves_of_oil_are_not_a_central_bank_s_reserves() -> None:
    oil = "The company said its proven reserves of oil rose 6% to 410 million barrels."
    money = "The central bank said its reserves rose to $41 billion."
    assert _business_raw("Annual update", oil) <= 0.5
    assert _business_raw("Annual update", money) >= 3.0


def test_a_state_tender_to_buy_wheat_or_intervention_sales_are_not_business_news() -> None:
    tender = _score(
        "Egypt's state buyer issues tender for wheat",
        "Egypt's state grain buyer issued a tender to buy at least 60,000 tonnes of wheat for "
        "shipment in May. Exporters from France, Russia and Romania are expected to offer.",
    )
    assert not tender.labelled
    intervention = _score(
        "Intervention board sells feed wheat",
        "The intervention board sold 120,000 tonnes of feed wheat from intervention stocks to "
        "the home market at a tender, traders said. Exporters expect more sales next week.",
    )
    assert not intervention.labelled
    # a tender offer for a company and a currency intervention are still business news
    assert _score(
        "Chemicals maker launches tender offer for rival", "It offered $40 a share in cash."
    ).labelled
    assert _score(
        "Japan intervenes to support the yen", "The central bank's intervention lifted the yen."
    ).labelled


def test_exporters_of_a_commodity_are_not_business_news_on_their_own() -> None:
    text = "Exporters from Brazil and Vietnam shipped more coffee beans this month."
    assert _business_raw("Coffee", text) <= 0.5


def _spanish(title: str, text: str) -> SectorScore:
    result = classify_batch(
        [(title, text)], taxonomy=TAXONOMY, model=None, options=ClassifyOptions(), languages=["es"]
    )[0]
    return next(s for s in result.scores if s.id == BUSINESS)


def test_a_quarter_in_another_language_says_when_not_what_happened() -> None:
    # output data for a quarter is an industry's news; a quarter's profit is a company's
    output = _spanish(
        "La producción de cobre de Perú sube un 8% en el segundo trimestre",
        "La producción de cobre de Perú creció un 8% en el segundo trimestre, hasta 700.000 "
        "toneladas, según el ministerio de Energía y Minas. La mina Las Bambas aportó la mayor "
        "parte del aumento en el trimestre, y la producción de zinc cayó un 3% en el trimestre.",
    )
    assert not output.labelled
    results = _spanish(
        "Minera Andina gana un 20% más en el segundo trimestre",
        "Minera Andina obtuvo un beneficio neto de 300 millones de dólares en el segundo "
        "trimestre, un 20% más que un año antes, gracias a los mayores precios del cobre.",
    )
    assert results.labelled
