"""SiteRepository: the reading pages' queries, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from newsdesk.domain import Article, Source, utcnow
from newsdesk.domain.enrichment import (
    Enrichment,
    EntityRecord,
    FactRecord,
    MentionRecord,
    RelatedLink,
    SectorLabel,
)

NOW = utcnow()


def add_article(store, source, slug, *, hours_ago, story_id=None, published=True, **extra):
    return store.save_article(
        Article(
            source_id=source.id if source else None,
            url=f"https://news.example/{slug}",
            canonical_url=f"https://news.example/{slug}",
            title=f"Title {slug}",
            text=f"Text of {slug}.\n\nSecond paragraph.",
            published=NOW - timedelta(hours=hours_ago) if published else None,
            story_id=story_id,
            **extra,
        )
    )


def label(store, article, *sectors, related=(), summary=""):
    store.save_enrichment(
        Enrichment(
            article_id=article.id,
            version="t",
            summary=summary,
            sectors=tuple(SectorLabel(s, score) for s, score in sectors),
            related=tuple(RelatedLink(r.id, 0.5, f"because {r.id}") for r in related),
        )
    )


def sources(store):
    wire = store.add_source(Source(url="https://wire.example/f", name="Wire", weight=2.0))
    daily = store.add_source(Source(url="https://daily.example/f", name="Daily", weight=1.0))
    return wire, daily


def test_story_candidates_count_coverage_weight_and_sectors(store):
    wire, daily = sources(store)
    lead = add_article(store, wire, "a1", hours_ago=5)
    copy = add_article(store, daily, "a2", hours_ago=2, story_id=lead.story_id)
    single = add_article(store, daily, "b1", hours_ago=1)
    add_article(store, daily, "old", hours_ago=24 * 5)
    future = add_article(store, daily, "future", hours_ago=-24 * 30)
    label(store, lead, ("oil-gas", 0.9), ("mining-metals", 0.6))
    label(store, copy, ("mining-metals", 0.8), ("esg-renewables", 0.3))
    label(store, single, ("esg-renewables", 0.7))
    candidates = {c.story_id: c for c in store.story_candidates(NOW - timedelta(hours=48))}
    assert set(candidates) == {lead.story_id, single.story_id, future.story_id}
    story = candidates[lead.story_id]
    assert story.sources == 2 and story.articles == 2 and story.source_weight == 2.0
    assert story.sectors == ("mining-metals", "oil-gas")  # summed scores; 0.3 does not count
    assert abs((story.newest - (NOW - timedelta(hours=2))).total_seconds()) < 1
    # A date after the article was stored counts as the stored time.
    assert candidates[future.story_id].newest <= utcnow()
    assert store.newest_article_time() > NOW + timedelta(days=29)


def test_article_briefs_page_dated_then_undated_and_filter_by_sector(store):
    wire, daily = sources(store)
    dated = [add_article(store, wire, f"d{i}", hours_ago=i) for i in range(5)]
    undated = [add_article(store, daily, f"u{i}", hours_ago=0, published=False) for i in range(3)]
    seen, after = [], None
    while True:
        page = store.list_article_briefs(cursor=after, limit=3)
        seen += [brief.id for brief in page.items]
        if page.next_cursor is None:
            break
        after = page.next_cursor
    assert seen == [a.id for a in dated] + [a.id for a in reversed(undated)]
    label(store, dated[1], ("oil-gas", 0.9))
    label(store, dated[2], ("oil-gas", 0.4))
    label(store, undated[0], ("oil-gas", 0.8))
    label(store, dated[3], ("oil-gas", 0.9))
    store.set_editor_sectors(dated[3].id, ["power"])
    store.set_editor_sectors(dated[4].id, ["oil-gas"])
    in_oil = store.list_article_briefs(limit=10, sector_id="oil-gas")
    assert [b.id for b in in_oil.items] == [dated[1].id, dated[4].id, undated[0].id]
    assert in_oil.items[0].sectors == ("oil-gas",) and in_oil.items[0].source_name == "Wire"
    from_daily = store.list_article_briefs(limit=10, source_id=daily.id)
    assert {b.id for b in from_daily.items} == {a.id for a in undated}


def test_story_listings_page_by_last_seen_and_sector(store):
    wire, daily = sources(store)
    first = add_article(store, wire, "s1", hours_ago=3)
    add_article(store, daily, "s1-copy", hours_ago=2, story_id=first.story_id)
    others = [add_article(store, daily, f"s{i}", hours_ago=1) for i in range(2, 6)]
    label(store, others[1], ("oil-gas", 0.9))
    label(store, first, ("oil-gas", 0.7))
    seen, after = [], None
    while True:
        page = store.list_story_listings(cursor=after, limit=2)
        seen += list(page.items)
        if page.next_cursor is None:
            break
        after = page.next_cursor
    assert len(seen) == 5 and len({s.id for s in seen}) == 5
    assert [s.last_seen_at for s in seen] == sorted((s.last_seen_at for s in seen), reverse=True)
    story = next(s for s in seen if s.id == first.story_id)
    assert (story.articles, story.sources, story.lead.id) == (2, 2, first.id)
    oil = store.list_story_listings(limit=10, sector_id="oil-gas")
    assert {s.id for s in oil.items} == {first.story_id, others[1].story_id}


def test_article_detail_bundle(store):
    wire, daily = sources(store)
    article = add_article(store, wire, "x", hours_ago=1, authors=("Ann",))
    other = add_article(store, daily, "y", hours_ago=2)
    store.save_enrichment(
        Enrichment(
            article_id=article.id,
            version="t",
            summary="The summary.",
            sectors=(SectorLabel("oil-gas", 0.9), SectorLabel("power", 0.2)),
            entities=(EntityRecord("org:acme", "Acme", "organisation"),),
            mentions=(
                MentionRecord("org:acme", "Acme", 0, 4),
                MentionRecord("org:acme", "Acme", 10, 14),
            ),
            facts=(FactRecord("k1", "investment", {"amount": 5}, "Acme invests.", 0, 13),),
            related=(RelatedLink(other.id, 0.7, "also on Acme"),),
        )
    )
    detail = store.article_detail(article.id)
    assert detail.article.title == "Title x" and detail.source.name == "Wire"
    assert detail.summary == "The summary."
    assert [label.sector_id for label in detail.sectors] == ["oil-gas"]
    assert [(e.entity.name, e.mentions) for e in detail.entities] == [("Acme", 2)]
    assert [(f.key, f.sentence) for f in detail.facts] == [("k1", "Acme invests.")]
    assert [(r.article.id, r.reason, r.article.source_name) for r in detail.related] == [
        (other.id, "also on Acme", "Daily")
    ]
    assert detail.story.id == article.story_id and detail.story.article_count == 1
    assert store.article_detail(999_999) is None


def test_story_detail_and_leads(store):
    wire, daily = sources(store)
    first = add_article(store, wire, "f", hours_ago=5)
    second = add_article(store, daily, "g", hours_ago=1, story_id=first.story_id)
    label(store, second, ("power", 0.8))
    detail = store.story_detail(first.story_id)
    assert [b.id for b in detail.articles] == [first.id, second.id]
    assert detail.sources == 2 and detail.sectors == ("power",)
    assert store.story_leads([first.story_id])[first.story_id].id == first.id
    assert store.story_detail(999_999) is None


def test_source_health_counts_articles_and_recent_ones(store):
    wire, _ = sources(store)
    for i in range(3):
        add_article(store, wire, f"w{i}", hours_ago=24 * 2 * i)  # 0, 2 and 4 days old
    add_article(store, wire, "w-old", hours_ago=24 * 30)
    add_article(store, None, "orphan", hours_ago=1)
    health = {row.source.name: row for row in store.source_health(utcnow(), window_days=7)}
    assert (health["Wire"].articles, health["Wire"].articles_recent) == (4, 3)
    assert health["Wire"].articles_per_day == 3 / 7
    assert (health["Daily"].articles, health["Daily"].last_article_at) == (0, None)
    assert health["Wire"].last_article_at is not None


@pytest.mark.parametrize("sparse_below", [0, 1_000_000], ids=["walk-newest", "from-labels"])
def test_both_sector_strategies_give_the_same_pages(store, monkeypatch, sparse_below):
    from newsdesk.store import site_repo

    monkeypatch.setattr(site_repo, "_SPARSE_SECTOR", sparse_below)
    wire, daily = sources(store)
    made = [add_article(store, wire if i % 2 else daily, f"p{i}", hours_ago=i) for i in range(9)]
    for i, article in enumerate(made):
        if i % 3 != 1:
            label(store, article, ("oil-gas", 0.9 if i % 3 == 0 else 0.55))
    store.set_editor_sectors(made[3].id, ["power"])  # its automatic oil-gas label no longer counts
    expected = [made[i].id for i in (0, 2, 5, 6, 8)]
    seen, after = [], None
    while True:
        page = store.list_article_briefs(cursor=after, limit=2, sector_id="oil-gas")
        seen += [brief.id for brief in page.items]
        if page.next_cursor is None:
            break
        after = page.next_cursor
    assert seen == expected
    stories, after = [], None
    while True:
        story_page = store.list_story_listings(cursor=after, limit=2, sector_id="oil-gas")
        stories += [item.id for item in story_page.items]
        if story_page.next_cursor is None:
            break
        after = story_page.next_cursor
    assert sorted(stories) == sorted(made[i].story_id for i in (0, 2, 5, 6, 8))
