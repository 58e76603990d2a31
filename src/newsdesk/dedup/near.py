"""MinHash fingerprints and the in-memory near-duplicate index that links re-reports to a story."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

from newsdesk.dedup.text import shingles

# Fingerprints are the 32-bit MinHash values, little-endian, one per permutation. The scheme and
# seed are fixed so a fingerprint stored by one process compares with one computed by another.
_SCHEME = "affine32"
_SEED = 1
_DTYPE = np.dtype("<u4")


@dataclass(frozen=True)
class DedupOptions:
    """How near-duplicates are recognised.

    Word 3-shingles at an estimated Jaccard threshold of 0.25, chosen with
    benchmarks/dedup_threshold.py on 500 Reuters-21578 TRAIN stories: copies with 10 % of the
    words edited are all found, 98 % of those with 20 % edited, every sentence-reordered copy,
    and re-reports with about 40 % of the sentences rephrased (Jaccard ≈ 0.4). Distinct
    stories were matched in 3 of 124,750 pairs (3 of the 4,807 pairs sharing a Reuters topic):
    revised re-sends of one story, and two weekly fuel-stock reports that share most
    sentences but not their figures. Different news on one topic (two OPEC stories, an OPEC
    story and an inventory report) scores 0.01-0.05. With 5-shingles (where a 10 %-edited
    copy scores only ≈ 0.43) the same threshold found just 35 % of the 20 %-edited copies.
    """

    num_perm: int = 128
    shingle_size: int = 3
    threshold: float = 0.25
    # Rows per LSH band; the bands cover all permutations. With 2 rows and 128 permutations a
    # pair at Jaccard 0.25 becomes a candidate with probability 0.98 (0.6 % of pairs at 0.01),
    # and every candidate is then checked against the threshold with the full signature.
    # datasketch's own choice for 0.25 (3 rows, 42 bands) would miss half of such pairs.
    band_rows: int = 2

    def __post_init__(self) -> None:
        if self.num_perm < 2:
            raise ValueError(f"num_perm must be at least 2, got {self.num_perm}")
        if self.shingle_size < 1:
            raise ValueError(f"shingle_size must be at least 1, got {self.shingle_size}")
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {self.threshold}")
        if not 1 <= self.band_rows <= self.num_perm:
            raise ValueError(f"band_rows must be in 1..num_perm, got {self.band_rows}")


@dataclass(frozen=True)
class Match:
    """An indexed article close to the one queried (by fingerprint, or by story features)."""

    article_id: int
    story_id: int | None
    # 0..1: NearDuplicateIndex gives the estimated Jaccard similarity of the shingle sets,
    # StoryIndex its IDF-weighted story score; the two scales are not comparable.
    similarity: float


@functools.cache
def _permutations(num_perm: int) -> object:
    # datasketch derives the permutations from the seed on every MinHash it builds; they are
    # the same every time, so build them once per signature size.
    return MinHash(num_perm=num_perm, seed=_SEED, scheme=_SCHEME).permutations


def fingerprint(text: str, options: DedupOptions) -> bytes:
    """The MinHash signature of the text's word shingles; empty bytes for a text without words."""
    grams = shingles(text, options.shingle_size)
    if not grams:
        return b""
    minhash = MinHash(
        num_perm=options.num_perm,
        seed=_SEED,
        scheme=_SCHEME,
        permutations=_permutations(options.num_perm),
    )
    minhash.update_batch([gram.encode("utf-8") for gram in sorted(grams)])
    packed: bytes = minhash.hashvalues.astype(_DTYPE).tobytes()
    return packed


def _signature(fp: bytes) -> np.ndarray:
    if len(fp) % _DTYPE.itemsize:
        raise ValueError(f"a fingerprint is a whole number of 4-byte values, got {len(fp)} bytes")
    return np.frombuffer(fp, dtype=_DTYPE)


def _estimate(a: np.ndarray, b: np.ndarray) -> float:
    if len(a) != len(b):
        raise ValueError(f"fingerprints of different sizes: {len(a)} and {len(b)} values")
    if not len(a):
        return 0.0
    return float(np.count_nonzero(a == b)) / len(a)


def similarity(fp_a: bytes, fp_b: bytes) -> float:
    """Estimated Jaccard similarity of two fingerprints; 0.0 when either text had no words."""
    if not fp_a or not fp_b:
        return 0.0
    return _estimate(_signature(fp_a), _signature(fp_b))


@dataclass(frozen=True)
class _Entry:
    story_id: int | None
    signature: np.ndarray


class NearDuplicateIndex:
    """Articles' fingerprints in a MinHash LSH, queried for the near-duplicates of a new text.

    Not thread-safe: the ingest runner owns one index and feeds it from one thread.
    """

    def __init__(self, options: DedupOptions) -> None:
        self.options = options
        bands = options.num_perm // options.band_rows
        self._lsh = MinHashLSH(num_perm=options.num_perm, params=(bands, options.band_rows))
        self._entries: dict[int, _Entry] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._entries

    def _minhash(self, signature: np.ndarray) -> MinHash:
        if len(signature) != self.options.num_perm:
            raise ValueError(
                f"fingerprint has {len(signature)} values, the index uses {self.options.num_perm}"
            )
        return MinHash(
            seed=_SEED,
            scheme=_SCHEME,
            hashvalues=signature,
            permutations=_permutations(self.options.num_perm),
        )

    def add(self, article_id: int, story_id: int | None, fp: bytes) -> None:
        """Index an article, replacing what was indexed under its id; an empty fp is ignored."""
        self.remove(article_id)
        if not fp:
            return
        signature = _signature(fp)
        self._lsh.insert(article_id, self._minhash(signature))
        self._entries[article_id] = _Entry(story_id, signature)

    def remove(self, article_id: int) -> None:
        """Forget an article; unknown ids are ignored."""
        if self._entries.pop(article_id, None) is not None:
            self._lsh.remove(article_id)

    def query(self, fp: bytes) -> list[Match]:
        """Indexed articles at or above the similarity threshold, best first (ties: lowest id)."""
        if not fp:
            return []
        signature = _signature(fp)
        matches = []
        for article_id in self._lsh.query(self._minhash(signature)):
            entry = self._entries[article_id]
            score = _estimate(signature, entry.signature)
            if score >= self.options.threshold:
                matches.append(Match(article_id, entry.story_id, score))
        matches.sort(key=lambda match: (-match.similarity, match.article_id))
        return matches
