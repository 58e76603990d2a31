"""MinHash fingerprints and the in-memory near-duplicate index that links re-reports to a story."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass

import numpy as np

from newsdesk.dedup.text import shingles

# Fingerprints are the 32-bit MinHash values, little-endian, one per permutation. The scheme
# (datasketch's "affine32") and seed are fixed so a fingerprint stored by one process compares
# with one computed by another.
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
def _permutations(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    """The (a, b) of datasketch's "affine32" permutations for the seed: odd a, any b."""
    generator = np.random.RandomState(_SEED)
    a = generator.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = generator.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a.reshape(1, -1), b.reshape(1, -1)


def _fmix32(values: np.ndarray) -> np.ndarray:
    """The MurmurHash3 finalizer, which "affine32" applies to each input hash first."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    mixed: np.ndarray = values ^ (values >> np.uint32(16))
    return mixed


def fingerprint(text: str, options: DedupOptions) -> bytes:
    """The MinHash signature of the text's word shingles; empty bytes for a text without words.

    Bit for bit datasketch's ``MinHash(num_perm, seed=1, scheme="affine32")`` fed the UTF-8
    shingles (tests compare the two), so stored fingerprints stay comparable; computed here
    because importing datasketch pulls in SciPy, which costs every ingest process about a
    second and 40 MB.
    """
    grams = shingles(text, options.shingle_size)
    if not grams:
        return b""
    sha1 = hashlib.sha1
    # The first four bytes of each SHA-1, read as little-endian uint32 all at once.
    digests = b"".join(
        [sha1(gram.encode("utf-8"), usedforsecurity=False).digest()[:4] for gram in grams]
    )
    hashes = np.frombuffer(digests, dtype=_DTYPE).astype(np.uint32)
    a, b = _permutations(options.num_perm)
    permuted = _fmix32(hashes).reshape(-1, 1) * a + b  # uint32: wraps modulo 2**32
    packed: bytes = permuted.min(axis=0).astype(_DTYPE).tobytes()
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


# Band keys of the merged part are the band's two 32-bit values packed into 64 bits and mixed
# with the band number, so one sorted array serves every band. Mixing can make keys of two
# different bands equal; such a pair is only a candidate, and every candidate is checked
# against the threshold with its full signature.
_BAND_MIX = np.uint64(0x9E3779B97F4A7C15)
# Articles added since the last merge are compared band by band with a linear scan; the merge
# sorts them into the packed array. Bounded, so a query never scans more than this many rows.
_RECENT_ROWS = 512


class NearDuplicateIndex:
    """Articles' fingerprints in a MinHash LSH, queried for the near-duplicates of a new text.

    Banding as in classic LSH (an article is a candidate when all ``band_rows`` values of any
    band equal the query's), held in flat numpy arrays rather than one Python object per band
    entry: about 1.3 KB of arrays per article (2.4 KB of RSS with growth slack, measured at
    20,000 articles) where datasketch's MinHashLSH took about 20 KB. Candidates are exactly
    those of classic banding, so results do not change. Not thread-safe: the ingest runner
    owns one index and feeds it from one thread.
    """

    def __init__(self, options: DedupOptions) -> None:
        self.options = options
        self._bands = options.num_perm // options.band_rows
        self._band_width = options.band_rows * _DTYPE.itemsize
        self._band_salt = np.arange(self._bands, dtype=np.uint64) * _BAND_MIX
        self._rows: dict[int, int] = {}  # article id -> row
        self._signatures = np.zeros((0, options.num_perm), dtype=_DTYPE)
        self._article_ids = np.zeros(0, dtype=np.int64)
        self._story_ids = np.zeros(0, dtype=np.int64)  # -1: no story
        self._alive = np.zeros(0, dtype=bool)
        self._size = 0  # rows in use (dead rows included)
        self._merged_rows = 0  # rows [0, merged) are in the sorted band arrays
        self._sorted_keys = np.zeros(0, dtype=np.uint64)
        self._sorted_rows = np.zeros(0, dtype=np.int32)
        self._recent_keys = np.zeros((_RECENT_ROWS, self._bands), dtype=np.uint64)

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._rows

    def _band_keys(self, signatures: np.ndarray) -> np.ndarray:
        """(rows, bands) uint64 keys: each band's values as one 64-bit number, band-salted."""
        usable = np.ascontiguousarray(signatures[:, : self._bands * self.options.band_rows])
        raw = usable.view(np.uint8).reshape(len(usable), self._bands, self._band_width)
        if self._band_width == 8:
            packed = raw.view(np.uint64)[..., 0]
        elif self._band_width > 8:
            packed = _fold_bytes(raw)
        else:
            padded = np.zeros((len(usable), self._bands, 8), dtype=np.uint8)
            padded[..., : self._band_width] = raw
            packed = padded.view(np.uint64)[..., 0]
        return packed ^ self._band_salt

    def _grow(self) -> None:
        capacity = max(64, 2 * len(self._alive))
        for name in ("_signatures", "_article_ids", "_story_ids", "_alive"):
            old = getattr(self, name)
            grown = np.zeros((capacity, *old.shape[1:]), dtype=old.dtype)
            grown[: len(old)] = old
            setattr(self, name, grown)

    def add(self, article_id: int, story_id: int | None, fp: bytes) -> None:
        """Index an article, replacing what was indexed under its id; an empty fp is ignored."""
        self.remove(article_id)
        if not fp:
            return
        signature = self._checked(fp)
        if self._size == len(self._alive):
            self._grow()
        row = self._size
        self._signatures[row] = signature
        self._article_ids[row] = article_id
        self._story_ids[row] = -1 if story_id is None else story_id
        self._alive[row] = True
        self._recent_keys[row - self._merged_rows] = self._band_keys(signature[np.newaxis, :])[0]
        self._rows[article_id] = row
        self._size += 1
        if self._size - self._merged_rows >= _RECENT_ROWS:
            self._merge()

    def remove(self, article_id: int) -> None:
        """Forget an article; unknown ids are ignored."""
        row = self._rows.pop(article_id, None)
        if row is not None:
            self._alive[row] = False

    def _merge(self) -> None:
        """Sort the recent rows' band keys into the packed arrays, dropping removed rows."""
        rows = np.arange(self._merged_rows, self._size, dtype=np.int32)
        keys = self._recent_keys[: len(rows)].ravel()
        owners = np.repeat(rows, self._bands)
        alive = self._alive[self._sorted_rows]
        all_keys = np.concatenate((self._sorted_keys[alive], keys))
        all_rows = np.concatenate((self._sorted_rows[alive], owners))
        order = np.argsort(all_keys, kind="stable")
        self._sorted_keys = all_keys[order]
        self._sorted_rows = all_rows[order]
        self._merged_rows = self._size

    def _candidates(self, signature: np.ndarray) -> np.ndarray:
        """Rows sharing at least one whole band with the signature, living ones only."""
        query_keys = self._band_keys(signature[np.newaxis, :])[0]
        found: list[np.ndarray] = []
        keys = self._sorted_keys
        if len(keys):
            needles = np.sort(query_keys)  # sorted needles let each search start at the last
            left = np.searchsorted(keys, needles)
            hit = keys[np.minimum(left, len(keys) - 1)] == needles
            if hit.any():
                right = np.searchsorted(keys, needles[hit], side="right")
                for start, stop in zip(left[hit], right, strict=True):
                    found.append(self._sorted_rows[start:stop])
        if self._size > self._merged_rows:
            recent = self._recent_keys[: self._size - self._merged_rows]
            hits = np.flatnonzero((recent == query_keys).any(axis=1))
            found.append(hits + self._merged_rows)
        if not found:
            return np.zeros(0, dtype=np.int64)
        rows: np.ndarray = np.unique(np.concatenate(found))
        living: np.ndarray = rows[self._alive[rows]]
        return living

    def _checked(self, fp: bytes) -> np.ndarray:
        signature = _signature(fp)
        if len(signature) != self.options.num_perm:
            raise ValueError(
                f"fingerprint has {len(signature)} values, the index uses {self.options.num_perm}"
            )
        return signature

    def query(self, fp: bytes) -> list[Match]:
        """Indexed articles at or above the similarity threshold, best first (ties: lowest id)."""
        if not fp:
            return []
        signature = self._checked(fp)
        rows = self._candidates(signature)
        if not len(rows):
            return []
        scores = np.count_nonzero(self._signatures[rows] == signature, axis=1) / len(signature)
        matches = [
            Match(
                int(self._article_ids[row]),
                None if self._story_ids[row] < 0 else int(self._story_ids[row]),
                float(score),
            )
            for row, score in zip(rows, scores, strict=True)
            if score >= self.options.threshold
        ]
        matches.sort(key=lambda match: (-match.similarity, match.article_id))
        return matches


def _fold_bytes(raw: np.ndarray) -> np.ndarray:
    """64-bit keys for bands wider than 8 bytes (FNV-1a over each band's bytes)."""
    keys = np.full(raw.shape[:2], 0xCBF29CE484222325, dtype=np.uint64)
    prime = np.uint64(0x100000001B3)
    for column in range(raw.shape[2]):
        keys = (keys ^ raw[..., column].astype(np.uint64)) * prime
    return keys
