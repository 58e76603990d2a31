"""The site's icon: pages name it, and /favicon.ico (asked for by crawlers, feed readers and
tabs showing a PDF or JSON) leads to it instead of a 404 on every visit."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from fastapi.testclient import TestClient


def test_favicon_ico_leads_to_the_icon(demo_client: TestClient) -> None:
    answer = demo_client.get("/favicon.ico", follow_redirects=False)
    assert answer.status_code == 301
    assert answer.headers["location"] == "/static/favicon.svg"
    assert "max-age" in answer.headers["cache-control"]
    icon = demo_client.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")
    assert ET.fromstring(icon.content).tag == "{http://www.w3.org/2000/svg}svg"


def test_pages_and_error_pages_name_the_icon(demo_client: TestClient) -> None:
    link = '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">'
    assert link in demo_client.get("/").text
    missing = demo_client.get("/sectors/not-a-sector")
    assert missing.status_code == 404
    assert link in missing.text


def test_favicon_ico_refuses_writes(demo_client: TestClient) -> None:
    assert demo_client.post("/favicon.ico").status_code == 405
