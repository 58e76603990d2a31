"""HEAD answers as GET would, without the body: link checkers, crawlers and uptime monitors ask
with HEAD, and a 405 there reads as a broken site."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

PAGES = [
    "/",
    "/sectors/oil-gas",
    "/search?q=lithium",
    "/facts",
    "/entities",
    "/trends",
    "/feeds/top.json",
    "/feeds/entities/commodity:lithium.xml",
    "/api/v1/articles?limit=5",
    "/api/v1/search?q=lithium",
    "/openapi.json",
    "/healthz",
    "/robots.txt",
    "/favicon.ico",
    "/static/favicon.svg",
    "/sectors/not-a-sector",  # a 404 is a 404 to HEAD too
    "/api/v1/articles?cursor=not-a-cursor!",  # and a 400 a 400
]


@pytest.mark.parametrize("path", PAGES)
def test_head_answers_like_get_without_a_body(demo_client: TestClient, path: str) -> None:
    got = demo_client.get(path)
    head = demo_client.head(path)
    assert head.status_code == got.status_code
    assert head.content == b""
    for name in ("content-type", "content-length", "cache-control", "vary"):
        assert head.headers.get(name) == got.headers.get(name), name
    assert "content-security-policy" in head.headers


def test_head_of_an_article_page_and_its_validator(demo_client: TestClient) -> None:
    article_id = demo_client.get("/api/v1/articles?limit=1").json()["items"][0]["id"]
    got = demo_client.get(f"/articles/{article_id}")
    head = demo_client.head(f"/articles/{article_id}")
    assert (head.status_code, head.content) == (200, b"")
    assert head.headers["etag"] == got.headers["etag"]
    again = demo_client.head(
        f"/articles/{article_id}", headers={"If-None-Match": got.headers["etag"]}
    )
    assert again.status_code == 304


def test_head_of_a_form_only_route_is_refused_as_get_is(demo_client: TestClient) -> None:
    assert demo_client.head("/subscribe").status_code == demo_client.get("/subscribe").status_code
    assert demo_client.head("/api/v1/subscribe").status_code == 405
