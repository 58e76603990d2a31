"""The corpus shipped inside the package meets the demo's requirements and renders."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

import feedparser
import pytest

from newsdesk.demo import SECTOR_IDS, DemoCorpus, load_corpus
from newsdesk.demo.server import build_site

NOW = datetime(2026, 11, 27, 6, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def shipped() -> DemoCorpus:
    return load_corpus(NOW)


def test_size_and_publications(shipped: DemoCorpus) -> None:
    assert len(shipped.articles) >= 60
    assert len(shipped.publications) >= 4
    assert all(shipped.articles_of(p.id) for p in shipped.publications)


def test_every_article_is_150_to_500_words(shipped: DemoCorpus) -> None:
    outside = {
        a.source_file: a.word_count for a in shipped.articles if not 150 <= a.word_count <= 500
    }
    assert outside == {}


def test_every_sector_is_covered_and_fresh(shipped: DemoCorpus) -> None:
    covered = {s for a in shipped.articles for s in a.sectors}
    assert covered == SECTOR_IDS
    fresh = {s for a in shipped.articles if a.age_hours < 24 for s in a.sectors}
    assert fresh == SECTOR_IDS


def test_stories_re_reported_across_publications(shipped: DemoCorpus) -> None:
    publications_by_story: dict[str, set[str]] = defaultdict(set)
    for article in shipped.articles:
        if article.story:
            publications_by_story[article.story].add(article.publication)
    shared = [story for story, pubs in publications_by_story.items() if len(pubs) >= 2]
    assert len(shared) >= 5


def test_dates_within_30_days(shipped: DemoCorpus) -> None:
    assert all(0 <= a.age_hours <= 720 for a in shipped.articles)


def test_whole_site_renders_and_feeds_parse(shipped: DemoCorpus) -> None:
    base = "http://127.0.0.1:8765"
    site = build_site(shipped, base)
    for publication in shipped.publications:
        feed = feedparser.parse(site[f"/{publication.id}/{publication.feed_path}"].body)
        assert not feed.bozo, publication.id
        assert len(feed.entries) == len(shipped.articles_of(publication.id))
        for entry in feed.entries:
            assert entry.link.removeprefix(base) in site
