"""Emerging entities and topics: who is named in more of the last days' articles than their
baseline share predicts.

For an entity named in ``recent`` articles of the recent window and ``baseline`` articles of
the baseline window, under "nothing changed" each of its ``recent + baseline`` articles falls
in the recent window with the probability that any article does (the recent window's share
of all articles in both windows). The score is ``-log10`` of the one-sided binomial tail
P(X >= recent): how surprising that many recent articles would be. A burst needs a minimum
support (recent articles) and a minimum lift (recent rate over the baseline rate, with one
article added to the baseline so a first appearance has a finite lift), as well as the score.
Conditioning on the entity's total keeps a busy news day from flagging everyone.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from newsdesk.domain.trends import EntityCounts


@dataclass(frozen=True)
class BurstOptions:
    recent_days: float = 2.0
    baseline_days: float = 14.0
    min_support: int = 3  # articles in the recent window
    min_lift: float = 2.0
    min_score: float = 3.0  # -log10 p: p < 0.001
    limit: int = 20


@dataclass(frozen=True)
class Emerging:
    entity_id: str
    recent: int
    baseline: int
    expected: float  # recent articles expected from its baseline share
    lift: float
    score: float  # -log10 of the binomial tail; higher is more surprising


def binomial_tail(successes: int, trials: int, p: float) -> float:
    """P(X >= successes) for X ~ Binomial(trials, p), summed in log space (stable for the
    thousands of trials of a busy entity); 1.0 when successes <= 0."""
    if successes <= 0:
        return 1.0
    if successes > trials or p <= 0.0:
        return 0.0
    if p >= 1.0:
        return 1.0
    log_p, log_q = math.log(p), math.log1p(-p)
    log_choose = math.lgamma(trials + 1)
    terms: list[float] = []
    for k in range(successes, trials + 1):
        term = (
            log_choose
            - math.lgamma(k + 1)
            - math.lgamma(trials - k + 1)
            + k * log_p
            + (trials - k) * log_q
        )
        terms.append(term)
        if k > trials * p and term < terms[0] - 40:  # past the mode, negligible from here on
            break
    top = max(terms)
    return min(1.0, math.exp(top) * sum(math.exp(t - top) for t in terms))


def burst_score(recent: int, baseline: int, share: float) -> float:
    tail = binomial_tail(recent, recent + baseline, share)
    return 300.0 if tail <= 0.0 else -math.log10(tail)


def detect_bursts(
    counts: Iterable[EntityCounts],
    *,
    recent_total: int,
    baseline_total: int,
    options: BurstOptions | None = None,
) -> list[Emerging]:
    """The emerging entities among counts, most surprising first (ties by more articles, then
    id). recent_total and baseline_total: all articles of each window."""
    chosen = options or BurstOptions()
    if recent_total <= 0 or baseline_total < 0:
        return []
    share = recent_total / (recent_total + baseline_total)
    rate_ratio = (baseline_total or 1) / recent_total  # baseline articles per recent article
    found: list[Emerging] = []
    for item in counts:
        if item.recent < chosen.min_support:
            continue
        lift = item.recent * rate_ratio / (item.baseline + 1)
        if lift < chosen.min_lift:
            continue
        score = burst_score(item.recent, item.baseline, share)
        if score < chosen.min_score:
            continue
        expected = (item.recent + item.baseline) * share
        found.append(
            Emerging(item.entity_id, item.recent, item.baseline, expected, lift, round(score, 2))
        )
    found.sort(key=lambda e: (-e.score, -e.recent, e.entity_id))
    return found[: chosen.limit]
