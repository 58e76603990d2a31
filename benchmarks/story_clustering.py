"""How well StoryIndex links independent re-reports of one piece of news, and nothing else.

1. The shipped demo corpus (64 articles; articles sharing a ``story`` key are re-reports by
   different publications). Articles are added oldest first the way the pipeline would: query,
   join the best match's story if it reaches the threshold, else start a new story. Reports the
   same-story pairs linked, false links, whether the clusters equal the story keys exactly, a
   threshold sweep (to show the margin) and the closest pairs on both sides.
2. Reuters-21578 TRAIN in date order (default 3,000 stories): the share of articles joined to
   another's story, printed examples to judge them by, and throughput.

    .venv/bin/python benchmarks/story_clustering.py [--reuters 3000] [--examples 12]
        [--threshold 0.18] [--skip-reuters] [--timing-size 20000 (0: skip)]

3. Query latency with (up to) 20,000 Reuters articles of all splits indexed.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import random
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from shared_data import reuters_corpus, run_benchmark

from newsdesk.dedup import StoryIndex, StoryOptions, content_hash, story_features
from newsdesk.demo.corpus_loader import load_corpus

SWEEP = (0.10, 0.12, 0.14, 0.15, 0.16, 0.18, 0.20, 0.22, 0.24, 0.26, 0.30, 0.35)


@dataclass(frozen=True)
class Doc:
    key: str  # slug or Reuters id
    title: str
    text: str
    published: datetime
    truth: str | None  # story key (demo) or None


@dataclass(frozen=True)
class Clustering:
    story_of: dict[str, int]
    joined: list[tuple[Doc, Doc, float]]  # (article, the match it joined, similarity)
    seconds: float


def cluster(docs: Sequence[Doc], options: StoryOptions) -> Clustering:
    """Oldest first: query, join the best match's story or start one, then add."""
    index = StoryIndex(options)
    story_of: dict[str, int] = {}
    joined: list[tuple[Doc, Doc, float]] = []
    started = time.perf_counter()
    for article_id, doc in enumerate(docs):
        features = story_features(doc.title, doc.text, options)
        matches = index.query(features, doc.published)
        if matches and matches[0].story_id is not None:
            story_id = matches[0].story_id
            joined.append((doc, docs[matches[0].article_id], matches[0].similarity))
        else:
            story_id = article_id
        story_of[doc.key] = story_id
        index.add(article_id, story_id, features, doc.published)
    return Clustering(story_of, joined, time.perf_counter() - started)


def demo_docs() -> list[Doc]:
    now = datetime(2026, 1, 15, 12, tzinfo=UTC)
    corpus = load_corpus(now)
    docs = [
        Doc(
            f"{a.publication}/{a.slug}",
            a.title,
            "\n\n".join(p.removeprefix("## ") for p in a.paragraphs),
            a.published,
            a.story,
        )
        for a in corpus.articles
    ]
    return sorted(docs, key=lambda d: (d.published, d.key))


def pair_counts(docs: Sequence[Doc], story_of: dict[str, int]) -> tuple[int, int, int]:
    """(same-story pairs linked, same-story pairs in all, false links)."""
    linked = total = false = 0
    for a, b in itertools.combinations(docs, 2):
        same_truth = a.truth is not None and a.truth == b.truth
        same_cluster = story_of[a.key] == story_of[b.key]
        total += same_truth
        linked += same_truth and same_cluster
        false += same_cluster and not same_truth
    return linked, total, false


def exact(docs: Sequence[Doc], story_of: dict[str, int]) -> bool:
    keys = {d.truth for d in docs if d.truth is not None}
    truth = {frozenset(d.key for d in docs if d.truth == key) for key in keys}
    singles = {frozenset({d.key}) for d in docs if d.truth is None}
    clusters: defaultdict[int, set[str]] = defaultdict(set)
    for key, story in story_of.items():
        clusters[story].add(key)
    return {frozenset(c) for c in clusters.values()} == truth | singles


def pair_scores(docs: Sequence[Doc], options: StoryOptions) -> list[tuple[float, bool, Doc, Doc]]:
    """Every pair within the window, scored with the whole corpus indexed (final IDF)."""
    index = StoryIndex(options)
    features = [story_features(d.title, d.text, options) for d in docs]
    for article_id, (doc, feats) in enumerate(zip(docs, features, strict=True)):
        index.add(article_id, None, feats, doc.published)
    window = options.window_hours * 3600
    scores = []
    for i, j in itertools.combinations(range(len(docs)), 2):
        a, b = docs[i], docs[j]
        if abs((a.published - b.published).total_seconds()) > window:
            continue
        same = a.truth is not None and a.truth == b.truth
        scores.append((index.similarity(features[i], features[j]), same, a, b))
    return sorted(scores, key=lambda item: -item[0])


def run_demo(options: StoryOptions) -> None:
    docs = demo_docs()
    print(f"== Demo corpus: {len(docs)} articles, threshold {options.threshold}")
    print("threshold  linked/same-story  false-links  exact")
    for threshold in (*SWEEP, options.threshold):
        result = cluster(docs, replace(options, threshold=threshold))
        linked, total, false = pair_counts(docs, result.story_of)
        mark = " <- chosen" if threshold == options.threshold else ""
        ok = exact(docs, result.story_of)
        print(
            f"  {threshold:5.2f}    {linked:3d}/{total:<3d}            {false:3d}       {ok}{mark}"
        )
    scores = pair_scores(docs, options)
    same = [s for s in scores if s[1]]
    different = [s for s in scores if not s[1]]
    print("weakest same-story pairs (final IDF, all indexed):")
    for score, _same, a, b in sorted(same, key=lambda s: s[0])[:4]:
        print(f"  {score:.3f}  {a.key}  ~  {b.key}")
    print("strongest different-story pairs within the window:")
    for score, _same, a, b in different[:4]:
        print(f"  {score:.3f}  {a.key}  ~  {b.key}")


def parse_reuters_date(raw: str) -> datetime | None:
    try:
        parsed = datetime.strptime(raw.split(".", maxsplit=1)[0], "%d-%b-%Y %H:%M:%S")
    except ValueError:  # a few records have garbled times ("31-MAR-1987 605:12:19")
        return None
    return parsed.replace(tzinfo=UTC)


def reuters_docs(count: int, splits: frozenset[str] = frozenset({"TRAIN"})) -> list[Doc]:
    docs: list[Doc] = []
    seen: set[str] = set()
    with gzip.open(reuters_corpus(), "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            body = record.get("body", "").strip()
            published = parse_reuters_date(record.get("date", ""))
            if record.get("lewissplit") not in splits or not body or published is None:
                continue
            digest = content_hash(None, body)
            if digest in seen:  # verbatim re-sends are the exact-duplicate check's business
                continue
            seen.add(digest)
            title = record.get("title", "")
            docs.append(Doc(str(record["id"]), title, body, published, None))
    docs.sort(key=lambda d: (d.published, int(d.key)))
    return docs[:count]


def run_reuters(options: StoryOptions, count: int, examples: int) -> None:
    docs = reuters_docs(count)
    span = docs[-1].published - docs[0].published
    print(f"\n== Reuters-21578 TRAIN: {len(docs)} stories in date order over {span}")
    for threshold in sorted({options.threshold, 0.25, 0.35, 0.45}):
        result = cluster(docs, replace(options, threshold=threshold))
        share = len(result.joined) / len(docs)
        print(
            f"  threshold {threshold:.2f}: {len(result.joined)} joined another's story"
            f" ({share:.1%})"
        )
    result = cluster(docs, options)
    rate = len(docs) / result.seconds
    print(f"throughput at {options.threshold}: {rate:,.0f} articles/s (features + query + add)")
    sample = random.Random(7).sample(result.joined, min(examples, len(result.joined)))
    print(f"{len(sample)} random joins (article  <-  the match it joined):")
    for doc, match, score in sorted(sample, key=lambda item: -item[2]):
        print(f"  {score:.2f}  {doc.title[:60]!r}\n        <- {match.title[:60]!r}")


def run_timing(options: StoryOptions, size: int) -> None:
    """Query latency with up to `size` Reuters articles (all splits) indexed."""
    docs = reuters_docs(size, frozenset({"TRAIN", "TEST", "NOT-USED"}))
    index = StoryIndex(options)
    features = [story_features(d.title, d.text, options) for d in docs]
    for article_id, (doc, feats) in enumerate(zip(docs, features, strict=True)):
        index.add(article_id, article_id, feats, doc.published)
    probes = random.Random(3).sample(range(len(docs)), 500)
    timings = []
    for i in probes:
        started = time.perf_counter()
        index.query(features[i], docs[i].published)
        timings.append(time.perf_counter() - started)
    timings.sort()
    print(
        f"\nquery latency with {len(index):,} indexed: median {timings[250] * 1e3:.2f} ms, "
        f"p95 {timings[475] * 1e3:.2f} ms, max {timings[-1] * 1e3:.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threshold", type=float, default=StoryOptions().threshold)
    parser.add_argument("--reuters", type=int, default=3000)
    parser.add_argument("--examples", type=int, default=12)
    parser.add_argument("--timing-size", type=int, default=20000, help="0: skip the latency run")
    parser.add_argument("--skip-reuters", action="store_true")
    args = parser.parse_args()
    options = StoryOptions(threshold=args.threshold)
    run_demo(options)
    if not args.skip_reuters:
        run_reuters(options, args.reuters, args.examples)
        if args.timing_size:
            run_timing(options, args.timing_size)


if __name__ == "__main__":
    run_benchmark(main)
