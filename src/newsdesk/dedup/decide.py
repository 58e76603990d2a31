"""The pure decision of what to do with an incoming article: store, update, skip or link."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from newsdesk.dedup.near import Match
from newsdesk.domain import Article


class DecisionKind(StrEnum):
    NEW = "new"  # a new article and a new story
    UPDATE = "update"  # same GUID/URL, changed text: update the row, revision time now
    UNCHANGED = "unchanged"  # same GUID/URL, same content: nothing to do
    DUPLICATE = "duplicate"  # the same content is stored under another URL: skip, count it
    RELATED = "related"  # a near-duplicate: a new article row joined to the match's story


@dataclass(frozen=True)
class StoryDecision:
    kind: DecisionKind
    # UPDATE/UNCHANGED: the row found by GUID/URL; DUPLICATE: the stored copy;
    # RELATED: the closest match. None for NEW.
    article_id: int | None = None
    # The story the article belongs to (or joins); None for NEW, which starts a story.
    story_id: int | None = None
    similarity: float | None = None  # RELATED only: the match's estimated similarity


def decide_story(
    *,
    existing_by_key: Article | None,
    existing_by_hash: Article | None,
    near_matches: Sequence[Match],
    new_hash: str,
) -> StoryDecision:
    """Decide from what the store and the near-duplicate index already hold.

    ``existing_by_key`` is the article with the incoming article's GUID (within its source) or
    canonical URL; ``existing_by_hash`` the article with its content hash. The key wins over
    everything: an article that changed keeps its row and its story even if the new text now
    resembles another story. Near matches without a story are ignored, and the best match
    (highest similarity, then lowest article id) is joined whatever order they come in.
    """
    if existing_by_key is not None:
        kind = (
            DecisionKind.UNCHANGED
            if existing_by_key.content_hash == new_hash
            else DecisionKind.UPDATE
        )
        return StoryDecision(kind, existing_by_key.id, existing_by_key.story_id)
    if existing_by_hash is not None:
        return StoryDecision(DecisionKind.DUPLICATE, existing_by_hash.id, existing_by_hash.story_id)
    joinable = [match for match in near_matches if match.story_id is not None]
    if joinable:
        best = min(joinable, key=lambda match: (-match.similarity, match.article_id))
        return StoryDecision(DecisionKind.RELATED, best.article_id, best.story_id, best.similarity)
    return StoryDecision(DecisionKind.NEW)
