"""Builders for fixture feeds and article pages used by the pipeline tests."""

from __future__ import annotations

import html
from datetime import datetime
from email.utils import format_datetime


def article_page(title: str, paragraphs: list[str], *, site: str = "Test Wire") -> str:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)} | {site}</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/energy'>Energy</a> <a href='/metals'>Metals</a></nav>"
        f"<main><article><h1>{html.escape(title)}</h1>{body}</article>"
        "<aside><h2>Sign up for Top Insights Today</h2><p>Daily insights in your inbox.</p></aside>"
        "<section><h2>Read more insights</h2><ul><li><a href='/x'>Another story entirely</a></li>"
        "</ul></section></main><footer>error: Content is protected !!</footer></body></html>"
    )


def rss(items: list[dict[str, object]], *, title: str = "Test Wire") -> str:
    parts = []
    for item in items:
        extra = ""
        if "content" in item:
            extra += f"<content:encoded><![CDATA[{item['content']}]]></content:encoded>"
        if "updated" in item:
            extra += f"<atom:updated>{item['updated']}</atom:updated>"
        published = item.get("published")
        if isinstance(published, datetime):
            extra += f"<pubDate>{format_datetime(published)}</pubDate>"
        parts.append(
            f"<item><title>{html.escape(str(item['title']))}</title>"
            f"<link>{html.escape(str(item['link']))}</link>"
            f"<guid>{html.escape(str(item.get('guid', item['link'])))}</guid>{extra}</item>"
        )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0' "
        "xmlns:content='http://purl.org/rss/1.0/modules/content/' "
        "xmlns:atom='http://www.w3.org/2005/Atom'><channel>"
        f"<title>{html.escape(title)}</title><link>http://example.invalid/</link>"
        + "".join(parts)
        + "</channel></rss>"
    )
