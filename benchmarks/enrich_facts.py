"""Fact roles on the demo corpus: investor and target of investments, imposer of policies.

    .venv/bin/python benchmarks/enrich_facts.py

Gold: ``tests/enrich/data/facts_investment_gold.jsonl``, one line per investment sentence of
the shipped demo corpus (article slug, the sentence's first words, investor, target). A role
is an entity id, null when the sentence names none, or "?" when it names one the entity
recogniser does not know (Sibelco, Neste): a predicted id there is a false positive, and no
miss is counted. Hand-labelled by the facts3 session after the rules in
``newsdesk.enrich.facts.roles`` were written against these same sentences, so this is a
development set, not a held-out one. Three "?" became ids once the recogniser learnt the
organisations (entities5: Sibelco, ACWA Power, Covestro), as a "?" is scored as unknown.

Policy gold: ``tests/enrich/data/facts_policy_gold.jsonl``, one line per sentence of the demo
corpus that gave a policy fact before the facts4 session, with the imposer ("by", the first id)
or null when the sentence states no action by a named entity ("Indonesia faces a headline
tariff", "the project was sanctioned", "has not sanctioned"): there a fact is a false
positive. Labelled by facts4 while writing the rules in ``newsdesk.enrich.facts.policy``, so a
development set as well.

Agreement gold: ``tests/enrich/data/facts_agreement_gold.jsonl``, one line per sentence of the
demo corpus that gave an agreement fact before the facts5 session, with the parties the
agreement word's clause links ("X and Y signed", "X agreed with Y", "between X and Y"); "?"
stands for a party the entity recogniser does not know (Neste, Uniper), an empty list for a
sentence that states no agreement between named parties. A country standing in for an unknown
company it describes ("from Finland's Neste") counts as that party, as the extractor is meant
to do. Scored per party: a predicted party not in the gold is a false positive, a gold party
not predicted a miss. Labelled by facts5 before its rules were written.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path

from newsdesk.enrich.entities import EntityOptions, default_gazetteer, extract_entities
from newsdesk.enrich.facts import (
    AgreementFact,
    Fact,
    FactOptions,
    InvestmentFact,
    PolicyFact,
    extract_facts,
)

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "enrich" / "data" / "facts_investment_gold.jsonl"
AGREEMENT_GOLD = ROOT / "tests" / "enrich" / "data" / "facts_agreement_gold.jsonl"
POLICY_GOLD = ROOT / "tests" / "enrich" / "data" / "facts_policy_gold.jsonl"
CORPUS = ROOT / "src" / "newsdesk" / "demo" / "corpus" / "articles"


@dataclass
class RoleScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, predicted: str | None, gold: str | None) -> None:
        if predicted is not None and predicted == gold:
            self.tp += 1
            return
        if predicted is not None:
            self.fp += 1
        if gold not in (None, "?"):
            self.fn += 1

    def line(self, name: str) -> str:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        return f"  {name:9s} P={p:.3f} R={r:.3f} (tp={self.tp} fp={self.fp} fn={self.fn})"


def facts(slug: str) -> list[Fact]:
    article = tomllib.loads((CORPUS / f"{slug}.toml").read_text(encoding="utf-8"))
    entities = extract_entities(
        article["title"], article["body"], gazetteer=default_gazetteer(), options=EntityOptions()
    )
    return extract_facts(article["body"], entities, options=FactOptions())


def investments(slug: str) -> list[InvestmentFact]:
    return [f for f in facts(slug) if isinstance(f, InvestmentFact)]


def policies(slug: str) -> list[PolicyFact]:
    return [f for f in facts(slug) if isinstance(f, PolicyFact)]


def agreements(slug: str) -> list[AgreementFact]:
    return [f for f in facts(slug) if isinstance(f, AgreementFact)]


def main() -> None:
    gold = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line]
    investor, target = RoleScore(), RoleScore()
    for item in gold:
        found = [f for f in investments(item["article"]) if f.sentence.startswith(item["sentence"])]
        fact = found[0] if found else None
        investor.add(fact.investor if fact else None, item["investor"])
        target.add(fact.target if fact else None, item["target"])
    print(f"gold: {len(gold)} investment sentences of the demo corpus (development set)")
    print(investor.line("investor"))
    print(target.line("target"))
    policy_gold = [
        json.loads(line) for line in POLICY_GOLD.read_text(encoding="utf-8").splitlines() if line
    ]
    imposer = RoleScore()
    for item in policy_gold:
        found = [f for f in policies(item["article"]) if f.sentence.startswith(item["sentence"])]
        imposer.add(found[0].by[0] if found and found[0].by else None, item["by"])
    print(f"gold: {len(policy_gold)} policy sentences of the demo corpus (development set)")
    print(imposer.line("imposer"))
    agreement_gold = [
        json.loads(line) for line in AGREEMENT_GOLD.read_text(encoding="utf-8").splitlines() if line
    ]
    parties = RoleScore()
    for item in agreement_gold:
        found = [f for f in agreements(item["article"]) if f.sentence.startswith(item["sentence"])]
        predicted = set(found[0].parties) if found else set()
        gold = set(item["parties"]) - {"?"}
        parties.tp += len(predicted & gold)
        parties.fp += len(predicted - gold)
        parties.fn += len(gold - predicted)
    print(f"gold: {len(agreement_gold)} agreement sentences of the demo corpus (labelled first)")
    print(parties.line("parties"))


if __name__ == "__main__":
    main()
