"""The agreement-parties gold read by benchmarks/enrich_facts.py quotes real demo sentences and
names valid entity ids ("?" for a party the recogniser does not know)."""

from __future__ import annotations

from facts_gold import gold_with_bodies

from newsdesk.enrich.entities.model import entity_type_of


def test_the_agreement_gold_names_real_demo_sentences_and_entity_ids() -> None:
    gold = gold_with_bodies("facts_agreement_gold.jsonl")
    assert len(gold) >= 40
    for item, body in gold:
        assert item["sentence"] in body, item
        for party in item["parties"]:
            assert party == "?" or entity_type_of(party), item
