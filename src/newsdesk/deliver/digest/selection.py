"""Which stories go into one subscriber's digest, and why. Pure: no I/O, no clock.

The day's candidates are indexed once (DayIndex); each subscriber's selection is then a
merge of a few short, pre-sorted lists, so selecting for 100,000 subscribers stays cheap.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class CandidateStory:
    """One story active on the digest's day, with what the digest shows about it."""

    story_id: int
    title: str
    summary: str
    sectors: tuple[str, ...]  # sector ids, strongest first
    source_count: int
    entity_ids: frozenset[str]
    lead_url: str  # the first report's own URL
    score: float  # higher ranks first
    last_seen_at: datetime


@dataclass(frozen=True, slots=True)
class DigestItem:
    story: CandidateStory
    why: str  # "In Rare Earths & Commodities · 3 sources" / "Mentions JOGMEC, which you follow"


@dataclass(frozen=True, slots=True)
class Interests:
    sectors: tuple[str, ...]
    entities: tuple[str, ...]


def prominence(source_count: int, article_count: int, best_sector_score: float) -> float:
    """The ranking score: independent sources count most, re-reports a little, fit a little."""
    return (
        math.log2(1 + max(source_count, 1))
        + 0.1 * math.log2(1 + max(article_count, 1))
        + 0.05 * best_sector_score
    )


def _rank_key(story: CandidateStory) -> tuple[float, float, int]:
    return (-story.score, -story.last_seen_at.timestamp(), story.story_id)


@dataclass(frozen=True)
class DayIndex:
    """The day's candidates by sector and by entity, each list best first."""

    by_sector: Mapping[str, Sequence[CandidateStory]]
    by_entity: Mapping[str, Sequence[CandidateStory]]
    sector_names: Mapping[str, str]
    entity_names: Mapping[str, str]
    stories: Sequence[CandidateStory] = field(default=())

    @classmethod
    def build(
        cls,
        candidates: Iterable[CandidateStory],
        *,
        sector_names: Mapping[str, str],
        entity_names: Mapping[str, str],
    ) -> DayIndex:
        ranked = sorted(candidates, key=_rank_key)
        by_sector: dict[str, list[CandidateStory]] = {}
        by_entity: dict[str, list[CandidateStory]] = {}
        for story in ranked:
            for sector in story.sectors:
                by_sector.setdefault(sector, []).append(story)
            for entity in story.entity_ids:
                by_entity.setdefault(entity, []).append(story)
        return cls(by_sector, by_entity, dict(sector_names), dict(entity_names), tuple(ranked))


def plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {words or word + 's'}"


def select_items(
    day: DayIndex,
    interests: Interests,
    *,
    max_stories: int,
    window: tuple[datetime, datetime] | None = None,
) -> tuple[DigestItem, ...] | None:
    """Top max_stories stories in the subscriber's sectors, then up to max_stories more that
    mention a watched entity; one item per story. None when nothing matches (no email).

    window (start inclusive, end exclusive) limits stories by last_seen_at: the 24 hours
    before this subscriber's send instant.
    """

    def in_window(story: CandidateStory) -> bool:
        return window is None or window[0] <= story.last_seen_at < window[1]

    watched = set(interests.entities)
    chosen_sector_ids = set(interests.sectors)
    sector_lists = [day.by_sector.get(s, ()) for s in dict.fromkeys(interests.sectors)]
    seen: set[int] = set()
    items: list[DigestItem] = []
    for story in heapq.merge(*sector_lists, key=_rank_key):
        if len(items) >= max_stories:
            break
        if story.story_id in seen or not in_window(story):
            continue
        seen.add(story.story_id)
        sectors = [day.sector_names.get(s, s) for s in story.sectors if s in chosen_sector_ids]
        why = f"In {_and_list(sectors)} · {plural(story.source_count, 'source')}"
        hits = _watched_names(day, story, watched)
        if hits:
            why += f" · Mentions {hits}"
        items.append(DigestItem(story, why))
    entity_lists = [day.by_entity.get(e, ()) for e in dict.fromkeys(interests.entities)]
    extra = 0
    for story in heapq.merge(*entity_lists, key=_rank_key):
        if extra >= max_stories:
            break
        if story.story_id in seen or not in_window(story):
            continue
        seen.add(story.story_id)
        items.append(
            DigestItem(story, f"Mentions {_watched_names(day, story, watched)}, which you follow")
        )
        extra += 1
    return tuple(items) or None


def _watched_names(day: DayIndex, story: CandidateStory, watched: set[str]) -> str:
    return _and_list(sorted(day.entity_names.get(e, e) for e in story.entity_ids & watched))


def _and_list(names: list[str]) -> str:
    """Names joined for reading: A / A and B / A, B and 1 other / A, B and 3 others."""
    if len(names) <= 2:
        return " and ".join(names)
    return f"{', '.join(names[:2])} and {plural(len(names) - 2, 'other')}"
