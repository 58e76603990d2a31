"""The per-article half of enrichment: what depends on one article alone (sectors, entities,
facts, summaries, the TF-IDF vector of its related-articles candidate). Pure, so it runs in
the Enricher's process or in worker processes (`analyse_chunk`) with the same result; what
needs the other articles or the database (related ranking, writes, reading a story's
reports) stays with the Enricher (pipeline/enrich.py). A story's summary over the reports
it read is pure too (`summarize_stories`)."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from newsdesk.domain import Article
from newsdesk.domain.enrichment import (
    Enrichment,
    EntityRecord,
    FactRecord,
    MentionRecord,
    SectorLabel,
)
from newsdesk.domain.preview import TITLE_PARAGRAPH
from newsdesk.enrich import (
    ClassifyOptions,
    EntityOptions,
    Fact,
    FactOptions,
    Gazetteer,
    RelatedCandidate,
    StoryArticle,
    SummaryOptions,
    Taxonomy,
    TfidfSpace,
    classify,
    default_gazetteer,
    extract_entities,
    extract_facts,
    load_taxonomy,
    summarize_article,
    summarize_story,
)
from newsdesk.enrich.embeddings import Embedder, Vectors
from newsdesk.pipeline.concurrency import exit_with
from newsdesk.text.sentences import leading_paragraphs, paragraph_of, paragraph_spans

if TYPE_CHECKING:
    from pathlib import Path

    from newsdesk.enrich.sectors.trained import SectorModel


@dataclass(frozen=True)
class Analysed:
    """One article analysed: its enrichment without related links, and its candidate for
    "Read more insights"."""

    enrichment: Enrichment
    candidate: RelatedCandidate


@dataclass(frozen=True)
class AnalysisSetup:
    """What a worker process needs to build the same Analyser as the Enricher (picklable)."""

    version: str
    taxonomy_path: Path | None
    model_dir: Path | None
    classify: ClassifyOptions
    entities: EntityOptions
    facts: FactOptions
    summary: SummaryOptions
    space: TfidfSpace


class Analyser:
    def __init__(
        self,
        setup: AnalysisSetup,
        *,
        taxonomy: Taxonomy | None = None,
        model: SectorModel | None = None,
        gazetteer: Gazetteer | None = None,
        embedder: Embedder | None = None,
    ) -> None:
        """Loads what ``setup`` names unless given (the Enricher passes its own)."""
        self.setup = setup
        self._taxonomy = taxonomy or load_taxonomy(setup.taxonomy_path)
        if model is None and setup.model_dir is not None:
            # Only a trained model needs scikit-learn (about a second and 80 MB to import).
            from newsdesk.enrich.sectors.trained import load_sector_model

            model = load_sector_model(setup.model_dir)
        self._model = model
        self._gazetteer = gazetteer or default_gazetteer()
        self._embedder = embedder

    def analyse(self, article: Article, vector: Vectors | None = None) -> Analysed:
        """``vector``: the article's embedding, when an embedder is configured."""
        if article.id is None:
            raise ValueError("article has no id")
        setup = self.setup
        scores = classify(
            article.title,
            article.text,
            taxonomy=self._taxonomy,
            model=self._model,
            options=setup.classify,
            embedder=self._embedder,
            vector=vector,
            language=article.language,
        )
        sectors = tuple(
            SectorLabel(s.id, round(s.score, 4), s.explanation) for s in scores if s.score >= 0.01
        )
        found = extract_entities(
            article.title, article.text, gazetteer=self._gazetteer, options=setup.entities
        )
        facts = extract_facts(article.text, found, options=setup.facts, article_id=article.id)
        spans = paragraph_spans(article.text)  # once: starts, the summary's reach, the lead
        starts = [start for start, _ in spans]
        summary = summarize_article(article.title, article.text, options=setup.summary)
        enrichment = Enrichment(
            article_id=article.id,
            version=setup.version,
            language=article.language,
            summary=summary.text,
            summary_reach=summary_reach(article.text, summary.sentences, spans=spans),
            lead=lead_summary(article.title, article.text, setup.summary, spans=spans),
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
        return Analysed(enrichment, candidate(article, enrichment, setup.space, vector))


# -- in worker processes ----------------------------------------------------------------------

_WORKER: list[Analyser] = []  # the worker process's Analyser, built by start_worker


def start_worker(parent_pid: int, setup: AnalysisSetup) -> None:
    """Pool initializer (concurrency.process_pool): load the taxonomy, gazetteer and model
    once per worker, and end with the parent."""
    exit_with(parent_pid)
    _WORKER[:] = [Analyser(setup)]


def with_shared_strings(item: Analysed) -> Analysed:
    """An analysis from a worker with its candidate's terms and ids interned. Unpickled, every
    candidate would hold its own copies of them; built in one process they are shared (the
    folded terms come from a cache), and the related index keeps a candidate per article."""
    found = item.candidate
    intern = sys.intern
    shared = replace(
        found,
        sectors=frozenset(map(intern, found.sectors)),
        entities=frozenset(map(intern, found.entities)),
        entity_names={intern(key): name for key, name in found.entity_names.items()},
        vector={intern(term): weight for term, weight in found.vector.items()},
    )
    return Analysed(item.enrichment, shared)


def analyse_chunk(articles: Sequence[Article]) -> list[Analysed | str]:
    """In a worker: each article analysed, or the error message of the one that failed
    (exceptions do not cross process pools well)."""
    analyser = _WORKER[0]
    results: list[Analysed | str] = []
    for article in articles:
        try:
            results.append(analyser.analyse(article))
        except (ValueError, RuntimeError) as error:
            results.append(str(error))
    return results


def story_summaries(
    stories: Sequence[tuple[int, Sequence[StoryArticle]]], options: SummaryOptions
) -> list[tuple[int, str]]:
    """(story id, summary over its reports) of each story given."""
    return [
        (story_id, summarize_story(reports, options=options).text) for story_id, reports in stories
    ]


def summarize_stories(
    stories: Sequence[tuple[int, Sequence[StoryArticle]]],
) -> list[tuple[int, str]]:
    """In a worker: ``story_summaries`` with the worker's summary options."""
    return story_summaries(stories, _WORKER[0].setup.summary)


# -- pieces -----------------------------------------------------------------------------------


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


def candidate(
    article: Article, enrichment: Enrichment, space: TfidfSpace, embedding: Vectors | None = None
) -> RelatedCandidate:
    """The article as a related-articles candidate (its TF-IDF vector in ``space``)."""
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


__all__ = [
    "Analysed",
    "Analyser",
    "AnalysisSetup",
    "analyse_chunk",
    "candidate",
    "lead_summary",
    "start_worker",
    "summary_reach",
    "with_shared_strings",
]
