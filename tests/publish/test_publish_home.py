"""GET /: "Top insights today" on the demo data, one entry per story, sectors balanced."""

from __future__ import annotations

import re
from collections import Counter

from lxml import html


def cards(page: str):
    return html.fromstring(page).xpath('//ol[@class="story-list"]/li/article[@class="story-card"]')


def test_home_lists_top_stories_once_each(demo_client):
    response = demo_client.get("/")
    assert response.status_code == 200
    assert '<h1 id="top-heading">Top insights today</h1>' in response.text
    found = cards(response.text)
    assert 5 <= len(found) <= 20
    story_ids = [card.get("aria-labelledby") for card in found]
    assert len(story_ids) == len(set(story_ids))
    titles = [card.xpath("string(.//*[@class='story-title'])").strip() for card in found]
    assert len(titles) == len(set(titles))  # never two articles of one story


def test_widely_covered_stories_lead(demo_client):
    found = cards(demo_client.get("/").text)
    sources = []
    for card in found:
        link = card.xpath('.//a[contains(text(), "sources")]/text()')
        sources.append(int(re.match(r"(\d+)", link[0]).group(1)) if link else 1)
    # The demo's re-reported stories (three publications each) outrank single reports.
    assert sources[0] == 3
    assert sources.index(1) >= 3


def test_no_sector_fills_the_list(demo_client):
    found = cards(demo_client.get("/").text)
    main_sector = 'string(.//ul[@class="tags"]/li[1]/a/@href)'
    main_sectors = Counter(card.xpath(main_sector) for card in found)
    assert len(main_sectors) >= 4
    assert max(main_sectors.values()) <= 7  # ceil(20 * max_share) while other sectors have stories


def test_cards_link_to_articles_stories_and_sectors(demo_client):
    found = cards(demo_client.get("/").text)
    first = found[0]
    article_link = first.xpath('.//*[@class="story-title"]/a/@href')[0]
    assert re.fullmatch(r"/articles/\d+", article_link)
    assert demo_client.get(article_link).status_code == 200
    story_link = first.xpath('.//a[starts-with(@href, "/stories/")]/@href')[0]
    assert demo_client.get(story_link).status_code == 200
    sector_link = first.xpath('.//a[starts-with(@href, "/sectors/")]/@href')[0]
    assert demo_client.get(sector_link).status_code == 200
    assert first.xpath(".//time/@datetime")


def test_home_advertises_feeds_and_offers_the_digest(demo_client):
    tree = html.fromstring(demo_client.get("/").text)
    feeds = {link.get("type"): link.get("href") for link in tree.xpath('//link[@rel="alternate"]')}
    assert feeds == {
        "application/rss+xml": "/feeds/top.xml",
        "application/atom+xml": "/feeds/top.atom",
        "application/feed+json": "/feeds/top.json",
    }
    form = tree.xpath('//form[@action="/subscribe"]')
    assert form and form[0].xpath('.//input[@name="form"]/@value') == ["home"]


def test_home_page_has_landmarks_and_labels(demo_client):
    tree = html.fromstring(demo_client.get("/").text)
    assert tree.xpath("//header[@role='banner']") and tree.xpath("//main[@id='main']")
    assert tree.xpath("//footer[@role='contentinfo']") and tree.xpath("//nav[@aria-label]")
    for field in tree.xpath("//input[not(@type='hidden')]"):
        field_id = field.get("id")
        labelled = field_id and tree.xpath(f"//label[@for='{field_id}']")
        assert labelled or field.xpath("ancestor::label"), html.tostring(field)


def test_an_empty_site_says_how_to_start(tmp_path):
    from fastapi.testclient import TestClient

    from newsdesk.publish.web import SiteOptions, create_app
    from newsdesk.store import open_store

    store = open_store(f"sqlite:///{tmp_path / 'empty.db'}")
    try:
        with TestClient(create_app(store, SiteOptions())) as client:
            response = client.get("/")
    finally:
        store.close()
    assert response.status_code == 200
    assert "No stories yet" in response.text


def test_top_list_is_cached_then_refreshed(writable_demo, monkeypatch):
    from newsdesk.domain import Article, utcnow
    from newsdesk.publish.web.routes import _reading

    client, store, _ = writable_demo
    assert "Brand-new story" not in client.get("/").text
    store.save_article(
        Article(
            source_id=store.list_sources()[0].id,
            url="https://news.example/new",
            canonical_url="https://news.example/new",
            title="Brand-new story",
            text="Brand-new story text.",
            published=utcnow(),
        )
    )
    assert "Brand-new story" not in client.get("/").text  # within the cache period
    monkeypatch.setattr(_reading, "TOP_CACHE_SECONDS", 0.0)
    client.get("/")  # the expired list is refreshed by this request
    assert "Brand-new story" in client.get("/").text
