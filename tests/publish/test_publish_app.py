"""The application factory: security headers, error pages, safe redirects, admin auth."""

import pytest
from fastapi.testclient import TestClient

from newsdesk.domain.signing import SigningKeys
from newsdesk.publish.web import SectorInfo, SiteOptions, create_app
from newsdesk.store import open_store


@pytest.fixture
def client(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'site.db'}")
    options = SiteOptions(
        signing=SigningKeys("test-key"),
        admin_password="s3cret-admin-password",
        sectors=(SectorInfo("oil-gas", "Oil & Gas"),),
    )
    with TestClient(create_app(store, options)) as test_client:
        yield test_client
    store.close()


def test_health_answers_with_security_headers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "articles": 0}
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"


def test_unknown_page_is_a_404_page_and_api_gets_json(client):
    page = client.get("/no-such-page")
    assert page.status_code == 404
    assert "text/html" in page.headers["content-type"]
    assert "Not found" in page.text
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code == 404
    assert api.json() == {"error": "Not Found"}


def test_static_assets_are_served(client):
    assert client.get("/static/site.css").status_code == 200
    assert client.get("/static/site.js").status_code == 200


def test_openapi_document_is_published(client):
    assert client.get("/openapi.json").json()["openapi"].startswith("3.")
