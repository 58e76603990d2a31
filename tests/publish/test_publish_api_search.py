"""GET /api/v1/search: JSON hits with escaped, marked snippets and cursor pagination."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


def test_search_api_pages_through_every_hit_once(demo_client: TestClient) -> None:
    seen: list[int] = []
    cursor = None
    for _ in range(20):
        params = {"q": "china", "limit": "5", **({"cursor": cursor} if cursor else {})}
        body = demo_client.get("/api/v1/search", params=params).json()
        assert len(body["items"]) <= 5
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    everything = demo_client.get("/api/v1/search", params={"q": "china", "limit": "100"}).json()
    assert len(seen) > 5
    assert seen == [item["id"] for item in everything["items"]]


def test_search_api_items_carry_marked_html_and_stable_urls(demo_client: TestClient) -> None:
    body = demo_client.get("/api/v1/search", params={"q": "lithium", "sort": "date"}).json()
    assert body["terms"] == ["lithium"] and body["sort"] == "date"
    item = body["items"][0]
    assert item["url"].endswith(f"/articles/{item['id']}")
    assert "<mark>" in item["title_html"] + item["snippet_html"]
    published = [i["published"] for i in body["items"]]
    assert published == sorted(published, reverse=True)


def test_search_api_filters_by_source(demo_client: TestClient) -> None:
    items = demo_client.get("/api/v1/search", params={"q": "china", "limit": "100"}).json()["items"]
    source_id = items[0]["source"]["id"]
    filtered = demo_client.get(
        "/api/v1/search", params={"q": "china", "source": source_id, "limit": "100"}
    ).json()["items"]
    assert filtered and all(i["source"]["id"] == source_id for i in filtered)
    assert len(filtered) < len(items)


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"q": "china", "sort": "1; DROP TABLE articles"}, 400),
        ({"q": "china", "sector": "nope"}, 400),
        ({"q": "china", "to": "2026-13-45"}, 400),
        ({"q": "china", "cursor": "eyJ4IjoxfQ"}, 404),  # valid base64 JSON, wrong fields
        ({"q": "china", "source": "abc"}, 400),
    ],
)
def test_search_api_refuses_bad_parameters_as_json(
    demo_client: TestClient, params: dict[str, str], status: int
) -> None:
    response = demo_client.get("/api/v1/search", params=params)
    assert response.status_code == status
    assert "error" in response.json()


@pytest.mark.parametrize("query", ['"', "NEAR(", "a OR", ")))", "x" * 10_000, ""])
def test_search_api_answers_hostile_queries(demo_client: TestClient, query: str) -> None:
    response = demo_client.get("/api/v1/search", params={"q": query})
    assert response.status_code == 200
    assert isinstance(response.json()["items"], list)


def test_search_api_is_in_the_openapi_document(demo_client: TestClient) -> None:
    paths = demo_client.get("/openapi.json").json()["paths"]
    assert "/api/v1/search" in paths
