"""Feeds out for entities and searches: RSS, Atom, JSON Feed; hostile titles stay inert."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from fastapi.testclient import TestClient

from newsdesk.config import Settings
from newsdesk.domain.models import Article
from newsdesk.store import SqlStore

ATOM = "{http://www.w3.org/2005/Atom}"


def test_entity_feeds_in_three_formats(demo_client: TestClient) -> None:
    rss = demo_client.get("/feeds/entities/commodity:lithium.xml")
    assert rss.status_code == 200 and rss.headers["content-type"].startswith("application/rss+xml")
    channel = ET.fromstring(rss.content).find("channel")
    assert channel is not None
    links = [item.findtext("link") for item in channel.findall("item")]
    timeline = demo_client.get(
        "/api/v1/entities/commodity:lithium/mentions", params={"limit": "30"}
    ).json()["items"]
    assert links == [item["url"] for item in timeline]
    atom = ET.fromstring(demo_client.get("/feeds/entities/commodity:lithium.atom").content)
    assert len(atom.findall(f"{ATOM}entry")) == len(links)
    feed = demo_client.get("/feeds/entities/commodity:lithium.json").json()
    assert feed["title"].endswith("lithium") and len(feed["items"]) == len(links)


def test_search_feed_lists_newest_matches(demo_client: TestClient) -> None:
    feed = json.loads(demo_client.get("/feeds/search.json", params={"q": "china"}).content)
    api = demo_client.get("/api/v1/search", params={"q": "china", "sort": "date", "limit": "30"})
    assert [i["url"] for i in feed["items"]] == [i["url"] for i in api.json()["items"]]
    assert all("<mark>" not in i.get("summary", "") for i in feed["items"])
    rss = ET.fromstring(demo_client.get("/feeds/search.xml", params={"q": "china"}).content)
    assert rss.find("channel/item") is not None


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/feeds/search.json", 400),
        ("/feeds/search.json?q=%22*%28", 400),
        ("/feeds/search.html?q=china", 404),
        ("/feeds/entities/org:nobody.xml", 404),
        ("/feeds/entities/commodity:lithium.exe", 404),
    ],
)
def test_feed_errors(demo_client: TestClient, path: str, status: int) -> None:
    assert demo_client.get(path).status_code == status


def test_hostile_titles_are_inert_in_search_feeds(
    writable_demo: tuple[TestClient, SqlStore, Settings],
) -> None:
    client, store, _ = writable_demo
    store.save_article(
        Article(
            source_id=None,
            url="https://evil.example/feed",
            canonical_url="https://evil.example/feed",
            title="Hafnium <script>alert(1)</script>",
            text="Hafnium ]]> <img src=x onerror=alert(1)> &amp; more",
            content_hash="feed-evil",
        )
    )
    for ext in ("xml", "atom"):
        body = client.get(f"/feeds/search.{ext}", params={"q": "hafnium"}).text
        assert "<script>" not in body and "<img" not in body
        texts = [e.text or "" for e in ET.fromstring(body).iter()]
        assert any(text.startswith("Hafnium") for text in texts)
    feed = client.get("/feeds/search.json", params={"q": "hafnium"}).json()
    assert feed["items"][0]["title"] == "Hafnium <script>alert(1)</script>"
    assert "content_html" not in feed["items"][0]
