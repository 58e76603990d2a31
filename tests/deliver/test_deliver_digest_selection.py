"""Which stories a subscriber's digest holds, in which order, and the "why you got this"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsdesk.deliver.digest.selection import (
    CandidateStory,
    DayIndex,
    Interests,
    prominence,
    select_items,
)

T = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
NAMES = {"mining": "Rare Earths & Commodities", "energy": "Oil & Gas", "power": "Power"}
ENTITIES = {"org:jogmec": "JOGMEC", "org:epangelo": "Epangelo", "org:eu": "European Union"}


def story(
    story_id: int,
    *,
    sectors: tuple[str, ...] = ("mining",),
    sources: int = 1,
    entities: tuple[str, ...] = (),
    seen: datetime = T,
) -> CandidateStory:
    return CandidateStory(
        story_id=story_id,
        title=f"Story {story_id}",
        summary="A summary.",
        sectors=sectors,
        source_count=sources,
        entity_ids=frozenset(entities),
        lead_url=f"https://pub.example/{story_id}",
        score=prominence(sources, sources, 0.9),
        last_seen_at=seen,
    )


def index(*stories: CandidateStory) -> DayIndex:
    return DayIndex.build(stories, sector_names=NAMES, entity_names=ENTITIES)


def test_top_stories_in_the_subscribers_sectors_best_first_capped() -> None:
    day = index(*(story(n, sources=n) for n in range(1, 9)), story(50, sectors=("energy",)))
    items = select_items(day, Interests(("mining",), ()), max_stories=5)
    assert items is not None
    assert [i.story.story_id for i in items] == [8, 7, 6, 5, 4]
    assert items[0].why == "In Rare Earths & Commodities · 8 sources"


def test_a_story_in_two_chosen_sectors_appears_once() -> None:
    day = index(story(1, sectors=("mining", "energy"), sources=3), story(2, sectors=("energy",)))
    items = select_items(day, Interests(("energy", "mining"), ()), max_stories=5)
    assert items is not None
    assert [i.story.story_id for i in items] == [1, 2]
    assert items[0].why == "In Rare Earths & Commodities and Oil & Gas · 3 sources"
    assert items[1].why == "In Oil & Gas · 1 source"


def test_watched_entity_hits_outside_the_sectors_are_added_with_their_reason() -> None:
    day = index(
        story(1, sources=2),
        story(2, sectors=("power",), entities=("org:jogmec",)),
        story(3, sectors=("power",), entities=("org:eu",)),
    )
    items = select_items(day, Interests(("mining",), ("org:jogmec",)), max_stories=5)
    assert items is not None
    assert [(i.story.story_id, i.why) for i in items] == [
        (1, "In Rare Earths & Commodities · 2 sources"),
        (2, "Mentions JOGMEC, which you follow"),
    ]


def test_an_item_in_the_sectors_that_also_mentions_a_watched_entity_says_both() -> None:
    day = index(story(1, entities=("org:jogmec", "org:epangelo")))
    items = select_items(day, Interests(("mining",), ("org:jogmec", "org:epangelo")), max_stories=5)
    assert items is not None and len(items) == 1
    assert items[0].why == "In Rare Earths & Commodities · 1 source · Mentions Epangelo and JOGMEC"


def test_nothing_in_the_sectors_or_entities_means_no_digest() -> None:
    day = index(story(1, sectors=("energy",)), story(2, sectors=("power",), entities=("org:eu",)))
    assert select_items(day, Interests(("mining",), ("org:jogmec",)), max_stories=5) is None
    assert select_items(index(), Interests(("mining",), ()), max_stories=5) is None
    assert select_items(day, Interests((), ()), max_stories=5) is None


def test_the_window_keeps_only_stories_active_in_the_24_hours_before_the_send() -> None:
    old = story(1, sources=5, seen=T - timedelta(hours=30))
    fresh = story(2, seen=T - timedelta(hours=2))
    late = story(3, sources=9, seen=T + timedelta(minutes=1))
    items = select_items(
        index(old, fresh, late),
        Interests(("mining",), ()),
        max_stories=5,
        window=(T - timedelta(hours=24), T),
    )
    assert items is not None
    assert [i.story.story_id for i in items] == [2]


def test_more_sources_rank_higher_and_ties_go_to_the_most_recent() -> None:
    assert prominence(3, 3, 0.6) > prominence(2, 6, 1.0)
    day = index(story(1, seen=T - timedelta(hours=3)), story(2, seen=T - timedelta(hours=1)))
    items = select_items(day, Interests(("mining",), ()), max_stories=1)
    assert items is not None and [i.story.story_id for i in items] == [2]
