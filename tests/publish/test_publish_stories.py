"""GET /stories and /stories/{id}: every story, and all coverage of one story."""

from __future__ import annotations

from lxml import html


def test_story_page_shows_all_coverage_and_sectors(writable_demo):
    client, store, _ = writable_demo
    story = next(s for s in store.list_stories() if s.article_count >= 3)
    articles = store.story_articles(story.id)
    tree = html.fromstring(client.get(f"/stories/{story.id}").text)
    links = tree.xpath('//ol[@class="coverage"]/li/a/@href')
    assert links == [f"/articles/{a.id}" for a in articles]  # first report first
    sources = {store.get_source(a.source_id).name for a in articles}
    shown = set(tree.xpath('//ol[@class="coverage"]//span[@class="meta muted"]/text()'))
    for name in sources:
        assert any(text.startswith(name) for text in shown), name
    assert "first report" in tree.xpath('string(//ol[@class="coverage"]/li[1])')
    summary = store.get_story(story.id).summary
    assert tree.xpath('string(//p[contains(@class, "story-summary")])') == summary
    labels = store.article_sectors([a.id for a in articles])
    expected = {label.sector_id for labels_of in labels.values() for label in labels_of}
    shown_sectors = {h.rsplit("/", 1)[1] for h in tree.xpath('//ul[@class="tags"]//a/@href')}
    assert shown_sectors == expected
    assert f"{len(articles)} articles from {len(sources)} sources" in tree.xpath(
        'string(//p[contains(@class, "kicker")])'
    )


def test_stories_list_pages_through_every_story(demo_client, monkeypatch):
    from newsdesk.publish.web.routes import stories

    monkeypatch.setattr(stories, "PAGE_SIZE", 7)
    seen: list[str] = []
    path = "/stories"
    for _ in range(100):
        tree = html.fromstring(demo_client.get(path).text)
        rows = tree.xpath('//a[@class="story-row-title"]/@href')
        assert rows and not set(rows) & set(seen)
        seen += rows
        older = tree.xpath('//a[@rel="next"]/@href')
        if not older:
            break
        path = older[0]
    api = demo_client.get("/api/v1/stories?limit=100").json()
    assert seen == [f"/stories/{item['id']}" for item in api["items"]]
    assert len(seen) > 7


def test_missing_story(demo_client):
    assert demo_client.get("/stories/999999").status_code == 404
    assert demo_client.get("/stories/x").status_code == 404  # no id (test_publish_path_ids)
    assert demo_client.get("/stories?after=bm90LWpzb24").status_code == 404  # names no page
