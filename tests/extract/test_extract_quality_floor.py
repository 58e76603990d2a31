"""newsdesk's extraction quality on the development set may not fall below the pinned floors.

Scored exactly as benchmarks/extraction.py scores it, on every third page of
../shared/extraction-dev/ (330 of 990 pages, a fixed subset so the test stays near 45 s): the
snippet score, and the precision and F1 of the full-text estimate (what precision-first
extraction gained; F1 keeps a precision rule from paying for it with recall).
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
# (0.9452 before the publisher's articleBody judged the body's edges; 0.9447 before the
# headline was left to the title: the set's annotators mark a headline `with` about as often
# as `without`, 4 and 3 times among the tuning pages it changed; 0.9437
# before the edge-furniture rules: closing author bios, source credits, republication notes;
# 0.9527 with the declared standfirst put back, 0.9520 with trailing italic notes dropped,
# which the annotators marked as article on a few pages while the full-body truth calls them
# furniture on every tuning page that has one; 0.9530 with closing "About <organisation>"
# blurbs dropped.)
PINNED_MEAN = 0.9530
# Full-text precision estimate on the subset: 0.9610 with the publisher's articleBody as a
# second opinion on the body's edges; 0.9596 with the edge-furniture rules; 0.9594
# with the page-level checks (further stories on one page, a balanced pass that only adds a
# teaser list); 0.9540 before them with
# the measure's article region (0.9518 before the headline and whole-paragraph furniture rules;
# by the earlier measure 0.9206, and 0.9082 before precision-first extraction).
# (The recall guard's same-region check changes no page of this subset: its one dev page is
# in the validation part, so the floors stay where they were.)
# 0.9588 since the declared standfirst goes back before the body: the measure counts text
# before the first `with` snippet outside the article's container as furniture, though the
# annotators marked such a standfirst as article 19 times in 20; 0.9592 with the eighth
# draw's rules (repeated titles, leading captions, <br> edge lines).
PINNED_PRECISION = 0.9592
# Its F1 (precision with the recall inside the `with` span) on the subset, first pinned with
# the page-level checks (0.9404), 0.9405 with the edge-furniture rules, 0.9408 with the
# articleBody opinion, 0.9415 with interior blocks given back (precision 0.9616 -> 0.9614 on
# this subset, over PINNED_PRECISION; mean unchanged at 0.9472), 0.9434 with the declared
# standfirst, 0.9432 with the body-edge rules, 0.9434 with the eighth draw's rules: a rule
# that buys precision with more recall than it gains fails here.
PINNED_F1 = 0.9434
NOISE = 0.01


@pytest.mark.slow
def test_extraction_quality_stays_above_the_floor() -> None:
    dev_set = extraction_dev_set()
    bench = load_benchmark("extraction")
    annotations = dev_set / "annotations.json"
    digest = hashlib.sha256(annotations.read_bytes()).hexdigest()
    assert digest == ANNOTATIONS_SHA256, (
        "the dev set changed: re-measure with benchmarks/extraction.py and re-pin "
        "PINNED_MEAN, PINNED_PRECISION and ANNOTATIONS_SHA256"
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
    full = bench.full_text_score(texts, [bench.page_truth(page) for page in pages])
    assert full.precision >= PINNED_PRECISION - NOISE, (
        f"full-text precision fell to {full.precision:.4f} (recall {full.recall:.4f}); "
        f"floor {PINNED_PRECISION} - {NOISE}"
    )
    assert full.f1 >= PINNED_F1 - NOISE, (
        f"full-text F1 fell to {full.f1:.4f} (precision {full.precision:.4f}, recall "
        f"{full.recall:.4f}); floor {PINNED_F1} - {NOISE}"
    )


# Full-body truth (benchmarks/extraction_full_body.py, 480 labelled pages): newsdesk's
# precision and F1 over the pooled tuning pages (360) and the pooled validation pages (120),
# as measured when the tenth draw's rules, the unbacked-tail check and the articleBody text
# landed. The tuning pins went from 0.9835 / 0.9901 at 240 pages to 0.9835 / 0.9895 at 320
# and 0.9847 / 0.9901 at 360 (the tenth draw read P 0.9498 before its rules); the
# validation pins from 0.9467 / 0.9685 to 0.9486 / 0.9695 at 80 pages (the unbacked-tail
# check, the one rule that changes a validation page) and to 0.9479 / 0.9659 at 120 (the
# eleventh draw, 40 fresh validation pages read once at lead ba742a6: P 0.9466, F1 0.9588).
# The tuning pins hold what the body-edge rules gained; the validation pins what no rule was
# designed on.
FULL_BODY_FLOORS = {
    "all tuning": (0.9847, 0.9901),
    "all validation": (0.9479, 0.9659),
}
FULL_BODY_NOISE = 0.005


@pytest.mark.slow
def test_full_body_quality_stays_above_the_floor() -> None:
    import sys

    extraction = sys.modules.setdefault("extraction", load_benchmark("extraction"))
    full_body = load_benchmark("extraction_full_body")
    pages = extraction.load_pages(extraction_dev_set())
    parts = full_body.reported_parts(full_body.load_truths(pages))
    newsdesk = extraction.newsdesk_extractor()
    logging.disable(logging.CRITICAL)
    try:
        texts = dict(
            zip(
                (truth.index for truth in parts["all"]),
                full_body.run(newsdesk, pages, parts["all"]),
                strict=True,
            )
        )
    finally:
        logging.disable(logging.NOTSET)
    for part, (precision, f1) in FULL_BODY_FLOORS.items():
        truths = parts[part]
        found = full_body.score([texts[truth.index] for truth in truths], truths)
        assert found.precision >= precision - FULL_BODY_NOISE, (part, found)
        assert found.f1 >= f1 - FULL_BODY_NOISE, (part, found)
