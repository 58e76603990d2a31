"""Ranking for "Top insights today": recency, coverage, source weight, sector balance."""

from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.publish.ranking import RankingOptions, StoryCandidate, base_score, rank_stories

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def story(story_id, *, hours_ago=1.0, sources=1, weight=1.0, sectors=("oil-gas",)):
    return StoryCandidate(
        story_id=story_id,
        title=f"story {story_id}",
        newest=NOW - timedelta(hours=hours_ago),
        sources=sources,
        source_weight=weight,
        sectors=sectors,
    )


def ids(ranked):
    return [entry.candidate.story_id for entry in ranked]


def test_newer_story_beats_older_one_with_the_same_coverage():
    ranked = rank_stories([story(1, hours_ago=30), story(2, hours_ago=2)], now=NOW)
    assert ids(ranked) == [2, 1]


def test_recency_halves_every_half_life():
    options = RankingOptions(half_life_hours=10)
    fresh = base_score(story(1, hours_ago=0), NOW, options)
    older = base_score(story(1, hours_ago=10), NOW, options)
    assert older.score == pytest.approx(fresh.score / 2)


def test_wider_coverage_beats_a_slightly_newer_single_source_story():
    ranked = rank_stories([story(1, hours_ago=1), story(2, hours_ago=3, sources=4)], now=NOW)
    assert ids(ranked) == [2, 1]


def test_coverage_has_diminishing_returns():
    options = RankingOptions()
    one, two, ten = (base_score(story(1, sources=n), NOW, options).score for n in (1, 2, 10))
    assert two - one > (ten - two) / 8


def test_source_weight_scales_the_score():
    ranked = rank_stories([story(1, weight=1.0), story(2, weight=2.5, hours_ago=6)], now=NOW)
    assert ids(ranked) == [2, 1]
    zero = rank_stories([story(3, weight=-4)], now=NOW)
    assert zero[0].score == 0.0


def test_one_entry_per_story_keeping_its_newest_and_widest_form():
    ranked = rank_stories(
        [story(7, hours_ago=20), story(7, hours_ago=1, sources=3), story(8, hours_ago=5)], now=NOW
    )
    assert ids(ranked) == [7, 8]
    assert ranked[0].candidate.sources == 3


def test_one_sector_cannot_fill_the_list():
    oil = [story(i, hours_ago=0.1 * i, sources=5) for i in range(1, 31)]
    others = [story(100 + i, hours_ago=20, sectors=(s,)) for i, s in enumerate(["power", "metals"])]
    ranked = rank_stories(oil + others, now=NOW, options=RankingOptions(limit=10))
    assert len(ranked) == 10
    assert 100 in ids(ranked) and 101 in ids(ranked)
    assert sum(1 for entry in ranked if entry.main_sector == "oil-gas") == 8


def test_sector_balance_caps_a_sector_while_others_have_stories():
    oil = [story(i, hours_ago=0.1 * i, sources=5) for i in range(1, 31)]
    others = [
        story(100 + i, hours_ago=30 + i, sectors=(s,))
        for i, s in enumerate(["power", "metals", "agri", "shipping", "chemicals", "finance"])
        for _ in range(1)
    ] + [story(200 + i, hours_ago=40 + i, sectors=("power",)) for i in range(10)]
    ranked = rank_stories(oil + others, now=NOW, options=RankingOptions(limit=10, max_share=0.3))
    per_sector: dict[str, int] = {}
    for entry in ranked:
        per_sector[entry.main_sector] = per_sector.get(entry.main_sector, 0) + 1
    assert max(per_sector.values()) <= 3
    assert ids(ranked)[0] == 1  # the best story still leads


def test_a_single_sector_still_fills_the_list_when_nothing_else_exists():
    ranked = rank_stories([story(i) for i in range(1, 6)], now=NOW, options=RankingOptions(limit=4))
    assert len(ranked) == 4


def test_stories_without_sectors_are_ranked_too():
    ranked = rank_stories([story(1, sectors=()), story(2, hours_ago=5)], now=NOW)
    assert ids(ranked) == [1, 2]
    assert ranked[0].main_sector == ""


def test_without_now_ages_count_from_the_newest_candidate():
    old = [story(1, hours_ago=24 * 365 * 40), story(2, hours_ago=24 * 365 * 40 + 6, sources=3)]
    ranked = rank_stories(old)
    assert ids(ranked) == [2, 1]
    assert ranked[1].score > 0  # no underflow for an archive decades old


def test_future_dates_do_not_boost_beyond_fresh():
    ranked = rank_stories([story(1, hours_ago=-48), story(2, hours_ago=0)], now=NOW)
    assert ranked[0].factors["recency"] == 1.0


def test_ties_are_broken_by_newest_then_highest_id():
    ranked = rank_stories([story(1), story(2), story(3, hours_ago=0.5)], now=NOW)
    assert ids(ranked) == [3, 2, 1]


def test_empty_and_zero_limit():
    assert rank_stories([], now=NOW) == []
    assert rank_stories([story(1)], now=NOW, options=RankingOptions(limit=0)) == []
