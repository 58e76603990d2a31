"""The related-articles index's candidates as numpy rows, so that one query bounds the score of
all its candidates at once and only the few that can reach its top list are scored exactly.

A row holds what a candidate's score reads: its entities, sectors and TF-IDF terms (as ids of
a vocabulary, 0 = padding), the term weights, its publication time in whole microseconds and
its story. ``CandidateRows.contenders`` computes every candidate's score with numpy (the
target's entity IDFs, sectors and term weights scattered into scratch arrays indexed by those
ids), in an order of float operations other than ``related._best_per_story``'s, so each
estimate is the exact score to float error (1e-12 of it in the tests), far inside the
``_margin`` it is widened by. It keeps a candidate only when its estimate, so widened, can
still reach the ``limit``-th best story's lower bound: the exact ranking over those
candidates is the exact ranking over all (see ``contenders``). The vocabularies keep the
names of removed rows; an index lives for one enrichment run.

A row whose entities, sectors or terms do not fit the arrays' width (more than
``MAX_ENTITIES``, ``MAX_SECTORS`` or ``MAX_TERMS``), or whose publication time is not an aware
datetime, gets an upper bound for that part instead (1 for the entity and sector shares, the
Cauchy-Schwarz product of norms for the cosine, 1 for the recency factor) and is never used
to set the threshold.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Protocol

import numpy as np

if TYPE_CHECKING:
    import numpy.typing as npt

__all__ = ["CandidateRows", "RowCandidate", "RowOptions", "can_bound"]

MAX_ENTITIES = 32
MAX_SECTORS = 8
MAX_TERMS = 64
# |estimate - exact| is float error: both sum at most a few hundred products of the same
# numbers (ages in exact microseconds), in other orders; _margin is far wider
_SLACK = 1e-9
_FLOOR = 1e-12
# a score below (rounded score - this) rounds below it at 9 places
_ROUNDING_MARGIN = 2e-9
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_NO_TIME = np.iinfo(np.int64).min  # published is None
_NAIVE_TIME = _NO_TIME + 1  # published is a naive datetime: recency bounded by 1


class RowCandidate(Protocol):
    """What a row is made of (related.RelatedCandidate)."""

    @property
    def article_id(self) -> int: ...
    @property
    def story_id(self) -> int | None: ...
    @property
    def published(self) -> datetime | None: ...
    @property
    def sectors(self) -> frozenset[str]: ...
    @property
    def entities(self) -> frozenset[str]: ...
    @property
    def vector(self) -> Mapping[str, float]: ...


class RowOptions(Protocol):
    """The scoring options a bound reads (related.RelatedOptions)."""

    @property
    def limit(self) -> int: ...
    @property
    def entity_weight(self) -> float: ...
    @property
    def sector_weight(self) -> float: ...
    @property
    def text_weight(self) -> float: ...
    @property
    def half_life_hours(self) -> float: ...
    @property
    def recency_floor(self) -> float: ...
    @property
    def max_same_story(self) -> int: ...
    @property
    def same_story_factor(self) -> float: ...
    @property
    def min_score(self) -> float: ...


def can_bound(now: datetime, options: RowOptions) -> bool:
    """Whether ``contenders`` applies: every weight and factor non-negative (the score grows
    with each part), a recency factor of at most 1 and an aware ``now``."""
    return (
        options.limit > 0
        and options.entity_weight >= 0
        and options.sector_weight >= 0
        and options.text_weight >= 0
        and 0 <= options.recency_floor <= 1
        and options.same_story_factor >= 0
        and now.tzinfo is not None
        and now.utcoffset() is not None
    )


def _microseconds(published: datetime | None) -> int:
    if published is None:
        return int(_NO_TIME)
    if published.tzinfo is None or published.utcoffset() is None:
        return int(_NAIVE_TIME)
    return (published - _EPOCH) // _MICROSECOND


class _Vocabulary:
    """Strings -> ids from 1 (0 pads rows), with a zeroed scratch array of weights by id."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.scratch = np.zeros(64, dtype=np.float64)

    def id_of(self, name: str) -> int:
        found = self.ids.get(name)
        if found is None:
            found = self.ids[name] = len(self.ids) + 1
            if found >= len(self.scratch):
                self.scratch = np.zeros(2 * found, dtype=np.float64)
        return found

    def scatter(self, weights: Iterable[tuple[str, float]]) -> list[int]:
        """Write the known names' weights into the scratch array; returns the ids to clear."""
        ids = self.ids
        written = []
        values = []
        for name, weight in weights:
            found = ids.get(name)
            if found is not None:
                written.append(found)
                values.append(weight)
        if written:  # one assignment, not one numpy item write per name (names are unique)
            self.scratch[written] = values
        return written

    def clear(self, written: list[int]) -> None:
        self.scratch[written] = 0.0


class CandidateRows:
    """Rows of the indexed candidates (see the module docstring). ``add`` returns the row of
    a candidate, which its index may use as its id until ``remove``; rows are reused."""

    def __init__(self) -> None:
        self._row_of: dict[int, int] = {}  # article id -> row
        self._free: list[int] = []
        self._size = 0  # rows ever used
        self._entities = _Vocabulary()
        self._sectors = _Vocabulary()
        self._terms = _Vocabulary()
        capacity = 64
        self._entity_ids = np.zeros((capacity, 4), dtype=np.int32)
        self._sector_ids = np.zeros((capacity, 2), dtype=np.int32)
        self._sector_counts = np.zeros(capacity, dtype=np.float64)
        self._term_ids = np.zeros((capacity, 8), dtype=np.int32)
        self._term_weights = np.zeros((capacity, 8), dtype=np.float64)
        self._norms = np.zeros(capacity, dtype=np.float64)  # of rows whose terms overflow
        self._overflow = np.zeros(capacity, dtype=np.bool_)  # a part does not fit
        self._times = np.zeros(capacity, dtype=np.int64)
        self._stories = np.zeros(capacity, dtype=np.int64)  # story key, see _story_code
        self._article_ids = np.zeros(capacity, dtype=np.int64)
        self._unusual = 0  # rows in use that overflow or have a naive publication time
        # each row's recency factor at one (now, half-life, floor), for rows [0, _recency_rows)
        self._recency = np.zeros(capacity, dtype=np.float64)
        self._recency_key: tuple[int, float, float] | None = None
        self._recency_rows = 0

    def _grow(self) -> None:
        capacity = 2 * len(self._times)
        for name in (
            "_entity_ids",
            "_sector_ids",
            "_sector_counts",
            "_term_ids",
            "_term_weights",
            "_norms",
            "_overflow",
            "_times",
            "_stories",
            "_article_ids",
            "_recency",
        ):
            old = getattr(self, name)
            grown = np.zeros((capacity, *old.shape[1:]), dtype=old.dtype)
            grown[: len(old)] = old
            setattr(self, name, grown)

    def _widened(self, name: str, width: int, cap: int) -> int:
        """Widen a (rows, width) array to hold ``width`` columns, up to ``cap``; returns
        the width it holds now."""
        old = getattr(self, name)
        if width <= old.shape[1] or old.shape[1] >= cap:
            return int(old.shape[1])
        grown = np.zeros((len(old), min(cap, width)), dtype=old.dtype)
        grown[:, : old.shape[1]] = old
        setattr(self, name, grown)
        return int(grown.shape[1])

    def add(self, candidate: RowCandidate) -> int:
        """Store a candidate's row and return it (``remove`` an article stored before)."""
        if self._free:
            row = self._free.pop()
            self._recency_key = None  # the row's factor is another article's
        else:
            if self._size == len(self._times):
                self._grow()
            row = self._size
            self._size += 1
        self._row_of[candidate.article_id] = row
        overflow = False
        entities = [self._entities.id_of(e) for e in candidate.entities]
        width = self._widened("_entity_ids", len(entities), MAX_ENTITIES)
        overflow |= len(entities) > width
        self._entity_ids[row, : min(width, len(entities))] = entities[:width]
        sectors = [self._sectors.id_of(s) for s in candidate.sectors]
        width = self._widened("_sector_ids", len(sectors), MAX_SECTORS)
        overflow |= len(sectors) > width
        self._sector_ids[row, : min(width, len(sectors))] = sectors[:width]
        self._sector_counts[row] = len(sectors)
        vector = candidate.vector
        width = self._widened("_term_ids", len(vector), MAX_TERMS)
        self._widened("_term_weights", len(vector), MAX_TERMS)
        if len(vector) > width:
            overflow = True
            self._norms[row] = float(np.sqrt(np.sum(np.square(list(vector.values())))))
        else:
            self._term_ids[row, : len(vector)] = [self._terms.id_of(t) for t in vector]
            self._term_weights[row, : len(vector)] = list(vector.values())
        self._overflow[row] = overflow
        self._times[row] = _microseconds(candidate.published)
        self._unusual += overflow or self._times[row] == _NAIVE_TIME
        self._stories[row] = _story_code(candidate.story_id, candidate.article_id)
        self._article_ids[row] = candidate.article_id
        return row

    def remove(self, article_id: int) -> int | None:
        """Free an article's row; returns it (None if the article was not stored)."""
        row = self._row_of.pop(article_id, None)
        if row is None:
            return None
        self._unusual -= bool(self._overflow[row] or self._times[row] == _NAIVE_TIME)
        for name in ("_entity_ids", "_sector_ids", "_term_ids", "_term_weights"):
            getattr(self, name)[row] = 0
        self._overflow[row] = False
        self._norms[row] = 0.0
        self._times[row] = 0
        self._free.append(row)
        return row

    def article_ids(self, rows: Collection[int]) -> list[int]:
        """The article ids of rows in use."""
        found = self._article_ids[np.fromiter(rows, np.intp, len(rows))]
        return found.tolist()  # type: ignore[no-any-return]

    def contenders(
        self,
        target: RowCandidate,
        rows: Collection[int],
        target_idf: Mapping[str, float],
        now: datetime,
        options: RowOptions,
    ) -> list[int]:
        """The article ids of the ``rows`` (in use) that can be in ``target``'s ranking.

        Each candidate's exact score is within ``_margin`` of its ``estimate``, or below it
        (rows holding a bound). Walking the others by estimate, the first ``limit`` distinct
        stories whose estimate less the margin is >= ``min_score`` each have a candidate of
        exact score >= T, the last one's estimate less the margin: so the ``limit``-th best
        rounded story score is >= T less half a unit of the 9th place, and a candidate of
        exact score below T less ``_ROUNDING_MARGIN`` rounds strictly below it: it neither
        enters the result nor ties with a member (nor is the best of a member's story).
        Those, and candidates below ``min_score``, are dropped (when even their estimate
        plus the margin is); the exact ranking of the rest is the exact ranking. Requires
        ``can_bound``.
        """
        if not rows:
            return []
        at = np.fromiter(rows, np.intp, len(rows))
        estimate = self._estimates(target, at, target_idf, now, options)
        stories = self._stories.take(at)
        threshold = options.min_score
        found: set[int] = set()
        usual = self._usual(at) if self._unusual else None
        for position in np.argsort(-estimate).tolist():
            value = float(estimate[position])
            value -= _margin(value)
            if value < options.min_score:
                break
            if usual is not None and not usual[position]:
                continue
            found.add(int(stories[position]))
            if len(found) >= options.limit:
                threshold = max(threshold, value - _ROUNDING_MARGIN)
                break
        # estimate + _margin(estimate), without inf - inf for the excluded rows
        upper = np.maximum(estimate * (1 + _SLACK), estimate * (1 - _SLACK)) + _FLOOR
        kept = at[upper >= threshold]
        return self._article_ids.take(kept).tolist()  # type: ignore[no-any-return]

    def estimates(
        self,
        target: RowCandidate,
        rows: Sequence[int],
        target_idf: Mapping[str, float],
        now: datetime,
        options: RowOptions,
    ) -> list[float]:
        """What ``contenders`` selects by, row by row: each candidate's score (a bound for
        rows that do not fit), minus infinity for the target and the stories it excludes."""
        at = np.array(rows, dtype=np.intp)
        return self._estimates(target, at, target_idf, now, options).tolist()  # type: ignore[no-any-return]

    def _estimates(
        self,
        target: RowCandidate,
        at: npt.NDArray[np.intp],
        target_idf: Mapping[str, float],
        now: datetime,
        options: RowOptions,
    ) -> npt.NDArray[np.float64]:
        # ndarray.take, not np.take: the same gather without np.take's Python wrapper, which
        # cost more than the gather itself on a query's few hundred rows
        estimate = np.zeros(len(at), dtype=np.float64)
        text: npt.NDArray[np.float64] | None = None
        target_mass = sum(target_idf.values())
        if target_mass > 0 and options.entity_weight > 0:
            vocabulary = self._entities
            written = vocabulary.scatter(target_idf.items())
            shared = vocabulary.scratch.take(self._entity_ids.take(at, axis=0)).sum(axis=1)
            vocabulary.clear(written)
            estimate += shared * (options.entity_weight / target_mass)
        if target.sectors and options.sector_weight > 0:
            vocabulary = self._sectors
            written = vocabulary.scatter((s, 1.0) for s in target.sectors)
            shared = vocabulary.scratch.take(self._sector_ids.take(at, axis=0)).sum(axis=1)
            vocabulary.clear(written)
            union = self._sector_counts.take(at) + (len(target.sectors) - shared)
            estimate += shared * options.sector_weight / union
        if target.vector and options.text_weight > 0:
            vocabulary = self._terms
            written = vocabulary.scatter(target.vector.items())
            weights = vocabulary.scratch.take(self._term_ids.take(at, axis=0))
            weights *= self._term_weights.take(at, axis=0)
            vocabulary.clear(written)
            text = weights.sum(axis=1) * options.text_weight
            estimate += text
        if self._unusual:
            estimate = self._with_bounds(
                estimate, text=text, at=at, target=target, target_mass=target_mass, options=options
            )
        estimate *= self._recency_at(now, options).take(at)
        stories = self._stories.take(at)
        own = _story_code(target.story_id, target.article_id)
        if options.max_same_story <= 0:
            estimate[stories == own] = -np.inf  # the target's story (and the target)
        else:
            estimate[self._article_ids.take(at) == target.article_id] = -np.inf
            if target.story_id is not None:
                same = stories == own
                estimate[same] *= options.same_story_factor
        return estimate

    def _usual(self, at: npt.NDArray[np.intp]) -> npt.NDArray[np.bool_]:
        """Whether each row's estimate is near its exact score (not a bound)."""
        bounded: npt.NDArray[np.bool_] = np.take(self._overflow, at) | (
            np.take(self._times, at) == _NAIVE_TIME
        )
        return ~bounded

    def _with_bounds(
        self,
        estimate: npt.NDArray[np.float64],
        *,
        text: npt.NDArray[np.float64] | None,
        at: npt.NDArray[np.intp],
        target: RowCandidate,
        target_mass: float,
        options: RowOptions,
    ) -> npt.NDArray[np.float64]:
        """Estimates of overflowing rows replaced by bounds: 1 for each share, the product
        of the norms for the cosine when the terms overflow (Cauchy-Schwarz). The recency
        factor of a naive time is bounded in ``_recency_at``."""
        overflow = np.take(self._overflow, at)
        if not overflow.any():
            return estimate
        bound: float | npt.NDArray[np.float64] = 0.0
        if target_mass > 0 and options.entity_weight > 0:
            bound += options.entity_weight
        if target.sectors and options.sector_weight > 0:
            bound += options.sector_weight
        if text is not None:
            norm = float(np.sqrt(np.sum(np.square(list(target.vector.values())))))
            norms = np.take(self._norms, at)  # > 0 only where the terms overflow
            bound = bound + np.where(norms > 0, options.text_weight * norm * norms, text)
        return np.where(overflow, bound, estimate)

    def _recency_at(self, now: datetime, options: RowOptions) -> npt.NDArray[np.float64]:
        """Every row's related._recency at ``now`` (the same float operations on the same
        age, taken in exact microseconds; 1, >= any factor, for a naive publication time),
        computed for the rows added since the last call at the same ``now`` and options."""
        key = (_microseconds(now), options.half_life_hours, options.recency_floor)
        if key != self._recency_key:
            self._recency_key, self._recency_rows = key, 0
        first, last = self._recency_rows, self._size
        if first < last:
            times = self._times[first:last]
            now_us, floor = key[0], options.recency_floor
            known = np.where(times <= _NAIVE_TIME, now_us, times)  # no int64 overflow below
            ages = np.maximum(0.0, (now_us - known).astype(np.float64) / 1e6 / 3600)
            if options.half_life_hours > 0:
                decay = 0.5 ** (ages / options.half_life_hours)
            else:
                decay = np.ones(len(times))
            factor = floor + (1.0 - floor) * decay
            factor = np.where(times == _NO_TIME, floor, factor)
            self._recency[first:last] = np.where(times == _NAIVE_TIME, 1.0, factor)
            self._recency_rows = last
        return self._recency


def _margin(estimate: float) -> float:
    """How far an exact score may be from its estimate (of either sign), with room to spare."""
    return abs(estimate) * _SLACK + _FLOOR


def _story_code(story_id: int | None, article_id: int) -> int:
    """A story key as one integer: 2·story for a story, 2·article + 1 for an article alone."""
    return 2 * article_id + 1 if story_id is None else 2 * story_id
