"""The trained model's threshold choice: steady under tiny changes of the cross-validated scores."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from newsdesk.enrich.sectors.trained import steady_threshold


def _scores(seed: int) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Decision values shaped like a Reuters sector's: 10 % positives, overlapping classes."""
    rng = np.random.default_rng(seed)
    truth = rng.random(2000) < 0.1
    values = np.where(truth, rng.normal(0.3, 0.6, 2000), rng.normal(-1.0, 0.45, 2000))
    return values, truth


def _coarse_best(values: NDArray[np.float64], truth: NDArray[np.bool_]) -> float:
    """The rule before #17 part 6: the median of the best F1s on a 0.05 grid."""
    candidates = np.arange(-20, 11) / 20.0
    predicted = [values >= t for t in candidates]
    f1s = np.array([2 * np.sum(truth & p) / (truth.sum() + p.sum()) for p in predicted])
    return float(np.median(candidates[f1s >= f1s.max() - 1e-9]))


def _largest_move(
    rule: Callable[[NDArray[np.float64], NDArray[np.bool_]], float], seeds: range
) -> float:
    largest = 0.0
    for seed in seeds:
        values, truth = _scores(seed)
        chosen = rule(values, truth)
        noise = np.random.default_rng(1000 + seed)
        for _ in range(10):
            nudged = values + noise.normal(0.0, 1e-3, values.shape)
            largest = max(largest, abs(rule(nudged, truth) - chosen))
    return largest


def test_a_tiny_change_of_the_scores_moves_the_threshold_by_at_most_a_fine_step() -> None:
    seeds = range(10)
    # the same nudges moved the old rule's choice by whole grid steps: the case is a real one
    assert _largest_move(_coarse_best, seeds) >= 0.05
    assert _largest_move(steady_threshold, seeds) <= 0.01 + 1e-9


def test_separable_scores_give_a_threshold_inside_the_gap() -> None:
    values = np.array([-0.9, -0.8, -0.7, -0.6, 0.3, 0.4, 0.5])
    truth = values > 0
    threshold = steady_threshold(values, truth)
    assert -0.6 < threshold <= 0.3


def test_the_threshold_stays_on_the_candidate_range() -> None:
    values, truth = _scores(3)
    for shift in (-5.0, 5.0):  # every score far below or far above every candidate
        assert -1.0 <= steady_threshold(values + shift, truth) <= 0.5
