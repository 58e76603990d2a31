"""Burst detection quality: known bursts injected into a re-dated Reuters-21578 stream.

The Reuters stories (their PLACES, ORGS, PEOPLE and TOPICS tags stand in for canonical
entities, so no enrichment is needed) are spread at random over DAYS days. Then BURSTS known
bursts are injected: an entity with a moderate base rate gets extra copies of random stories
naming it within two days, tripling (at least 3 articles) its rate there. newsdesk's detector
(newsdesk.trends.detect_bursts: the last 2 days against the 14 before) runs at the end of
every day; a burst counts as found when it is flagged at the end of its first or second day,
and any flag of an entity with no injected burst in the window is a false alarm. Prints
recall and false alarms per day (and per 1,000 entity-days) for a few score thresholds.

    .venv/bin/python benchmarks/bursts.py [--days 60] [--bursts 60] [--seed 13]
"""

from __future__ import annotations

import argparse
import bisect
import gzip
import json
import random
import time
from collections import defaultdict

from shared_data import reuters_corpus, run_benchmark

from newsdesk.trends import BurstOptions, EntityCounts, detect_bursts

TAGS = {"places": "place", "orgs": "org", "people": "person", "topics": "topic"}


def load_tags() -> list[list[str]]:
    docs: list[list[str]] = []
    with gzip.open(reuters_corpus(), "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            tags = [f"{kind}:{v}" for field, kind in TAGS.items() for v in record.get(field) or []]
            if tags and record.get("body"):
                docs.append(tags)
    return docs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--bursts", type=int, default=60)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    docs = load_tags()
    print(
        f"{len(docs)} Reuters stories with tags re-dated over {args.days} days; "
        f"{args.bursts} injected bursts per strength (seed {args.seed})"
    )
    print(
        f"{'strength':>8} {'min score':>9} {'recall':>7} {'false alarms/day':>17} "
        f"{'per 1k entity-days':>19} {'ms/run':>7}"
    )
    for strength in (3, 5, 10):
        evaluate(docs, args.days, args.bursts, args.seed, strength)


def evaluate(docs: list[list[str]], days: int, bursts: int, seed: int, strength: int) -> None:
    """Inject bursts multiplying an entity's two-day rate by strength; score the detector."""
    rng = random.Random(seed)
    args = argparse.Namespace(days=days, bursts=bursts, seed=seed)
    stream = [(rng.uniform(0, args.days), tags) for tags in docs]
    rate: dict[str, int] = defaultdict(int)
    for _, tags in stream:
        for tag in tags:
            rate[tag] += 1
    per_day = {tag: n / args.days for tag, n in rate.items()}
    candidates = sorted(t for t, r in per_day.items() if 0.2 <= r <= 5.0)
    injected: list[tuple[str, int]] = []
    used: set[str] = set()
    while len(injected) < args.bursts and len(used) < len(candidates):
        tag = rng.choice(candidates)
        if tag in used:
            continue
        used.add(tag)
        start = rng.randrange(16, args.days - 2)
        extra = max(3, round(per_day[tag] * 2 * (strength - 1)))  # rate x strength
        for _ in range(extra):
            copy = list(rng.choice(docs))
            stream.append((start + rng.uniform(0, 2), [*copy, tag]))
        injected.append((tag, start))
    times: dict[str, list[float]] = defaultdict(list)
    all_times: list[float] = []
    for when, tags in stream:
        all_times.append(when)
        for tag in set(tags):
            times[tag].append(when)
    for values in times.values():
        values.sort()
    all_times.sort()

    def between(values: list[float], low: float, high: float) -> int:
        return bisect.bisect_left(values, high) - bisect.bisect_left(values, low)

    for threshold in (2.0, 3.0, 4.0):
        options = BurstOptions(min_score=threshold, limit=10_000)
        found: set[tuple[str, int]] = set()
        false_alarms = 0
        entity_days = 0
        elapsed = 0.0
        evaluations = 0
        for day in range(16, args.days + 1):
            recent_low, baseline_low = day - 2, day - 16
            counts = [
                EntityCounts(
                    tag, between(values, recent_low, day), between(values, baseline_low, recent_low)
                )
                for tag, values in times.items()
            ]
            entity_days += sum(1 for c in counts if c.recent or c.baseline)
            started = time.perf_counter()
            flagged = detect_bursts(
                counts,
                recent_total=between(all_times, recent_low, day),
                baseline_total=between(all_times, baseline_low, recent_low),
                options=options,
            )
            elapsed += time.perf_counter() - started
            evaluations += 1
            for item in flagged:
                bursts = [s for t, s in injected if t == item.entity_id and s < day <= s + 4]
                if bursts:
                    if any(day in (s + 1, s + 2) for s in bursts):
                        found.update((item.entity_id, s) for s in bursts if day in (s + 1, s + 2))
                else:
                    false_alarms += 1
        days = args.days - 15
        recall = len(found) / len(injected)
        print(
            f"{'x' + str(strength):>8} {threshold:>9.1f} {recall:>7.1%} "
            f"{false_alarms / days:>17.2f} {1000 * false_alarms / max(entity_days, 1):>19.2f} "
            f"{1000 * elapsed / evaluations:>7.1f}"
        )


if __name__ == "__main__":  # pragma: no cover
    run_benchmark(main)
