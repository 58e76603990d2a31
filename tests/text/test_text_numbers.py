"""The one number reader and the one table of scale words and currencies."""

from __future__ import annotations

from decimal import Decimal

import pytest

from newsdesk.text.numbers import SCALES, currency_of, parse_number, scale_of


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,234.5", Decimal("1234.5")),
        ("1.234.567,8", Decimal("1234567.8")),
        ("1,2", Decimal("1.2")),
        ("1,200", Decimal(1200)),
        ("12,34,567", Decimal(1234567)),  # lakh grouping
        ("1,20,000.50", Decimal("120000.50")),
        ("1,20,00", None),  # fits no grouping
        ("1,2,3", None),
        ("1.2.3", None),
        ("12.", None),
        ("", None),
        ("abc", None),
        ("9" * 40, None),
    ],
)
def test_numbers_read_every_grouping_convention_or_refuse(text: str, value: Decimal | None) -> None:
    assert parse_number(text) == value


def test_a_decimal_comma_is_read_where_the_scale_says_so() -> None:
    assert parse_number("1,200") == 1200
    assert parse_number("1,200", decimal_comma=True) == Decimal("1.200")


def test_scale_words_include_the_indian_and_german_ones() -> None:
    assert scale_of("crore") == 10**7
    assert scale_of("Lakh") == 10**5
    assert scale_of("Mrd.") == 10**9
    assert scale_of("bn") == 10**9
    assert scale_of("dozen") is None
    assert all(value >= 1000 for value in SCALES.values())


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("$", "USD"),
        ("US$", "USD"),
        ("us$", "USD"),
        ("NT$", "TWD"),
        ("₹", "INR"),
        ("¥", None),  # yen or yuan
        ("EUR", "EUR"),
        ("rmb", "CNY"),
        ("dlrs", "USD"),
        ("Rupees", "INR"),
        ("pounds", None),  # as often a weight
        ("widgets", None),
    ],
)
def test_currencies_as_written(written: str, code: str | None) -> None:
    assert currency_of(written) == code
