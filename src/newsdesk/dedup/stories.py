"""Event-level story matching: re-reports of one piece of news by different publications.

MinHash over word shingles (``near``) finds copies and light rewrites. Independently written
re-reports share few word sequences but name the same parties, places and figures, so they are
compared here on those (``story_features``): each article is a set of features weighted by
inverse document frequency within the index itself, and two articles are one story when their
similarity reaches the threshold and they were published within the time window of each other.

The similarity is a cosine of IDF-weighted binary feature vectors, smoothed for short texts::

    score = shared / sqrt((mass_a + prior) * (mass_b + prior))

where ``mass`` sums the squared IDF of an article's features, ``shared`` that of the features
both have, and ``prior`` is ``length_prior_features`` times the weight of a never-seen feature.
Figures weigh ``figure_weight`` times more than names. Why cosine rather than weighted Jaccard:
re-reports differ in length and angle (a commodities wrap mentions copper and gold besides the
OPEC+ cut), and Jaccard divides by the union, so a long article sharing every name of a short
one still scores low; cosine divides by the geometric mean of the two sizes. A shared rare name
("Epangelo") or figure ("n:2.5e+05bbl") counts for far more than a shared "China".
"""

from __future__ import annotations

import functools
import math
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from newsdesk.dedup.event_features import (
    ENTITY_PREFIX,
    FIGURE_PREFIX,
    select_features,
    story_feature_counts,
)
from newsdesk.dedup.near import Match

_SECONDS_PER_HOUR = 3600.0


@dataclass(frozen=True)
class StoryOptions:
    """How re-reports are linked to a story.

    Chosen with benchmarks/story_clustering.py. On the demo corpus (64 articles, six stories of
    three re-reports each) clustering oldest-first gives exactly the story keys at every
    threshold from 0.12 to 0.26; with the whole corpus indexed the weakest same-story pair
    scores 0.25 and the strongest pair of different stories within the window 0.11, so 0.18
    sits between them with a factor of about 1.4-1.7 either side. On 3,000 Reuters-21578
    stories (11 days of wire) 0.18 joins about 15 % of articles to an earlier one's story: in
    a printed sample about half are genuine follow-ups (re-sends, bids and counter-bids, a
    bond and its terms), the rest same-theme items (OPEC statements, Japanese politics) or
    templated ones sharing boilerplate (eurobond announcements by different issuers).
    """

    threshold: float = 0.18
    # Only articles published within this many hours of each other can be one story.
    window_hours: float = 96.0
    # Features kept per article, most salient first (title names and figures, then by count).
    max_features: int = 96
    # IDF is ln((N + prior + 1) / (df + 1)): the prior pretends the index holds this many more
    # articles without the feature, so a small index does not treat every shared name as
    # common (with N = 1 every feature of the one article would have df = N).
    idf_prior_documents: int = 20
    # Both articles' weight is smoothed by this many pseudo-features of the highest weight (a
    # feature no other article has): a short item sharing its few features with another scores
    # low, unlike a plain cosine where two six-feature dividend notices sharing "Qtly", "Pay"
    # and "Record" would score 0.8.
    length_prior_features: float = 8.0
    # Figures (``n:`` features) weigh this many times their squared IDF: the parties of a
    # story recur in the next one (OPEC+, Saudi Arabia, Novak meet every month), its figures
    # rarely do. On the demo corpus 1 and 2 separate equally well; 2 keeps two OPEC+
    # decisions with the same cast but different volumes apart.
    figure_weight: float = 2.0
    # Candidates are retrieved only through features held by at most this share of the index
    # (and never fewer than retrieval_min_df articles): an article sharing nothing but
    # "United States" and "2025" with the query cannot reach the threshold anyway.
    retrieval_max_df_share: float = 0.005
    retrieval_min_df: int = 50
    # Candidates that could still reach the threshold (a bound from their retrieval-feature
    # score) are scored exactly with all features, the best this many by that partial score.
    max_candidates: int = 16

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {self.threshold}")
        if not self.window_hours > 0:
            raise ValueError(f"window_hours must be positive, got {self.window_hours}")
        if self.max_features < 1:
            raise ValueError(f"max_features must be at least 1, got {self.max_features}")
        if self.idf_prior_documents < 0 or self.length_prior_features < 0:
            raise ValueError("idf_prior_documents and length_prior_features must be >= 0")
        if not self.figure_weight > 0:
            raise ValueError(f"figure_weight must be positive, got {self.figure_weight}")
        if not 0.0 < self.retrieval_max_df_share <= 1.0:
            raise ValueError("retrieval_max_df_share must be in (0, 1]")
        if self.retrieval_min_df < 1 or self.max_candidates < 1:
            raise ValueError("retrieval_min_df and max_candidates must be at least 1")


def story_features(title: str, text: str, options: StoryOptions) -> tuple[str, ...]:
    """The article's event features, most salient first, at most ``options.max_features``.

    Pure and deterministic; the tuple of strings can be stored (as a JSON list) and given to
    ``StoryIndex.add`` / ``query`` later.
    """
    return select_features(story_feature_counts(title, text), options.max_features)


def _timestamp(published: datetime | None) -> float | None:
    if published is None:
        return None
    if published.tzinfo is None:
        published = published.replace(tzinfo=UTC)
    return published.timestamp()


@dataclass(frozen=True)
class _Entry:
    story_id: int | None
    features: tuple[str, ...]
    published: float | None


class StoryIndex:
    """Indexed articles' story features, queried for the story an incoming article belongs to.

    An inverted index (feature -> article ids) finds candidates; document frequencies from the
    same index give the IDF weights, so similarities move a little as the index grows. An
    article without a publication time is compared with every other regardless of the window
    (the pipeline should pass the fetch time when a feed gives none). Not thread-safe.
    """

    def __init__(self, options: StoryOptions) -> None:
        self.options = options
        self._entries: dict[int, _Entry] = {}
        self._postings: dict[str, set[int]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._entries

    def add(
        self,
        article_id: int,
        story_id: int | None,
        features: Sequence[str],
        published: datetime | None,
    ) -> None:
        """Index an article, replacing what was indexed under its id; no features: ignored."""
        self.remove(article_id)
        # Interned: thousands of articles share each feature string, so each is held once.
        unique = tuple(sys.intern(feature) for feature in dict.fromkeys(features))
        if not unique:
            return
        self._entries[article_id] = _Entry(story_id, unique, _timestamp(published))
        for feature in unique:
            self._postings.setdefault(feature, set()).add(article_id)

    def remove(self, article_id: int) -> None:
        """Forget an article; unknown ids are ignored."""
        entry = self._entries.pop(article_id, None)
        if entry is None:
            return
        for feature in entry.features:
            holders = self._postings[feature]
            holders.discard(article_id)
            if not holders:
                del self._postings[feature]

    def _weights(self) -> _Weights:
        return _Weights(
            math.log(len(self._entries) + self.options.idf_prior_documents + 1),
            self._postings,
            self.options.length_prior_features,
            self.options.figure_weight,
        )

    def _candidates(
        self, features: Sequence[str], published: float | None, weights: _Weights
    ) -> list[int]:
        """Articles in the window that could reach the threshold, best partial score first."""
        max_df = max(
            self.options.retrieval_min_df,
            int(self.options.retrieval_max_df_share * len(self._entries)),
        )
        partial: dict[int, float] = {}
        skipped = 0.0  # weight of the query's features too common to retrieve by
        for feature in features:
            holders = self._postings.get(feature)
            if not holders:
                continue
            weight = weights.of(feature)
            if len(holders) > max_df:
                skipped += weight
                continue
            for article_id in holders:
                partial[article_id] = partial.get(article_id, 0.0) + weight
        floor = weights.shared_needed(weights.mass(features), self.options.threshold) - skipped
        reachable = [article_id for article_id, score in partial.items() if score >= floor]
        reachable.sort(key=lambda article_id: (-partial[article_id], article_id))
        window = self.options.window_hours * _SECONDS_PER_HOUR
        chosen: list[int] = []
        for article_id in reachable:
            other = self._entries[article_id].published
            if published is None or other is None or abs(published - other) <= window:
                chosen.append(article_id)
                if len(chosen) == self.options.max_candidates:
                    break
        return chosen

    def similarity(self, features_a: Sequence[str], features_b: Sequence[str]) -> float:
        """The score ``query`` would give two feature sets under the index's current
        document frequencies (``query`` also requires the time window and a shared name)."""
        weights = self._weights()
        a, b = set(features_a), set(features_b)
        return weights.score(weights.mass(a & b), weights.mass(a), weights.mass(b))

    def query(self, features: Sequence[str], published: datetime | None) -> list[Match]:
        """Indexed articles in the window at or above the threshold and sharing at least one
        name, best first (ties: lowest id); each Match carries the candidate's story id and
        the similarity."""
        unique = tuple(dict.fromkeys(features))
        if not unique or not self._entries:
            return []
        weights = self._weights()
        query_set = set(unique)
        query_mass = weights.mass(unique)
        matches = []
        for article_id in self._candidates(unique, _timestamp(published), weights):
            entry = self._entries[article_id]
            common = [feature for feature in entry.features if feature in query_set]
            score = weights.score(weights.mass(common), query_mass, weights.mass(entry.features))
            # Figures alone are a coincidence ("a 1.4 mln dlr contract", "1,400,000 dlrs in
            # stock"): a story is about someone, so at least one name must be shared too.
            if score >= self.options.threshold and any(
                feature.startswith(ENTITY_PREFIX) for feature in common
            ):
                matches.append(Match(article_id, entry.story_id, score))
        matches.sort(key=lambda match: (-match.similarity, match.article_id))
        return matches


class _Weights:
    """Squared IDF weights under the index's document frequencies at one moment."""

    __slots__ = ("_cache", "_figure_weight", "_log_documents", "_postings", "_prior_mass")

    def __init__(
        self,
        log_documents: float,
        postings: dict[str, set[int]],
        prior_features: float,
        figure_weight: float,
    ) -> None:
        self._figure_weight = figure_weight
        self._log_documents = log_documents
        self._postings = postings
        # A feature no indexed article has weighs log_documents squared.
        self._prior_mass = prior_features * log_documents * log_documents
        self._cache: dict[str, float] = {}

    def of(self, feature: str) -> float:
        weight = self._cache.get(feature)
        if weight is None:
            holders = self._postings.get(feature)
            idf = self._log_documents - (_log_count(len(holders)) if holders else 0.0)
            weight = idf * idf
            if feature.startswith(FIGURE_PREFIX):
                weight *= self._figure_weight
            self._cache[feature] = weight
        return weight

    def mass(self, features: Iterable[str]) -> float:
        return sum(self.of(feature) for feature in features)

    def score(self, shared: float, mass_a: float, mass_b: float) -> float:
        if shared <= 0.0:
            return 0.0
        denominator = math.sqrt((mass_a + self._prior_mass) * (mass_b + self._prior_mass))
        return min(1.0, shared / denominator)

    def shared_needed(self, query_mass: float, threshold: float) -> float:
        """The least shared mass S with which a candidate could score ``threshold``: its own
        mass is at least S, so its score is at most S / sqrt((q + P)(S + P)); solved for S."""
        c = threshold * threshold * (query_mass + self._prior_mass)
        return (c + math.sqrt(c * c + 4.0 * c * self._prior_mass)) / 2.0 * (1.0 - 1e-9)


@functools.cache
def _log_count(df: int) -> float:
    return math.log(df + 1)
