"""/api/v1/articles and /api/v1/articles/{id}: cursor pages, stable ids, typed OpenAPI."""

from __future__ import annotations

from datetime import datetime

import pytest


def walk(client, path, limit):
    items, cursor, pages = [], None, 0
    while True:
        query = f"{path}{'&' if '?' in path else '?'}limit={limit}"
        if cursor:
            query += f"&cursor={cursor}"
        body = client.get(query).json()
        assert len(body["items"]) <= limit
        items += body["items"]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return items, pages


def test_pages_cover_every_article_once_newest_first(demo_client):
    total = demo_client.get("/healthz").json()["articles"]
    items, pages = walk(demo_client, "/api/v1/articles", 7)
    ids = [item["id"] for item in items]
    assert len(ids) == len(set(ids)) == total
    assert pages == -(-total // 7)
    times = [datetime.fromisoformat(item["published"]) for item in items]
    assert times == sorted(times, reverse=True)


def test_ids_are_stable_across_requests(demo_client):
    first = demo_client.get("/api/v1/articles?limit=5").json()
    again = demo_client.get("/api/v1/articles?limit=5").json()
    assert first == again
    second = demo_client.get(f"/api/v1/articles?limit=5&cursor={first['next_cursor']}").json()
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}


def test_undated_articles_come_after_the_dated(writable_demo):
    client, store, _ = writable_demo
    from dataclasses import replace

    undated = [replace(a, published=None) for a in store.list_articles(limit=3)]
    for article in undated:
        store.save_article(article)
    items, _ = walk(client, "/api/v1/articles", 4)
    ids = [item["id"] for item in items]
    assert ids[-3:] == sorted((a.id for a in undated), reverse=True)
    assert len(ids) == len(set(ids)) == store.count_articles()


def test_sector_and_source_filters(demo_client):
    items, _ = walk(demo_client, "/api/v1/articles?sector=oil-gas", 10)
    assert items
    assert all("oil-gas" in [s["id"] for s in item["sectors"]] for item in items)
    everything, _ = walk(demo_client, "/api/v1/articles", 100)
    tagged = [i for i in everything if "oil-gas" in [s["id"] for s in i["sectors"]]]
    assert [i["id"] for i in items] == [i["id"] for i in tagged]
    source_id = everything[0]["source"]["id"]
    from_source, _ = walk(demo_client, f"/api/v1/articles?source={source_id}", 100)
    assert from_source and all(i["source"]["id"] == source_id for i in from_source)


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("sector=nope", 400),
        ("sector=oil-gas' OR '1'='1", 400),
        ("limit=0", 422),
        ("limit=101", 422),
        ("cursor=not-a-cursor", 404),
        ("cursor=eyJ0IjoxLCJpZCI6Mn0", 404),  # {"t":1,"id":2}: wrong types
        ("cursor=eyJ0Ijoibm90IGEgZGF0ZSIsImlkIjoyfQ", 404),  # t is not a date
        ("source=abc", 422),
    ],
)
def test_bad_parameters_are_refused(demo_client, query, status):
    response = demo_client.get(f"/api/v1/articles?{query}")
    assert response.status_code == status
    assert "error" in response.json()


def test_article_detail(writable_demo):
    client, store, _ = writable_demo
    article = next(
        a for a in store.list_articles() if (e := store.get_enrichment(a.id)) and e.related
    )
    enrichment = store.get_enrichment(article.id)
    body = client.get(f"/api/v1/articles/{article.id}").json()
    assert body["id"] == article.id and body["title"] == article.title
    assert body["url"] == article.url and body["link"].endswith(f"/articles/{article.id}")
    assert body["rights"] == "excerpt" and body["body_html"].count("<p>") == 2
    assert body["summary"] == enrichment.summary
    assert [r["article"]["id"] for r in body["related"]] == [
        r.article_id for r in enrichment.related
    ]
    assert [r["reason"] for r in body["related"]] == [r.reason for r in enrichment.related]
    assert {e["id"] for e in body["entities"]} == {m.entity_id for m in enrichment.mentions}
    assert body["story"]["id"] == article.story_id
    source = store.get_source(article.source_id)
    source.rights = "link"
    store.update_source(source)
    linked = client.get(f"/api/v1/articles/{article.id}").json()
    assert linked["rights"] == "link" and linked["body_html"] == ""
    assert client.get("/api/v1/articles/999999").status_code == 404


def test_openapi_documents_the_reading_api(demo_client):
    document = demo_client.get("/openapi.json").json()
    paths = document["paths"]
    for path in (
        "/api/v1/articles",
        "/api/v1/articles/{article_id}",
        "/api/v1/stories",
        "/api/v1/stories/{story_id}",
        "/api/v1/sectors",
        "/api/v1/sectors/{sector_id}/stories",
    ):
        assert "get" in paths[path], path
    schemas = document["components"]["schemas"]
    assert set(schemas["ArticleFull"]["properties"]) >= {"body_html", "rights", "related"}
    listed = paths["/api/v1/articles"]["get"]["responses"]["200"]["content"]["application/json"]
    assert listed["schema"]["$ref"].endswith("/ArticlePage")
    assert not any(path.startswith(("/articles", "/feeds", "/sectors")) for path in paths)


def test_an_editors_sectors_replace_the_automatic_ones_in_filters(writable_demo):
    client, store, _ = writable_demo
    oil, _ = walk(client, "/api/v1/articles?sector=oil-gas", 100)
    corrected, untouched = oil[0]["id"], [item["id"] for item in oil[1:]]
    assert untouched
    store.set_editor_sectors(corrected, ["esg-renewables"])
    oil_after, _ = walk(client, "/api/v1/articles?sector=oil-gas", 100)
    assert [item["id"] for item in oil_after] == untouched
    esg, _ = walk(client, "/api/v1/articles?sector=esg-renewables", 100)
    assert corrected in [item["id"] for item in esg]
    detail = client.get(f"/api/v1/articles/{corrected}").json()
    assert [s["id"] for s in detail["sectors"]] == ["esg-renewables"]
