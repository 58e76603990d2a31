"""Investment fact roles: precision/recall of investor and target on the demo corpus.

    .venv/bin/python benchmarks/enrich_facts.py

Gold: ``tests/enrich/data/facts_investment_gold.jsonl``, one line per investment sentence of
the shipped demo corpus (article slug, the sentence's first words, investor, target). A role
is an entity id, null when the sentence names none, or "?" when it names one the entity
recogniser does not know (Sibelco, Neste): a predicted id there is a false positive, and no
miss is counted. Hand-labelled by the facts3 session after the rules in
``newsdesk.enrich.facts.roles`` were written against these same sentences, so this is a
development set, not a held-out one.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path

from newsdesk.enrich.entities import EntityOptions, default_gazetteer, extract_entities
from newsdesk.enrich.facts import FactOptions, InvestmentFact, extract_facts

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "enrich" / "data" / "facts_investment_gold.jsonl"
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


def investments(slug: str) -> list[InvestmentFact]:
    article = tomllib.loads((CORPUS / f"{slug}.toml").read_text(encoding="utf-8"))
    entities = extract_entities(
        article["title"], article["body"], gazetteer=default_gazetteer(), options=EntityOptions()
    )
    facts = extract_facts(article["body"], entities, options=FactOptions())
    return [f for f in facts if isinstance(f, InvestmentFact)]


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


if __name__ == "__main__":
    main()
