"""The enrichment stage: sectors, entities, facts, a summary and "Read more insights" for each
article, stored together. Idempotent: an article is enriched again only when the version (the
taxonomy, the model or this code) changes, or when asked to with --all."""

from __future__ import annotations

import json
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from newsdesk.domain import Article, utcnow
from newsdesk.domain.enrichment import (
    Enrichment,
    EntityRecord,
    FactRecord,
    MentionRecord,
    RelatedLink,
    SectorLabel,
)
from newsdesk.domain.ports import Store
from newsdesk.domain.preview import TITLE_PARAGRAPH
from newsdesk.enrich import (
    MODEL_FORMAT_VERSION,
    ClassifyOptions,
    EntityOptions,
    Fact,
    FactOptions,
    RelatedCandidate,
    RelatedIndex,
    RelatedOptions,
    StoryArticle,
    SummaryOptions,
    Taxonomy,
    TfidfSpace,
    build_tfidf,
    classify,
    default_gazetteer,
    extract_entities,
    extract_facts,
    load_taxonomy,
    summarize_article,
    summarize_story,
)
from newsdesk.enrich.embeddings import Embedder, Vectors, embedding_text, load_embedder
from newsdesk.text.sentences import leading_paragraphs, paragraph_of, paragraph_spans

if TYPE_CHECKING:
    from newsdesk.enrich.sectors.trained import SectorModel

# Bump when what enrichment computes changes, so `newsdesk enrich` redoes stored articles.
ENRICH_CODE_VERSION = "3"  # 2: story summaries; 3: paragraphs of mentions/facts, lead


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


@dataclass(frozen=True)
class _Computed:
    enrichment: Enrichment
    candidate: RelatedCandidate


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
        the related-articles index (one light candidate per recent article)."""
        started = time.perf_counter()
        summary = EnrichSummary()
        wanted = set(article_ids)
        if not wanted:
            return summary
        space = self._similarity_space(article_ids)
        index = self._index_of_enriched(wanted, space)
        summary.add_time("setup", started)
        related_options = _with_sector_names(self._options.related, self._sector_names)
        ordered = sorted(wanted)
        # story id -> the summary of its last article enriched here (the story's if alone)
        touched_stories: dict[int, str] = {}
        for first in range(0, len(ordered), self._options.batch_size):
            batch = ordered[first : first + self._options.batch_size]
            self._run_batch(
                batch, space, index, related_options, summary, touched_stories=touched_stories
            )
        clock = time.perf_counter()
        self._summarize_stories(touched_stories)
        summary.add_time("stories", clock)
        summary.seconds = time.perf_counter() - started
        return summary

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
                    index.add(_candidate(article, outline, space, vectors.get(article.id or 0)))
            chunk.clear()

        for article in self._recent():
            if article.id is not None and article.id not in wanted:
                chunk.append(article)
                if len(chunk) >= self._options.batch_size:
                    add_chunk()
        add_chunk()
        return index

    def _run_batch(
        self,
        batch: list[int],
        space: TfidfSpace,
        index: RelatedIndex,
        related_options: RelatedOptions,
        summary: EnrichSummary,
        *,
        touched_stories: dict[int, str],
    ) -> None:
        computed: dict[int, _Computed] = {}
        clock = time.perf_counter()
        stored = self._store.articles_by_id(batch)
        clock = summary.add_time("read", clock)
        vectors = self._embed([stored[i] for i in batch if i in stored])
        if vectors:
            clock = summary.add_time("embed", clock)
        for article_id in batch:
            article = stored.get(article_id)
            if article is None:
                continue
            try:
                computed[article_id] = self._compute(article, space, vectors.get(article_id))
            except (ValueError, RuntimeError) as error:
                summary.failed += 1
                summary.errors.append(f"article {article_id}: {error}")
            clock = summary.add_time("analyse", clock)
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

    def _summarize_stories(self, touched: dict[int, str]) -> None:
        """Summaries of the stories whose articles were enriched, over all their reports."""
        story_ids = sorted(touched)
        weights: dict[int, float] = {}
        for first in range(0, len(story_ids), self._options.batch_size):
            batch = story_ids[first : first + self._options.batch_size]
            sizes = self._store.story_sizes(batch)
            summaries: dict[int, str] = {}
            for story_id in batch:
                size = sizes.get(story_id, 0)
                if size == 1:  # the one report enriched here: its summary is the story's
                    summaries[story_id] = touched[story_id]
                elif size > 1:
                    reports = self._store.story_articles(story_id)
                    summaries[story_id] = summarize_story(
                        [_story_article(a, self._source_weight(a, weights)) for a in reports],
                        options=self._options.summary,
                    ).text
            self._store.save_story_summaries(summaries)

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

    def _compute(self, article: Article, space: TfidfSpace, vector: Vectors | None) -> _Computed:
        if article.id is None:
            raise ValueError("article has no id")
        scores = classify(
            article.title,
            article.text,
            taxonomy=self._taxonomy,
            model=self._model,
            options=self._options.classify,
            embedder=self._embedder,
            vector=vector,
            language=article.language,
        )
        sectors = tuple(
            SectorLabel(s.id, round(s.score, 4), s.explanation) for s in scores if s.score >= 0.01
        )
        found = extract_entities(
            article.title, article.text, gazetteer=self._gazetteer, options=self._options.entities
        )
        facts = extract_facts(
            article.text, found, options=self._options.facts, article_id=article.id
        )
        spans = paragraph_spans(article.text)  # once: starts, the summary's reach, the lead
        starts = [start for start, _ in spans]
        summary = summarize_article(article.title, article.text, options=self._options.summary)
        enrichment = Enrichment(
            article_id=article.id,
            version=self.version,
            language=article.language,
            summary=summary.text,
            summary_reach=summary_reach(article.text, summary.sentences, spans=spans),
            lead=lead_summary(article.title, article.text, self._options.summary, spans=spans),
            sectors=sectors,
            entities=tuple(
                EntityRecord(e.id, e.name, e.type, tuple(e.aliases)) for e in found.entities
            ),
            mentions=tuple(
                MentionRecord(
                    m.entity_id,
                    m.text,
                    m.start,
                    m.end,
                    m.field,
                    m.role,
                    TITLE_PARAGRAPH if m.field == "title" else paragraph_of(starts, m.start),
                )
                for m in found.mentions
            ),
            facts=tuple(_fact_record(f, starts) for f in facts),
        )
        return _Computed(enrichment, _candidate(article, enrichment, space, vector))


def _story_article(article: Article, source_weight: float) -> StoryArticle:
    return StoryArticle(
        title=article.title,
        text=article.text,
        published=article.published or article.created_at,
        source_weight=source_weight,
    )


def summary_reach(
    text: str, sentences: Sequence[str], *, spans: Sequence[tuple[int, int]] | None = None
) -> int | None:
    """The last paragraph (domain of text.sentences.paragraph_spans) a summary's sentences
    are found in; None when one cannot be found verbatim, which previews treat as after the
    break. A sentence found in an earlier paragraph as well counts there: its words are in
    that paragraph whichever copy the summarizer took. `spans`: the text's paragraph_spans,
    when the caller has them already."""
    if spans is None:
        spans = paragraph_spans(text)
    lines = [" ".join(text[start:end].split()) for start, end in spans]
    reach = -1
    for sentence in sentences:
        probe = " ".join(sentence.removesuffix("…").split())
        index = next((i for i, line in enumerate(lines) if probe and probe in line), None)
        if index is None:
            return None
        reach = max(reach, index)
    return reach if reach >= 0 else None


def lead_summary(
    title: str,
    text: str,
    options: SummaryOptions,
    *,
    spans: Sequence[tuple[int, int]] | None = None,
) -> str:
    """A summary of the first paragraph alone: what a preview of any length may show.
    `spans`: the text's paragraph_spans, when the caller has them already."""
    if spans is None:
        first = leading_paragraphs(text, 1)
    else:
        first = [text[start:end].strip() for start, end in spans[:1]]
    return summarize_article(title, first[0], options=options).text if first else ""


def _fact_record(fact: Fact, paragraph_starts: Sequence[int]) -> FactRecord:
    record = fact.to_record()
    data = {k: v for k, v in record.items() if k not in {"sentence", "start", "end", "type"}}
    data.pop("article_id", None)
    data.pop("key", None)
    return FactRecord(
        key=str(fact.key),
        type=str(record["type"]),
        data=_jsonable(data),
        sentence=str(record.get("sentence", "")),
        start=int(str(record.get("start", 0))),
        end=int(str(record.get("end", 0))),
        paragraph=paragraph_of(paragraph_starts, int(str(record.get("start", 0)))),
    )


def _jsonable(value: object) -> dict[str, object]:
    loaded: dict[str, object] = json.loads(json.dumps(value, default=str))
    return loaded


def _candidate(
    article: Article, enrichment: Enrichment, space: TfidfSpace, embedding: Vectors | None = None
) -> RelatedCandidate:
    return RelatedCandidate(
        article_id=enrichment.article_id,
        story_id=article.story_id,
        title=article.title,
        published=article.published or article.created_at,
        sectors=frozenset(s.sector_id for s in enrichment.sectors if s.score >= 0.5),
        entities=frozenset(e.id for e in enrichment.entities),
        entity_names={e.id: e.name for e in enrichment.entities},
        vector=space.vector(f"{article.title}\n{article.text}"),
        embedding=embedding,
    )


def _with_related(enrichment: Enrichment, links: tuple[RelatedLink, ...]) -> Enrichment:
    return replace(enrichment, related=links)


def _with_sector_names(options: RelatedOptions, names: dict[str, str]) -> RelatedOptions:
    return replace(options, sector_names=names)
