"""The compact near-duplicate index and fingerprints against reference implementations:
datasketch's MinHash for the fingerprint bits, and a brute-force LSH for the index."""

from __future__ import annotations

import random

import numpy as np
import pytest
from datasketch import MinHash

from newsdesk.dedup import DedupOptions, Match, NearDuplicateIndex, fingerprint, near, shingles
from newsdesk.dedup.near import similarity

WORDS = (
    "oil gas grain wheat bank rate dollar yen tonnes barrels said minister company shares "
    "profit loss quarter year exports imports price market trade talks deal group output"
).split()


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) + str(rng.randrange(40)) for _ in range(words))


@pytest.mark.parametrize("num_perm", [128, 64, 16])
def test_fingerprint_is_bit_identical_to_datasketch_affine32(num_perm: int) -> None:
    rng = random.Random(num_perm)
    options = DedupOptions(num_perm=num_perm, band_rows=2)
    texts = [_text(rng, rng.randrange(1, 400)) for _ in range(25)]
    texts += ["One.", "Ünïcode “quotes” — and dashes – in a short text", "a b"]
    for text in texts:
        reference = MinHash(num_perm=num_perm, seed=1, scheme="affine32")
        reference.update_batch([gram.encode("utf-8") for gram in shingles(text, 3)])
        assert fingerprint(text, options) == reference.hashvalues.astype("<u4").tobytes()


def test_fingerprint_of_a_text_without_words_is_empty() -> None:
    assert fingerprint(" ... !!! ", DedupOptions()) == b""


def _edited(signature: np.ndarray, changed: int, rng: np.random.Generator) -> np.ndarray:
    copy = signature.copy()
    positions = rng.choice(len(copy), size=changed, replace=False)
    copy[positions] = rng.integers(0, 2**32, size=changed, dtype=np.uint32)
    return copy


def _brute_force(
    indexed: dict[int, tuple[int | None, bytes]], fp: bytes, options: DedupOptions
) -> list[Match]:
    """Classic banded LSH by definition: a candidate shares every value of at least one band;
    a match is a candidate whose estimated similarity reaches the threshold."""
    query = np.frombuffer(fp, dtype="<u4")
    rows = options.band_rows
    width = options.num_perm // rows * rows
    matches = []
    for article_id, (story_id, other_fp) in indexed.items():
        other = np.frombuffer(other_fp, dtype="<u4")
        equal_bands = (query[:width] == other[:width]).reshape(-1, rows).all(axis=1)
        score = similarity(fp, other_fp)
        if equal_bands.any() and score >= options.threshold:
            matches.append(Match(article_id, story_id, score))
    return sorted(matches, key=lambda match: (-match.similarity, match.article_id))


@pytest.mark.parametrize(("num_perm", "band_rows"), [(128, 2), (64, 1), (96, 3), (64, 4)])
def test_index_answers_like_brute_force_lsh_across_merges_and_removals(
    num_perm: int, band_rows: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Families of edited copies (similarities from 1.0 down to below the threshold), several
    merges of recent rows into the sorted arrays, updates (re-add under one id) and removals."""
    monkeypatch.setattr(near, "_RECENT_ROWS", 64)
    options = DedupOptions(num_perm=num_perm, band_rows=band_rows)
    rng = np.random.default_rng(num_perm * 10 + band_rows)
    index = NearDuplicateIndex(options)
    indexed: dict[int, tuple[int | None, bytes]] = {}
    originals: list[np.ndarray] = []
    next_id = 1
    for step in range(500):
        if originals and rng.random() < 0.5:
            base = originals[rng.integers(len(originals))]
            signature = _edited(base, int(rng.integers(0, num_perm)), rng)
        else:
            signature = rng.integers(0, 2**32, size=num_perm, dtype=np.uint32)
            originals.append(signature)
        fp = signature.astype("<u4").tobytes()
        assert index.query(fp) == _brute_force(indexed, fp, options), f"step {step}"
        story_id = None if step % 7 == 0 else next_id
        index.add(next_id, story_id, fp)
        indexed[next_id] = (story_id, fp)
        next_id += 1
        if step % 50 == 49:  # an update: same id, new text and story
            victim = int(rng.integers(1, next_id))
            if victim in indexed:
                changed = _edited(np.frombuffer(indexed[victim][1], dtype="<u4"), 5, rng)
                index.add(victim, victim + 100_000, changed.astype("<u4").tobytes())
                indexed[victim] = (victim + 100_000, changed.astype("<u4").tobytes())
        if step % 60 == 59:
            gone = int(rng.integers(1, next_id))
            index.remove(gone)
            indexed.pop(gone, None)
    assert len(index) == len(indexed)
    for article_id in list(indexed)[::97]:
        assert article_id in index
        assert index.query(indexed[article_id][1])[0].similarity == 1.0


def test_index_ignores_empty_fingerprints_and_refuses_other_sizes() -> None:
    index = NearDuplicateIndex(DedupOptions())
    index.add(1, 1, b"")
    assert len(index) == 0
    assert index.query(b"") == []
    with pytest.raises(ValueError, match="64 values"):
        index.add(2, 2, bytes(64 * 4))
    with pytest.raises(ValueError, match="whole number"):
        index.query(b"\x00" * 5)


def test_index_memory_per_article_stays_small() -> None:
    """The reason for the compact index: datasketch's MinHashLSH held about 20 KB of Python
    objects per article (64 band tables); the arrays here stay near 1.5 KB."""
    rng = np.random.default_rng(7)
    index = NearDuplicateIndex(DedupOptions())
    count = 5000
    for article_id in range(1, count + 1):
        signature = rng.integers(0, 2**32, size=128, dtype=np.uint32)
        index.add(article_id, article_id, signature.astype("<u4").tobytes())
    held = sum(value.nbytes for value in vars(index).values() if isinstance(value, np.ndarray))
    assert held / count < 2048
