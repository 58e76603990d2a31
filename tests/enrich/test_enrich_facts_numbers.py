"""Money amounts and quantities: parsed and normalised, or left unparsed — never invented."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsdesk.enrich.facts import (
    Amount,
    find_amounts,
    normalize_amount,
    normalize_quantity,
)
from newsdesk.text.numbers import parse_number


@pytest.mark.parametrize(
    ("raw", "value", "currency"),
    [
        ("$5bn", 5e9, "USD"),
        ("$5 billion", 5e9, "USD"),
        ("over $5 billion", 5e9, "USD"),
        ("TWD 160 billion", 160e9, "TWD"),
        ("NT$160 billion", 160e9, "TWD"),
        ("US$1.2bn", 1.2e9, "USD"),
        ("A$1.8 billion", 1.8e9, "AUD"),
        ("€1.5 billion", 1.5e9, "EUR"),
        ("1,2 Mrd. €", 1.2e9, "EUR"),
        ("3,5 Mio. EUR", 3.5e6, "EUR"),
        ("THB 19.5 billion", 19.5e9, "THB"),
        ("5 billion dollars", 5e9, "USD"),
        ("200 million yuan", 200e6, "CNY"),
        ("$47.60", 47.6, "USD"),
        ("$16,000", 16000.0, "USD"),
        ("$1,234,567.89", 1234567.89, "USD"),
        ("£300m", 300e6, "GBP"),
        ("¥3 trillion", 3e12, None),  # yen or yuan: the symbol does not say
        # scale words and currencies are newsdesk.text.numbers', shared with duplicate detection
        ("₹3,500 crore", 3.5e10, "INR"),
        ("12 lakh rupees", 1.2e6, "INR"),
        ("1,20,000 rupees", 120000.0, "INR"),
        ("5 mln dlrs", 5e6, "USD"),
        ("NZ$2 billion", 2e9, "NZD"),
    ],
)
def test_amounts_are_normalised(raw: str, value: float, currency: str | None) -> None:
    amount = normalize_amount(raw)
    assert amount == Amount(value=value, currency=currency)
    assert amount.raw == raw


@pytest.mark.parametrize(
    "raw", ["", "five billion dollars", "1,20,00 USD", "$", "sek 5", "TWD", "billions of dollars"]
)
def test_unreadable_amounts_keep_their_text_and_no_value(raw: str) -> None:
    amount = normalize_amount(raw)
    assert amount.value is None
    assert amount.raw == raw


@pytest.mark.parametrize(
    ("raw", "value", "unit"),
    [
        ("74.89 million tons", 74.89e6, "t"),
        ("11 million tonnes", 11e6, "t"),
        ("96,600 tonnes", 96600.0, "t"),
        ("250,000-tonne", 250000.0, "t"),
        ("5 kt", 5000.0, "t"),
        ("5 Mt", 5e6, "t"),
        ("12 bcm", 12.0, "bcm"),
        ("40 billion cubic metres", 40.0, "bcm"),
        ("1.6 GWh", 1.6, "GWh"),
        ("500 MWh", 0.5, "GWh"),
        ("2 TWh", 2000.0, "GWh"),
        ("8.4 GW", 8.4, "GW"),
        ("900,000 bpd", 900000.0, "bbl/d"),
        ("500,000 barrels per day", 500000.0, "bbl/d"),
        ("2.2 million b/d", 2.2e6, "bbl/d"),
        ("1.2 million bbl/d", 1.2e6, "bbl/d"),
        ("96,600 tonnes a year", 96600.0, "t/y"),
        ("77 mtpa", 77e6, "t/y"),
    ],
)
def test_quantities_are_normalised(raw: str, value: float, unit: str) -> None:
    quantity = normalize_quantity(raw)
    assert quantity.unit == unit
    assert quantity.value == pytest.approx(value)


@pytest.mark.parametrize("raw", ["", "5 mt", "3 km", "1,2,3 tonnes", "many tonnes", "tonnes"])
def test_unreadable_quantities_keep_their_text_and_no_value(raw: str) -> None:
    quantity = normalize_quantity(raw)
    assert quantity.value is None
    assert quantity.raw == raw


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,234.5", 1234.5),
        ("1.234.567,8", 1234567.8),
        ("1,2", 1.2),
        ("74.89", 74.89),
        ("1,200", 1200.0),
        ("1,20,00", None),
        ("1.2.3", None),
        ("12.", None),
    ],
)
def test_numbers_read_both_separator_conventions_or_refuse(text: str, value: float | None) -> None:
    parsed = parse_number(text)
    assert (None if parsed is None else float(parsed)) == value


def test_amounts_are_found_with_their_offsets() -> None:
    text = "plans to invest over $5 billion (TWD 160 billion) in Taiwan"
    found = list(find_amounts(text))
    assert [text[f.start : f.end] for f in found] == ["$5 billion", "TWD 160 billion"]


@given(st.text(alphabet="0123456789.,$€£¥ bnmkMrdtonesUSDTWDGWhbpd/-", max_size=40))
def test_number_parsing_never_crashes_and_values_come_from_digits(raw: str) -> None:
    amount = normalize_amount(raw)
    quantity = normalize_quantity(raw)
    for value in (amount.value, quantity.value):
        assert value is None or any(c.isdigit() for c in raw)
