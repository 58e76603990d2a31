"""Sitemaps and robots.txt: /robots.txt, /sitemap.xml (an index), /sitemaps/pages.xml,
/sitemaps/articles-{n}.xml (articles by id range) and /sitemaps/news.xml (a news sitemap of the
last two days, with titles).

Sitemaps are public and the same for everyone: they carry addresses, dates and titles, which
every preview shows, and nothing derived from a body. A Pro piece is listed like any other
article: its page is its preview for search engines, marked as not free (see articles.py).
Private feed URLs and the admin pages are disallowed in robots.txt.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from xml.etree import ElementTree as ET

from fastapi import APIRouter, HTTPException, Response

from newsdesk.domain.models import utcnow
from newsdesk.domain.reading import SitemapEntry
from newsdesk.publish.web.context import Site
from newsdesk.publish.web.options import SiteOptions
from newsdesk.publish.web.routes._reading import absolute

router = APIRouter()
ARTICLES_PER_SITEMAP = 10_000  # under the protocol's 50,000 and 50 MB
NEWS_WINDOW = timedelta(days=2)  # what Google News sitemaps may list
NEWS_LIMIT = 1000
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
CACHE = {"cache-control": "public, max-age=3600"}
XML = "application/xml; charset=utf-8"
STATIC_PAGES = ("/", "/stories", "/entities", "/facts", "/trends", "/pro")
ET.register_namespace("news", NEWS_NS)


def _xml(root: ET.Element) -> bytes:
    written: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return written


def _urlset(locations: Sequence[tuple[str, str | None]]) -> bytes:
    root = ET.Element("urlset", xmlns=SITEMAP_NS)
    for loc, lastmod in locations:
        url = ET.SubElement(root, "url")
        ET.SubElement(url, "loc").text = loc
        if lastmod:
            ET.SubElement(url, "lastmod").text = lastmod
    return _xml(root)


def _news(options: SiteOptions, entries: list[SitemapEntry]) -> bytes:
    root = ET.Element("urlset", xmlns=SITEMAP_NS)
    for entry in entries:
        url = ET.SubElement(root, "url")
        ET.SubElement(url, "loc").text = absolute(options, f"/articles/{entry.id}")
        news = ET.SubElement(url, f"{{{NEWS_NS}}}news")
        publication = ET.SubElement(news, f"{{{NEWS_NS}}}publication")
        ET.SubElement(publication, f"{{{NEWS_NS}}}name").text = options.site_name
        ET.SubElement(publication, f"{{{NEWS_NS}}}language").text = (entry.language or "en")[:2]
        if entry.published is not None:
            ET.SubElement(news, f"{{{NEWS_NS}}}publication_date").text = entry.published.isoformat(
                timespec="seconds"
            )
        ET.SubElement(news, f"{{{NEWS_NS}}}title").text = _xml_text(entry.title)
    return _xml(root)


def _xml_text(value: str) -> str:
    """Text XML 1.0 can carry (a title may hold control characters)."""
    return "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 0x20)


@router.get("/robots.txt", include_in_schema=False)
def robots(site: Site) -> Response:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /feeds/private/",
        "Disallow: /account",
        f"Sitemap: {absolute(site.options, '/sitemap.xml')}",
    ]
    return Response("\n".join(lines) + "\n", media_type="text/plain", headers=CACHE)


@router.get("/sitemap.xml", include_in_schema=False)
def sitemap_index(site: Site) -> Response:
    options = site.options
    parts = ["/sitemaps/pages.xml", "/sitemaps/news.xml"]
    last = site.store.max_article_id()
    parts += [f"/sitemaps/articles-{n}.xml" for n in range(last // ARTICLES_PER_SITEMAP + 1)]
    root = ET.Element("sitemapindex", xmlns=SITEMAP_NS)
    for part in parts:
        ET.SubElement(ET.SubElement(root, "sitemap"), "loc").text = absolute(options, part)
    return Response(_xml(root), media_type=XML, headers=CACHE)


@router.get("/sitemaps/pages.xml", include_in_schema=False)
def sitemap_pages(site: Site) -> Response:
    options = site.options
    pages = [*STATIC_PAGES, *(f"/sectors/{sector.id}" for sector in options.sectors)]
    return Response(
        _urlset([(absolute(options, page), None) for page in pages]), media_type=XML, headers=CACHE
    )


@router.get("/sitemaps/articles-{part}.xml", include_in_schema=False)
def sitemap_articles(site: Site, part: int) -> Response:
    if not 0 <= part <= site.store.max_article_id() // ARTICLES_PER_SITEMAP:
        raise HTTPException(status_code=404, detail="no such sitemap")
    first = part * ARTICLES_PER_SITEMAP
    entries = site.store.sitemap_entries(max(1, first), first + ARTICLES_PER_SITEMAP - 1)
    locations = [
        (absolute(site.options, f"/articles/{e.id}"), e.modified.date().isoformat())
        for e in entries
    ]
    return Response(_urlset(locations), media_type=XML, headers=CACHE)


@router.get("/sitemaps/news.xml", include_in_schema=False)
def sitemap_news(site: Site) -> Response:
    entries = site.store.news_sitemap_entries(utcnow() - NEWS_WINDOW, limit=NEWS_LIMIT)
    return Response(_news(site.options, entries), media_type=XML, headers=CACHE)
