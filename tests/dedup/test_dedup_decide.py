"""The decision table of decide_story, case by case."""

from __future__ import annotations

import itertools

import pytest

from newsdesk.dedup import DecisionKind, Match, StoryDecision, decide_story
from newsdesk.domain import Article

NEW_HASH = "a" * 64


def article(article_id: int, story_id: int | None, content_hash: str) -> Article:
    return Article(
        source_id=1,
        url=f"https://example.com/{article_id}",
        canonical_url=f"https://example.com/{article_id}",
        title="t",
        text="x",
        id=article_id,
        story_id=story_id,
        content_hash=content_hash,
    )


BY_KEY_SAME = article(1, 10, NEW_HASH)
BY_KEY_CHANGED = article(1, 10, "b" * 64)
BY_HASH = article(2, 20, NEW_HASH)
NEAR = [Match(3, 30, 0.8), Match(4, 40, 0.5)]


@pytest.mark.parametrize(
    ("by_key", "by_hash", "near", "expected"),
    [
        (None, None, [], StoryDecision(DecisionKind.NEW)),
        (None, None, NEAR, StoryDecision(DecisionKind.RELATED, 3, 30, 0.8)),
        (None, BY_HASH, [], StoryDecision(DecisionKind.DUPLICATE, 2, 20)),
        (None, BY_HASH, NEAR, StoryDecision(DecisionKind.DUPLICATE, 2, 20)),
        (BY_KEY_SAME, None, [], StoryDecision(DecisionKind.UNCHANGED, 1, 10)),
        (BY_KEY_SAME, None, NEAR, StoryDecision(DecisionKind.UNCHANGED, 1, 10)),
        (BY_KEY_SAME, BY_HASH, [], StoryDecision(DecisionKind.UNCHANGED, 1, 10)),
        (BY_KEY_SAME, BY_HASH, NEAR, StoryDecision(DecisionKind.UNCHANGED, 1, 10)),
        (BY_KEY_CHANGED, None, [], StoryDecision(DecisionKind.UPDATE, 1, 10)),
        (BY_KEY_CHANGED, None, NEAR, StoryDecision(DecisionKind.UPDATE, 1, 10)),
        (BY_KEY_CHANGED, BY_HASH, [], StoryDecision(DecisionKind.UPDATE, 1, 10)),
        (BY_KEY_CHANGED, BY_HASH, NEAR, StoryDecision(DecisionKind.UPDATE, 1, 10)),
    ],
)
def test_decision_table(
    by_key: Article | None, by_hash: Article | None, near: list[Match], expected: StoryDecision
) -> None:
    decision = decide_story(
        existing_by_key=by_key, existing_by_hash=by_hash, near_matches=near, new_hash=NEW_HASH
    )
    assert decision == expected


def test_table_covers_every_combination() -> None:
    kinds = {
        decide_story(existing_by_key=k, existing_by_hash=h, near_matches=n, new_hash=NEW_HASH).kind
        for k, h, n in itertools.product(
            [None, BY_KEY_SAME, BY_KEY_CHANGED], [None, BY_HASH], [[], NEAR]
        )
    }
    assert kinds == set(DecisionKind)


def test_related_joins_the_best_match_whatever_the_order() -> None:
    matches = [Match(4, 40, 0.5), Match(9, 90, 0.8), Match(3, 30, 0.8)]
    decision = decide_story(
        existing_by_key=None, existing_by_hash=None, near_matches=matches, new_hash=NEW_HASH
    )
    assert decision == StoryDecision(DecisionKind.RELATED, 3, 30, 0.8)


def test_matches_without_a_story_are_not_joined() -> None:
    only_orphans = [Match(5, None, 0.9)]
    decision = decide_story(
        existing_by_key=None, existing_by_hash=None, near_matches=only_orphans, new_hash=NEW_HASH
    )
    assert decision == StoryDecision(DecisionKind.NEW)

    mixed = [Match(5, None, 0.9), Match(6, 60, 0.4)]
    decision = decide_story(
        existing_by_key=None, existing_by_hash=None, near_matches=mixed, new_hash=NEW_HASH
    )
    assert decision == StoryDecision(DecisionKind.RELATED, 6, 60, 0.4)


def test_stored_row_without_hash_counts_as_changed() -> None:
    legacy = article(1, 10, "")
    decision = decide_story(
        existing_by_key=legacy, existing_by_hash=None, near_matches=[], new_hash=NEW_HASH
    )
    assert decision.kind is DecisionKind.UPDATE
