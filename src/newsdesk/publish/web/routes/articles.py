"""GET /articles/{id}: one article as its source's rights allow, with "Read more insights"."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from newsdesk.domain.reading import ArticleDetail
from newsdesk.publish.web.context import Site
from newsdesk.publish.web.options import SiteOptions
from newsdesk.publish.web.params import ArticleId
from newsdesk.publish.web.routes._reading import (
    absolute,
    body_html,
    feed_links,
    rights_of,
    sector_names,
)
from newsdesk.publish.web.templating import render

router = APIRouter()


@router.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
def article_page(request: Request, site: Site, article_id: ArticleId) -> HTMLResponse:
    detail = site.store.article_detail(article_id)
    if detail is None:
        raise HTTPException(status_code=404, detail="no such article")
    options = site.options
    rights = rights_of(detail, options.default_rights)
    names = sector_names(options)
    feeds = []
    if detail.sectors:
        main = detail.sectors[0].sector_id
        feeds = feed_links(
            f"/feeds/sectors/{main}", f"{options.site_name}: {names.get(main, main)}"
        )
    return render(
        request,
        "article.html",
        {
            "detail": detail,
            "article": detail.article,
            "rights": rights,
            "body": body_html(detail, rights),
            "sector_names": names,
            "source_name": source_name(detail),
            "source_url": web_url(detail.article.url),
            "json_ld": json_ld(detail, options, rights),
            "alternate_feeds": feeds + feed_links("/feeds/top", f"{options.site_name}: top"),
        },
    )


def web_url(url: str) -> str | None:
    """The original's address, if it is one a reader can follow (never javascript: & co)."""
    return url if urlsplit(url).scheme.lower() in ("http", "https") else None


def source_name(detail: ArticleDetail) -> str:
    if detail.source is not None and detail.source.name:
        return detail.source.name
    return detail.article.site_name or "the original publisher"


def json_ld(detail: ArticleDetail, options: SiteOptions, rights: str) -> dict[str, Any]:
    """schema.org metadata; rendered with |tojson, so it cannot close its <script> element."""
    article = detail.article
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "url": absolute(options, f"/articles/{article.id}"),
        "isBasedOn": article.url,
        "author": [{"@type": "Person", "name": name} for name in article.authors],
        "publisher": {"@type": "Organization", "name": source_name(detail)},
        "isAccessibleForFree": True,
        "description": detail.summary,
    }
    if article.published is not None:
        data["datePublished"] = article.published.isoformat()
    if rights == "link":
        data.pop("description")
    return data
