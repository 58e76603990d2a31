"""Sector labels for documents: the trained model where it applies, zero-shot evidence elsewhere.

Rules of combination:
- no model, or a document in a language other than English (the model learnt English words):
  zero-shot scores from the terms of the document's language and entity names;
- a model: its score for every sector it was trained on, zero-shot for the rest (the sectors
  the training data did not cover, e.g. the four modern sectors for a Reuters-trained model);
- the document's language is the one stored with it (extraction found it: declared by the page
  or detected from its whole text), detected from title and text only when none is given;
- language undetermined (too few words to tell): treated as English. A very short
  non-English headline then gets no label from the English model rather than a wrong one.
- an embedder (optional extra): its article-sector similarity joins the zero-shot evidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from newsdesk.enrich.embeddings import (
    Embedder,
    Vectors,
    embedding_text,
    sector_similarity,
    sector_vectors,
)
from newsdesk.enrich.sectors.model import SectorScore
from newsdesk.enrich.sectors.taxonomy import Taxonomy
from newsdesk.enrich.sectors.text_prep import prepare_text
from newsdesk.enrich.sectors.zero_shot import ZeroShotOptions, zero_shot_scores
from newsdesk.text.language import detect_language, normalize_language

if TYPE_CHECKING:  # the trained model's module imports scikit-learn: only a model loads it
    from newsdesk.enrich.sectors.trained import ModelDecision, SectorModel


@dataclass(frozen=True)
class ClassifyOptions:
    max_chars: int = 20_000  # text beyond this is not read
    zero_shot: ZeroShotOptions = field(default_factory=ZeroShotOptions)


@dataclass(frozen=True)
class SectorResult:
    language: str | None  # ISO 639-1 code, None when it could not be told
    scores: tuple[SectorScore, ...]  # every taxonomy sector, highest score first

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.scores if s.labelled)


def classify(
    doc_title: str,
    doc_text: str,
    *,
    taxonomy: Taxonomy,
    model: SectorModel | None,
    options: ClassifyOptions,
    embedder: Embedder | None = None,
    vector: Vectors | None = None,
    language: str | None = None,
) -> list[SectorScore]:
    """Scores for every sector of the taxonomy, highest first; labels are those >= 0.5.

    ``vector``: the document's embedding when the caller has it already (needs ``embedder``).
    ``language``: the document's language when it is known (a stored article's)."""
    result = classify_batch(
        [(doc_title, doc_text)],
        taxonomy=taxonomy,
        model=model,
        options=options,
        embedder=embedder,
        vectors=None if vector is None else vector.reshape(1, -1),
        languages=[language],
    )[0]
    return list(result.scores)


def classify_batch(
    docs: Sequence[tuple[str, str]],
    *,
    taxonomy: Taxonomy,
    model: SectorModel | None,
    options: ClassifyOptions,
    embedder: Embedder | None = None,
    vectors: Vectors | None = None,
    languages: Sequence[str | None] | None = None,
) -> list[SectorResult]:
    """`classify` for many (title, text) pairs at once, with each document's language.

    ``vectors``: the documents' embeddings, one row each, when the caller has them.
    ``languages``: each document's language where it is known (None: detected from its text)."""
    if model is not None:
        unknown = sorted(set(model.labels) - set(taxonomy.ids))
        if unknown:
            raise ValueError(
                f"the sector model labels sectors the taxonomy lacks: {', '.join(unknown)}"
            )
    prepared = [prepare_text(title, text, max_chars=options.max_chars) for title, text in docs]
    known: list[str | None] = [None] * len(prepared) if languages is None else list(languages)
    if len(known) != len(prepared):
        raise ValueError("languages must give one entry per document")
    doc_languages: list[str | None] = [
        normalize_language(language) or detect_language(f"{title}\n{text}")
        for (title, text), language in zip(prepared, known, strict=True)
    ]
    use_model = [
        model is not None and language in (None, "en") and bool(title or text)
        for (title, text), language in zip(prepared, doc_languages, strict=True)
    ]
    decisions: list[dict[str, ModelDecision]] = [{} for _ in prepared]
    if model is not None and any(use_model):
        rows = [i for i, flag in enumerate(use_model) if flag]
        decided = model.decide([prepared[i][0] for i in rows], [prepared[i][1] for i in rows])
        for i, decision in zip(rows, decided, strict=True):
            decisions[i] = decision
    similarities = _similarities(prepared, taxonomy, embedder, vectors)
    results = []
    for (title, text), language, decision, similarity in zip(
        prepared, doc_languages, decisions, similarities, strict=True
    ):
        zero_shot = zero_shot_scores(
            title,
            text,
            language=language,
            taxonomy=taxonomy,
            options=options.zero_shot,
            similarities=similarity,
        )
        scores = [_combine(z, decision.get(z.id)) for z in zero_shot]
        scores.sort(key=lambda s: (-s.score, s.id))
        results.append(SectorResult(language=language, scores=tuple(scores)))
    return results


def _similarities(
    prepared: Sequence[tuple[str, str]],
    taxonomy: Taxonomy,
    embedder: Embedder | None,
    vectors: Vectors | None,
) -> list[dict[str, float] | None]:
    if embedder is None:
        return [None] * len(prepared)
    if vectors is None:
        vectors = embedder.encode([embedding_text(title, text) for title, text in prepared])
    matrix = sector_similarity(vectors, sector_vectors(embedder, taxonomy))
    return [
        # an empty document has no meaning to compare
        dict(zip(taxonomy.ids, (float(x) for x in row), strict=True)) if title or text else None
        for (title, text), row in zip(prepared, matrix, strict=True)
    ]


def _combine(zero_shot: SectorScore, decision: ModelDecision | None) -> SectorScore:
    if decision is None:
        return zero_shot
    parts = []
    if decision.terms:
        parts.append("model: " + ", ".join(decision.terms))
    if zero_shot.explanation:
        parts.append("evidence: " + zero_shot.explanation)
    return SectorScore(id=zero_shot.id, score=decision.score, explanation="; ".join(parts))
