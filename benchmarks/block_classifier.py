"""A learned block classifier over a recall-richer body (issue 16, i16u): does it pay?

For every dev page: newsdesk's body with trafilatura's balanced pass as the primary
(`ExtractOptions(favor_precision=False)`, cleanup and the articleBody opinion as today), its
blocks, their features (`block_features.block_features`) and a label per block from the
full-text measure's page labels (benchmarks/extraction.py): the block's words are placed on
the page as the measure places the body's 5-grams; a block is furniture when more of its
placed words are furniture than article, article when more are article, unknown (not trained
on) otherwise. Today's body (favor_precision primary) is kept for comparison.

Two variants, each a logistic regression on standardised features, trained on the tuning
part only (trafilatura XML bodies; the rare readability fallback is left as it is):
- removal: blocks of the balanced-primary body the model calls furniture go;
- union: today's body plus the blocks only the balanced pass keeps, less those the model
  calls furniture (trained on those blocks only). It needs both passes on every page.
For each, C and the removal policy (`Policy`: threshold, longest block, largest share of a
page's words) are chosen by 5-fold cross-validation inside the tuning part (folds of pages) on
the tuning pages' full-text F1 of the rendered text (the body less the removed blocks, as the
pipeline would render it); then the model is trained on all tuning pages and the validation
part is scored once. English pages (`<html lang="en...">`) are reported too.

    NEWSDESK_SHARED_DIR=../shared nice -n 10 .venv/bin/python benchmarks/block_classifier.py \
        [--limit N] [--cache FILE]
"""

from __future__ import annotations

import argparse
import logging
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from block_features import FEATURE_NAMES, SourceIndex, block_features, page_context
from extraction import (
    ARTICLE,
    FURNITURE,
    SHINGLE,
    PageTruth,
    _placements,
    cached_collection,
    full_text_score,
    load_pages,
    page_truth,
    tuning_part,
    validation_part,
    words_of,
)
from shared_data import run_benchmark


@dataclass
class PageRecord:
    truth: PageTruth | None
    english: bool = False
    today: str = ""
    text: str = ""
    xml: bytes = b""
    is_html: bool = False
    blocks: list[str] = field(default_factory=list)
    rows: list[list[float]] = field(default_factory=list)
    labels: list[int | None] = field(default_factory=list)
    cpu_ms: dict[str, float] = field(default_factory=dict)


def block_labels(blocks: list[str], truth: PageTruth | None) -> list[int | None]:
    """1 furniture, 0 article, None unknown, for each block (see the module docstring)."""
    if truth is None:
        return [None] * len(blocks)
    words: list[str] = []
    owner: list[int] = []
    for index, block in enumerate(blocks):
        block_words = words_of(block)
        words.extend(block_words)
        owner.extend([index] * len(block_words))
    word_label: dict[int, str] = {}
    for j, place in enumerate(_placements(truth, words)):
        if place is None:
            continue
        for k in range(SHINGLE):
            word_label.setdefault(j + k, truth.labels[place + k])
    counts = [[0, 0] for _ in blocks]
    for j, label in word_label.items():
        if label == ARTICLE:
            counts[owner[j]][0] += 1
        elif label == FURNITURE:
            counts[owner[j]][1] += 1
    return [
        1 if furniture > article else 0 if article > furniture else None
        for article, furniture in counts
    ]


def collect(limit: int | None) -> list[PageRecord]:
    from lxml import etree

    from newsdesk.domain import ExtractionError
    from newsdesk.extract.article import choose_body
    from newsdesk.extract.cleanup import body_blocks
    from newsdesk.extract.jsonld import article_bodies, read_json_ld
    from newsdesk.extract.options import ExtractOptions
    from newsdesk.extract.page import parse_page

    today_options = ExtractOptions()
    options = ExtractOptions(favor_precision=False)
    records = []
    for page in load_pages(limit=limit):
        record = PageRecord(page_truth(page))
        records.append(record)
        try:
            tree = parse_page(page.html, max_html_bytes=options.max_html_bytes)
        except ExtractionError:
            continue
        record.english = (tree.get("lang") or "").lower().startswith("en")
        json_ld = read_json_ld(tree)
        try:
            _, record.today, _ = choose_body(
                tree, url=page.url, options=today_options, json_ld=json_ld
            )
        except ExtractionError:
            record.today = ""
        started = time.process_time()
        try:
            candidate, _, _ = choose_body(tree, url=page.url, options=options, json_ld=json_ld)
        except ExtractionError:
            continue
        record.cpu_ms["balanced body"] = 1000 * (time.process_time() - started)
        started = time.process_time()
        blocks = [
            (str(el.tag), text)
            for el, text in body_blocks(candidate.body, candidate.block_tags)
            if text
        ]
        context = page_context(tree, article_bodies(json_ld))
        record.rows = block_features(blocks, SourceIndex(tree), context)
        record.cpu_ms["features"] = 1000 * (time.process_time() - started)
        record.blocks = [text for _, text in blocks]
        record.text = candidate.text()
        record.xml = etree.tostring(candidate.body, encoding="utf-8")
        record.is_html = candidate.is_html
        record.labels = block_labels(record.blocks, record.truth)
    return records


def render(record: PageRecord, drop: list[bool]) -> str:
    """The body's text less the dropped blocks, as the pipeline would render it."""
    if not any(drop):
        return record.text
    from lxml import etree
    from lxml.html import fromstring

    from newsdesk.extract.candidates import Candidate, CandidateName
    from newsdesk.extract.cleanup import body_blocks, remove_blocks

    body = fromstring(record.xml) if record.is_html else etree.fromstring(record.xml)
    candidate = Candidate(CandidateName.BALANCED, body, record.is_html)
    elements = [el for el, text in body_blocks(body, candidate.block_tags) if text]
    remove_blocks(
        body, candidate.block_tags, [el for el, d in zip(elements, drop, strict=True) if d]
    )
    return candidate.text()


def _matrix(records: list[PageRecord], union: bool) -> tuple[Any, Any, Any, Any]:
    import numpy as np

    xs, ys, groups, words = [], [], [], []
    for page, record in enumerate(records):
        if record.is_html:  # the model reads trafilatura's XML bodies only
            continue
        total = sum(len(b.split()) for b in record.blocks) or 1
        kept = kept_by_today(record) if union else [False] * len(record.blocks)
        for row, label, block, today in zip(
            record.rows, record.labels, record.blocks, kept, strict=True
        ):
            if label is None or today:
                continue
            xs.append(row)
            ys.append(label)
            groups.append(page)
            words.append(len(block.split()) / total)
    return np.array(xs), np.array(ys), np.array(groups), np.array(words)


def fit(records: list[PageRecord], c: float, union: bool) -> dict[str, Any]:
    from sklearn.linear_model import LogisticRegression

    x, y, _, _ = _matrix(records, union)
    means = x.mean(axis=0)
    scales = x.std(axis=0)
    scales[scales == 0] = 1.0
    model = LogisticRegression(C=c, max_iter=3000)
    model.fit((x - means) / scales, y)
    return {
        "means": means.tolist(),
        "scales": scales.tolist(),
        "weights": model.coef_[0].tolist(),
        "bias": float(model.intercept_[0]),
    }


def predict(params: dict[str, Any], records: list[PageRecord]) -> list[list[float]]:
    import numpy as np

    out = []
    means, scales = np.array(params["means"]), np.array(params["scales"])
    weights = np.array(params["weights"])
    for record in records:
        if not record.rows or record.is_html:
            out.append([0.0] * len(record.rows))
            continue
        z = ((np.array(record.rows) - means) / scales) @ weights + params["bias"]
        out.append((1 / (1 + np.exp(-z))).tolist())
    return out


@dataclass(frozen=True)
class Policy:
    """Which blocks go: furniture probability above `threshold`, at most `max_words` words
    (None: any length), and nothing on a page where they would take over `cap` of its words."""

    threshold: float
    max_words: int | None = None
    cap: float = 1.0

    def drops(self, record: PageRecord, probabilities: list[float]) -> list[bool]:
        sizes = [len(block.split()) for block in record.blocks]
        drop = [
            p > self.threshold and (self.max_words is None or size <= self.max_words)
            for p, size in zip(probabilities, sizes, strict=True)
        ]
        if sum(size for size, d in zip(sizes, drop, strict=True) if d) > self.cap * sum(sizes):
            return [False] * len(drop)
        return drop


POLICIES = [
    Policy(threshold, max_words, cap)
    for threshold in (0.3, 0.5, 0.7)
    for max_words in (None, 30)
    for cap in (0.1, 0.3, 1.0)
]


def kept_by_today(record: PageRecord) -> list[bool]:
    """Whether today's body (favor_precision primary) holds each block: half of its word
    3-grams (a shorter block: its words in a row)."""
    words = words_of(record.today)
    grams = {tuple(words[i : i + 3]) for i in range(len(words) - 2)}
    joined = f" {' '.join(words)} "
    kept = []
    for block in record.blocks:
        own = words_of(block)
        if len(own) < 3:
            kept.append(f" {' '.join(own)} " in joined)
            continue
        shingles = [tuple(own[i : i + 3]) for i in range(len(own) - 2)]
        kept.append(sum(gram in grams for gram in shingles) / len(shingles) >= 0.5)
    return kept


def texts_of(
    records: list[PageRecord], probabilities: list[list[float]], policy: Policy, union: bool
) -> list[str]:
    """Each page's text after the policy; `union`: only blocks today's body lacks may go
    (today's body plus the balanced pass's extra blocks the model calls article)."""
    texts = []
    for record, scores in zip(records, probabilities, strict=True):
        kept = kept_by_today(record) if union else [False] * len(scores)
        probs = [0.0 if k else p for p, k in zip(scores, kept, strict=True)]
        drop = policy.drops(record, probs)
        if drop and all(drop):
            drop = [False] * len(drop)
        texts.append(render(record, drop))
    return texts


def cross_validate(tuning: list[PageRecord], c: float, union: bool) -> list[list[float]]:
    folds = 5
    probabilities: list[list[float]] = [[] for _ in tuning]
    for fold in range(folds):
        train = [r for i, r in enumerate(tuning) if i % folds != fold]
        params = fit(train, c, union)
        held = [i for i in range(len(tuning)) if i % folds == fold]
        for i, probs in zip(held, predict(params, [tuning[i] for i in held]), strict=True):
            probabilities[i] = probs
    return probabilities


def report(name: str, texts: list[str], records: list[PageRecord]) -> str:
    truths = [r.truth for r in records]
    parts = {
        "tune": full_text_score(tuning_part(texts), tuning_part(truths)),
        "valid": full_text_score(validation_part(texts), validation_part(truths)),
        "all": full_text_score(texts, truths),
        "en": full_text_score(
            [t for t, r in zip(texts, records, strict=True) if r.english],
            [r.truth for r in records if r.english],
        ),
    }
    return f"{name:<40}" + " | ".join(
        f"{part} P {s.precision:.4f} R {s.recall:.4f} F1 {s.f1:.4f}" for part, s in parts.items()
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="first N pages only")
    parser.add_argument("--cache", type=Path, default=None, help="pickle of collected pages")
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)
    records = cached_collection(args.cache, lambda: collect(args.limit))
    extracted = [r for r in records if r.blocks]
    print(
        f"{len(records)} pages, {len(extracted)} with a body, "
        f'{sum(r.english for r in records)} English (<html lang="en...">)'
    )
    for step in ("balanced body", "features"):
        values = [r.cpu_ms.get(step, 0.0) for r in extracted]
        print(
            f"  CPU ms {step}: mean {statistics.fmean(values):.1f} "
            f"median {statistics.median(values):.1f}"
        )
    labelled = [label for r in tuning_part(records) for label in r.labels if label is not None]
    print(f"tuning blocks labelled: {len(labelled)}, furniture {sum(labelled)}")
    print(report("today (favor_precision primary)", [r.today for r in records], records))
    print(report("balanced primary", [r.text for r in records], records))
    tuning = tuning_part(records)
    for union in (False, True):
        variant = "union: today + balanced-only blocks" if union else "balanced primary, removal"
        best: tuple[float, float, Policy] | None = None
        for c in (0.1, 1.0):
            oof = cross_validate(tuning, c, union)
            labels = [label for r in tuning if not r.is_html for label in r.labels]
            scores = [q for r, p in zip(tuning, oof, strict=True) if not r.is_html for q in p]
            pairs = [(q, y) for q, y in zip(scores, labels, strict=True) if y is not None]
            print(
                f"{variant}: C={c} out-of-fold block AUC "
                f"{_auc([q for q, _ in pairs], [y for _, y in pairs]):.3f}"
            )
            for policy in POLICIES:
                score = full_text_score(
                    texts_of(tuning, oof, policy, union), [r.truth for r in tuning]
                )
                print(
                    f"  cv C={c} {policy}: P {score.precision:.4f} R {score.recall:.4f} "
                    f"F1 {score.f1:.4f}",
                    flush=True,
                )
                if best is None or score.f1 > best[0]:
                    best = (score.f1, c, policy)
        assert best is not None
        _, c, policy = best
        print(f"{variant}: chosen by cross-validation on tuning: C={c} {policy}")
        params = fit(tuning, c, union)
        texts = texts_of(records, predict(params, records), policy, union)
        print(report(variant, texts, records))
        ranked = sorted(
            zip(FEATURE_NAMES, params["weights"], strict=True), key=lambda f: -abs(f[1])
        )
        print("  largest weights:", ", ".join(f"{n} {w:+.2f}" for n, w in ranked[:12]))


def _auc(scores: list[float], labels: list[int]) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(labels, scores))


if __name__ == "__main__":
    run_benchmark(main)
