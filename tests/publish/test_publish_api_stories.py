"""/api/v1/stories, /api/v1/stories/{id}, /api/v1/sectors and /api/v1/sectors/{id}/stories."""

from __future__ import annotations

from newsdesk.enrich.sectors.taxonomy import load_taxonomy


def walk(client, path, limit):
    items, cursor = [], None
    while True:
        suffix = f"&cursor={cursor}" if cursor else ""
        body = client.get(f"{path}?limit={limit}{suffix}").json()
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return items


def test_stories_pages_hold_every_story_once(writable_demo):
    client, store, _ = writable_demo
    items = walk(client, "/api/v1/stories", 4)
    ids = [item["id"] for item in items]
    expected = [s.id for s in store.list_stories()]
    assert ids == expected  # most recently seen first, each once
    multi = next(item for item in items if item["articles"] > 1)
    story = store.get_story(multi["id"])
    assert multi["articles"] == story.article_count
    assert multi["lead"]["id"] == store.story_articles(story.id)[0].id
    assert multi["link"].endswith(f"/stories/{story.id}")


def test_story_detail_lists_every_report(writable_demo):
    client, store, _ = writable_demo
    story = next(s for s in store.list_stories() if s.article_count >= 3)
    body = client.get(f"/api/v1/stories/{story.id}").json()
    assert [a["id"] for a in body["articles"]] == [a.id for a in store.story_articles(story.id)]
    assert body["sources"] == len({a.source_id for a in store.story_articles(story.id)})
    assert body["sectors"] and all(set(s) == {"id", "name"} for s in body["sectors"])
    assert body["summary"] == story.summary
    assert client.get("/api/v1/stories/999999").status_code == 404


def test_sectors_list_the_taxonomy_with_links(demo_client):
    body = demo_client.get("/api/v1/sectors").json()
    assert [s["id"] for s in body["items"]] == list(load_taxonomy().ids)
    first = body["items"][0]
    assert first["stories"].endswith(f"/api/v1/sectors/{first['id']}/stories")
    assert set(first["feeds"]) == {"rss", "atom", "json"}


def test_sector_stories_only_hold_the_sector(demo_client):
    items = walk(demo_client, "/api/v1/sectors/evs-battery-tech/stories", 3)
    assert items
    for item in items:
        detail = demo_client.get(f"/api/v1/stories/{item['id']}").json()
        sectors = {s["id"] for a in detail["articles"] for s in a["sectors"]}
        assert "evs-battery-tech" in sectors
    assert demo_client.get("/api/v1/sectors/nope/stories").status_code == 404
    assert demo_client.get("/api/v1/stories?cursor=%%%").status_code == 400
