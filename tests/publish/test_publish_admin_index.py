"""GET /admin: the operator's way in, listing the admin pages this site serves."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from newsdesk.publish.web.routes.admin_index import admin_pages
from site_fixtures import ADMIN_AUTH


def test_the_index_links_every_admin_page_and_each_answers(demo_client: TestClient) -> None:
    page = demo_client.get("/admin", auth=ADMIN_AUTH)
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    links = re.findall(r'<li><a href="(/admin/[^"]+)">', page.text)
    for expected in ("/admin/analysis", "/admin/members", "/admin/subscribers", "/admin/leads"):
        assert expected in links
    for link in links:
        assert demo_client.get(link, auth=ADMIN_AUTH).status_code == 200, link
    assert "House analysis" in page.text
    assert "Members" in page.text


def test_the_index_asks_for_the_admin_password(demo_client: TestClient) -> None:
    assert demo_client.get("/admin").status_code == 401
    assert demo_client.get("/admin", auth=("admin", "not the password")).status_code == 401


def test_without_an_admin_password_there_is_no_index(
    empty_site: Callable[..., tuple[Any, Any, Any]],
) -> None:
    app, _, _ = empty_site(admin_password="")
    with TestClient(app) as client:
        assert client.get("/admin").status_code == 404


def test_pages_with_an_id_or_a_new_form_are_not_listed_and_unknown_pages_come_last() -> None:
    pages = admin_pages(
        [
            "/admin/zeta",
            "/admin/members/{member_id}",
            "/admin/analysis/new",
            "/admin/leads",
            "/admin/analysis",
            "/articles",
            "/admin",
        ]
    )
    assert [p.path for p in pages] == ["/admin/analysis", "/admin/leads", "/admin/zeta"]
    assert pages[-1].title == "/admin/zeta"
    assert pages[-1].description == ""
