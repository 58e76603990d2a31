"""Every paged route answers a cursor it did not make with a 400 when it is malformed (not of
the documented form) and a 404 when it is well formed but names no page: never a 500."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from newsdesk.domain.urlsafe import b64encode
from newsdesk.publish.web.pagination import UNKNOWN_CURSOR

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
WELL_FORMED = [  # URL-safe base64, as documented, but no position of the listing
    b64encode(b'["2026-11-27T07:00:00",1]'),  # a naive time
    b64encode(b'["2026-11-27T07:00:00+00:00",1,1]'),
    b64encode(b"[1e999,1]"),  # a score that is not a number
    b64encode(b'{"t":"2026-11-27T07:00:00+00:00","id":1}'),  # the old shape
    b64encode(b'"\\u0000"'),
    "0" * 512,
]
MALFORMED = ["%FF%FE", "not-a-cursor!", "A" * 513]


@pytest.mark.parametrize("path", PAGED)
@pytest.mark.parametrize("cursor", WELL_FORMED)
def test_a_well_formed_cursor_that_names_no_page_is_a_404(
    demo_client: TestClient, path: str, cursor: str
) -> None:
    separator = "&" if "?" in path else "?"
    response = demo_client.get(f"{path}{separator}cursor={cursor}")
    assert response.status_code == 404, response.text
    if path.startswith("/api/"):
        assert response.json() == {"error": UNKNOWN_CURSOR}
    else:
        assert "unknown cursor" in response.text


@pytest.mark.parametrize("path", PAGED)
@pytest.mark.parametrize("cursor", MALFORMED)
def test_a_malformed_cursor_is_a_400(demo_client: TestClient, path: str, cursor: str) -> None:
    separator = "&" if "?" in path else "?"
    response = demo_client.get(f"{path}{separator}cursor={cursor}")
    assert response.status_code == 400, response.text
    if path.startswith("/api/"):
        assert response.json() == {"error": "invalid cursor"}
    else:
        assert "invalid cursor" in response.text


@pytest.mark.parametrize("path", ["/stories", "/sectors/oil-gas"])
def test_hostile_position_on_story_pages(demo_client: TestClient, path: str) -> None:
    for cursor in WELL_FORMED[:-1]:  # the story pages take at most 512 characters
        assert demo_client.get(f"{path}?after={cursor}").status_code == 404
    for cursor in MALFORMED[:-1]:
        assert demo_client.get(f"{path}?after={cursor}").status_code == 400


def test_a_cursor_of_one_listing_names_no_page_of_another(demo_client: TestClient) -> None:
    by_date = demo_client.get("/api/v1/search?q=oil&sort=date&limit=1").json()["next_cursor"]
    facts = demo_client.get("/api/v1/facts?limit=1").json()["next_cursor"]
    assert by_date and facts
    assert demo_client.get(f"/api/v1/search?q=oil&cursor={by_date}").status_code == 404
    assert demo_client.get(f"/api/v1/articles?cursor={facts}").status_code == 404
    assert demo_client.get(f"/api/v1/facts?cursor={by_date}").status_code == 404
