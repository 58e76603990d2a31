"""'Read more insights': articles related to a given one, ranked, each with a short reason.

Score of a candidate for a target article:

    relevance = entity_weight · (IDF mass of shared entities / IDF mass of the target's)
              + sector_weight · Jaccard(sectors)
              + text_weight   · cosine(TF-IDF vectors, or embeddings when both have one)
    score     = relevance · (recency_floor + (1 − recency_floor) · 0.5^(age / half_life))

so sharing a rare entity (Namibia) counts more than sharing a common one (China), and fresh
items beat old ones of equal relevance. Results never repeat a story (the best item per story
is kept); the target's own story is left out unless ``max_same_story`` allows one item, which
then scores ``same_story_factor`` times less. Ties break on newer first, then article id.

``rank_related`` scores an explicit collection; ``RelatedIndex`` keeps candidates in an
inverted index (entities, sectors, a few top terms) and scores only those sharing something
with the target, which keeps a query over tens of thousands of articles to milliseconds;
of those it computes the cosine only for candidates whose upper bound can still reach the
best stories found so far (same results, see ``_best_per_story``).
"""

from __future__ import annotations

import heapq
import math
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice

from newsdesk.enrich.embeddings import Vectors
from newsdesk.enrich.tfidf import TfidfSpace, build_tfidf, cosine

__all__ = [
    "RelatedCandidate",
    "RelatedIndex",
    "RelatedOptions",
    "RelatedScore",
    "TfidfSpace",
    "build_tfidf",
    "rank_related",
]

SIMILAR_COVERAGE = "similar coverage"
SAME_STORY = "more on this story"


@dataclass(frozen=True, eq=False)
class RelatedCandidate:
    article_id: int
    story_id: int | None  # None: the article is a story of its own
    title: str
    published: datetime | None
    sectors: frozenset[str] = frozenset()
    entities: frozenset[str] = frozenset()  # entity ids
    entity_names: Mapping[str, str] = field(default_factory=dict)  # entity id -> display name
    vector: Mapping[str, float] = field(default_factory=dict)  # unit-length TF-IDF weights
    # unit-length sentence embedding (optional extra); replaces the TF-IDF cosine when the
    # target and the candidate both have one
    embedding: Vectors | None = None


@dataclass(frozen=True)
class RelatedScore:
    article_id: int
    score: float
    reason: str


@dataclass(frozen=True)
class RelatedOptions:
    limit: int = 5
    entity_weight: float = 0.5
    sector_weight: float = 0.2
    text_weight: float = 0.3
    half_life_hours: float = 72.0
    recency_floor: float = 0.5  # share of the score an infinitely old item keeps
    max_same_story: int = 0  # items of the target's own story allowed (0 or 1)
    same_story_factor: float = 0.5
    min_score: float = 0.02
    reason_names: int = 2  # shared entity/sector names shown in a reason
    sector_names: Mapping[str, str] = field(default_factory=dict)  # sector id -> display name
    # RelatedIndex reads at most this many newest articles per key. Over 6,000 zero-shot
    # enriched Reuters articles 100 gave the same list as 250 for 98% of queries and the same
    # first item for all, at 60% of the cost.
    max_per_key: int = 100


DEFAULT_RELATED_OPTIONS = RelatedOptions()


def _story_key(candidate: RelatedCandidate) -> tuple[int, int]:
    if candidate.story_id is None:
        return (1, candidate.article_id)
    return (0, candidate.story_id)


def _recency(published: datetime | None, now: datetime, options: RelatedOptions) -> float:
    if published is None:
        return options.recency_floor
    age_hours = max(0.0, (now - published).total_seconds() / 3600)
    decay = 0.5 ** (age_hours / options.half_life_hours) if options.half_life_hours > 0 else 1.0
    return options.recency_floor + (1.0 - options.recency_floor) * decay


@dataclass(frozen=True)
class _Scored:
    candidate: RelatedCandidate
    score: float
    shared_entities: frozenset[str]
    shared_sectors: frozenset[str]
    text: float


def _score(
    target: RelatedCandidate,
    candidate: RelatedCandidate,
    *,
    idf: Callable[[str], float],
    target_mass: float,
    now: datetime,
    options: RelatedOptions,
) -> _Scored:
    shared_entities = target.entities & candidate.entities
    shared_sectors = target.sectors & candidate.sectors
    entity_part = (
        sum(idf(e) for e in shared_entities) / target_mass
        if shared_entities and target_mass > 0
        else 0.0
    )
    sector_union = len(target.sectors | candidate.sectors)
    sector_part = len(shared_sectors) / sector_union if sector_union else 0.0
    text_part = _text_similarity(target, candidate)
    relevance = (
        options.entity_weight * entity_part
        + options.sector_weight * sector_part
        + options.text_weight * text_part
    )
    score = relevance * _recency(candidate.published, now, options)
    if target.story_id is not None and candidate.story_id == target.story_id:
        score *= options.same_story_factor
    return _Scored(candidate, score, shared_entities, shared_sectors, text_part)


def _text_similarity(target: RelatedCandidate, candidate: RelatedCandidate) -> float:
    if target.embedding is not None and candidate.embedding is not None:
        return max(0.0, float(target.embedding @ candidate.embedding))
    return cosine(target.vector, candidate.vector) if target.vector else 0.0


def _reason(
    target: RelatedCandidate,
    scored: _Scored,
    idf: Callable[[str], float],
    options: RelatedOptions,
) -> str:
    if target.story_id is not None and scored.candidate.story_id == target.story_id:
        return SAME_STORY
    entities = sorted(scored.shared_entities, key=lambda e: (-idf(e), e))
    names = [
        target.entity_names.get(e) or scored.candidate.entity_names.get(e) or e for e in entities
    ]
    sectors = sorted(scored.shared_sectors)
    names += [options.sector_names.get(s, s) for s in sectors]
    unique = list(dict.fromkeys(names))[: options.reason_names]
    if not unique:
        return SIMILAR_COVERAGE
    return "also on " + " · ".join(unique)


def _rank(
    target: RelatedCandidate,
    candidates: Iterable[RelatedCandidate],
    idf: Callable[[str], float],
    now: datetime,
    options: RelatedOptions,
    *,
    recency: dict[RelatedCandidate, float] | None = None,
    signatures: Mapping[RelatedCandidate, _TermSignature] | None = None,
) -> list[RelatedScore]:
    target_idf = {e: idf(e) for e in target.entities}
    target_mass = sum(target_idf.values())
    best = _best_per_story(
        target, candidates, target_idf, now, options, recency=recency, signatures=signatures
    )
    results = []
    for candidate in _first_in_order(list(best.values()), max(0, options.limit)):
        scored = _score(
            target, candidate, idf=idf, target_mass=target_mass, now=now, options=options
        )
        results.append(
            RelatedScore(
                candidate.article_id, round(scored.score, 6), _reason(target, scored, idf, options)
            )
        )
    return results


def _best_per_story(
    target: RelatedCandidate,
    candidates: Iterable[RelatedCandidate],
    target_idf: Mapping[str, float],
    now: datetime,
    options: RelatedOptions,
    *,
    recency: dict[RelatedCandidate, float] | None = None,
    signatures: Mapping[RelatedCandidate, _TermSignature] | None = None,
) -> dict[tuple[int, int], tuple[float, RelatedCandidate]]:
    """Story key -> (score rounded to 9 places, candidate) of each story's best candidate
    scoring at least ``min_score``. ``recency``: candidate -> its recency factor at ``now``
    under ``options``, filled here; queries at the same ``now`` may share it (RelatedIndex).

    This loop is the cost of a query (hundreds of candidates each, a third of enrichment's
    CPU time), so it scores with plain floats and locals: _score's arithmetic in the same
    order (the few winners are scored again by _score for their reasons, to the same value),
    and the full order (newer first, then lower id) is built only on a tie of rounded scores.

    With ``signatures`` (candidate -> its _TermSignature, made in this process: the masks
    use ``hash``), a candidate whose score cannot reach the ``limit`` best stories seen so
    far is skipped before its cosine, the costly part. Its text part is bounded from the
    signatures (no assumption of unit length), and the bound is computed with the score's
    own float operations, only with a larger text term, so it is never below the score. A
    candidate is skipped only when its bound rounds below the lowest of those stories'
    rounded scores (or is under ``min_score``): it could neither enter the result nor tie
    with a member, so the result is the same, tie order included.
    """
    target_mass = sum(target_idf.values())
    idf_of = target_idf.__getitem__
    target_id, own_story = target.article_id, target.story_id
    own_key = _story_key(target) if options.max_same_story <= 0 else None
    entities, sectors = target.entities, target.sectors
    entity_weight, sector_weight = options.entity_weight, options.sector_weight
    text_weight, min_score = options.text_weight, options.min_score
    recency = {} if recency is None else recency
    known_recency = recency.get
    best: dict[tuple[int, int], tuple[float, RelatedCandidate]] = {}
    signature_of = (
        signatures.get if signatures is not None and _may_prune(target, options) else None
    )
    target_mask, target_excess, target_norms = _term_signature(target.vector)
    # the `limit` stories with the highest rounded best scores so far; a candidate must reach
    # the lowest of them (less a margin for the rounding to 9 places) or min_score
    top: dict[tuple[int, int], float] = {}
    cut = min_score
    for candidate in candidates:
        article_id, story_id = candidate.article_id, candidate.story_id
        key = (1, article_id) if story_id is None else (0, story_id)
        if article_id == target_id or key == own_key:
            continue
        relevance = 0.0
        shared = entities & candidate.entities if target_mass > 0 else None
        if shared:
            relevance += entity_weight * sum(map(idf_of, shared)) / target_mass
        if sectors or candidate.sectors:
            union = len(sectors | candidate.sectors)
            relevance += sector_weight * len(sectors & candidate.sectors) / union
        factor = known_recency(candidate)
        if factor is None:
            factor = recency[candidate] = _recency(candidate.published, now, options)
        # x * 1.0 == x: the same score as multiplying only candidates of the target's story
        story_factor = (
            options.same_story_factor if own_story is not None and story_id == own_story else 1.0
        )
        signature = signature_of(candidate) if signature_of is not None else None
        if signature is not None:
            mask, excess, norms = signature
            shared_terms = (target_mask & mask).bit_count() + (
                excess if excess < target_excess else target_excess
            )
            text_bound = target_norms[shared_terms] * norms[shared_terms] * _BOUND_SLACK
            if (relevance + text_weight * text_bound) * factor * story_factor < cut:
                continue
        relevance += text_weight * _text_similarity(target, candidate)
        score = relevance * factor * story_factor
        if score < min_score:
            continue
        rounded = round(score, 9)
        current = best.get(key)
        if (
            current is None
            or rounded > current[0]
            or (
                rounded == current[0]
                and _candidate_order(rounded, candidate) < _candidate_order(*current)
            )
        ):
            best[key] = (rounded, candidate)
            if signature_of is not None:
                cut = _raise_cut(top, key, rounded, options)
    return best


def _may_prune(
    target: RelatedCandidate,
    options: RelatedOptions,
) -> bool:
    """Whether _best_per_story's bound holds: the text part is the TF-IDF cosine (no
    embedding) and every factor applied to it is non-negative."""
    return (
        target.embedding is None
        and options.limit > 0
        and options.text_weight >= 0
        and options.recency_floor >= 0
        and options.same_story_factor >= 0
    )


def _raise_cut(
    top: dict[tuple[int, int], float], key: tuple[int, int], rounded: float, options: RelatedOptions
) -> float:
    """Record that story ``key``'s best rounded score is now ``rounded`` in ``top`` (the
    ``limit`` stories with the highest bests so far: a story's best only rises, so no story
    outside ``top`` is above its lowest); return the score a candidate must reach to matter."""
    if key in top or len(top) < options.limit:
        top[key] = rounded
    else:
        lowest = min(top, key=top.__getitem__)
        if rounded > top[lowest]:
            del top[lowest]
            top[key] = rounded
    if len(top) < options.limit:
        return options.min_score
    return max(options.min_score, min(top.values()) - _ROUNDING_MARGIN)


# A signature of a TF-IDF vector's terms: (bit mask of its terms' hashes, number of terms
# sharing a bit with another, norms[k] = norm of its k heaviest weights).
_TermSignature = tuple[int, int, "array[float]"]
_SIGNATURE_BITS = 1024
# bounds are widened by this factor (float error of a cosine over thousands of terms ~1e-12)
_BOUND_SLACK = 1.0 + 1e-9
# a score below (rounded score - this) rounds below it at 9 places
_ROUNDING_MARGIN = 1e-9


def _term_signature(vector: Mapping[str, float]) -> _TermSignature:
    """Terms two vectors share set bits of both masks; two shared terms may share a bit only
    where a vector has terms sharing bits, so at most popcount(mask & other mask) + the
    smaller excess terms are shared (never more than either has terms). By Cauchy-Schwarz
    over the shared terms, their dot product (the cosine) is at most the product of each
    one's norms[that many]."""
    mask = 0
    for term in vector:
        mask |= 1 << (hash(term) % _SIGNATURE_BITS)
    norms = array("d", [0.0])
    total = 0.0
    for square in sorted((weight * weight for weight in vector.values()), reverse=True):
        total += square
        norms.append(math.sqrt(total))
    return mask, len(vector) - mask.bit_count(), norms


def _candidate_order(rounded: float, candidate: RelatedCandidate) -> tuple[float, float, int]:
    """Ranking order of a scored candidate: higher score, then newer, then lower id."""
    published = candidate.published
    timestamp = published.timestamp() if published is not None else float("-inf")
    return (-rounded, -timestamp, candidate.article_id)


def _first_in_order(
    scored: list[tuple[float, RelatedCandidate]], limit: int
) -> list[RelatedCandidate]:
    """The ``limit`` first (rounded score, candidate) pairs in ranking order: the highest
    scores first, and the full order only over those that reach the cut-off score."""
    if not scored or limit <= 0:
        return []
    top = heapq.nlargest(limit, (rounded for rounded, _ in scored))
    cut_off = top[-1]
    reaching = [item for item in scored if item[0] >= cut_off]
    reaching.sort(key=lambda item: _candidate_order(*item))
    return [candidate for _, candidate in reaching[:limit]]


def _idf_from_counts(counts: Mapping[str, int], documents: int) -> Callable[[str], float]:
    def idf(entity: str) -> float:
        return math.log((1 + documents) / (1 + counts.get(entity, 0))) + 1.0

    return idf


def rank_related(
    target: RelatedCandidate,
    candidates: Iterable[RelatedCandidate],
    *,
    now: datetime,
    options: RelatedOptions,
) -> list[RelatedScore]:
    """The best related articles for ``target`` among ``candidates``, one per story.

    Entity IDF is computed over the candidates given, so pass the whole recent collection.
    """
    pool = list(candidates)
    counts: Counter[str] = Counter()
    for candidate in pool:
        counts.update(candidate.entities)
    return _rank(target, pool, _idf_from_counts(counts, len(pool)), now, options)


def _top_terms(vector: Mapping[str, float], count: int) -> list[str]:
    return [t for t, _ in sorted(vector.items(), key=lambda item: (-item[1], item[0]))[:count]]


class RelatedIndex:
    """Candidates in an inverted index by entity, sector and top terms, for fast queries."""

    def __init__(self, *, index_terms: int = 6) -> None:
        """``index_terms``: heaviest vector terms per article indexed for the text prefilter."""
        self._index_terms = index_terms
        self._articles: dict[int, RelatedCandidate] = {}
        # insertion-ordered: the newest-added articles of a key are read first
        self._postings: dict[tuple[str, str], dict[int, None]] = {}
        self._entity_counts: Counter[str] = Counter()
        # recency factors of candidates at one (now, half-life, floor): queries of a batch
        # share one now, and each candidate is read by many of them
        self._recency_key: tuple[datetime, float, float] | None = None
        self._recency: dict[RelatedCandidate, float] = {}
        # each article's term signature, for skipping candidates that cannot make a top list
        self._signatures: dict[RelatedCandidate, _TermSignature] = {}

    def __len__(self) -> int:
        return len(self._articles)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._articles

    def _keys(self, candidate: RelatedCandidate) -> set[tuple[str, str]]:
        keys = {("e", e) for e in candidate.entities}
        keys.update(("s", s) for s in candidate.sectors)
        keys.update(("t", t) for t in _top_terms(candidate.vector, self._index_terms))
        return keys

    def add(self, candidate: RelatedCandidate) -> None:
        """Add a candidate, replacing any earlier one with the same article id."""
        self.remove(candidate.article_id)
        self._articles[candidate.article_id] = candidate
        self._signatures[candidate] = _term_signature(candidate.vector)
        for key in self._keys(candidate):
            self._postings.setdefault(key, {})[candidate.article_id] = None
        self._entity_counts.update(candidate.entities)

    def remove(self, article_id: int) -> bool:
        """Remove a candidate; False if it was not in the index."""
        candidate = self._articles.pop(article_id, None)
        if candidate is None:
            return False
        del self._signatures[candidate]
        for key in self._keys(candidate):
            posting = self._postings.get(key)
            if posting is not None:
                posting.pop(article_id, None)
                if not posting:
                    del self._postings[key]
        self._entity_counts.subtract(candidate.entities)
        for entity in candidate.entities:
            if self._entity_counts[entity] <= 0:
                del self._entity_counts[entity]
        return True

    def query(
        self, target: RelatedCandidate, *, now: datetime, options: RelatedOptions
    ) -> list[RelatedScore]:
        """Like ``rank_related`` over the indexed articles sharing an entity, sector or top
        term with ``target``; of a key shared by many (a broad sector, "China"), only the
        ``max_per_key`` most recently added are read. Entity IDF comes from the whole index.

        Articles are assumed to be added roughly in publication order, as ingestion does;
        re-adding an article moves it to the newest end."""
        keys = self._keys(target)
        ids: set[int] = set()
        for key in keys:
            posting = self._postings.get(key)
            if posting:
                ids.update(islice(reversed(posting), options.max_per_key))
        pool = (self._articles[i] for i in sorted(ids))
        idf = _idf_from_counts(self._entity_counts, len(self._articles))
        recency_key = (now, options.half_life_hours, options.recency_floor)
        if recency_key != self._recency_key:
            self._recency_key, self._recency = recency_key, {}
        return _rank(
            target, pool, idf, now, options, recency=self._recency, signatures=self._signatures
        )
