"""Every paged route refuses a cursor it did not make with a 400, never a 500."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from newsdesk.domain.urlsafe import b64encode

PAGED = [
    "/api/v1/articles",
    "/api/v1/stories",
    "/api/v1/sectors/oil-gas/stories",
    "/api/v1/search?q=oil",
    "/api/v1/search?q=oil&sort=date",
    "/api/v1/facts",
    "/api/v1/entities/country:US/mentions",
    "/api/v1/entities",
    "/search?q=oil",
    "/search?q=oil&sort=date",
    "/facts",
    "/entities/country:US",
]
HOSTILE = [
    b64encode(b'["2026-11-27T07:00:00",1]'),  # a naive time
    b64encode(b'["2026-11-27T07:00:00+00:00",1,1]'),
    b64encode(b"[1e999,1]"),  # a score that is not a number
    b64encode(b'{"t":"2026-11-27T07:00:00+00:00","id":1}'),  # the old shape
    b64encode(b'"\\u0000"'),
    "%FF%FE",
    "not-a-cursor!",
]


@pytest.mark.parametrize("path", PAGED)
@pytest.mark.parametrize("cursor", HOSTILE)
def test_hostile_cursor_is_a_400(demo_client: TestClient, path: str, cursor: str) -> None:
    separator = "&" if "?" in path else "?"
    response = demo_client.get(f"{path}{separator}cursor={cursor}")
    assert response.status_code == 400, response.text
    if path.startswith("/api/"):
        assert response.json() == {"error": "invalid cursor"}
    else:
        assert "invalid cursor" in response.text


@pytest.mark.parametrize("path", ["/stories", "/sectors/oil-gas"])
def test_hostile_position_on_story_pages_is_a_400(demo_client: TestClient, path: str) -> None:
    for cursor in HOSTILE:
        assert demo_client.get(f"{path}?after={cursor}").status_code == 400


def test_a_cursor_of_one_listing_is_refused_by_another(demo_client: TestClient) -> None:
    by_date = demo_client.get("/api/v1/search?q=oil&sort=date&limit=1").json()["next_cursor"]
    facts = demo_client.get("/api/v1/facts?limit=1").json()["next_cursor"]
    assert by_date and facts
    assert demo_client.get(f"/api/v1/search?q=oil&cursor={by_date}").status_code == 400
    assert demo_client.get(f"/api/v1/articles?cursor={facts}").status_code == 400
    assert demo_client.get(f"/api/v1/facts?cursor={by_date}").status_code == 400
