"""newsdesk's extraction score on the development set may not fall below the pinned floor.

Scored exactly as benchmarks/extraction.py scores it, on every third page of
../shared/extraction-dev/ (330 of 990 pages, a fixed subset so the test stays near 30 s).
"""

from __future__ import annotations

import hashlib
import logging

import pytest

from research_data import extraction_dev_set, load_benchmark

# sha256 of annotations.json the floor was measured on.
ANNOTATIONS_SHA256 = "5ed1aec42738b2324a09c5669aa9843801b665cb1940e97c50458c0a3e217218"
SUBSET_STEP = 3
# Mean of with-found and without-absent measured on the subset; CI may lose NOISE from it.
PINNED_MEAN = 0.9445
NOISE = 0.01


@pytest.mark.slow
def test_extraction_quality_stays_above_the_floor() -> None:
    dev_set = extraction_dev_set()
    bench = load_benchmark("extraction")
    annotations = dev_set / "annotations.json"
    digest = hashlib.sha256(annotations.read_bytes()).hexdigest()
    assert digest == ANNOTATIONS_SHA256, (
        "the dev set changed: re-measure with benchmarks/extraction.py and re-pin "
        "PINNED_MEAN and ANNOTATIONS_SHA256"
    )
    pages = bench.load_pages(dev_set)[::SUBSET_STEP]
    assert len(pages) >= 300
    logging.disable(logging.CRITICAL)
    try:
        texts, _ = bench.run_extractor(bench.newsdesk_extractor(), pages)
    finally:
        logging.disable(logging.NOTSET)
    score = bench.score_texts(texts, pages)
    assert score.mean >= PINNED_MEAN - NOISE, (
        f"extraction quality fell to {score.mean:.4f} (with {score.with_found:.4f}, "
        f"without {score.without_absent:.4f}); floor {PINNED_MEAN} - {NOISE}"
    )
