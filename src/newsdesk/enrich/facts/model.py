"""Typed fact records with provenance, and the normalised amounts and quantities they carry."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import ClassVar, Literal

FactType = Literal["agreement", "investment", "quantity", "policy"]
FACT_TYPES: tuple[FactType, ...] = ("agreement", "investment", "quantity", "policy")


@dataclass(frozen=True)
class Amount:
    """A sum of money: ``value`` in whole units of ``currency`` (ISO 4217), None if unparsed."""

    value: float | None
    currency: str | None
    raw: str = field(default="", compare=False)


@dataclass(frozen=True)
class Quantity:
    """A physical quantity in a canonical unit (t, bcm, GWh, GW, bbl, bbl/d, ...)."""

    value: float | None
    unit: str | None
    raw: str = field(default="", compare=False)


@dataclass(frozen=True, kw_only=True)
class Fact:
    """Common to every fact: where it was read and the identity used to merge re-reports."""

    type: ClassVar[FactType]
    key: str
    sentence: str
    start: int  # offsets of the sentence in the article text
    end: int
    article_id: int | None = None

    def to_record(self) -> dict[str, object]:
        """A JSON-ready dict: {"type": ..., fields..., "sentence", "start", "end", ...}."""
        record: dict[str, object] = {"type": self.type}
        record.update(dataclasses.asdict(self))
        return record


@dataclass(frozen=True, kw_only=True)
class AgreementFact(Fact):
    type: ClassVar[FactType] = "agreement"
    parties: tuple[str, ...]  # entity ids
    kind: str | None  # exploration, supply, offtake, partnership, MoU, acquisition
    commodities: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    date: str | None = None  # "2022" or "2023-08"
    status: str | None = None  # signed, planned, active, completed, extended, terminated


@dataclass(frozen=True, kw_only=True)
class InvestmentFact(Fact):
    type: ClassVar[FactType] = "investment"
    investor: str | None
    target: str | None
    amount: Amount
    other_amounts: tuple[Amount, ...] = ()  # the same sum in another currency, as reported
    period: str | None = None  # "over the next 15 years", "by 2030"


@dataclass(frozen=True, kw_only=True)
class QuantityFact(Fact):
    type: ClassVar[FactType] = "quantity"
    quantity: Quantity
    commodity: str | None = None
    countries: tuple[str, ...] = ()
    period: str | None = None
    estimate: Literal["forecast", "actual"] = "actual"
    change: Quantity | None = None  # signed: negative when the text says lower, down, cut


@dataclass(frozen=True, kw_only=True)
class PolicyFact(Fact):
    type: ClassVar[FactType] = "policy"
    action: str  # tariff, export_control, sanction, quota, import_ban
    by: tuple[str, ...] = ()  # who imposes it (entity ids)
    on: tuple[str, ...] = ()  # whom it targets
    what: tuple[str, ...] = ()  # commodities it covers


@dataclass(frozen=True)
class FactSource:
    article_id: int | None
    sentence: str
    start: int
    end: int


@dataclass(frozen=True)
class MergedFact:
    """One fact as several articles reported it: the first report plus every source."""

    fact: Fact
    sources: tuple[FactSource, ...]

    @property
    def key(self) -> str:
        return self.fact.key

    def to_record(self) -> dict[str, object]:
        record = self.fact.to_record()
        for name in ("sentence", "start", "end", "article_id"):
            record.pop(name, None)
        record["sources"] = [dataclasses.asdict(s) for s in self.sources]
        return record


@dataclass(frozen=True)
class FactOptions:
    """Per-call options for :func:`extract_facts`."""

    max_chars: int = 100_000
    types: tuple[FactType, ...] = FACT_TYPES
    # sentences longer than this are not read for facts (tables, run-on scraped text)
    max_sentence_chars: int = 1500
