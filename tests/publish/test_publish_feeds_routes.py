"""Feeds out: /feeds/top.* and /feeds/sectors/{id}.* in RSS 2.0, Atom and JSON Feed 1.1."""

from __future__ import annotations

from html import unescape

import feedparser
import pytest
from lxml import etree, html

from newsdesk.publish.feeds import FEED_MEDIA_TYPES

KINDS = {"xml": "rss", "atom": "atom", "json": "json"}


@pytest.mark.parametrize("ext", ["xml", "atom"])
def test_top_xml_feeds_match_the_home_page(demo_client, ext):
    response = demo_client.get(f"/feeds/top.{ext}")
    assert response.status_code == 200
    assert response.headers["content-type"] == FEED_MEDIA_TYPES[KINDS[ext]]
    etree.fromstring(response.content)
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo
    assert parsed.version == ("rss20" if ext == "xml" else "atom10")
    home = html.fromstring(demo_client.get("/").text)
    card_links = home.xpath('//article[@class="story-card"]//*[@class="story-title"]/a/@href')
    assert [e.link.split("8000", 1)[1] for e in parsed.entries] == card_links
    assert all(e.id.startswith("http://127.0.0.1:8000/stories/") for e in parsed.entries)
    assert all(e.get("tags") for e in parsed.entries)


def test_top_json_feed(demo_client):
    response = demo_client.get("/feeds/top.json")
    assert response.headers["content-type"] == FEED_MEDIA_TYPES["json"]
    document = response.json()
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["feed_url"] == "http://127.0.0.1:8000/feeds/top.json"
    assert document["items"] and all(item["summary"] for item in document["items"])
    assert all("content_html" not in item for item in document["items"])


@pytest.mark.parametrize("ext", ["xml", "atom", "json"])
def test_sector_feeds_hold_the_sector_stories(demo_client, ext):
    response = demo_client.get(f"/feeds/sectors/oil-gas.{ext}")
    assert response.status_code == 200
    api = demo_client.get("/api/v1/sectors/oil-gas/stories?limit=30").json()
    expected = [f"http://127.0.0.1:8000/stories/{item['id']}" for item in api["items"]]
    if ext == "json":
        ids = [item["id"] for item in response.json()["items"]]
    else:
        parsed = feedparser.parse(response.content)
        assert not parsed.bozo
        # RSS titles are HTML to readers, so "&" arrives as "&amp;" there and renders as "&".
        assert "Oil & Gas" in unescape(parsed.feed.title)
        ids = [entry.id for entry in parsed.entries]
    assert ids == expected


def test_feeds_are_advertised_on_pages(demo_client):
    pages = (("/", "/feeds/top"), ("/sectors/oil-gas", "/feeds/sectors/oil-gas"))
    for path, base in pages:
        response = demo_client.get(path)
        hrefs = html.fromstring(response.text).xpath('//link[@rel="alternate"]/@href')
        assert sorted(hrefs) == sorted(f"{base}.{ext}" for ext in ("xml", "atom", "json"))
        for href in hrefs:
            assert demo_client.get(href).status_code == 200


def test_unknown_feeds(demo_client):
    assert demo_client.get("/feeds/top.csv").status_code == 404
    assert demo_client.get("/feeds/sectors/nope.xml").status_code == 404
    assert demo_client.get("/feeds/sectors/oil-gas.html").status_code == 404
