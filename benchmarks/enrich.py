"""Throughput of the whole enrichment stage (pipeline/enrich.py's Enricher), no embeddings.

    .venv/bin/python benchmarks/enrich.py [--sizes 2000,20000] [--runs 3] [--incremental 200]
        [--workers 2]

For each size N, N Reuters-21578 TRAIN documents with text (cycled with a numbered title when
N exceeds the 7,063 there are) are stored in a fresh temporary SQLite database, published
over the last 20 days, each a story of its own. Then ``Enricher.run`` enriches the whole
backlog: sectors (zero-shot), entities, facts, article summary, story summary, related
articles, all written to the database. Printed per size: articles/s (median of ``--runs``
runs, each on a fresh copy of the database), and the median time per phase: setup (the
similarity vocabulary and the index of articles enriched earlier), read, analyse
(classification + entities + facts + summary + the article's TF-IDF vector), related
(indexing and ranking), write, stories. "analysis alone" is articles/s of the analyse phase:
the issue's target (classification + entities + facts + summary >= 100 articles/s).
"articles per CPU-second" divides by this process's CPU time instead of wall time: on a
machine shared with other work it is the steadier figure (one core's worth).

``--incremental K`` then measures the steady state: K new articles enriched on top of the
largest backlog, already enriched.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import statistics
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from shared_data import reuters_corpus, run_benchmark

from newsdesk.domain import Article
from newsdesk.enrich import (
    ClassifyOptions,
    EntityOptions,
    FactOptions,
    SummaryOptions,
    classify,
    default_gazetteer,
    extract_entities,
    extract_facts,
    load_taxonomy,
    summarize_article,
)
from newsdesk.pipeline.enrich import Enricher, EnrichOptions, EnrichSummary
from newsdesk.store import SqlStore, open_store

NOW = datetime(2026, 11, 27, 6, 0, tzinfo=UTC)
PHASES = ("setup", "read", "analyse", "related", "write", "stories")


def train_docs() -> list[tuple[str, str]]:
    docs = []
    with gzip.open(reuters_corpus(), "rt", encoding="utf-8") as lines:
        for line in lines:
            doc = json.loads(line)
            if doc["lewissplit"] == "TRAIN" and (doc["title"].strip() or doc["body"].strip()):
                docs.append((doc["title"], doc["body"]))
    return docs


def articles(docs: list[tuple[str, str]], count: int, first: int = 0) -> Iterator[Article]:
    window = timedelta(days=20)
    for n in range(first, first + count):
        title, text = docs[n % len(docs)]
        if n >= len(docs):
            title = f"{title} ({n // len(docs) + 1})"
        yield Article(
            source_id=None,
            url=f"https://wire.example/{n}",
            canonical_url=f"https://wire.example/{n}",
            title=title,
            text=text,
            published=NOW - window + window * (n / max(first + count, 1)),
            content_hash=f"hash-{n}",
        )


def build_database(path: Path, docs: list[tuple[str, str]], count: int) -> list[int]:
    store = open_store(f"sqlite:///{path}")
    try:
        return [saved.id for a in articles(docs, count) if (saved := store.save_article(a)).id]
    finally:
        store.close()


def enrich(path: Path, ids: list[int], workers: int = 1) -> EnrichSummary:
    """One run; the summary's phase_seconds gains "cpu", this process's CPU seconds (with
    workers > 1 the analysis runs in worker processes, whose CPU is not in it)."""
    store: SqlStore = open_store(f"sqlite:///{path}")
    try:
        enricher = Enricher(store, EnrichOptions(workers=workers), clock=lambda: NOW)
        cpu = time.process_time()
        summary = enricher.run(ids)
        summary.phase_seconds["cpu"] = time.process_time() - cpu
        return summary
    finally:
        store.close()


def analysis_only(docs: list[tuple[str, str]], count: int) -> tuple[float, float]:
    """The issue's target measured alone, no database: classification + entities + facts +
    article summary on ``count`` documents, wall and CPU time."""
    taxonomy, gazetteer = load_taxonomy(), default_gazetteer()
    classify_options, entity_options = ClassifyOptions(), EntityOptions()
    fact_options, summary_options = FactOptions(), SummaryOptions()
    sample = [docs[n % len(docs)] for n in range(count)]
    wall, cpu = time.perf_counter(), time.process_time()
    for title, text in sample:
        classify(title, text, taxonomy=taxonomy, model=None, options=classify_options)
        found = extract_entities(title, text, gazetteer=gazetteer, options=entity_options)
        extract_facts(text, found, options=fact_options, article_id=1)
        summarize_article(title, text, options=summary_options)
    return count / (time.perf_counter() - wall), count / (time.process_time() - cpu)


def report(label: str, runs: list[EnrichSummary]) -> None:
    articles_done = runs[0].articles
    seconds = statistics.median(r.seconds for r in runs)
    phase = {p: statistics.median(r.phase_seconds.get(p, 0.0) for r in runs) for p in PHASES}
    analysis_rate = articles_done / phase["analyse"] if phase["analyse"] else float("inf")
    related_ms = 1000 * phase["related"] / max(articles_done, 1)
    cpu = statistics.median(r.phase_seconds["cpu"] for r in runs)
    print(
        f"{label}: {articles_done} articles in {seconds:.1f} s = "
        f"{articles_done / seconds:.1f} articles/s overall (median of {len(runs)}); "
        f"{articles_done / cpu:.1f} articles per CPU-second; "
        f"analysis alone {analysis_rate:.1f} articles/s; related {related_ms:.2f} ms/article"
    )
    print("   " + ", ".join(f"{p} {phase[p]:.2f} s" for p in PHASES))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="2000,20000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--incremental", type=int, default=200)
    parser.add_argument(
        "--workers", type=int, default=1, help="analysis processes (EnrichOptions.workers)"
    )
    args = parser.parse_args()
    docs = train_docs()
    sizes = [int(size) for size in args.sizes.split(",")]
    rates = [analysis_only(docs, 2000) for _ in range(args.runs)]
    print(
        f"analysis only (2000 documents, no database, median of {args.runs}): "
        f"{statistics.median(r[0] for r in rates):.1f} articles/s, "
        f"{statistics.median(r[1] for r in rates):.1f} articles per CPU-second"
    )
    with tempfile.TemporaryDirectory() as scratch:
        for size in sizes:
            template = Path(scratch) / f"backlog-{size}.db"
            started = time.perf_counter()
            ids = build_database(template, docs, size)
            print(f"stored {len(ids)} articles in {time.perf_counter() - started:.1f} s")
            runs = []
            for run in range(args.runs):
                copy = Path(scratch) / f"run-{size}-{run}.db"
                shutil.copy(template, copy)
                runs.append(enrich(copy, ids, args.workers))
                if run < args.runs - 1 or size != sizes[-1] or not args.incremental:
                    copy.unlink()
            report(f"backlog of {size}", runs)
        if args.incremental:
            largest = Path(scratch) / f"run-{sizes[-1]}-{args.runs - 1}.db"
            store = open_store(f"sqlite:///{largest}")
            try:
                new_ids = [
                    saved.id
                    for a in articles(docs, args.incremental, first=sizes[-1])
                    if (saved := store.save_article(a)).id
                ]
            finally:
                store.close()
            report(
                f"{args.incremental} new over {sizes[-1]} enriched",
                [enrich(largest, new_ids, args.workers)],
            )


if __name__ == "__main__":
    run_benchmark(main)
