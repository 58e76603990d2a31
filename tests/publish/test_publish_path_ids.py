"""Numeric path ids in one form: /articles/066 is a 301 to /articles/66 (query kept, relative),
/articles/+66, 66.0, %2066, 1_0 (pydantic read it as 10) are 404s, on every route of the app
with an int path parameter (publish's, the sitemaps, the API, other packages' admin pages)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from newsdesk.publish.web.app import app_routes
from newsdesk.publish.web.path_ids import canonical_path, decide_path_ids
from site_fixtures import ADMIN_AUTH


@pytest.mark.parametrize(
    ("text", "action", "canonical"),
    [
        ("66", "serve", None),
        ("0", "serve", None),
        ("2147483648", "serve", None),  # the route's own range check answers it
        ("066", "redirect", "66"),
        ("00", "redirect", "0"),
        ("+66", "not_found", None),
        ("-1", "not_found", None),
        ("66.0", "not_found", None),
        (" 66", "not_found", None),
        ("66 ", "not_found", None),
        ("1_0", "not_found", None),
        ("٦٦", "not_found", None),  # Arabic-Indic digits: int() reads them, a URL should not
        ("６６", "not_found", None),  # fullwidth
        ("", "not_found", None),
        ("0x42", "not_found", None),
        ("0" + "9" * 5000, "redirect", "9" * 5000),  # past int()'s digit limit: no 500
        ("9" * 5000, "serve", None),  # the route's range check answers 422
    ],
)
def test_decide_path_ids(text: str, action: str, canonical: str | None) -> None:
    decision = decide_path_ids({"article_id": text}, may_redirect=True)
    assert decision.action == action
    assert decision.canonical.get("article_id") == canonical


def test_a_non_canonical_id_is_not_found_where_redirecting_is_not_allowed() -> None:
    assert decide_path_ids({"id": "066"}, may_redirect=False).action == "not_found"


def test_canonical_path_rewrites_only_the_id_segments_counted_from_the_end() -> None:
    assert canonical_path("/articles/066", "/articles/{article_id}", {"article_id": "66"}) == (
        "/articles/66"
    )
    assert canonical_path(
        "/sitemaps/articles-00.xml", "/sitemaps/articles-{part}.xml", {"part": "0"}
    ) == ("/sitemaps/articles-0.xml")
    assert canonical_path(
        "/prefix/admin/members/007/grant", "/admin/members/{member_id}/grant", {"member_id": "7"}
    ) == ("/prefix/admin/members/7/grant")


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("/articles/01", "/articles/1"),
        ("/articles/0001?utm=x&a=%2F", "/articles/1?utm=x&a=%2F"),
        ("/stories/01", "/stories/1"),
        ("/sitemaps/articles-00.xml", "/sitemaps/articles-0.xml"),
    ],
)
def test_a_padded_id_redirects_to_its_canonical_path(
    demo_client: TestClient, path: str, location: str
) -> None:
    answer = demo_client.get(path, follow_redirects=False)
    assert answer.status_code == 301
    assert answer.headers["location"] == location
    assert demo_client.get(location).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/articles/+1",
        "/articles/1.0",
        "/articles/%201",
        "/articles/1%20",
        "/articles/1_0",
        "/articles/-1",
        "/articles/abc",
        "/stories/+1",
        "/sitemaps/articles-+0.xml",
        "/api/v1/articles/01",  # the API does not redirect: a client uses the ids it is given
        "/api/v1/articles/+1",
        "/api/v1/stories/1.0",
        # an encoded slash: the canonical rewrite sent these to /1 and /articles-0.xml
        "/articles%2F01",
        "/sitemaps%2Farticles-00.xml",
    ],
)
def test_other_forms_name_nothing(demo_client: TestClient, path: str) -> None:
    answer = demo_client.get(path, follow_redirects=False)
    assert answer.status_code == 404, (path, answer.status_code)
    if path.startswith("/api/"):
        assert answer.json() == {"error": "Not Found"}


def test_a_padded_id_longer_than_int_reads_is_not_a_server_error(demo_client: TestClient) -> None:
    answer = demo_client.get("/articles/0" + "9" * 5000, follow_redirects=False)
    assert answer.status_code == 301
    assert demo_client.get("/api/v1/articles/0" + "9" * 5000).status_code == 404
    assert demo_client.get("/articles/" + "9" * 5000).status_code == 422  # the route's range


def test_other_packages_admin_pages_are_guarded_too(demo_client: TestClient) -> None:
    for path in ("/admin/members/01", "/admin/subscribers/01"):
        answer = demo_client.get(path, auth=ADMIN_AUTH, follow_redirects=False)
        assert answer.status_code == 301 and answer.headers["location"] == path[:-2] + "1"
    assert demo_client.get("/admin/members/+1", auth=ADMIN_AUTH).status_code == 404
    # a POST is never redirected (it would come back as a GET)
    posted = demo_client.post("/admin/members/01/grant", auth=ADMIN_AUTH, follow_redirects=False)
    assert posted.status_code == 404


def test_every_route_with_an_int_path_parameter_is_guarded(demo_client: TestClient) -> None:
    routes = app_routes(demo_client.app.routes)  # type: ignore[attr-defined]
    with_ids = [
        route
        for route in routes
        if any(field.field_info.annotation is int for field in route.dependant.path_params)
    ]
    assert len(with_ids) >= 8
    for route in with_ids:
        padded = route.path_format.replace("{", "0{").format_map(_Ones())
        method = "GET" if "GET" in route.methods else sorted(route.methods)[0]
        answer = demo_client.request(method, padded, auth=ADMIN_AUTH, follow_redirects=False)
        expected = 301 if method == "GET" and not padded.startswith("/api/") else 404
        assert answer.status_code == expected, (method, padded, answer.status_code)


class _Ones(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "1"
