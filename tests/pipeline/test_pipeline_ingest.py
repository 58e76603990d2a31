"""Feeds and pages through the real fetch → parse → extract → dedup → store path."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest_site import FixtureSite
from pipeline_helpers import add_feed, ingest, options_for, sqlite_store
from pipeline_pages import article_page, rss
from pipeline_texts import COPPER, COPPER_REREPORT, GRAIN, LNG

import newsdesk.store.ingest_batch as ingest_batch_module
from newsdesk.domain import Article

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def _publish(site: FixtureSite, prefix: str, stories: dict[str, tuple[str, list[str]]]) -> str:
    items = []
    for n, (slug, (title, paragraphs)) in enumerate(stories.items()):
        url = site.add(f"/{prefix}/{slug}.html", article_page(title, paragraphs))
        items.append({"title": title, "link": url, "published": T0 + timedelta(hours=n)})
    return site.add(f"/{prefix}/feed.xml", rss(items), content_type="application/rss+xml")


def test_ingest_stores_articles_without_boilerplate(site: FixtureSite, tmp_path: Path) -> None:
    feed = _publish(
        site,
        "wire",
        {
            "copper": ("Zambia sells Kansanshi stake for $1.1 billion", COPPER),
            "lng": ("Qatar signs 27-year LNG deal with Sinopec", LNG),
        },
    )
    store = sqlite_store(tmp_path)
    source = add_feed(store, feed, "Wire")
    summary = ingest(store, options_for(site.port))
    assert (summary.new, summary.failed, summary.fetched) == (2, 0, 3)
    articles = {a.title: a for a in store.list_articles()}
    copper = articles["Zambia sells Kansanshi stake for $1.1 billion"]
    assert "215,000 tonnes of copper" in copper.text
    assert "first quarter of next year" in copper.text
    for boilerplate in ("Sign up for Top Insights Today", "Read more insights", "protected !!"):
        assert boilerplate not in copper.text
    assert copper.source_id == source.id
    assert copper.published == T0
    assert copper.story_id is not None
    assert copper.content_hash and copper.fingerprint
    assert copper.canonical_url.endswith("/wire/copper.html")
    assert "<script" not in copper.html
    attempts = store.recent_fetch_attempts(source.id)
    assert len(attempts) == 3 and all(a.status == 200 for a in attempts)
    refreshed = store.get_source(source.id)  # type: ignore[arg-type]
    assert refreshed is not None and refreshed.last_success_at is not None
    assert refreshed.consecutive_failures == 0 and refreshed.etag


def test_second_run_gets_304_and_reprocesses_nothing(site: FixtureSite, tmp_path: Path) -> None:
    feed = _publish(site, "wire", {"grain": ("Egypt buys 420,000 tonnes of wheat", GRAIN)})
    store = sqlite_store(tmp_path)
    add_feed(store, feed)
    ingest(store, options_for(site.port))
    page_hits = site.hits["/wire/grain.html"]
    summary = ingest(store, options_for(site.port))
    assert summary.not_modified == 1
    assert (summary.new, summary.updated, summary.fetched) == (0, 0, 0)
    assert site.hits["/wire/grain.html"] == page_hits
    assert store.count_articles() == 1


def test_summary_charges_cpu_to_every_stage(site: FixtureSite, tmp_path: Path) -> None:
    """The stage table of benchmarks/ingest.py reads these: each stage that ran is there."""
    feed = _publish(site, "wire", {"lng": ("Qatar signs 27-year LNG deal with Sinopec", LNG)})
    store = sqlite_store(tmp_path)
    add_feed(store, feed)
    summary = ingest(store, options_for(site.port))
    assert summary.new == 1
    assert set(summary.cpu_seconds) >= {
        "main: entry check",
        "main: decide and save",
        "main: fetch, feeds, loop",
        "extract: parse",
        "extract: body",
        "extract: metadata",
        "extract: sanitize",
        "extract: digest",
    }
    assert all(seconds >= 0 for seconds in summary.cpu_seconds.values())
    assert summary.as_dict()["cpu_seconds"] == {
        stage: round(seconds, 4) for stage, seconds in sorted(summary.cpu_seconds.items())
    }


def test_an_unchanged_entry_still_leaves_its_page_in_the_fetch_log(
    site: FixtureSite, tmp_path: Path
) -> None:
    """Page fetch log rows travel with the next article saved; those of pages that stored
    nothing are written when the source is done."""
    feed = _publish(
        site,
        "wire",
        {
            "lng": ("Qatar signs 27-year LNG deal with Sinopec", LNG),
            "lng-copy": ("Qatar signs 27-year LNG deal with Sinopec", LNG),  # a duplicate
        },
    )
    store = sqlite_store(tmp_path)
    source = add_feed(store, feed)
    summary = ingest(store, options_for(site.port))
    assert (summary.new, summary.duplicate) == (1, 1)
    urls = sorted(a.url.rsplit("/", 1)[1] for a in store.recent_fetch_attempts(source.id))
    assert urls == ["feed.xml", "lng-copy.html", "lng.html"]


def test_rereport_from_another_source_joins_the_story(site: FixtureSite, tmp_path: Path) -> None:
    first = _publish(site, "a", {"copper": ("Zambia sells Kansanshi stake", COPPER)})
    second = _publish(
        site,
        "b",
        {
            "kansanshi": ("Gulf Minerals buys a fifth of Kansanshi", COPPER_REREPORT),
            "wheat": ("Egypt buys Russian wheat", GRAIN),
        },
    )
    store = sqlite_store(tmp_path)
    add_feed(store, first, "A")
    add_feed(store, second, "B")
    summary = ingest(store, options_for(site.port))
    assert summary.new == 3 and summary.related == 1
    by_title = {a.title: a for a in store.list_articles()}
    assert (
        by_title["Zambia sells Kansanshi stake"].story_id
        == by_title["Gulf Minerals buys a fifth of Kansanshi"].story_id
    )
    assert (
        by_title["Egypt buys Russian wheat"].story_id
        != by_title["Zambia sells Kansanshi stake"].story_id
    )
    story = store.get_story(by_title["Zambia sells Kansanshi stake"].story_id)  # type: ignore[arg-type]
    assert story is not None and story.article_count == 2


def test_exact_copy_under_another_url_is_a_duplicate(site: FixtureSite, tmp_path: Path) -> None:
    first = _publish(site, "a", {"lng": ("Qatar signs LNG deal", LNG)})
    second = _publish(site, "b", {"syndicated-lng": ("Qatar signs LNG deal", LNG)})
    store = sqlite_store(tmp_path)
    add_feed(store, first)
    add_feed(store, second)
    summary = ingest(store, options_for(site.port))
    assert (summary.new, summary.duplicate) == (1, 1)
    assert store.count_articles() == 1


def test_updated_article_revises_its_row(site: FixtureSite, tmp_path: Path) -> None:
    url = site.add("/w/lng.html", article_page("Qatar LNG deal", LNG))
    feed_path = "/w/feed.xml"
    item = {"title": "Qatar LNG deal", "link": url, "guid": "lng-1", "updated": T0.isoformat()}
    site.add(feed_path, rss([item]), content_type="application/rss+xml")
    store = sqlite_store(tmp_path)
    add_feed(store, site.base_url + feed_path)
    ingest(store, options_for(site.port))
    (before,) = store.list_articles()
    assert before.revised_at is None

    changed = [*LNG[:-1], "Update: Sinopec confirmed the first cargo will load in June 2026."]
    site.add("/w/lng.html", article_page("Qatar LNG deal", changed))
    later = {**item, "updated": (T0 + timedelta(hours=3)).isoformat()}
    site.add(feed_path, rss([later]), content_type="application/rss+xml")
    summary = ingest(store, options_for(site.port))
    assert summary.updated == 1 and summary.new == 0
    (after,) = store.list_articles()
    assert after.id == before.id and after.story_id == before.story_id
    assert "first cargo will load in June 2026" in after.text
    assert after.revised_at is not None and after.content_hash != before.content_hash


def test_feed_content_is_used_when_the_page_cannot_be_fetched(
    site: FixtureSite, tmp_path: Path
) -> None:
    content = "".join(f"<p>{p}</p>" for p in GRAIN)
    item = {"title": "Egypt buys wheat", "link": site.base_url + "/gone.html", "content": content}
    feed = site.add("/feed.xml", rss([item]), content_type="application/rss+xml")
    store = sqlite_store(tmp_path)
    add_feed(store, feed)
    summary = ingest(store, options_for(site.port))
    assert summary.new == 1, summary.errors
    (article,) = store.list_articles()
    assert "420,000 tonnes of Russian wheat" in article.text


def test_feed_only_source_never_fetches_pages(site: FixtureSite, tmp_path: Path) -> None:
    page = site.add("/p.html", article_page("Egypt buys wheat", GRAIN))
    content = "".join(f"<p>{p}</p>" for p in GRAIN)
    feed = site.add(
        "/feed.xml",
        rss([{"title": "Egypt buys wheat", "link": page, "content": content}]),
        content_type="application/rss+xml",
    )
    store = sqlite_store(tmp_path)
    add_feed(store, feed, feed_only=True)
    summary = ingest(store, options_for(site.port))
    assert summary.new == 1
    assert "/p.html" not in site.hits


def test_a_failed_save_in_a_batch_costs_only_its_article(
    site: FixtureSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Articles share a transaction; the one whose write fails is rolled back alone."""
    feed = _publish(
        site,
        "wire",
        {
            "copper": ("Zambia sells Kansanshi stake for $1.1 billion", COPPER),
            "lng": ("Qatar signs 27-year LNG deal with Sinopec", LNG),
            "grain": ("Egypt buys 420,000 tonnes of wheat", GRAIN),
        },
    )
    real = ingest_batch_module.save_article_on

    def failing_on_lng(connection: Any, article: Article, **kwargs: Any) -> Article:
        saved = real(connection, article, **kwargs)  # written, then the row is refused
        if article.canonical_url.endswith("/lng.html"):
            raise ValueError("simulated constraint violation")
        return saved

    monkeypatch.setattr(ingest_batch_module, "save_article_on", failing_on_lng)
    store = sqlite_store(tmp_path)
    add_feed(store, feed)
    summary = ingest(store, replace(options_for(site.port), commit_every=100, commit_seconds=60))
    assert (summary.new, summary.failed) == (2, 1)
    stored = sorted(a.canonical_url.rsplit("/", 1)[1] for a in store.list_articles())
    assert stored == ["copper.html", "grain.html"]
