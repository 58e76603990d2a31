"""Speed of extractive summaries and 'Read more insights' ranking.

    .venv/bin/python benchmarks/enrich_summaries.py [--candidates N] [--queries N]

Prints: summary time per 400-word article (demo corpus articles padded or cut to 400 words),
per seed article and per 1 MB text; story summary time; TF-IDF build and vector time; the
related-article query time over the demo corpus (rank_related) and over N synthetic candidates
in a RelatedIndex (Zipf-like entity frequencies, 9 sectors, 48-term vectors).

The budget from the enrichment issue: classification + entities + facts + summary at 100
articles/s on 2 cores, so a summary must cost well under 2 ms; a related query over 20,000
candidates well under 100 ms.
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from shared_data import SharedDataMissingError, seed_page

from newsdesk.demo.corpus_loader import load_corpus
from newsdesk.enrich.related import (
    RelatedCandidate,
    RelatedIndex,
    RelatedOptions,
    build_tfidf,
    rank_related,
)
from newsdesk.enrich.summarize import (
    StoryArticle,
    SummaryOptions,
    summarize_article,
    summarize_story,
)

NOW = datetime(2026, 11, 27, 6, 0, tzinfo=UTC)


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"median {statistics.median(ordered) * 1000:.3f} ms, p95 {p95 * 1000:.3f} ms"


def _time(call: Callable[[], object], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return samples


def _four_hundred_words(paragraphs: tuple[str, ...]) -> str:
    body = [p for p in paragraphs if not p.startswith("## ")]
    out: list[str] = []
    words = 0
    while words < 400:
        for paragraph in body:
            take = paragraph.split()[: 400 - words]
            out.append(" ".join(take))
            words += len(take)
            if words >= 400:
                break
    return "\n\n".join(out)


def bench_summaries() -> None:
    options = SummaryOptions()
    corpus = load_corpus(NOW)
    docs = [(a.title, _four_hundred_words(a.paragraphs)) for a in corpus.articles]
    samples: list[float] = []
    for _ in range(5):
        for title, text in docs:
            samples += _time(lambda t=title, x=text: summarize_article(t, x, options=options), 1)
    rate = 1 / statistics.mean(samples)
    print(f"summary, 400-word demo articles ({len(docs)} x 5): {_ms(samples)}; {rate:.0f}/s")

    try:
        seed_text = seed_page().read_text(encoding="utf-8")
    except SharedDataMissingError as missing:
        print(f"summary, seed article: skipped ({missing})")
    else:
        blocks = [b.strip() for b in seed_text.split("\n\n") if b.strip()]
        title, text = blocks[0], "\n\n".join(blocks[1:8])
        seed = _time(lambda: summarize_article(title, text, options=options), 200)
        print(f"summary, seed article ({len(text.split())} words): {_ms(seed)}")

    big = "\n\n".join(["Copper output rose 12% to 437,061 tonnes in 2024. " * 3] * 6500)
    print(
        f"summary, {len(big) / 1e6:.1f} MB text: "
        f"{_ms(_time(lambda: summarize_article('Copper', big, options=options), 10))}"
    )

    stories: dict[str, list[StoryArticle]] = {}
    for a in corpus.articles:
        if a.story:
            stories.setdefault(a.story, []).append(StoryArticle(a.title, a.body, a.published))
    story_samples: list[float] = []
    for _ in range(10):
        for articles in stories.values():
            story_samples += _time(lambda s=articles: summarize_story(s), 1)
    print(f"story summary ({len(stories)} demo stories of 3 reports): {_ms(story_samples)}")


def bench_related(candidate_count: int, queries: int) -> None:
    options = RelatedOptions()
    corpus = load_corpus(NOW)
    texts = [a.title + "\n" + a.body for a in corpus.articles]
    started = time.perf_counter()
    space = build_tfidf(texts)
    build_ms = (time.perf_counter() - started) * 1000
    print(f"tf-idf build over {len(texts)} demo articles: {build_ms:.1f} ms")
    vector_samples = _time(lambda: [space.vector(t) for t in texts], 5)
    print(
        f"tf-idf vector per article: {statistics.median(vector_samples) / len(texts) * 1000:.3f} ms"
    )
    demo = [
        RelatedCandidate(
            i, None, a.title, a.published, frozenset(a.sectors), vector=space.vector(t)
        )
        for i, (a, t) in enumerate(zip(corpus.articles, texts, strict=True))
    ]
    demo_samples = [
        s
        for target in demo
        for s in _time(lambda t=target: rank_related(t, demo, now=NOW, options=options), 1)
    ]
    print(f"rank_related over {len(demo)} demo articles: {_ms(demo_samples)}")

    rng = random.Random(7)
    entities = [f"e{i}" for i in range(3000)]
    sectors = [f"s{i}" for i in range(9)]
    vocabulary = [f"t{i}" for i in range(20_000)]
    index = RelatedIndex()
    candidates = []
    started = time.perf_counter()
    for i in range(candidate_count):
        candidate = RelatedCandidate(
            article_id=i,
            story_id=i // 3,
            title="",
            published=NOW - timedelta(hours=i / 10),
            sectors=frozenset(rng.sample(sectors, 2)),
            entities=frozenset(entities[min(int(rng.paretovariate(0.8)), 2999)] for _ in range(8)),
            vector=dict.fromkeys(rng.sample(vocabulary, 48), 1 / math.sqrt(48)),
        )
        candidates.append(candidate)
    made = time.perf_counter()
    for candidate in candidates:
        index.add(candidate)
    add_ms, make_ms = (time.perf_counter() - made) * 1000, (made - started) * 1000
    print(
        f"RelatedIndex: {candidate_count} synthetic candidates added in {add_ms:.0f} ms "
        f"(generated in {make_ms:.0f} ms)"
    )
    step = max(1, candidate_count // queries)
    targets = candidates[::step][:queries]
    query_samples = [
        s
        for target in targets
        for s in _time(lambda t=target: index.query(t, now=NOW, options=options), 1)
    ]
    print(
        f"RelatedIndex.query over {candidate_count} ({len(targets)} queries): {_ms(query_samples)}"
    )
    full = _time(lambda: rank_related(targets[0], candidates, now=NOW, options=options), 3)
    print(f"rank_related without the index over {candidate_count}: {_ms(full)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=100)
    args = parser.parse_args()
    bench_summaries()
    bench_related(args.candidates, args.queries)


if __name__ == "__main__":
    main()
