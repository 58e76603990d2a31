"""GET /articles/{id}: one article as its source's rights and the viewer's access allow, with
"Read more insights"."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from newsdesk.domain.access import Visibility
from newsdesk.domain.reading import ArticleDetail
from newsdesk.publish.gating import GatedArticle, gated_article
from newsdesk.publish.web.context import Site
from newsdesk.publish.web.options import SiteOptions
from newsdesk.publish.web.params import ArticleId
from newsdesk.publish.web.reader import CurrentReader
from newsdesk.publish.web.routes._reading import (
    absolute,
    body_html,
    feed_links,
    rights_of,
    sector_names,
    shown_paragraphs,
)
from newsdesk.publish.web.templating import render
from newsdesk.text.dates import iso_moment
from newsdesk.text.sentences import beyond_lead, leading_paragraphs

router = APIRouter()
PAYWALL_SELECTOR = ".paywall"  # the call to action that stands where the rest of a piece is
LEAD_PARAGRAPHS = 2  # the body's lead: what a reader reads right below the summary


@router.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
def article_page(
    request: Request, site: Site, reader: CurrentReader, article_id: ArticleId
) -> HTMLResponse:
    found = site.store.article_detail(article_id)
    if found is None:
        raise HTTPException(status_code=404, detail="no such article")
    options = site.options
    gated = gated_article(found, reader)
    detail = gated.detail
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
            "access": gated,
            "body": article_body(gated, rights),
            "standfirst": standfirst(gated, rights),
            "sector_names": names,
            "source_name": source_name(detail),
            "source_url": web_url(detail.article.url),
            "description": description(gated, rights),
            "json_ld": json_ld(gated, options, rights),
            "alternate_feeds": feeds + feed_links("/feeds/top", f"{options.site_name}: top"),
        },
    )


def article_body(gated: GatedArticle, rights: str) -> str:
    """The body as HTML: what the rights allow, cut at the break for a preview."""
    article = gated.detail.article
    return body_html(
        text=article.text,
        html=article.html,
        url=article.url,
        rights=rights,
        preview=None if gated.full else gated.preview_paragraphs,
    )


def standfirst(gated: GatedArticle, rights: str) -> str:
    """The summary shown above the body, less what the body shown right below says.

    An extractive summary usually starts with the lead's first sentence, and a publication
    does not print its standfirst twice; what the summary draws from further down (beyond
    an excerpt or a preview, say) stays. The <meta> description keeps the whole summary."""
    preview = None if gated.full else gated.preview_paragraphs
    shown = shown_paragraphs(rights=rights, preview=preview)
    count = LEAD_PARAGRAPHS if shown is None else min(shown, LEAD_PARAGRAPHS)
    lead = "\n".join(leading_paragraphs(gated.detail.article.text, count))
    return beyond_lead(gated.detail.summary, lead) if lead else gated.detail.summary


def description(gated: GatedArticle, rights: str) -> str:
    """The <meta> and Open Graph description: the summary the viewer may see (none when the
    rights allow a link only)."""
    return "" if rights == "link" else gated.detail.summary


def web_url(url: str) -> str | None:
    """The original's address, if it is one a reader can follow (never javascript: & co)."""
    return url if urlsplit(url).scheme.lower() in ("http", "https") else None


def source_name(detail: ArticleDetail) -> str:
    if detail.source is not None and detail.source.name:
        return detail.source.name
    return detail.article.site_name or "the original publisher"


def json_ld(gated: GatedArticle, options: SiteOptions, rights: str) -> dict[str, Any]:
    """schema.org metadata; rendered with |tojson, so it cannot close its <script> element.

    A piece not open to everyone says so (isAccessibleForFree false); when this response is
    a preview, the call to action is marked as the part that is not free."""
    detail = gated.detail
    article = detail.article
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "url": absolute(options, f"/articles/{article.id}"),
        "author": [{"@type": "Person", "name": name} for name in article.authors],
        "publisher": {"@type": "Organization", "name": source_name(detail)},
        "isAccessibleForFree": detail.visibility is Visibility.PUBLIC,
        "description": description(gated, rights),
    }
    if web_url(article.url):
        data["isBasedOn"] = article.url
    if not gated.full:
        data["hasPart"] = {
            "@type": "WebPageElement",
            "isAccessibleForFree": False,
            "cssSelector": PAYWALL_SELECTOR,
        }
    if article.published is not None:
        data["datePublished"] = iso_moment(article.published)
    if not data["description"]:
        data.pop("description")
    return data
