"""Entity and fact extraction benchmark: mention precision/recall and throughput.

    .venv/bin/python benchmarks/enrich_entities.py [--repeat N]

Quality: precision/recall/F1 of entity mentions (entity id and exact span must both agree)
on ``tests/enrich/data/entities_gold.jsonl`` — overall, on the held-out sentences h39-h50
(written after the recognisers and never tuned against), and per entity type.

Speed: the shipped demo corpus (src/newsdesk/demo/corpus/articles/*.toml), timed for entities
alone, entities + facts, and zero-shot sector classification + entities + facts, as articles
per second and milliseconds per article on this machine. Also one long synthetic article.
"""

from __future__ import annotations

import argparse
import statistics
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

from newsdesk.enrich.entities import (
    EntityOptions,
    EntityResult,
    default_gazetteer,
    extract_entities,
)
from newsdesk.enrich.entities.evaluate import parse_gold, score_mentions
from newsdesk.enrich.facts import FactOptions, extract_facts
from newsdesk.enrich.sectors.classify import ClassifyOptions, classify_batch
from newsdesk.enrich.sectors.taxonomy import load_taxonomy

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "enrich" / "data" / "entities_gold.jsonl"
CORPUS = ROOT / "src" / "newsdesk" / "demo" / "corpus" / "articles"


def quality() -> None:
    gazetteer = default_gazetteer()
    docs = parse_gold(GOLD.read_text(encoding="utf-8").splitlines())
    held_out = [d for d in docs if d.id.startswith("h")]
    print(f"gold: {len(docs)} documents, {sum(len(d.mentions) for d in docs)} mentions")
    for label, subset in (("all", docs), ("held-out", held_out)):
        scores = score_mentions(subset, gazetteer=gazetteer, options=EntityOptions())
        for key, s in sorted(scores.items(), key=lambda kv: kv[0] != "all"):
            if label == "held-out" and key != "all":
                continue
            name = f"{label}/{key}" if key != "all" else label
            print(
                f"  {name:24s} P={s.precision:.3f} R={s.recall:.3f} F1={s.f1:.3f} "
                f"(tp={s.true_positives} fp={s.false_positives} fn={s.false_negatives})"
            )


def timed(
    label: str, articles: list[tuple[str, str]], run: Callable[[str, str], object], repeat: int
) -> None:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        for title, body in articles:
            run(title, body)
        runs.append(time.perf_counter() - started)
    best, median = min(runs), statistics.median(runs)
    print(
        f"  {label:34s} {len(articles) / median:7.0f} articles/s (median), "
        f"{median / len(articles) * 1000:.2f} ms/article (best {best / len(articles) * 1000:.2f})"
    )


def speed(repeat: int) -> None:
    gazetteer = default_gazetteer()
    taxonomy = load_taxonomy()
    entity_options, fact_options, classify_options = (
        EntityOptions(),
        FactOptions(),
        ClassifyOptions(),
    )
    articles = [
        (data["title"], data["body"])
        for data in (
            tomllib.loads(p.read_text(encoding="utf-8")) for p in sorted(CORPUS.glob("*.toml"))
        )
    ]
    words = sum(len(body.split()) for _, body in articles) / len(articles)
    print(f"demo corpus: {len(articles)} articles, {words:.0f} words on average")

    def entities(title: str, body: str) -> EntityResult:
        return extract_entities(title, body, gazetteer=gazetteer, options=entity_options)

    def entities_and_facts(title: str, body: str) -> object:
        result = entities(title, body)
        return extract_facts(body, result, options=fact_options)

    def classified(title: str, body: str) -> object:
        classify_batch([(title, body)], taxonomy=taxonomy, model=None, options=classify_options)
        return entities_and_facts(title, body)

    timed("entities", articles, entities, repeat)
    timed("entities + facts", articles, entities_and_facts, repeat)
    timed("classification + entities + facts", articles, classified, repeat)
    long_text = "\n\n".join(body for _, body in articles)
    timed(f"one {len(long_text) // 1000} kB article, e+f", [("", long_text)], entities_and_facts, 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed passes over the corpus")
    args = parser.parse_args()
    quality()
    speed(args.repeat)


if __name__ == "__main__":
    main()
