"""Enrichment with its per-article analysis in worker processes stores exactly what it stores
when everything runs in one process."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pipeline_texts import COPPER, COPPER_REREPORT, GRAIN, LNG

import newsdesk.pipeline.analysis as analysis_module
import newsdesk.pipeline.enrich as enrich_module
from newsdesk.domain import Article
from newsdesk.domain.enrichment import Enrichment
from newsdesk.pipeline.enrich import Enricher, EnrichOptions
from newsdesk.store import SqlStore

NOW = datetime(2026, 11, 27, 6, 0, tzinfo=UTC)
TEXTS = [COPPER, COPPER_REREPORT, LNG, GRAIN]


def _articles(store: SqlStore, count: int) -> list[int]:
    """``count`` articles cycling through the fixture texts; re-reports share a story."""
    ids: list[int] = []
    stories: dict[int, int] = {}
    for n in range(count):
        kind = n % len(TEXTS)
        paragraphs = TEXTS[kind]
        group = 0 if kind < 2 else kind  # the copper story and its re-report: one story
        saved = store.save_article(
            Article(
                source_id=None,
                url=f"https://news.example/{n}",
                canonical_url=f"https://news.example/{n}",
                title=f"{paragraphs[0].split(',')[0]} ({n})",
                text="\n\n".join(paragraphs[n % 3 :] + paragraphs[: n % 3]),
                published=NOW - timedelta(hours=count - n),
                content_hash=f"hash-{n}",
                story_id=stories.get(group),
            )
        )
        assert saved.id is not None and saved.story_id is not None
        stories.setdefault(group, saved.story_id)
        ids.append(saved.id)
    return ids


def _stored(store: SqlStore, ids: list[int]) -> tuple[list[Enrichment | None], list[str]]:
    enrichments = [store.get_enrichment(i) for i in ids]
    summaries = []
    for article_id in ids:
        article = store.get_article(article_id)
        assert article is not None and article.story_id is not None
        story = store.get_story(article.story_id)
        assert story is not None
        summaries.append(story.summary)
    return enrichments, summaries


def test_analysis_in_workers_stores_what_one_process_stores(
    store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _articles(store, 23)
    pools: list[ProcessPoolExecutor] = []
    make_pool = enrich_module.process_pool

    def counted(*args: Any, **kwargs: Any) -> ProcessPoolExecutor:
        pool = make_pool(*args, **kwargs)
        pools.append(pool)
        return pool

    monkeypatch.setattr(enrich_module, "process_pool", counted)

    def not_here(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a story summarised in the run's process, not in the pool")

    # three batches, so the next batch is analysed while one is written; chunks of two;
    # story summaries made by the workers (this process's summarize_story would fail)
    options = EnrichOptions(batch_size=10, workers=2, pool_min_articles=1)
    with monkeypatch.context() as patched:
        patched.setattr(analysis_module, "summarize_story", not_here)
        pooled = Enricher(store, options, clock=lambda: NOW).run(ids)
    assert len(pools) == 1
    assert (pooled.articles, pooled.failed) == (23, 0)
    in_workers = _stored(store, ids)

    alone = Enricher(store, EnrichOptions(batch_size=10), clock=lambda: NOW).run(ids)
    assert len(pools) == 1  # one process: no pool
    assert (alone.articles, alone.failed) == (23, 0)
    assert _stored(store, ids) == in_workers
    enrichments, summaries = in_workers
    assert all(e is not None and e.entities and e.summary for e in enrichments)
    assert any(e is not None and e.related for e in enrichments)
    assert len(set(summaries)) == 3  # three stories


def test_small_runs_and_one_worker_are_analysed_in_process(store: SqlStore) -> None:
    enricher = Enricher(store, EnrichOptions(workers=2, pool_min_articles=10), clock=lambda: NOW)
    setup = enricher._setup(enricher._similarity_space(_articles(store, 2)))
    assert enricher._pool(setup, 9) is None
    pool = enricher._pool(setup, 10)
    assert pool is not None
    pool.shutdown()
    assert Enricher(store, EnrichOptions(workers=1, pool_min_articles=1))._pool(setup, 10) is None
