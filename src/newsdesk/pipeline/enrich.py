"""The enrichment stage: sectors, entities, facts, a summary and "Read more insights" for each
article, stored together. Idempotent: an article is enriched again only when the version (the
taxonomy, the model or this code) changes, or when asked to with --all."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from newsdesk.domain import Article, utcnow
from newsdesk.domain.enrichment import Enrichment, RelatedLink
from newsdesk.domain.ports import Store
from newsdesk.enrich import (
    MODEL_FORMAT_VERSION,
    ClassifyOptions,
    EntityOptions,
    FactOptions,
    RelatedIndex,
    RelatedOptions,
    StoryArticle,
    SummaryOptions,
    Taxonomy,
    TfidfSpace,
    build_tfidf,
    default_gazetteer,
    load_taxonomy,
)
from newsdesk.enrich.embeddings import Embedder, Vectors, embedding_text, load_embedder
from newsdesk.pipeline.analysis import (
    Analysed,
    Analyser,
    AnalysisSetup,
    analyse_chunk,
    candidate,
    lead_summary,
    start_worker,
    story_summaries,
    summarize_stories,
    summary_reach,
    with_shared_strings,
)
from newsdesk.pipeline.concurrency import process_pool

if TYPE_CHECKING:
    from newsdesk.enrich.sectors.trained import SectorModel

_Item = TypeVar("_Item")

# Bump when what enrichment computes changes, so `newsdesk enrich` redoes stored articles.
# 2: story summaries; 3: paragraphs of mentions/facts, lead; 4: investor/target/party roles;
# 5: investment words inside names, policy imposers and targets; 6: organisations an
# appositive defines ("Sibelco, the Belgian minerals company,"); 7: no trade tariff from a
# price list ("feed-in tariff", "freight tariffs")
ENRICH_CODE_VERSION = "7"


@dataclass(frozen=True)
class EnrichOptions:
    taxonomy_path: Path | None = None
    model_dir: Path | None = None
    classify: ClassifyOptions = field(default_factory=ClassifyOptions)
    entities: EntityOptions = field(default_factory=EntityOptions)
    facts: FactOptions = field(default_factory=FactOptions)
    summary: SummaryOptions = field(default_factory=SummaryOptions)
    related: RelatedOptions = field(default_factory=RelatedOptions)
    related_window_days: int = 30  # candidates for "Read more insights"
    # At most this many of the window's newest articles are candidates: the index is rebuilt on
    # every run, so its cost must not grow with the archive (a run of 200 new articles over
    # 20,000 stored spent 51 s building it).
    related_max_candidates: int = 5000
    tfidf_sample: int = 2000  # recent texts that define the similarity vocabulary
    batch_size: int = 500  # articles computed and saved together
    embeddings: str = "off"  # off | auto | minilm (the optional embeddings extra)
    # Processes for the per-article analysis (pipeline/analysis.py) while this process ranks
    # and writes the batch before; 1 analyses here. Used for runs of at least
    # pool_min_articles (a worker's start-up, ~0.6 s of CPU, is the analysis of ~300 articles)
    # and without embeddings (the model would load in every worker).
    workers: int = 1
    pool_min_articles: int = 1000


@dataclass
class EnrichSummary:
    articles: int = 0
    failed: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    # where the time went: reading articles, the per-article analysis (sectors, entities,
    # facts, summary), related-article ranking, writes, story summaries
    phase_seconds: dict[str, float] = field(default_factory=dict)

    def add_time(self, phase: str, started: float) -> float:
        """Book the time since ``started`` to a phase; returns now, to start the next one."""
        now = time.perf_counter()
        self.phase_seconds[phase] = self.phase_seconds.get(phase, 0.0) + now - started
        return now

    def line(self) -> str:
        return f"enriched {self.articles} articles, {self.failed} failed, {self.seconds:.1f} s"


@dataclass
class _Batch:
    """A batch on its way: its ids, and its analyses (done here) or their futures (in the
    pool), each an Analysed or the error message of an article that failed."""

    ids: list[int]
    done: dict[int, Analysed | str] = field(default_factory=dict)
    chunks: list[tuple[list[int], Future[list[Analysed | str]]]] = field(default_factory=list)


class Enricher:
    def __init__(
        self, store: Store, options: EnrichOptions, *, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self._store = store
        self._options = options
        self._clock = clock
        self._taxonomy: Taxonomy = load_taxonomy(options.taxonomy_path)
        self._model: SectorModel | None = None
        if options.model_dir is not None:
            # Only a trained model needs scikit-learn (about a second and 80 MB to import).
            from newsdesk.enrich.sectors.trained import load_sector_model

            self._model = load_sector_model(options.model_dir)
        self._gazetteer = default_gazetteer()
        self._embedder: Embedder | None = load_embedder(options.embeddings)
        model_id = f"model-{options.model_dir.name}" if options.model_dir else "zero-shot"
        self.version = (
            f"{ENRICH_CODE_VERSION}:{self._taxonomy.digest[:12]}:{model_id}:{MODEL_FORMAT_VERSION}"
        )
        if self._embedder is not None:
            self.version += f":{self._embedder.name}"
        self._sector_names = {s.id: s.name for s in self._taxonomy.sectors}

    def pending(self) -> list[int]:
        return self._store.articles_to_enrich(self.version)

    def run(self, article_ids: Sequence[int]) -> EnrichSummary:
        """Enrich the given articles in batches; memory stays bounded by the batch size and
        the related-articles index (one light candidate per recent article). With a worker
        pool, batch k+1 is analysed there while this process ranks and writes batch k."""
        started = time.perf_counter()
        summary = EnrichSummary()
        wanted = set(article_ids)
        if not wanted:
            return summary
        space = self._similarity_space(article_ids)
        index = self._index_of_enriched(wanted, space)
        setup = self._setup(space)
        analyser = Analyser(
            setup,
            taxonomy=self._taxonomy,
            model=self._model,
            gazetteer=self._gazetteer,
            embedder=self._embedder,
        )
        summary.add_time("setup", started)
        related_options = _with_sector_names(self._options.related, self._sector_names)
        ordered = sorted(wanted)
        # story id -> the summary of its last article enriched here (the story's if alone)
        touched_stories: dict[int, str] = {}
        pool = self._pool(setup, len(ordered))
        try:
            previous: _Batch | None = None
            for first in range(0, len(ordered), self._options.batch_size):
                batch: _Batch | None = self._start_batch(
                    ordered[first : first + self._options.batch_size], analyser, pool, summary
                )
                if pool is None:  # analysed already: finish it before reading the next
                    previous, batch = batch, None
                if previous is not None:
                    self._finish_batch(previous, index, related_options, summary, touched_stories)
                previous = batch
            if previous is not None:
                self._finish_batch(previous, index, related_options, summary, touched_stories)
            clock = time.perf_counter()
            self._summarize_stories(touched_stories, pool)
            summary.add_time("stories", clock)
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)
        summary.seconds = time.perf_counter() - started
        return summary

    def _setup(self, space: TfidfSpace) -> AnalysisSetup:
        options = self._options
        return AnalysisSetup(
            version=self.version,
            taxonomy_path=options.taxonomy_path,
            model_dir=options.model_dir,
            classify=options.classify,
            entities=options.entities,
            facts=options.facts,
            summary=options.summary,
            space=space,
        )

    def _pool(self, setup: AnalysisSetup, articles: int) -> Executor | None:
        """Worker processes for the analysis of a large run, else None (analysed here)."""
        options = self._options
        if options.workers <= 1 or articles < options.pool_min_articles or self._embedder:
            return None
        return process_pool(
            options.workers,
            preload="newsdesk.pipeline.analysis",
            initializer=start_worker,
            initargs=(setup,),
        )

    def _index_of_enriched(self, wanted: set[int], space: TfidfSpace) -> RelatedIndex:
        """Recent articles enriched earlier, as related-article candidates."""
        index = RelatedIndex()
        chunk: list[Article] = []

        def add_chunk() -> None:
            outlines = self._store.enrichment_outlines([a.id for a in chunk if a.id is not None])
            vectors = self._embed([a for a in chunk if (a.id or 0) in outlines])
            for article in chunk:
                outline = outlines.get(article.id or 0)
                if outline is not None:
                    index.add(candidate(article, outline, space, vectors.get(article.id or 0)))
            chunk.clear()

        for article in self._recent():
            if article.id is not None and article.id not in wanted:
                chunk.append(article)
                if len(chunk) >= self._options.batch_size:
                    add_chunk()
        add_chunk()
        return index

    def _start_batch(
        self, ids: list[int], analyser: Analyser, pool: Executor | None, summary: EnrichSummary
    ) -> _Batch:
        """Read a batch and analyse it here, or hand it to the pool in chunks."""
        batch = _Batch(ids)
        clock = time.perf_counter()
        stored = self._store.articles_by_id(ids)
        clock = summary.add_time("read", clock)
        if pool is not None:
            # Only what the analysis reads crosses to the workers (not the body HTML).
            found = [_for_analysis(stored[i]) for i in ids if i in stored]
            for chunk in self._pool_chunks(found):
                future = pool.submit(analyse_chunk, chunk)
                batch.chunks.append(([a.id or 0 for a in chunk], future))
            summary.add_time("analyse", clock)
            return batch
        vectors = self._embed([stored[i] for i in ids if i in stored])
        if vectors:
            clock = summary.add_time("embed", clock)
        for article_id in ids:
            article = stored.get(article_id)
            if article is None:
                continue
            try:
                batch.done[article_id] = analyser.analyse(article, vectors.get(article_id))
            except (ValueError, RuntimeError) as error:
                batch.done[article_id] = str(error)
            clock = summary.add_time("analyse", clock)
        return batch

    def _finish_batch(
        self,
        batch: _Batch,
        index: RelatedIndex,
        related_options: RelatedOptions,
        summary: EnrichSummary,
        touched_stories: dict[int, str],
    ) -> None:
        """Rank the batch's related articles and write it."""
        clock = time.perf_counter()
        for chunk_ids, future in batch.chunks:
            for article_id, result in zip(chunk_ids, future.result(), strict=True):
                done = result if isinstance(result, str) else with_shared_strings(result)
                batch.done[article_id] = done
        clock = summary.add_time("analyse", clock)
        computed: dict[int, Analysed] = {}
        for article_id in batch.ids:
            item = batch.done.get(article_id)
            if isinstance(item, str):
                summary.failed += 1
                summary.errors.append(f"article {article_id}: {item}")
            elif item is not None:
                computed[article_id] = item
        for item in computed.values():
            index.add(item.candidate)
        now = self._clock()
        clock = summary.add_time("related", clock)
        finished: list[Enrichment] = []
        for article_id, item in computed.items():
            links = tuple(
                RelatedLink(r.article_id, round(r.score, 4), r.reason)
                for r in index.query(item.candidate, now=now, options=related_options)
                if r.article_id != article_id
            )
            finished.append(_with_related(item.enrichment, links))
        clock = summary.add_time("related", clock)
        for enrichment in self._save(finished, summary):
            summary.articles += 1
            story_id = computed[enrichment.article_id].candidate.story_id
            if story_id is not None:
                touched_stories[story_id] = enrichment.summary
        summary.add_time("write", clock)

    def _save(self, finished: list[Enrichment], summary: EnrichSummary) -> list[Enrichment]:
        """Save the batch in one transaction; if that fails, article by article. Returns the
        enrichments saved."""
        try:
            self._store.save_enrichments(finished)
        except ValueError:
            saved = []
            for enrichment in finished:
                try:
                    self._store.save_enrichment(enrichment)
                except ValueError as error:
                    summary.failed += 1
                    summary.errors.append(f"article {enrichment.article_id}: {error}")
                else:
                    saved.append(enrichment)
            return saved
        return finished

    def _summarize_stories(self, touched: dict[int, str], pool: Executor | None) -> None:
        """Summaries of the stories whose articles were enriched, over all their reports; with
        a pool, made there while this process reads the next batch's reports."""
        story_ids = sorted(touched)
        weights: dict[int, float] = {}
        pending: tuple[dict[int, str | None], list[Future[list[tuple[int, str]]]]] | None = None
        for first in range(0, len(story_ids), self._options.batch_size):
            batch = story_ids[first : first + self._options.batch_size]
            sizes = self._store.story_sizes(batch)
            # story id -> its summary, or None until made from its reports (in story order)
            summaries: dict[int, str | None] = {}
            reports: list[tuple[int, list[StoryArticle]]] = []
            for story_id in batch:
                size = sizes.get(story_id, 0)
                if size == 1:  # the one report enriched here: its summary is the story's
                    summaries[story_id] = touched[story_id]
                elif size > 1:
                    summaries[story_id] = None
                    found = self._store.story_articles(story_id)
                    reports.append(
                        (
                            story_id,
                            [_story_article(a, self._source_weight(a, weights)) for a in found],
                        )
                    )
            futures: list[Future[list[tuple[int, str]]]] = []
            if pool is None:
                summaries.update(story_summaries(reports, self._options.summary))
            else:
                futures = [
                    pool.submit(summarize_stories, chunk) for chunk in self._pool_chunks(reports)
                ]
            if pending is not None:
                self._save_story_summaries(*pending)
            pending = (summaries, futures)
        if pending is not None:
            self._save_story_summaries(*pending)

    def _pool_chunks(self, items: list[_Item]) -> list[list[_Item]]:
        """Items split for the pool: about four chunks per worker, so that one slow chunk
        does not leave the other workers idle."""
        size = max(1, -(-len(items) // (4 * self._options.workers)))
        return [items[first : first + size] for first in range(0, len(items), size)]

    def _save_story_summaries(
        self, summaries: dict[int, str | None], futures: list[Future[list[tuple[int, str]]]]
    ) -> None:
        for future in futures:
            summaries.update(future.result())
        self._store.save_story_summaries(
            {story_id: text for story_id, text in summaries.items() if text is not None}
        )

    def _source_weight(self, article: Article, cache: dict[int, float]) -> float:
        if article.source_id is None:
            return 1.0
        if article.source_id not in cache:
            source = self._store.get_source(article.source_id)
            cache[article.source_id] = source.weight if source is not None else 1.0
        return cache[article.source_id]

    def _similarity_space(self, article_ids: Sequence[int]) -> TfidfSpace:
        """TF-IDF over a bounded sample: the newest recent articles, else the ones to enrich."""
        sample: deque[str] = deque(maxlen=self._options.tfidf_sample)
        for article in self._recent():
            sample.append(f"{article.title}\n{article.text}")
        if not sample:
            for article_id in list(article_ids)[-self._options.tfidf_sample :]:
                found = self._store.get_article(article_id)
                if found is not None:
                    sample.append(f"{found.title}\n{found.text}")
        return build_tfidf(sample)

    def _recent(self) -> Iterable[Article]:
        since = self._clock() - timedelta(days=self._options.related_window_days)
        return self._store.recent_articles(since, newest=self._options.related_max_candidates)

    def _embed(self, articles: Sequence[Article]) -> dict[int, Vectors]:
        """Article id -> embedding, in one batch; empty without an embedder."""
        if self._embedder is None or not articles:
            return {}
        rows = self._embedder.encode([embedding_text(a.title, a.text) for a in articles])
        return {a.id: row for a, row in zip(articles, rows, strict=True) if a.id is not None}


def _story_article(article: Article, source_weight: float) -> StoryArticle:
    return StoryArticle(
        title=article.title,
        text=article.text,
        published=article.published or article.created_at,
        source_weight=source_weight,
    )


def _for_analysis(article: Article) -> Article:
    """The article without what the analysis never reads (its body HTML, extra fields)."""
    return replace(article, html="", extra={})


def _with_related(enrichment: Enrichment, links: tuple[RelatedLink, ...]) -> Enrichment:
    return replace(enrichment, related=links)


def _with_sector_names(options: RelatedOptions, names: dict[str, str]) -> RelatedOptions:
    return replace(options, sector_names=names)


__all__ = [
    "ENRICH_CODE_VERSION",
    "EnrichOptions",
    "EnrichSummary",
    "Enricher",
    "lead_summary",
    "summary_reach",
]
