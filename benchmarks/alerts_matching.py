"""Alert matching rate: 10,000 alerts against Reuters-21578 articles, in process.

Alerts mix the four kinds as members would set them up: entity alerts (40%) and fact alerts
(10%, "an agreement involving X") on the stories' tags (places, orgs, people, topics stand in
for canonical entities), sector alerts (20%) and saved searches of one to three words (30%)
drawn from the corpus' own vocabulary. Each article is percolated the way `newsdesk run` does
it: its words, entities, sectors and facts against the alert index (newsdesk.alerts.match).
Prints articles/s (median of 5 passes), the index build time and matches per article, against
checking every alert on every article in the same run.

    .venv/bin/python benchmarks/alerts_matching.py [--alerts 10000] [--articles 5000]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import statistics
import time

from shared_data import reuters_corpus, run_benchmark

from newsdesk.alerts.match import AlertIndex, alert_matches, document_terms
from newsdesk.domain.alerts import Alert, AlertKind, FactConstraint, PercolationDoc

SECTORS = [f"sector-{n}" for n in range(9)]
TAGS = {"places": "country", "orgs": "org", "people": "person", "topics": "commodity"}


def load(limit: int, rng: random.Random) -> list[PercolationDoc]:
    docs: list[PercolationDoc] = []
    with gzip.open(reuters_corpus(), "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if not record.get("body"):
                continue
            tags = [f"{kind}:{v}" for field, kind in TAGS.items() for v in record.get(field) or []]
            facts = (("agreement", {"parties": tags[:2], "countries": tags[:1]}),) if tags else ()
            docs.append(
                PercolationDoc(
                    article_id=int(record["id"]),
                    title=record.get("title") or "",
                    entity_ids=frozenset(tags),
                    sectors=frozenset(rng.sample(SECTORS, rng.randint(0, 2))),
                    facts=facts if rng.random() < 0.3 else (),
                    terms=document_terms(record.get("title") or "", record["body"]),
                )
            )
            if len(docs) >= limit:
                break
    return docs


def make_alerts(count: int, docs: list[PercolationDoc], rng: random.Random) -> list[Alert]:
    entities = sorted({e for d in docs for e in d.entity_ids})
    words = sorted({w for d in docs[:2000] for w in d.terms if len(w) > 3 and w.isalpha()})
    alerts: list[Alert] = []
    for n in range(1, count + 1):
        roll = rng.random()
        if roll < 0.4:
            alert = Alert(n, n, AlertKind.ENTITY, "", entity_ids=(rng.choice(entities),))
        elif roll < 0.6:
            alert = Alert(n, n, AlertKind.SECTOR, "", sectors=(rng.choice(SECTORS),))
        elif roll < 0.9:
            query = " ".join(rng.sample(words, rng.randint(1, 3)))
            alert = Alert(n, n, AlertKind.QUERY, "", query=query)
        else:
            fact = FactConstraint("agreement", (rng.choice(entities),))
            alert = Alert(n, n, AlertKind.FACT, "", fact=fact)
        alerts.append(alert)
    return alerts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alerts", type=int, default=10_000)
    parser.add_argument("--articles", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    docs = load(args.articles, rng)
    alerts = make_alerts(args.alerts, docs, rng)
    started = time.perf_counter()
    index = AlertIndex.build(alerts)
    build = time.perf_counter() - started
    rates, matched = [], 0
    for _ in range(5):
        started = time.perf_counter()
        matched = sum(len(index.match(doc)) for doc in docs)
        rates.append(len(docs) / (time.perf_counter() - started))
    sample = docs[:200]
    started = time.perf_counter()
    brute = sum(1 for doc in sample for alert in alerts if alert_matches(alert, doc))
    brute_rate = len(sample) / (time.perf_counter() - started)
    indexed_sample = sum(len(index.match(doc)) for doc in sample)
    assert brute == indexed_sample, (brute, indexed_sample)
    print(
        f"{len(alerts)} alerts, {len(docs)} Reuters articles; index built in {build * 1000:.0f} ms"
    )
    print(
        f"indexed matching: {statistics.median(rates):,.0f} articles/s (median of 5; "
        f"min {min(rates):,.0f}), {matched / len(docs):.1f} matches per article"
    )
    print(f"every alert checked on every article: {brute_rate:,.0f} articles/s (same matches)")


if __name__ == "__main__":
    run_benchmark(main)
