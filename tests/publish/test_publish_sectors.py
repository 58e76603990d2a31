"""GET /sectors/{id}: every taxonomy sector has a page; stories in it, page by page."""

from __future__ import annotations

from lxml import html

from newsdesk.enrich.sectors.taxonomy import load_taxonomy

SECTOR_IDS = load_taxonomy().ids


def test_every_sector_has_a_page(demo_client):
    for sector_id in SECTOR_IDS:
        response = demo_client.get(f"/sectors/{sector_id}")
        assert response.status_code == 200, sector_id
        tree = html.fromstring(response.text)
        current = tree.xpath('//nav[@aria-label="Sectors"]//a[@aria-current="page"]/@href')
        assert current == [f"/sectors/{sector_id}"]


def test_sector_page_lists_only_its_stories(demo_client, demo_data_dir):
    from newsdesk.store import open_store

    tree = html.fromstring(demo_client.get("/sectors/oil-gas").text)
    story_ids = [
        int(href.rsplit("/", 1)[1])
        for href in tree.xpath('//ul[@class="story-rows"]//a[@class="story-row-title"]/@href')
    ]
    assert story_ids
    store = open_store(f"sqlite:///{demo_data_dir / 'newsdesk.db'}", migrate=False)
    try:
        for story_id in story_ids:
            ids = [a.id for a in store.story_articles(story_id)]
            labels = store.article_sectors(ids)
            assert any(
                label.sector_id == "oil-gas" for article in ids for label in labels[article]
            ), story_id
    finally:
        store.close()
    # The top list of the sector only holds stories of the sector too.
    for card in tree.xpath('//article[@class="story-card"]'):
        assert "/sectors/oil-gas" in card.xpath('.//ul[@class="tags"]//a/@href')


def test_sector_page_advertises_its_feeds(demo_client):
    tree = html.fromstring(demo_client.get("/sectors/mining-metals").text)
    hrefs = sorted(tree.xpath('//link[@rel="alternate"]/@href'))
    assert hrefs == [
        "/feeds/sectors/mining-metals.atom",
        "/feeds/sectors/mining-metals.json",
        "/feeds/sectors/mining-metals.xml",
    ]


def test_older_stories_follow_the_cursor(demo_client, monkeypatch):
    from newsdesk.publish.web.routes import sectors

    monkeypatch.setattr(sectors, "PAGE_SIZE", 3)
    seen: list[str] = []
    path = "/sectors/mining-metals"
    for _ in range(50):
        tree = html.fromstring(demo_client.get(path).text)
        rows = tree.xpath('//ul[@class="story-rows"]//a[@class="story-row-title"]/@href')
        assert 1 <= len(rows) <= 3
        assert not set(rows) & set(seen)
        seen += rows
        older = tree.xpath('//a[@rel="next"]/@href')
        if not older:
            break
        path = older[0]
    assert len(seen) > 3  # several pages were walked
    everything = demo_client.get("/api/v1/sectors/mining-metals/stories?limit=100").json()
    assert seen == [f"/stories/{item['id']}" for item in everything["items"]]


def test_unknown_sector_and_bad_cursor(demo_client):
    assert demo_client.get("/sectors/not-a-sector").status_code == 404
    assert demo_client.get("/sectors/oil-gas?after=%%%").status_code == 400
    assert demo_client.get("/sectors/oil-gas?after=" + "A" * 600).status_code == 422
