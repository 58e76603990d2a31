"""Request quotas on full-text pages and the API: per client address for anonymous readers,
per member (session or private feed) and per API key for everyone else, Pro beyond the free
quota; a refused request is a 429 with Retry-After. The quotas here are the defaults scaled
down (NEWSDESK_PRO_QUOTA_SCALE) so a few requests reach them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient

from newsdesk.domain.access import DEFAULT_QUOTAS, QuotaSurface, QuotaTier
from newsdesk.publish.web import create_app
from newsdesk.publish.web.options import SiteOptions
from newsdesk.store import open_store
from site_fixtures import site_settings
from site_viewers import as_viewer, feed_token

SCALE = 0.01


def allowed(surface: QuotaSurface, tier: QuotaTier) -> int:
    return max(1, round(DEFAULT_QUOTAS[(surface, tier)].requests * SCALE))


@pytest.fixture
def quota_client(demo_copy: Path) -> Iterator[TestClient]:
    from newsdesk.bootstrap import build_site

    settings = site_settings(demo_copy, pro_quota_scale=SCALE)
    store = open_store(settings.store.sqlalchemy_url)
    try:
        with TestClient(build_site(settings, store)) as client:
            yield client
    finally:
        store.close()


def spend(client: TestClient, path: str, times: int, headers: dict[str, str]) -> None:
    for n in range(times):
        response = client.get(path, headers=headers)
        assert response.status_code == 200, (n, response.status_code, response.text[:200])


def test_anonymous_full_text_pages_are_counted_per_address(quota_client: TestClient) -> None:
    limit = allowed(QuotaSurface.PAGES, QuotaTier.ANONYMOUS)
    spend(quota_client, "/articles/1", limit, {})
    refused = quota_client.get("/articles/2")
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1
    assert "sign in" in refused.text and "Cookie" in refused.headers["vary"]
    assert quota_client.get("/").status_code == 200  # listings carry previews: not counted
    # A member at the same address counts on their own, with the free members' quota.
    spend(
        quota_client, "/articles/2", allowed(QuotaSurface.PAGES, QuotaTier.FREE), as_viewer("free")
    )
    assert quota_client.get("/articles/3", headers=as_viewer("free")).status_code == 429
    # Private feeds count as their member's full-text pages.
    assert quota_client.get(f"/feeds/private/{feed_token('free')}/top.xml").status_code == 429
    # Pro goes beyond the free quota.
    spend(
        quota_client,
        "/articles/3",
        allowed(QuotaSurface.PAGES, QuotaTier.FREE) + 1,
        as_viewer("pro"),
    )


def test_api_quota_per_key_and_pro_beyond_the_free_quota(quota_client: TestClient) -> None:
    spend(quota_client, "/api/v1/stories", allowed(QuotaSurface.API, QuotaTier.ANONYMOUS), {})
    refused = quota_client.get("/api/v1/stories")
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    assert refused.json()["error"].startswith("Too many requests")
    free = allowed(QuotaSurface.API, QuotaTier.FREE)
    spend(quota_client, "/api/v1/stories", free, as_viewer("free key"))
    assert quota_client.get("/api/v1/stories", headers=as_viewer("free key")).status_code == 429
    # Another key (Pro) is counted on its own and gets more than the free quota.
    spend(quota_client, "/api/v1/stories", free + 1, as_viewer("pro key"))
    # Pages and the API are separate quotas.
    assert quota_client.get("/articles/1", headers=as_viewer("free key")).status_code == 200


def test_every_api_route_of_the_document_counts_against_the_api_quota(
    quota_client: TestClient,
) -> None:
    """Driven by /openapi.json: a route added to the API is in this test without a line here.
    The anonymous API quota is one request at this scale; each route is asked from an address
    of its own, so its second request is refused exactly when its first was counted."""
    assert allowed(QuotaSurface.API, QuotaTier.ANONYMOUS) == 1
    document = quota_client.get("/openapi.json").json()
    operations = [
        (method, path)
        for path, methods in document["paths"].items()
        for method in methods
        if method in {"get", "post", "put", "patch", "delete"}
    ]
    assert len(operations) >= 18 and all(p.startswith("/api/") for _, p in operations)
    for n, (method, path) in enumerate(operations):
        url = re.sub(r"\{[^}]+\}", "1", path)  # any value: a 404 or 422 is counted too
        client = TestClient(quota_client.app, client=(f"192.0.2.{n + 1}", 50000))
        first = client.request(method, url, json={} if method != "get" else None)
        assert first.status_code != 429, (method, path)
        second = client.request(method, url, json={} if method != "get" else None)
        assert second.status_code == 429, (method, path, second.status_code)
        assert int(second.headers["retry-after"]) >= 1


def test_the_app_refuses_an_api_route_that_would_not_count(demo_copy: Path) -> None:
    """A route under the API (or a full-text page) that never asks CurrentReader would escape
    every quota: create_app does not build such an app."""
    forgetful = APIRouter()

    @forgetful.get("/api/v1/forgotten")
    def forgotten() -> dict[str, str]:
        return {}

    store = open_store(site_settings(demo_copy).store.sqlalchemy_url)
    try:
        options = SiteOptions()
        with pytest.raises(ValueError, match="GET /api/v1/forgotten"):
            create_app(store, options, routers=[forgetful])
        create_app(store, options)  # the site's own routes all count
    finally:
        store.close()
