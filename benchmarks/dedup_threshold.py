"""Recall of edited copies and false matches between distinct stories for the near-dup index.

Draws Reuters-21578 TRAIN stories (at least 80 words, verbatim re-sends removed), makes
synthetic edited copies of each and reports, at the chosen DedupOptions, how many copies the
NearDuplicateIndex links to their original and how often distinct stories are matched to each
other (all pairs, and the harder pairs that share a Reuters topic such as crude or money-fx).

    .venv/bin/python benchmarks/dedup_threshold.py [--stories 500] [--shingle-size 3]
        [--threshold 0.3] [--sweep]

--sweep first prints, per shingle size, recall and false-match rate at a range of thresholds
(from full signatures, without LSH banding, on 200 of the stories) to show the margin.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from shared_data import reuters_corpus, run_benchmark

from newsdesk.dedup import DedupOptions, NearDuplicateIndex, fingerprint, similarity
from newsdesk.dedup.text import content_hash

SENTENCE = re.compile(r"(?<=[.!?])\s+")
Edit = Callable[[str, random.Random], str]


@dataclass(frozen=True)
class Story:
    body: str
    topics: frozenset[str]


def load_stories(count: int, seed: int) -> list[Story]:
    stories: list[Story] = []
    seen: set[str] = set()
    with gzip.open(reuters_corpus(), "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            body = " ".join(record.get("body", "").split())
            if record.get("lewissplit") != "TRAIN" or len(body.split()) < 80:
                continue
            digest = content_hash(None, body)
            if digest not in seen:  # Reuters re-sent some stories verbatim
                seen.add(digest)
                stories.append(Story(body, frozenset(record.get("topics", []))))
    return random.Random(seed).sample(stories, count)


def edit_words(text: str, share: float, vocabulary: list[str], rng: random.Random) -> str:
    """Replace, delete or insert words at `share` of the positions, mixed evenly."""
    out: list[str] = []
    for word in text.split():
        if rng.random() >= share:
            out.append(word)
            continue
        action = rng.randrange(3)
        if action == 0:
            out.append(rng.choice(vocabulary))
        elif action == 2:
            out.extend([word, rng.choice(vocabulary)])
    return " ".join(out)


def reorder_sentences(text: str, rng: random.Random) -> str:
    sentences = SENTENCE.split(text)
    rng.shuffle(sentences)
    return " ".join(sentences)


def make_edits(stories: list[Story]) -> dict[str, Edit]:
    vocabulary = sorted({word for story in stories for word in story.body.split()})
    return {
        "10% words": lambda t, r: edit_words(t, 0.10, vocabulary, r),
        "20% words": lambda t, r: edit_words(t, 0.20, vocabulary, r),
        "30% words": lambda t, r: edit_words(t, 0.30, vocabulary, r),
        "reordered": reorder_sentences,
        "reordered+10%": lambda t, r: edit_words(reorder_sentences(t, r), 0.10, vocabulary, r),
    }


def share(part: int, whole: int) -> str:
    return f"{part / whole:7.2%} ({part}/{whole})" if whole else "n/a"


def run(stories: list[Story], options: DedupOptions, seed: int) -> None:
    rng = random.Random(seed)
    started = time.perf_counter()
    originals = [fingerprint(story.body, options) for story in stories]
    index = NearDuplicateIndex(options)
    for article_id, fp in enumerate(originals):
        index.add(article_id, article_id, fp)
    print(f"{options}, {len(stories)} stories")
    for name, edit in make_edits(stories).items():
        found = 0
        for i, story in enumerate(stories):
            matches = index.query(fingerprint(edit(story.body, rng), options))
            found += any(match.article_id == i for match in matches)
        print(f"  recall of copies, {name:<14} {share(found, len(stories))}")

    matched = {
        (min(i, m.article_id), max(i, m.article_id))
        for i, fp in enumerate(originals)
        for m in index.query(fp)
        if m.article_id != i
    }
    pairs = list(itertools.combinations(range(len(stories)), 2))
    topical = [(a, b) for a, b in pairs if stories[a].topics & stories[b].topics]
    print(f"  false matches, all distinct pairs  {share(len(matched), len(pairs))}")
    print(
        f"  false matches, same-topic pairs    {share(len(matched & set(topical)), len(topical))}"
    )
    for a, b in sorted(matched):
        score = similarity(originals[a], originals[b])
        print(f"    {score:.2f}  {stories[a].body[:60]!r}\n          {stories[b].body[:60]!r}")
    print(f"  time {time.perf_counter() - started:.1f} s")


def sweep(stories: list[Story], seed: int) -> None:
    thresholds = [0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5]
    sample = stories[:200]

    def row(label: str, scores: list[float], digits: int) -> str:
        rates = (sum(x >= t for x in scores) / len(scores) for t in thresholds)
        return f"  {label:<24}" + " ".join(f"{rate:7.{digits}%}" for rate in rates)

    for k in (2, 3, 4, 5):
        rng = random.Random(seed)
        options = DedupOptions(shingle_size=k)
        originals = [fingerprint(story.body, options) for story in sample]
        print(f"shingle size {k}, threshold" + "".join(f"{t:>8}" for t in thresholds))
        for name, edit in make_edits(sample).items():
            scores = [
                similarity(fp, fingerprint(edit(story.body, rng), options))
                for story, fp in zip(sample, originals, strict=True)
            ]
            print(row(f"recall {name}", scores, 1))
        cross = [similarity(a, b) for a, b in itertools.combinations(originals, 2)]
        print(row("false-match rate", cross, 2))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    defaults = DedupOptions()
    parser.add_argument("--stories", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1987)
    parser.add_argument("--shingle-size", type=int, default=defaults.shingle_size)
    parser.add_argument("--threshold", type=float, default=defaults.threshold)
    parser.add_argument("--sweep", action="store_true")
    args = parser.parse_args()
    stories = load_stories(args.stories, args.seed)
    if args.sweep:
        sweep(stories, args.seed)
    options = DedupOptions(shingle_size=args.shingle_size, threshold=args.threshold)
    run(stories, options, args.seed)


if __name__ == "__main__":
    run_benchmark(main)
