"""Money amounts and physical quantities as written in news text, parsed and normalised.

Parsing never guesses: a number whose reading is ambiguous in a way the text does not settle, or
a unit it does not know, is returned with ``value=None`` and the raw text kept. Arithmetic goes
through :class:`~decimal.Decimal` so "74.89 million" is exactly 74.89e6. Numbers, scale words
and currencies are read with ``newsdesk.text.numbers``, the tables duplicate detection uses too;
the physical units (and their conversions) are the facts' own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, TypeVar

from newsdesk.enrich.facts.model import Amount, Quantity
from newsdesk.text.numbers import (
    CURRENCY_CODES,
    CURRENCY_SYMBOLS,
    CURRENCY_WORDS,
    DECIMAL_COMMA_SCALES,
    NUMBER_PATTERN,
    SCALES,
    currency_of,
    parse_number,
    scale_of,
)

T = TypeVar("T")

_NUMBER = NUMBER_PATTERN
# Abbreviated scales may carry a full stop ("1,2 Mrd.", "3,5 Mio.").
_DOTTED_SCALES = frozenset({"mrd", "mio", "tsd", "mln", "bln"})
_SCALE = "|".join(
    re.escape(word) + (r"\.?" if word in _DOTTED_SCALES else "")
    for word in sorted(SCALES, key=len, reverse=True)
)
_SYMBOL = "|".join(re.escape(s) for s in sorted(CURRENCY_SYMBOLS, key=len, reverse=True))
_CODE = "|".join([*sorted(CURRENCY_CODES), "RMB"])
_WORD = "|".join(sorted(CURRENCY_WORDS, key=len, reverse=True))
_AMOUNT = re.compile(
    rf"(?:(?P<sym>{_SYMBOL})[ \t]?|\b(?P<code>(?-i:{_CODE}))[ \t]?)(?P<num>{_NUMBER})(?![\d,.]\d)"
    rf"(?:[ \t]?(?P<scale>{_SCALE})(?![\w]))?"
    rf"|(?<![\d.,])\b(?P<num2>{_NUMBER})(?![\d,.]\d)(?:[ \t]?(?P<scale2>{_SCALE})(?![\w]))?[ \t]?"
    rf"(?:(?P<sym2>€|£)|\b(?P<code2>(?-i:{_CODE}))\b|\b(?P<word>{_WORD})\b)",
    re.I,
)

# unit as written -> (canonical unit, factor to it)
_UNITS: dict[str, tuple[str, Decimal]] = {
    "t": ("t", Decimal(1)),
    "tonne": ("t", Decimal(1)),
    "tonnes": ("t", Decimal(1)),
    "ton": ("t", Decimal(1)),
    "tons": ("t", Decimal(1)),
    "metric tons": ("t", Decimal(1)),
    "metric tonnes": ("t", Decimal(1)),
    "kt": ("t", Decimal(10**3)),
    "kilotonnes": ("t", Decimal(10**3)),
    "mt": ("t", Decimal(10**6)),
    "kg": ("t", Decimal("0.001")),
    "kilograms": ("t", Decimal("0.001")),
    "tpa": ("t/y", Decimal(1)),
    "ktpa": ("t/y", Decimal(10**3)),
    "mtpa": ("t/y", Decimal(10**6)),
    "tonnes a year": ("t/y", Decimal(1)),
    "tonnes per year": ("t/y", Decimal(1)),
    "tons a year": ("t/y", Decimal(1)),
    "tons per year": ("t/y", Decimal(1)),
    "tonnes per annum": ("t/y", Decimal(1)),
    "tons per annum": ("t/y", Decimal(1)),
    "bcm": ("bcm", Decimal(1)),
    "billion cubic metres": ("bcm", Decimal(1)),
    "billion cubic meters": ("bcm", Decimal(1)),
    "cubic metres": ("bcm", Decimal("1e-9")),
    "cubic meters": ("bcm", Decimal("1e-9")),
    "tcf": ("bcm", Decimal("28.316846592")),
    "trillion cubic feet": ("bcm", Decimal("28.316846592")),
    "bcf": ("bcm", Decimal("0.028316846592")),
    "billion cubic feet": ("bcm", Decimal("0.028316846592")),
    "kwh": ("GWh", Decimal("1e-6")),
    "mwh": ("GWh", Decimal("0.001")),
    "gwh": ("GWh", Decimal(1)),
    "twh": ("GWh", Decimal(1000)),
    "mw": ("GW", Decimal("0.001")),
    "gw": ("GW", Decimal(1)),
    "barrels per day": ("bbl/d", Decimal(1)),
    "barrels a day": ("bbl/d", Decimal(1)),
    "bpd": ("bbl/d", Decimal(1)),
    "b/d": ("bbl/d", Decimal(1)),
    "bbl/d": ("bbl/d", Decimal(1)),
    "kb/d": ("bbl/d", Decimal(10**3)),
    "mb/d": ("bbl/d", Decimal(10**6)),
    "barrels": ("bbl", Decimal(1)),
    "barrel": ("bbl", Decimal(1)),
    "bbl": ("bbl", Decimal(1)),
    "ounces": ("oz", Decimal(1)),
    "troy ounces": ("oz", Decimal(1)),
    "oz": ("oz", Decimal(1)),
}
_CASE_SENSITIVE_UNITS = {"Mt": ("t", Decimal(10**6)), "mt": None}  # "mt" alone is ambiguous
_UNIT = "|".join(
    re.escape(u).replace(r"\ ", r"[ \t]+") for u in sorted([*_UNITS, "Mt"], key=len, reverse=True)
)
_QUANTITY = re.compile(
    rf"(?<![\d.,])\b(?P<num>{_NUMBER})(?![\d,.]\d)"
    r"(?:[ \t]?(?P<scale>thousand|million|billion|mn|bn|m|k)(?![\w]))?"
    rf"[ \t-]?(?P<unit>{_UNIT})(?![\w/])",
    re.I,
)


@dataclass(frozen=True)
class Found(Generic[T]):
    """A parsed value and where its text is."""

    value: T
    start: int
    end: int


def _scaled(number: Decimal | None, scale: str | None) -> Decimal | None:
    if number is None:
        return None
    if not scale:
        return number
    factor = scale_of(scale)
    return None if factor is None else number * factor


def normalize_amount(raw: str) -> Amount:
    """ "$5bn" -> Amount(5e9, "USD"); "1,2 Mrd. €" -> Amount(1.2e9, "EUR"); else value None."""
    match = _AMOUNT.search(raw)
    if match is None:
        return Amount(value=None, currency=None, raw=raw)
    return _amount(match, raw)


def _amount(match: re.Match[str], raw: str) -> Amount:
    symbol = match.group("sym") or match.group("sym2")
    code = match.group("code") or match.group("code2")
    word = match.group("word")
    currency = currency_of(symbol or code or word or "")
    number_text = match.group("num") or match.group("num2")
    scale = match.group("scale") or match.group("scale2")
    decimal_comma = bool(scale and scale.casefold().rstrip(".") in DECIMAL_COMMA_SCALES)
    value = _scaled(parse_number(number_text, decimal_comma=decimal_comma), scale)
    return Amount(value=None if value is None else float(value), currency=currency, raw=raw)


def find_amounts(text: str) -> Iterator[Found[Amount]]:
    for match in _AMOUNT.finditer(text):
        yield Found(_amount(match, match.group(0)), match.start(), match.end())


def normalize_quantity(raw: str) -> Quantity:
    """ "74.89 million tons" -> Quantity(74.89e6, "t"); "900,000 bpd" -> (9e5, "bbl/d")."""
    match = _QUANTITY.search(raw)
    if match is None:
        return Quantity(value=None, unit=None, raw=raw)
    return _quantity(match, raw)


def _quantity(match: re.Match[str], raw: str) -> Quantity:
    unit_text = " ".join(match.group("unit").split())
    if unit_text in _CASE_SENSITIVE_UNITS:
        known = _CASE_SENSITIVE_UNITS[unit_text]
    else:
        known = _UNITS.get(unit_text.casefold())
    if known is None:
        return Quantity(value=None, unit=None, raw=raw)
    unit, factor = known
    value = _scaled(parse_number(match.group("num")), match.group("scale"))
    if value is None:
        return Quantity(value=None, unit=unit, raw=raw)
    return Quantity(value=float(value * factor), unit=unit, raw=raw)


def find_quantities(text: str) -> Iterator[Found[Quantity]]:
    for match in _QUANTITY.finditer(text):
        yield Found(_quantity(match, match.group(0)), match.start(), match.end())
