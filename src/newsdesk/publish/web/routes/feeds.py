"""Feeds out: /feeds/top.{xml,atom,json} (top insights) and /feeds/sectors/{id}.{xml,atom,json}.

One entry per story, linking to its first report on this site. Feeds carry titles and
summaries only, never article bodies, so no source's rights are exceeded.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response

from newsdesk.domain.reading import StoryListing
from newsdesk.publish.feeds import FEED_MEDIA_TYPES, FeedItem, FeedKind, FeedMeta, render_feed
from newsdesk.publish.web.context import Site
from newsdesk.publish.web.options import SiteOptions
from newsdesk.publish.web.routes._reading import StoryCard, absolute, known_sector, top_stories

router = APIRouter()
SECTOR_FEED_SIZE = 30
EXTENSIONS: dict[str, FeedKind] = {"xml": "rss", "rss": "rss", "atom": "atom", "json": "json"}
CACHE_CONTROL = "public, max-age=300"


def _kind(ext: str) -> FeedKind:
    kind = EXTENSIONS.get(ext)
    if kind is None:
        raise HTTPException(status_code=404, detail="feeds come as .xml, .atom or .json")
    return kind


def _response(kind: FeedKind, meta: FeedMeta, items: list[FeedItem]) -> Response:
    return Response(
        render_feed(kind, meta, items),
        media_type=FEED_MEDIA_TYPES[kind],
        headers={"cache-control": CACHE_CONTROL},
    )


def _names(options: SiteOptions) -> dict[str, str]:
    return {sector.id: sector.name for sector in options.sectors}


def card_item(options: SiteOptions, card: StoryCard) -> FeedItem | None:
    lead = card.lead
    if lead is None:
        return None
    names = _names(options)
    story = card.story
    return FeedItem(
        id=absolute(options, f"/stories/{story.story_id}"),
        title=lead.title,
        link=absolute(options, f"/articles/{lead.id}"),
        summary=lead.summary,
        published=lead.published,
        updated=story.newest,
        authors=(lead.source_name,) if lead.source_name else (),
        categories=tuple(names.get(sector, sector) for sector in story.sectors),
    )


def listing_item(options: SiteOptions, listing: StoryListing) -> FeedItem | None:
    lead = listing.lead
    if lead is None:
        return None
    names = _names(options)
    return FeedItem(
        id=absolute(options, f"/stories/{listing.id}"),
        title=lead.title,
        link=absolute(options, f"/articles/{lead.id}"),
        summary=lead.summary,
        published=lead.published,
        updated=listing.last_seen_at,
        authors=(lead.source_name,) if lead.source_name else (),
        categories=tuple(names.get(sector, sector) for sector in listing.sectors),
    )


@router.get("/feeds/top.{ext}", include_in_schema=False)
def top_feed(request: Request, site: Site, ext: str) -> Response:
    kind = _kind(ext)
    options = site.options
    meta = FeedMeta(
        title=f"{options.site_name}: top insights",
        link=absolute(options, "/"),
        feed_url=absolute(options, f"/feeds/top.{ext}"),
        description="The stories most covered by our sources, across every sector.",
    )
    items = [card_item(options, card) for card in top_stories(request)]
    return _response(kind, meta, [item for item in items if item is not None])


@router.get("/feeds/sectors/{sector_id}.{ext}", include_in_schema=False)
def sector_feed(site: Site, sector_id: str, ext: str) -> Response:
    kind = _kind(ext)
    options = site.options
    sector = known_sector(options, sector_id)
    meta = FeedMeta(
        title=f"{options.site_name}: {sector.name}",
        link=absolute(options, f"/sectors/{sector.id}"),
        feed_url=absolute(options, f"/feeds/sectors/{sector.id}.{ext}"),
        description=sector.description or f"The latest {sector.name} stories.",
    )
    page = site.store.list_story_listings(limit=SECTOR_FEED_SIZE, sector_id=sector.id)
    items = [listing_item(options, listing) for listing in page.items]
    return _response(kind, meta, [item for item in items if item is not None])
