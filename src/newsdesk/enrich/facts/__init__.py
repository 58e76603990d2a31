"""Facts with provenance: agreements, investments, quantities and policy actions.

Every fact carries the article id, its sentence and the sentence's offsets, and a ``key``: a
normalised identity (type, sorted party ids, kind, commodities; or investor, target and amount;
...) so that :func:`merge_facts` turns the same fact reported by several articles into one
fact with several sources. Amounts and quantities are normalised (``"$5bn"`` -> 5e9 USD,
``"74.89 million tons"`` -> 74.89e6 t) or left unparsed with their raw text, never guessed.
"""

from newsdesk.enrich.facts.extract import extract_facts
from newsdesk.enrich.facts.merge import merge_facts
from newsdesk.enrich.facts.model import (
    FACT_TYPES,
    AgreementFact,
    Amount,
    Fact,
    FactOptions,
    FactSource,
    FactType,
    InvestmentFact,
    MergedFact,
    PolicyFact,
    Quantity,
    QuantityFact,
)
from newsdesk.enrich.facts.numbers import (
    find_amounts,
    find_quantities,
    normalize_amount,
    normalize_quantity,
)

__all__ = [
    "FACT_TYPES",
    "AgreementFact",
    "Amount",
    "Fact",
    "FactOptions",
    "FactSource",
    "FactType",
    "InvestmentFact",
    "MergedFact",
    "PolicyFact",
    "Quantity",
    "QuantityFact",
    "extract_facts",
    "find_amounts",
    "find_quantities",
    "merge_facts",
    "normalize_amount",
    "normalize_quantity",
]
