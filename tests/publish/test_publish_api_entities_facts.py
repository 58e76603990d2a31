"""GET /api/v1/entities[/{id}[/mentions]] and /api/v1/facts: JSON, stable ids, cursors."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from fastapi.testclient import TestClient

from newsdesk.domain.access import DEFAULT_POLICY, Resource
from site_viewers import as_viewer, use_test_viewers


def all_pages(client: TestClient, path: str, **params: str) -> list[dict[str, object]]:
    items: list[dict[str, object]] = []
    cursor = None
    for _ in range(100):
        body = client.get(path, params={**params, **({"cursor": cursor} if cursor else {})}).json()
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return items
    raise AssertionError("cursor never ended")


def test_entities_api_pages_cover_the_listing_once(demo_client: TestClient) -> None:
    paged = all_pages(demo_client, "/api/v1/entities", limit="25")
    whole = demo_client.get("/api/v1/entities", params={"limit": "100"}).json()["items"]
    assert len(paged) > 25
    assert [e["id"] for e in paged][:100] == [e["id"] for e in whole]
    assert len({e["id"] for e in paged}) == len(paged)
    mentions = [e["mentions"] for e in paged]
    assert mentions == sorted(mentions, reverse=True)
    first = paged[0]
    assert set(first) >= {"id", "name", "type", "aliases", "url", "mentions"}
    assert str(first["url"]).endswith(f"/entities/{first['id']}")


def test_entity_api_has_counts_co_mentions_and_facts(demo_client: TestClient) -> None:
    use_test_viewers(demo_client.app)
    body = demo_client.get("/api/v1/entities/commodity:lithium", headers=as_viewer("pro")).json()
    assert body["id"] == "commodity:lithium" and body["type"] == "commodity"
    assert (
        len(body["weekly_articles"]) == 12
        and sum(w["articles"] for w in body["weekly_articles"]) > 0
    )
    # Without Pro the weeks stop at the free trends window (four weeks back from now): Pro's
    # newest weeks whose Monday is inside it (three on a Monday before the week's first story).
    anonymous = demo_client.get("/api/v1/entities/commodity:lithium").json()
    window = DEFAULT_POLICY.free_window(Resource.TRENDS_HISTORY)
    assert window is not None
    since = datetime.now(UTC) - window
    inside = [
        week
        for week in body["weekly_articles"]
        if datetime.combine(date.fromisoformat(str(week["week"])), time.min, tzinfo=UTC) >= since
    ]
    assert anonymous["weekly_articles"] == inside and 3 <= len(inside) <= 4
    shared = [c["shared_articles"] for c in body["co_mentioned"]]
    assert shared and shared == sorted(shared, reverse=True)
    assert body["facts"]
    for fact in body["facts"]:
        assert "commodity:lithium" in [e["id"] for e in fact["entities"]]
    assert body["mentions_url"].endswith("/api/v1/entities/commodity:lithium/mentions")


def test_entity_mentions_api_is_newest_first_across_pages(demo_client: TestClient) -> None:
    items = all_pages(demo_client, "/api/v1/entities/country:US/mentions", limit="7")
    assert len(items) > 7
    ids = [i["article_id"] for i in items]
    assert len(set(ids)) == len(ids)
    dates = [str(i["published"]) for i in items]
    assert dates == sorted(dates, reverse=True)


def test_facts_api_pages_and_filters(demo_client: TestClient) -> None:
    paged = all_pages(demo_client, "/api/v1/facts", limit="4")
    whole = demo_client.get("/api/v1/facts", params={"limit": "100"}).json()["items"]
    assert len(paged) > 4 and [f["key"] for f in paged][:100] == [f["key"] for f in whole]
    assert len({f["key"] for f in paged}) == len(paged)
    fact = paged[0]
    assert set(fact) >= {
        "key",
        "type",
        "summary",
        "data",
        "entities",
        "sentence",
        "first_report",
        "sources",
    }
    assert fact["first_report"]["url"].endswith(f"/articles/{fact['first_report']['article_id']}")
    investments = demo_client.get("/api/v1/facts", params={"type": "investment"}).json()["items"]
    assert investments and {f["type"] for f in investments} == {"investment"}


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/entities/org:nobody", 404),
        ("/api/v1/entities/org:nobody/mentions", 404),
        ("/api/v1/entities?type=No%20pe", 400),  # not the form of a type
        ("/api/v1/entities?cursor=eyJvIjotNX0", 404),  # {"o":-5}
        ("/api/v1/entities/country:US/mentions?cursor=eyJ0Ijoibm8iLCJpZCI6MX0", 404),
        ("/api/v1/facts?type=rumour", 400),
        ("/api/v1/facts?from=31-12-2026", 400),
        ("/api/v1/facts?cursor=eyJ0Ijoibm8iLCJpZCI6IngifQ", 404),  # {"t":"no","id":"x"}
    ],
)
def test_bad_requests_get_json_errors(demo_client: TestClient, path: str, status: int) -> None:
    response = demo_client.get(path)
    assert response.status_code == status
    assert "error" in response.json()


def test_analysis_api_is_documented(demo_client: TestClient) -> None:
    paths = demo_client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/v1/entities",
        "/api/v1/entities/{entity_id}",
        "/api/v1/entities/{entity_id}/mentions",
        "/api/v1/facts",
        "/api/v1/trends",
    ):
        assert path in paths


def test_an_entity_type_no_entity_has_lists_nothing(demo_client: TestClient) -> None:
    # A well-formed type is valid by the schema: it filters, it is not an error.
    response = demo_client.get("/api/v1/entities?type=nope")
    assert response.status_code == 200
    assert response.json()["items"] == []
    assert demo_client.get("/api/v1/entities?type=country").json()["items"]
