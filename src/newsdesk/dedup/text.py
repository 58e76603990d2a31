"""The exact-duplicate content hash and word shingles, over ``newsdesk.text.normalize_text``."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from newsdesk.text.normalize import normalize_text

_WORD = re.compile(r"\w+")

# The extraction worker's digest normalises each body twice, for the content hash and then for
# the fingerprint's shingles: the latest few answers are kept (a pure function of the text).
_normalized = lru_cache(maxsize=4)(normalize_text)


def content_hash(title: str | None, text: str) -> str:
    """SHA-256 hex of the normalised body text; identical bodies hash alike whatever the title.

    The title is not part of the hash, because re-published copies often retitle a story. It is
    used only when the body is empty (a headline-only item), so that two different empty-bodied
    items are not all "duplicates" of one another; the two cases are prefixed differently so a
    body can never collide with a title.
    """
    body = _normalized(text)
    payload = f"text\x00{body}" if body else f"title\x00{_normalized(title or '')}"
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def words(text: str) -> list[str]:
    """The words of the normalised text, punctuation dropped."""
    return _WORD.findall(_normalized(text))


def shingles(text: str, k: int) -> set[str]:
    """Distinct runs of k consecutive words; a text shorter than k words is one shingle."""
    if k < 1:
        raise ValueError(f"shingle size must be at least 1, got {k}")
    tokens = words(text)
    if not tokens:
        return set()
    if len(tokens) < k:
        return {" ".join(tokens)}
    # the k-word windows, zipped from k offset copies (zip stops at the shortest: the last
    # window ends at the last word): the same set as slicing at every start, built in C
    return set(map(" ".join, zip(*[tokens[offset:] for offset in range(k)], strict=False)))
