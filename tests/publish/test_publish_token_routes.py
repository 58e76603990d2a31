"""Routes whose URL carries a link's credential (signed email links, sign-in links, private feed
tokens): no error of theirs may be kept by any cache, and a link cut short, padded or changed
gets the site's own clear 400, never FastAPI's list of fields (a 422)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient

from newsdesk.config import Settings
from newsdesk.publish.web import create_app
from newsdesk.publish.web.app import BAD_LINK
from newsdesk.publish.web.options import SiteOptions
from newsdesk.publish.web.reader import CurrentReader
from newsdesk.store import SqlStore

LONG = "A" * 10_000  # past every token's limit (4,096 for signed links, 200 for sign-in)
# Each link route answers an unreadable token on its own page, with what to do instead.
OWN_PAGES = {
    "/unsubscribe/weekly-report": "This link is not valid",
    "/unsubscribe/alert": "This link is not valid",
    "/unsubscribe": "This unsubscribe link is not valid",
    "/confirm": "This confirmation link is invalid",
    "/preferences": "This preferences link is not valid",
    "/signin/confirm": "This sign-in link has expired",
}


@pytest.fixture(scope="module")
def client(shared_empty_site: tuple[Any, SqlStore, Settings]) -> TestClient:
    return TestClient(shared_empty_site[0], base_url="https://insights.example")


def _no_store(answer: Any) -> bool:
    return "no-store" in answer.headers.get("cache-control", "")


@pytest.mark.parametrize("path", sorted(OWN_PAGES))
@pytest.mark.parametrize("token", [LONG, "x" * 4097, "a.b"])
def test_an_unreadable_link_gets_its_own_pages_400_and_no_cache_keeps_it(
    client: TestClient, path: str, token: str
) -> None:
    methods = (
        ["GET"] if path in ("/confirm", "/preferences", "/signin/confirm") else ["GET", "POST"]
    )
    for method in methods:
        answer = client.request(method, path, params={"token": token})
        assert answer.status_code == 400, (method, path)
        assert _no_store(answer), (method, path, answer.headers.get("cache-control"))
        assert OWN_PAGES[path] in answer.text, (method, path)
        assert "should have at most" not in answer.text


@pytest.mark.parametrize(
    ("path", "form"),
    [
        ("/confirm", {"token": LONG}),
        ("/preferences", {"token": LONG}),
    ],
)
def test_an_unreadable_token_posted_by_the_links_page_gets_its_400(
    client: TestClient, path: str, form: dict[str, str]
) -> None:
    answer = client.post(path, data=form, headers={"origin": "https://insights.example"})
    assert answer.status_code == 400
    assert _no_store(answer)
    assert OWN_PAGES[path] in answer.text


def test_another_field_past_its_limit_on_a_link_route_is_a_clear_400(client: TestClient) -> None:
    form = {"token": "a.b", "timezone": "Z" * 100}
    answer = client.post("/preferences", data=form, headers={"origin": "https://insights.example"})
    assert answer.status_code == 400
    assert _no_store(answer)
    assert answer.headers["content-type"].startswith("text/html")
    assert BAD_LINK.replace("'", "&#39;") in answer.text
    assert "timezone" not in answer.text.split("<main", 1)[1]  # no list of fields


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", f"/feeds/alerts/{LONG}.xml", 404),
        ("GET", "/feeds/alerts/ndf_unknown.xml", 404),
        ("GET", "/feeds/private/ndp_unknown/top.xml", 404),
        ("GET", f"/feeds/private/{LONG}/sectors/oil-gas.json", 404),
        ("POST", "/feeds/alerts/ndf_unknown.xml", 405),
        ("PUT", "/unsubscribe/weekly-report?token=a.b", 405),
        ("DELETE", "/unsubscribe?token=a.b", 405),
        ("PATCH", "/signin/confirm?token=a.b", 405),
        ("POST", "/signin/confirm?token=a.b", 403),  # no CSRF token: refused before the link
    ],
)
def test_every_error_of_a_token_route_is_no_store(
    client: TestClient, method: str, path: str, status: int
) -> None:
    answer = client.request(method, path)
    assert answer.status_code == status
    assert answer.headers["cache-control"] == "no-store"


def test_errors_elsewhere_keep_their_caching(client: TestClient) -> None:
    missing = client.get("/sectors/no-such-sector")
    assert missing.status_code == 404 and "cache-control" not in missing.headers
    huge = client.get("/api/v1/articles/99999999999")
    assert huge.status_code == 422 and "cache-control" not in huge.headers


def test_the_token_routes_are_found_from_their_parameters(
    shared_empty_site: tuple[Any, SqlStore, Settings],
) -> None:
    patterns = shared_empty_site[0].state.token_paths
    paths = ["/unsubscribe", "/unsubscribe/alert", "/unsubscribe/weekly-report", "/confirm"]
    paths += ["/preferences", "/signin/confirm", "/feeds/alerts/x.xml", "/feeds/private/x/top.xml"]
    for path in paths:
        assert any(p.match(path) for p in patterns), path
    others = ["/", "/articles/1", "/account/alerts/1/remove", "/signin", "/feeds/top.xml"]
    for path in others:
        assert not any(p.match(path) for p in patterns), path


def test_a_token_route_of_the_api_says_so_in_json(
    shared_empty_site: tuple[Any, SqlStore, Settings],
) -> None:
    router = APIRouter()

    @router.get("/api/v1/by-link")
    def by_link(reader: CurrentReader, token: str = "", n: int = 0) -> dict[str, int]:
        return {"n": n}

    app = create_app(shared_empty_site[1], SiteOptions(), routers=[router])
    answer = TestClient(app).get("/api/v1/by-link?token=t&n=many")
    assert answer.status_code == 400
    assert answer.json() == {"error": BAD_LINK}
    assert answer.headers["cache-control"] == "no-store"
