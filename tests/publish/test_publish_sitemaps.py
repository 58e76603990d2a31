"""Sitemaps, robots.txt and the Pro page: public, the same for everyone, well-formed."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from fastapi.testclient import TestClient
from leak_world import LeakWorld

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def locations(xml: bytes, tag: str = "url") -> list[str]:
    root = ET.fromstring(xml)
    return [el.findtext(f"{SITEMAP}loc") or "" for el in root.iter(f"{SITEMAP}{tag}")]


def test_the_index_lists_every_part_and_each_part_its_pages(
    leak_client: TestClient, leak_world: LeakWorld
) -> None:
    index = leak_client.get("/sitemap.xml")
    assert index.headers["content-type"].startswith("application/xml")
    parts = locations(index.content, "sitemap")
    assert parts[:2] == [
        "http://127.0.0.1:8000/sitemaps/pages.xml",
        "http://127.0.0.1:8000/sitemaps/news.xml",
    ]
    assert parts[2:] == ["http://127.0.0.1:8000/sitemaps/articles-0.xml"]
    pages = locations(leak_client.get("/sitemaps/pages.xml").content)
    assert "http://127.0.0.1:8000/pro" in pages
    assert any(page.endswith("/sectors/rare-earths-commodities") for page in pages)
    articles = locations(leak_client.get("/sitemaps/articles-0.xml").content)
    assert f"http://127.0.0.1:8000/articles/{leak_world.pro_id}" in articles
    assert len(articles) == leak_client.get("/healthz").json()["articles"]
    assert leak_client.get("/sitemaps/articles-1.xml").status_code == 404
    assert leak_client.get("/sitemaps/articles--1.xml").status_code in {404, 422}


def test_the_news_sitemap_has_the_last_two_days_with_titles(
    leak_client: TestClient, leak_world: LeakWorld
) -> None:
    root = ET.fromstring(leak_client.get("/sitemaps/news.xml").content)
    titles = [el.text for el in root.iter(f"{NEWS}title")]
    assert "Japan's Namibia rare earths pact: what it means for refiners" in titles
    assert all(el.text == "newsdesk insights" for el in root.iter(f"{NEWS}name"))


def test_robots_points_at_the_sitemap_and_keeps_private_urls_out(leak_client: TestClient) -> None:
    robots = leak_client.get("/robots.txt").text
    assert "Disallow: /feeds/private/" in robots and "Disallow: /admin/" in robots
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in robots


def test_the_pro_page_says_what_pro_includes(leak_client: TestClient) -> None:
    html = leak_client.get("/pro").text
    assert "Gain access to comprehensive analysis, in-depth reports and market trends." in html
    assert "The facts tracker beyond the last 7 days" in html and "talk to us" in html


def test_the_pro_page_names_the_reports_and_alerts_pro_unlocks(leak_client: TestClient) -> None:
    """A report page sends free readers to /pro ("See what Pro includes"), which did not name
    reports or alerts, the two things only Pro gets (Resource.REPORT, Resource.ALERT)."""
    html = leak_client.get("/pro").text
    assert "Weekly sector briefings and entity dossiers" in html
    assert "Alerts on searches, entities, sectors and facts" in html
