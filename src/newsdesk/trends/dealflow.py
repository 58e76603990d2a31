"""Deal flow: agreements and investments by sector, country and commodity — how many, and the
sum of the amounts reported in each currency. Amounts are never converted between currencies;
an investment without a parsed amount counts, and adds to no sum."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from newsdesk.domain.trends import DealFact

Dimension = Literal["sector", "country", "commodity"]
DIMENSIONS: tuple[Dimension, ...] = ("sector", "country", "commodity")
DEAL_TYPES = ("agreement", "investment")


@dataclass
class DealFlow:
    dimension: Dimension
    key: str  # sector id, or a country or commodity entity id
    agreements: int = 0
    investments: int = 0
    amounts: dict[str, float] = field(default_factory=dict)  # currency -> sum, as reported
    article_ids: list[int] = field(default_factory=list)  # first reports, newest first

    @property
    def deals(self) -> int:
        return self.agreements + self.investments


def _ids(value: object, prefix: str) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [v for v in values if isinstance(v, str) and v.startswith(prefix)]


def keys_of(fact: DealFact, dimension: Dimension) -> list[str]:
    """What a deal counts under along one dimension (each key once)."""
    data = fact.data
    if dimension == "sector":
        found = list(fact.sectors)
    elif dimension == "country":
        found = []
        for name in ("countries", "parties", "investor", "target"):
            found += _ids(data.get(name), "country:")
    else:
        found = _ids(data.get("commodities"), "commodity:")
        found += _ids(data.get("commodity"), "commodity:")
    return list(dict.fromkeys(found))


def _amount(data: Mapping[str, object]) -> tuple[str, float] | None:
    amount = data.get("amount")
    if not isinstance(amount, Mapping):
        return None
    value, currency = amount.get("value"), amount.get("currency")
    if not isinstance(value, int | float) or not isinstance(currency, str) or not currency:
        return None
    return currency, float(value)


def deal_flow(facts: Iterable[DealFact], dimension: Dimension) -> list[DealFlow]:
    """Deals per key of the dimension, most deals first (ties by key)."""
    flows: dict[str, DealFlow] = {}
    for fact in sorted(facts, key=lambda f: (f.reported, f.article_id), reverse=True):
        if fact.type not in DEAL_TYPES:
            continue
        for key in keys_of(fact, dimension):
            flow = flows.setdefault(key, DealFlow(dimension, key))
            if fact.type == "agreement":
                flow.agreements += 1
            else:
                flow.investments += 1
                amount = _amount(fact.data)
                if amount is not None:
                    flow.amounts[amount[0]] = flow.amounts.get(amount[0], 0.0) + amount[1]
            if fact.article_id not in flow.article_ids:
                flow.article_ids.append(fact.article_id)
    return sorted(flows.values(), key=lambda f: (-f.deals, f.key))


def currencies(flows: Sequence[DealFlow]) -> list[str]:
    totals: dict[str, int] = defaultdict(int)
    for flow in flows:
        for currency in flow.amounts:
            totals[currency] += 1
    return sorted(totals, key=lambda c: (-totals[c], c))
