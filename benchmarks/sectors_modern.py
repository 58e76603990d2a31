"""Zero-shot sectors on modern briefs (benchmarks/data/modern_sectors, written for the nine
sectors): micro/macro-F1, per-sector precision/recall/F1, exact-set accuracy and throughput.

    .venv/bin/python benchmarks/sectors_modern.py
        [--split dev|dev2|dev3|dev4|dev5|dev6|heldout|heldout2|heldout3|held-out|all]
        [--runs 5] [--errors]

Every document is classified twice: as the pipeline sees a stored article (its language
given, ``lang`` in the file) and as a bare (title, text) pair whose language the classifier
detects itself. Macro-F1 is over all nine sectors. Throughput: documents per CPU second of
``classify_batch`` over the split, single process, median of ``--runs`` runs, language given (as
the pipeline classifies stored articles) and detected; the load average is printed with it.

``--split held-out`` pools the three held-out splits (399 briefs): one figure over every
brief that was never tuned on.

``--errors`` lists the briefs of a tuning split (dev, dev2, dev3, dev4, dev5, dev6) whose labels
differ from the truth.
It refuses the held-out splits: their errors are never looked at while choosing terms, patterns
or thresholds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections.abc import Sequence
from pathlib import Path

from newsdesk.enrich.sectors.classify import ClassifyOptions, SectorResult, classify_batch
from newsdesk.enrich.sectors.taxonomy import Taxonomy, load_taxonomy

DATA = Path(__file__).resolve().parent / "data" / "modern_sectors"
SPLITS = ("dev", "dev2", "dev3", "dev4", "dev5", "dev6", "heldout", "heldout2", "heldout3")
TUNING = ("dev", "dev2", "dev3", "dev4", "dev5", "dev6")  # the splits whose errors may be looked at
HELD_OUT = tuple(s for s in SPLITS if s not in TUNING)
Row = dict[str, object]


def load_rows(split: str) -> list[Row]:
    """The briefs of one split (one of SPLITS), of the held-out ones ('held-out') or of all
    ('all')."""
    groups = {"all": SPLITS, "held-out": HELD_OUT}
    names = groups.get(split, (split,))
    rows: list[Row] = []
    for name in names:
        lines = (DATA / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        rows.extend(json.loads(line) for line in lines if line.strip())
    return rows


def classify_rows(
    rows: Sequence[Row], taxonomy: Taxonomy, *, with_language: bool
) -> list[SectorResult]:
    return classify_batch(
        [(str(r["title"]), str(r["text"])) for r in rows],
        taxonomy=taxonomy,
        model=None,
        options=ClassifyOptions(),
        languages=[str(r["lang"]) for r in rows] if with_language else None,
    )


def figures(
    rows: Sequence[Row], results: Sequence[SectorResult], sector_ids: Sequence[str]
) -> dict[str, object]:
    """micro, macro, exact (share of briefs with exactly the right set) and per-sector
    (precision, recall, f1, support)."""
    per_sector: dict[str, tuple[float, float, float, int]] = {}
    tp_all = fp_all = fn_all = 0
    exact = 0
    for row, result in zip(rows, results, strict=True):
        truth = set(row["sectors"])  # type: ignore[call-overload]
        exact += truth == set(result.labels)
    for sector in sector_ids:
        tp = fp = fn = 0
        for row, result in zip(rows, results, strict=True):
            truth = sector in row["sectors"]  # type: ignore[operator]
            predicted = sector in result.labels
            tp += truth and predicted
            fp += predicted and not truth
            fn += truth and not predicted
        tp_all, fp_all, fn_all = tp_all + tp, fp_all + fp, fn_all + fn
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0
        per_sector[sector] = (precision, recall, f1, tp + fn)
    micro = 2 * tp_all / (2 * tp_all + fp_all + fn_all) if tp_all + fp_all + fn_all else 1.0
    return {
        "micro": micro,
        "macro": statistics.fmean(f for _, _, f, _ in per_sector.values()),
        "exact": exact / len(rows) if rows else 1.0,
        "per_sector": per_sector,
    }


def throughput(rows: Sequence[Row], taxonomy: Taxonomy, runs: int, *, with_language: bool) -> float:
    """Briefs per second of CPU time (other jobs on a shared machine do not count), median."""
    classify_rows(rows[:10], taxonomy, with_language=False)  # warm-up: language model, tables
    rates = []
    for _ in range(runs):
        started = time.process_time()
        classify_rows(rows, taxonomy, with_language=with_language)
        rates.append(len(rows) / (time.process_time() - started))
    return statistics.median(rates)


def print_figures(heading: str, result: dict[str, object]) -> None:
    print(
        f"\n{heading}: micro-F1 {result['micro']:.3f}  macro-F1 {result['macro']:.3f}  "
        f"exact sets {result['exact']:.3f}"
    )
    print(f"  {'sector':<26}{'support':>8}{'prec':>7}{'recall':>8}{'F1':>7}")
    per_sector: dict[str, tuple[float, float, float, int]] = result["per_sector"]  # type: ignore[assignment]
    for sector, (precision, recall, f1, support) in per_sector.items():
        print(f"  {sector:<26}{support:>8}{precision:>7.3f}{recall:>8.3f}{f1:>7.3f}")


def print_errors(rows: Sequence[Row], results: Sequence[SectorResult]) -> None:
    print("\nerrors (language given):")
    for row, result in zip(rows, results, strict=True):
        truth = set(row["sectors"])  # type: ignore[call-overload]
        labels = set(result.labels)
        if truth == labels:
            continue
        print(f"\n{row['id']} [{row['lang']}] {row['title']}")
        print(f"  missed {sorted(truth - labels)}  extra {sorted(labels - truth)}")
        for score in result.scores:
            if score.id in truth ^ labels:
                print(f"    {score.id} {score.score:.2f}: {score.explanation}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", choices=(*SPLITS, "held-out", "all"), default="dev")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--errors", action="store_true")
    args = parser.parse_args()
    if args.errors and args.split not in TUNING:
        parser.error("--errors lists tuning errors only: held-out splits are for final figures")

    taxonomy = load_taxonomy()
    rows = load_rows(args.split)
    languages = sorted({str(r["lang"]) for r in rows})
    print(f"{args.split}: {len(rows)} briefs, languages {', '.join(languages)}")
    given = classify_rows(rows, taxonomy, with_language=True)
    detected = classify_rows(rows, taxonomy, with_language=False)
    print_figures("zero-shot, language given", figures(rows, given, taxonomy.ids))
    print_figures("zero-shot, language detected", figures(rows, detected, taxonomy.ids))
    given_rate = throughput(rows, taxonomy, args.runs, with_language=True)
    detected_rate = throughput(rows, taxonomy, args.runs, with_language=False)
    print(
        f"\nthroughput (classify_batch, single process, briefs per CPU second, median of "
        f"{args.runs}): language given {given_rate:.0f}/s, language detected "
        f"{detected_rate:.0f}/s; load average {os.getloadavg()[0]:.2f}"
    )
    if args.errors:
        print_errors(rows, given)


if __name__ == "__main__":
    main()
