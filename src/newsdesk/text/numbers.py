"""Numbers as news text writes them: one table of scale words and currencies, one reader.

Duplicate detection (``dedup.event_features``) and fact extraction (``enrich.facts``) both read
"$5bn", "1,2 Mrd. €", "₹3 crore" and "TWD 160 billion" with these tables, so the two agree
on what an amount is. The reader never guesses: a number whose grouping fits no convention is
``None``, not a value.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# Scale words as written after a number ("5bn", "3 crore", "1,2 Mrd."), case folded, without a
# trailing full stop.
SCALES: dict[str, int] = {
    "thousand": 10**3,
    "k": 10**3,
    "tsd": 10**3,
    "lakh": 10**5,
    "lakhs": 10**5,
    "million": 10**6,
    "millions": 10**6,
    "mn": 10**6,
    "mln": 10**6,
    "m": 10**6,
    "mio": 10**6,
    "millionen": 10**6,
    "crore": 10**7,
    "crores": 10**7,
    "billion": 10**9,
    "billions": 10**9,
    "bn": 10**9,
    "bln": 10**9,
    "b": 10**9,
    "mrd": 10**9,
    "milliard": 10**9,
    "milliards": 10**9,
    "milliarde": 10**9,
    "milliarden": 10**9,
    "trillion": 10**12,
    "tn": 10**12,
    "trn": 10**12,
}
# Scales whose writers use the decimal comma ("1,2 Mrd." is 1.2 billion, not 12 billion).
DECIMAL_COMMA_SCALES = frozenset({"mrd", "mio", "tsd", "milliarde", "milliarden", "millionen"})

# Currency symbols -> ISO 4217 code; None where the symbol alone does not say which currency.
CURRENCY_SYMBOLS: dict[str, str | None] = {
    "US$": "USD",
    "NT$": "TWD",
    "A$": "AUD",
    "C$": "CAD",
    "HK$": "HKD",
    "NZ$": "NZD",
    "S$": "SGD",
    "R$": "BRL",
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
    "₹": "INR",
    "₩": "KRW",
    "¥": None,  # yen or yuan
}
# ISO 4217 codes newsdesk reads before or after an amount ("TWD 160 billion", "3,5 Mio. EUR").
CURRENCY_CODES = frozenset(
    (
        "USD EUR GBP JPY CNY TWD AUD CAD CHF INR KRW THB BRL ZAR NAD SGD HKD NZD SAR AED NOK "
        "SEK DKK PLN MXN CLP IDR MYR RUB"
    ).split()
)
# Currency names written after an amount, case folded. Not "pounds": as often a weight.
CURRENCY_WORDS: dict[str, str] = {
    "dollar": "USD",
    "dollars": "USD",
    "dlr": "USD",
    "dlrs": "USD",
    "euro": "EUR",
    "euros": "EUR",
    "sterling": "GBP",
    "stg": "GBP",
    "yen": "JPY",
    "yuan": "CNY",
    "renminbi": "CNY",
    "rmb": "CNY",
    "rupee": "INR",
    "rupees": "INR",
    "baht": "THB",
    "rand": "ZAR",
}

# A number as written: thousands grouping, Indian (lakh) grouping, or plain with a decimal part.
NUMBER_PATTERN = (
    r"\d{1,3}(?:[,.]\d{3})+(?:[.,]\d+)?|\d{1,2}(?:,\d\d)+,\d{3}(?:\.\d+)?|\d+(?:[.,]\d+)?"
)
MAX_DIGITS = 30
_NUMBER_TEXT = re.compile(r"\d[\d.,]*")
_INDIAN_GROUPING = re.compile(r"\d{1,2}(?:,\d\d)+,\d{3}")


def currency_of(written: str) -> str | None:
    """ISO code of a currency symbol, code or word as written; None when unknown or ambiguous."""
    if written in CURRENCY_SYMBOLS:
        return CURRENCY_SYMBOLS[written]
    upper = written.upper()
    if upper in CURRENCY_SYMBOLS:  # "us$"
        return CURRENCY_SYMBOLS[upper]
    if upper == "RMB":
        return "CNY"
    if upper in CURRENCY_CODES:
        return upper
    return CURRENCY_WORDS.get(written.casefold())


def scale_of(written: str) -> int | None:
    """The factor of a scale word as written ("bn", "Mrd.", "crore"), or None."""
    return SCALES.get(written.casefold().rstrip("."))


def parse_number(text: str, *, decimal_comma: bool = False) -> Decimal | None:
    """ "1,234.5" -> 1234.5; "1,2" -> 1.2; "1.234.567,8" -> 1234567.8; "12,34,567" (lakh
    grouping) -> 1234567; unreadable or ambiguous -> None.

    ``decimal_comma``: a single comma is the decimal separator even before three digits
    ("1,200 Mrd." is 1.2 billion).
    """
    text = text.strip()
    if not _NUMBER_TEXT.fullmatch(text) or text.endswith((".", ",")):
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
        elif _grouped(text, ","):
            text = text.replace(",", "")
        else:
            return None
    elif dots > 1:
        if not _grouped(text, "."):
            return None
        text = text.replace(".", "")
    if len(text.replace(".", "")) > MAX_DIGITS:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _grouped(whole: str, separator: str) -> bool:
    """Whether the integer part is grouped in thousands ("1,234,567") or, with commas, in
    the Indian way ("12,34,567")."""
    if all(len(group) == 3 for group in whole.split(separator)[1:]):
        return True
    return separator == "," and _INDIAN_GROUPING.fullmatch(whole) is not None
