"""A small pure-Python TF-IDF space: sparse, L2-normalised term vectors and their cosine.

Vectors keep only their heaviest terms (``max_terms``) so that comparing two of them costs a
set intersection of a few dozen keys, which is what lets related-article ranking score
thousands of candidates per query. The space is a plain mapping of IDF weights and can be
rebuilt from any sample of recent texts; terms it has not seen weigh as the rarest seen.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from newsdesk.text.normalize import fold, strip_markup, tokens

_STOPWORDS_TEXT = (
    "a an the of and or to in on at for from by with as is are was were be been being has have "
    "had it its this that these those their his her they he she we our you i will would can "
    "could should may might must said says say not no but also after before over into about "
    "than more most new up out which who whom what when where while there here all any some "
    "such other one two per would year years week month day last first just only so if"
)
_STOPWORDS = frozenset(_STOPWORDS_TEXT.split())
MAX_TEXT_CHARS = 20_000  # text beyond this is not read


def terms(text: str) -> list[str]:
    """Folded content terms of a text: lower case, plural folded, stopwords and digits dropped."""
    folded = map(fold, tokens(_clipped(text)))
    return [t for t in folded if len(t) > 1 and not t.isdigit() and t not in _STOPWORDS]


def term_counts(text: str) -> dict[str, int]:
    """How often each of ``terms(text)`` occurs, in the order the terms first occur (the same
    as ``Counter(terms(text))``). The words as written are counted first and each distinct one
    is folded and tested once: the words folding to one term add up, and a term first occurs
    where the first of its words does."""
    counts: dict[str, int] = {}
    get = counts.get
    for word, n in Counter(tokens(_clipped(text))).items():
        term = _term(word)
        if term is not None:
            counts[term] = get(term, 0) + n
    return counts


@lru_cache(maxsize=1 << 16)  # called for every distinct word of every text; vocabularies repeat
def _term(word: str) -> str | None:
    """The word's term (``fold``), None for a stopword, a digit run or a single character."""
    term = fold(word)
    return term if len(term) > 1 and not term.isdigit() and term not in _STOPWORDS else None


def _clipped(text: str) -> str:
    if len(text) <= MAX_TEXT_CHARS and "<" not in text and "&" not in text:
        # Nothing to strip nor clip: collapsing white space would leave the same words.
        return text
    return strip_markup(text[: MAX_TEXT_CHARS + 1000])[:MAX_TEXT_CHARS]


@dataclass(frozen=True)
class TfidfSpace:
    idf: Mapping[str, float]
    documents: int
    max_terms: int = 48

    @property
    def unseen_idf(self) -> float:
        return math.log((1 + self.documents) / 1) + 1.0

    def vector(self, text: str) -> dict[str, float]:
        """The text's TF-IDF vector (sublinear tf), heaviest ``max_terms`` terms, unit length."""
        counts = term_counts(text)
        if not counts:
            return {}
        unseen = self.unseen_idf
        idf = self.idf.get
        log = math.log
        weights = {term: (1.0 + log(count)) * idf(term, unseen) for term, count in counts.items()}
        if len(weights) > self.max_terms:
            # heaviest first, ties by term: sorted by (-weight, term) pairs rather than by a
            # key function (the same order; negating a float is exact)
            heaviest = sorted([(-w, term) for term, w in weights.items()])
            weights = {term: -negated for negated, term in heaviest[: self.max_terms]}
        # a list, not a generator: the same sum in the same order
        norm = math.sqrt(sum([w * w for w in weights.values()]))
        return {term: w / norm for term, w in weights.items()}


def build_tfidf(texts: Iterable[str], *, max_terms: int = 48) -> TfidfSpace:
    """A TF-IDF space with smoothed IDF, ln((1 + n) / (1 + df)) + 1, over the given texts."""
    document_frequency: Counter[str] = Counter()
    documents = 0
    for text in texts:
        documents += 1
        document_frequency.update(term_counts(text).keys())
    idf = {
        term: math.log((1 + documents) / (1 + df)) + 1.0 for term, df in document_frequency.items()
    }
    return TfidfSpace(idf=idf, documents=documents, max_terms=max_terms)


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Cosine of two unit-length sparse vectors."""
    if len(a) > len(b):
        a, b = b, a
    shared = a.keys() & b.keys()
    # A list, not a generator: the same sum in the same order, a third faster (related-article
    # ranking calls this for every candidate of every query).
    return sum([a[term] * b[term] for term in shared])
