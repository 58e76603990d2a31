"""Money amounts and physical quantities as written in news text, parsed and normalised.

Parsing never guesses: a number whose reading is ambiguous in a way the text does not settle, or
a unit it does not know, is returned with ``value=None`` and the raw text kept. Arithmetic goes
through :class:`~decimal.Decimal` so "74.89 million" is exactly 74.89e6.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Generic, TypeVar

from newsdesk.enrich.facts.model import Amount, Quantity

T = TypeVar("T")

_NUMBER = r"\d{1,3}(?:[,.]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_SCALES: dict[str, int] = {
    "thousand": 10**3,
    "k": 10**3,
    "million": 10**6,
    "millions": 10**6,
    "mn": 10**6,
    "mln": 10**6,
    "m": 10**6,
    "mio": 10**6,
    "billion": 10**9,
    "billions": 10**9,
    "bn": 10**9,
    "b": 10**9,
    "mrd": 10**9,
    "milliarden": 10**9,
    "milliarde": 10**9,
    "trillion": 10**12,
    "tn": 10**12,
    "trn": 10**12,
}
_SCALE = (
    r"thousand|millions?|billions?|trillion|milliarden|milliarde|mln|mn|bn|trn|tn|mrd\.?|"
    r"mio\.?|[kmb]"
)
_SYMBOLS: dict[str, str | None] = {
    "US$": "USD",
    "NT$": "TWD",
    "A$": "AUD",
    "C$": "CAD",
    "HK$": "HKD",
    "S$": "SGD",
    "R$": "BRL",
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
    "₹": "INR",
    "₩": "KRW",
    "¥": None,  # yen or yuan: the symbol alone does not say which
}
_CODES = (
    "USD EUR GBP JPY CNY TWD AUD CAD CHF INR KRW THB BRL ZAR NAD SGD HKD SAR AED NOK SEK DKK "
    "PLN MXN CLP IDR MYR RUB"
).split()
_WORDS: dict[str, str] = {
    "dollar": "USD",
    "dollars": "USD",
    "euro": "EUR",
    "euros": "EUR",
    "yen": "JPY",
    "yuan": "CNY",
    "renminbi": "CNY",
    "rmb": "CNY",
    "rupee": "INR",
    "rupees": "INR",
    "baht": "THB",
    "rand": "ZAR",
}
_SYMBOL = "|".join(re.escape(s) for s in sorted(_SYMBOLS, key=len, reverse=True))
_CODE = "|".join([*_CODES, "RMB"])
_WORD = "|".join(sorted(_WORDS, key=len, reverse=True))
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


def parse_number(text: str, *, decimal_comma: bool = False) -> Decimal | None:
    """ "1,234.5" -> 1234.5; "1,2" -> 1.2; "1.234.567,8" -> 1234567.8; unreadable -> None."""
    text = text.strip()
    if not re.fullmatch(r"\d[\d.,]*", text) or text.endswith((".", ",")):
        return None
    commas, dots = text.count(","), text.count(".")
    if commas and dots:
        # the later separator is the decimal one
        thousands, decimal = (",", ".") if text.rfind(".") > text.rfind(",") else (".", ",")
        text = text.replace(thousands, "").replace(decimal, ".")
    elif commas:
        groups = text.split(",")
        if commas == 1 and (decimal_comma or len(groups[1]) != 3):
            text = text.replace(",", ".")
        elif all(len(g) == 3 for g in groups[1:]):
            text = text.replace(",", "")
        else:
            return None
    elif dots > 1:
        groups = text.split(".")
        if not all(len(g) == 3 for g in groups[1:]):
            return None
        text = text.replace(".", "")
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _scaled(number: Decimal | None, scale: str | None) -> Decimal | None:
    if number is None:
        return None
    if not scale:
        return number
    factor = _SCALES.get(scale.casefold().rstrip("."))
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
    if symbol:
        currency = _SYMBOLS.get(symbol.upper(), _SYMBOLS.get(symbol))
    elif code:
        currency = "CNY" if code.upper() == "RMB" else code.upper()
    else:
        currency = _WORDS.get((word or "").casefold())
    number_text = match.group("num") or match.group("num2")
    scale = match.group("scale") or match.group("scale2")
    german = bool(
        scale and scale.casefold().rstrip(".") in {"mrd", "mio", "milliarde", "milliarden"}
    )
    value = _scaled(parse_number(number_text, decimal_comma=german), scale)
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
