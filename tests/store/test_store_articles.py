"""ArticleStore behaviour of SqlStore (articles and stories), on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

import newsdesk.store.articles_repo as articles_repo
from newsdesk.domain.models import Article, Source
from newsdesk.store import SqlStore
from newsdesk.store.schema import stories

T0 = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)


def make_article(n: int, source_id: int | None = None, **changes: object) -> Article:
    article = Article(
        source_id=source_id,
        url=f"https://news.example/{n}?utm_source=feed",
        canonical_url=f"https://news.example/{n}",
        title=f"Headline {n}",
        text=f"Body of article {n}.",
        guid=f"guid-{n}",
        html=f"<p>Body of article {n}.</p>",
        authors=("Ada Lovelace", "Grace Hopper"),
        published=T0 + timedelta(hours=n),
        updated=T0 + timedelta(hours=n, minutes=5),
        language="en",
        site_name="News Example",
        image=f"https://news.example/{n}.jpg",
        content_hash=f"hash-{n}",
        fingerprint=bytes([n % 256]) * 16,
        fetched_at=T0,
        revised_at=None,
        extra={"sectors": ["energy"], "score": 0.5},
    )
    return replace(article, **changes)  # type: ignore[arg-type]


@pytest.fixture
def source_id(store: SqlStore) -> int:
    added = store.add_source(Source(url="https://news.example/feed.xml"))
    assert added.id is not None
    return added.id


def test_insert_returns_id_and_every_field_round_trips(store: SqlStore, source_id: int) -> None:
    saved = store.save_article(make_article(1, source_id))
    assert saved.id is not None
    assert saved.created_at is not None
    loaded = store.get_article(saved.id)
    assert loaded == saved
    assert loaded is not None
    assert loaded.authors == ("Ada Lovelace", "Grace Hopper")
    assert loaded.extra == {"sectors": ["energy"], "score": 0.5}
    assert loaded.fingerprint == bytes([1]) * 16
    assert loaded.published == T0 + timedelta(hours=1)
    assert loaded.published is not None
    assert loaded.published.tzinfo is UTC


def test_insert_creates_a_story_in_the_same_call(store: SqlStore, source_id: int) -> None:
    saved = store.save_article(make_article(1, source_id))
    assert saved.story_id is not None
    story = store.get_story(saved.story_id)
    assert story is not None
    assert story.title == "Headline 1"
    assert story.article_count == 1
    assert story.first_seen_at == saved.created_at
    assert story.last_seen_at == saved.created_at
    assert store.story_articles(saved.story_id) == [saved]


def test_story_title_overrides_the_article_title(store: SqlStore) -> None:
    saved = store.save_article(make_article(1), story_title="Grid operator warns of shortfall")
    assert saved.story_id is not None
    story = store.get_story(saved.story_id)
    assert story is not None
    assert story.title == "Grid operator warns of shortfall"


def test_joining_an_existing_story_updates_last_seen(store: SqlStore) -> None:
    first = store.save_article(make_article(1, created_at=T0))
    assert first.story_id is not None
    second = store.save_article(
        make_article(2, story_id=first.story_id, created_at=T0 + timedelta(hours=3))
    )
    assert second.story_id == first.story_id
    story = store.get_story(first.story_id)
    assert story is not None
    assert story.article_count == 2
    assert story.first_seen_at == T0
    assert story.last_seen_at == T0 + timedelta(hours=3)
    assert [a.id for a in store.story_articles(first.story_id)] == [first.id, second.id]
    assert len(store.list_stories()) == 1


def test_update_persists_fields_and_keeps_created_at(store: SqlStore, source_id: int) -> None:
    saved = store.save_article(make_article(1, source_id))
    revised = replace(
        saved,
        title="Headline 1 (updated)",
        text="Corrected body.",
        content_hash="hash-1b",
        revised_at=T0 + timedelta(days=1),
        extra={"sectors": ["finance"]},
        created_at=T0 - timedelta(days=365),
    )
    result = store.save_article(revised)
    assert result.id == saved.id
    assert result.story_id == saved.story_id
    assert saved.id is not None
    loaded = store.get_article(saved.id)
    assert loaded is not None
    assert loaded.title == "Headline 1 (updated)"
    assert loaded.text == "Corrected body."
    assert loaded.revised_at == T0 + timedelta(days=1)
    assert loaded.extra == {"sectors": ["finance"]}
    assert loaded.created_at == saved.created_at
    assert store.count_articles() == 1
    assert len(store.list_stories()) == 1


def test_update_without_story_creates_one(store: SqlStore) -> None:
    saved = store.save_article(make_article(1))
    detached = store.save_article(replace(saved, story_id=None), story_title="Split off")
    assert detached.story_id is not None
    assert detached.story_id != saved.story_id
    story = store.get_story(detached.story_id)
    assert story is not None
    assert story.title == "Split off"
    assert [s.id for s in store.list_stories()] == [detached.story_id]  # the old one is empty
    assert saved.story_id is not None
    old = store.get_story(saved.story_id)
    assert old is not None
    assert old.article_count == 0


def test_update_of_a_missing_article_is_an_error(store: SqlStore) -> None:
    with pytest.raises(ValueError, match="does not exist"):
        store.save_article(make_article(1, id=999))
    assert store.list_stories() == []


def test_inserting_a_stored_canonical_url_returns_the_stored_row(store: SqlStore) -> None:
    first = store.save_article(make_article(1))
    again = store.save_article(make_article(1, title="Other title", guid="other-guid"))
    assert again == first
    assert store.count_articles() == 1
    assert len(store.list_stories()) == 1
    # The story made for the new article before its insert turned out a duplicate is gone.
    with store.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(stories)).scalar() == 1


def test_inserting_a_stored_guid_of_the_same_source_returns_the_stored_row(
    store: SqlStore, source_id: int
) -> None:
    first = store.save_article(make_article(1, source_id))
    moved = make_article(1, source_id, canonical_url="https://news.example/moved")
    assert store.save_article(moved) == first
    assert store.count_articles() == 1


def test_the_same_guid_in_two_sources_is_two_articles(store: SqlStore, source_id: int) -> None:
    other = store.add_source(Source(url="https://other.example/feed"))
    store.save_article(make_article(1, source_id, guid="same-guid"))
    store.save_article(make_article(2, other.id, guid="same-guid"))
    assert store.count_articles() == 2


def test_the_article_estimate_counts_a_small_site_exactly_and_stops_counting_beyond(
    store: SqlStore,
) -> None:
    assert store.estimate_articles() == 0
    for n in range(1, 5):
        store.save_article(make_article(n))
    assert store.estimate_articles() == 4
    assert store.estimate_articles(exact_up_to=4) == 4
    # Beyond the bound: never less than it counted (PostgreSQL's statistics may lag behind).
    beyond = store.estimate_articles(exact_up_to=2)
    assert beyond == 4 if store.engine.dialect.name == "sqlite" else beyond in {3, 4}


def test_changing_canonical_url_to_a_taken_one_is_an_error(store: SqlStore) -> None:
    store.save_article(make_article(1))
    second = store.save_article(make_article(2))
    with pytest.raises(ValueError, match="cannot save article"):
        store.save_article(replace(second, canonical_url="https://news.example/1"))


def test_find_article_by_guid_or_canonical_url(store: SqlStore, source_id: int) -> None:
    saved = store.save_article(make_article(1, source_id))
    assert store.find_article(canonical_url="https://news.example/1") == saved
    assert store.find_article(guid="guid-1", source_id=source_id) == saved
    assert store.find_article(guid="guid-1", source_id=source_id + 1) is None
    assert store.find_article(guid="guid-1") is None  # GUIDs belong to a source
    assert (
        store.find_article(guid="unknown", source_id=source_id, canonical_url=saved.canonical_url)
        == saved
    )
    assert store.find_article(canonical_url="https://news.example/2") is None
    with pytest.raises(ValueError, match="needs"):
        store.find_article()


def test_find_article_by_hash_returns_the_earliest(store: SqlStore) -> None:
    first = store.save_article(make_article(1, content_hash="same"))
    store.save_article(make_article(2, content_hash="same"))
    assert store.find_article_by_hash("same") == first
    assert store.find_article_by_hash("missing") is None


def test_list_articles_newest_first_with_filters(store: SqlStore, source_id: int) -> None:
    other = store.add_source(Source(url="https://other.example/feed"))
    for n in (3, 1, 4, 2):
        store.save_article(make_article(n, source_id))
    undated = store.save_article(
        make_article(9, other.id, published=None, created_at=T0 + timedelta(hours=2, minutes=30))
    )
    listed = [a.title for a in store.list_articles()]
    assert listed == ["Headline 4", "Headline 3", "Headline 9", "Headline 2", "Headline 1"]
    assert [a.title for a in store.list_articles(limit=2, offset=1)] == [
        "Headline 3",
        "Headline 9",
    ]
    assert store.list_articles(source_id=other.id) == [undated]
    assert len(store.list_articles(source_id=source_id)) == 4


def test_iter_fingerprints_skips_articles_without_one(
    store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(articles_repo, "_FINGERPRINT_BATCH", 2)  # cross batch boundaries
    saved = [store.save_article(make_article(n)) for n in range(1, 6)]
    store.save_article(make_article(6, fingerprint=b""))
    assert list(store.iter_fingerprints()) == [(a.id, a.story_id, a.fingerprint) for a in saved]


def test_list_stories_most_recent_first(store: SqlStore) -> None:
    old = store.save_article(make_article(1, created_at=T0))
    new = store.save_article(make_article(2, created_at=T0 + timedelta(hours=1)))
    store.save_article(make_article(3, story_id=old.story_id, created_at=T0 + timedelta(hours=2)))
    stories = store.list_stories()
    assert [s.id for s in stories] == [old.story_id, new.story_id]
    assert [s.article_count for s in stories] == [2, 1]
    assert [s.id for s in store.list_stories(limit=1)] == [old.story_id]
    assert store.get_story(12345) is None


def test_deleting_a_source_detaches_its_articles(store: SqlStore, source_id: int) -> None:
    saved = store.save_article(make_article(1, source_id))
    assert store.remove_source(source_id)
    assert saved.id is not None
    detached = store.get_article(saved.id)
    assert detached is not None
    assert detached.source_id is None
    assert detached == replace(saved, source_id=None)
    assert store.count_articles() == 1


def test_recent_articles_oldest_first_and_capped_to_the_newest(store: SqlStore) -> None:
    saved = [store.save_article(make_article(n)) for n in range(1, 8)]
    since = T0 + timedelta(hours=3)  # articles 3..7 are recent
    recent = [a.title for a in store.recent_articles(since)]
    assert recent == [f"Headline {n}" for n in range(3, 8)]
    capped = [a.title for a in store.recent_articles(since, newest=2)]
    assert capped == ["Headline 6", "Headline 7"]
    assert len(list(store.recent_articles(since, newest=50))) == 5
    assert saved[0].id is not None
