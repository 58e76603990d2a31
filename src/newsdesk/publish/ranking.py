"""Ranking of stories for "Top insights today". Pure: candidates in, ordered entries out.

A story's base score multiplies three factors:

- recency: exponential decay with a half-life, from the story's newest article;
- coverage: 1 + log2(distinct sources), so the second source counts more than the tenth;
- source weight: the highest editorial weight among the sources covering it.

The list is then filled greedily with sector balance: each story already picked from a
story's main sector multiplies its score by `sector_penalty`, and no sector takes more than
`max_share` of the list while stories from other sectors are left.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from newsdesk.domain.reading import StoryCandidate

NO_SECTOR = ""

__all__ = ["RankedStory", "RankingOptions", "StoryCandidate", "base_score", "rank_stories"]


@dataclass(frozen=True)
class RankingOptions:
    half_life_hours: float = 12.0
    limit: int = 20
    sector_penalty: float = 0.6  # per story already picked from the same main sector
    max_share: float = 0.34  # of the list one sector may fill while others have stories


@dataclass(frozen=True)
class RankedStory:
    candidate: StoryCandidate
    score: float  # the base score, before sector balance
    factors: dict[str, float] = field(default_factory=dict)

    @property
    def main_sector(self) -> str:
        return self.candidate.sectors[0] if self.candidate.sectors else NO_SECTOR


def base_score(candidate: StoryCandidate, now: datetime, options: RankingOptions) -> RankedStory:
    age_hours = max(0.0, (now - candidate.newest).total_seconds() / 3600)
    recency = 0.5 ** (age_hours / options.half_life_hours)
    coverage = 1.0 + math.log2(max(1, candidate.sources))
    weight = max(0.0, candidate.source_weight)
    return RankedStory(
        candidate=candidate,
        score=recency * coverage * weight,
        factors={"recency": recency, "coverage": coverage, "source_weight": weight},
    )


def rank_stories(
    candidates: Iterable[StoryCandidate],
    *,
    now: datetime | None = None,
    options: RankingOptions | None = None,
) -> list[RankedStory]:
    """At most options.limit stories, one entry per story, best first with sectors balanced.

    Ages are measured from `now`, or from the newest candidate when `now` is None: decay is
    exponential, so only differences matter and an idle site still ranks what it has.
    """
    options = options or RankingOptions()
    unique = _one_per_story(candidates)
    if not unique or options.limit <= 0:
        return []
    reference = now or max(candidate.newest for candidate in unique)
    scored = sorted(
        (base_score(candidate, reference, options) for candidate in unique),
        key=lambda ranked: (
            -ranked.score,
            -ranked.candidate.newest.timestamp(),
            -ranked.candidate.story_id,
        ),
    )
    return _balance(scored, options)


def _one_per_story(candidates: Iterable[StoryCandidate]) -> list[StoryCandidate]:
    """Candidates listed twice keep their newest, widest entry."""
    best: dict[int, StoryCandidate] = {}
    for candidate in candidates:
        kept = best.get(candidate.story_id)
        if kept is None or (candidate.newest, candidate.sources) > (kept.newest, kept.sources):
            best[candidate.story_id] = candidate
    return list(best.values())


def _balance(scored: Sequence[RankedStory], options: RankingOptions) -> list[RankedStory]:
    cap = max(1, math.ceil(options.limit * options.max_share))
    # Within one sector the penalty is the same for all, so picks follow base score there:
    # nothing below a sector's first `limit` stories can ever be picked.
    per_sector_seen: dict[str, int] = {}
    remaining: list[RankedStory] = []
    for ranked in scored:
        seen = per_sector_seen.get(ranked.main_sector, 0)
        if seen < options.limit:
            remaining.append(ranked)
            per_sector_seen[ranked.main_sector] = seen + 1
    picked: list[RankedStory] = []
    per_sector: dict[str, int] = {}
    while remaining and len(picked) < options.limit:
        all_capped = all(per_sector.get(r.main_sector, 0) >= cap for r in remaining)
        best_index, best_value = 0, -1.0
        for index, ranked in enumerate(remaining):
            taken = per_sector.get(ranked.main_sector, 0)
            if taken >= cap and not all_capped:
                continue
            value = ranked.score * options.sector_penalty**taken
            if value > best_value:
                best_index, best_value = index, value
        chosen = remaining.pop(best_index)
        picked.append(chosen)
        per_sector[chosen.main_sector] = per_sector.get(chosen.main_sector, 0) + 1
    return picked
