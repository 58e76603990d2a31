"""Feeds out: /feeds/top.{xml,atom,json} (top insights) and /feeds/sectors/{id}.{xml,atom,json},
and their private twins under /feeds/private/{token}/ (a member's feed URL).

One entry per story, linking to its first report on this site. Public feeds are the same for
everyone and carry titles and preview summaries only (never a body, never what comes after a
preview break), so shared caches may keep them. A private feed carries what its member may
read: the summary they would see on the site and the body as the source's rights allow, cut
at the break where their access is a preview. Private feeds are never cached by others, and
an unknown or revoked token is a 404.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from fastapi import APIRouter, HTTPException, Request, Response

from newsdesk.domain.access import ViewerKind
from newsdesk.domain.reading import ArticleBrief, ArticleText, StoryListing
from newsdesk.publish.feeds import FeedItem, FeedMeta
from newsdesk.publish.gating import gated_brief
from newsdesk.publish.web.context import Site, SiteStore
from newsdesk.publish.web.options import SiteOptions
from newsdesk.publish.web.reader import AnonymousReader, CurrentReader, Reader
from newsdesk.publish.web.routes._analysis import feed_response, require_feed_extension
from newsdesk.publish.web.routes._reading import (
    StoryCard,
    absolute,
    body_html,
    known_sector,
    rights_or,
    top_stories,
)

router = APIRouter()
SECTOR_FEED_SIZE = 30
PRIVATE = "/feeds/private/{feed_token}"


def private_reader(reader: Reader) -> Reader:
    """The reader of a private feed URL: its token's member, or the URL does not exist."""
    if reader.viewer.kind is not ViewerKind.FEED_TOKEN:
        raise HTTPException(status_code=404, detail="unknown or revoked feed URL")
    return reader


@dataclass(frozen=True)
class Entry:
    """One feed entry: a story, the report it links to, and what it is filed under."""

    story_id: int
    lead: ArticleBrief
    updated: datetime | None
    sectors: tuple[str, ...]


def _names(options: SiteOptions) -> dict[str, str]:
    return {sector.id: sector.name for sector in options.sectors}


class FeedItems:
    """Feed entries for one reader: summaries gated, bodies only for a private feed."""

    def __init__(self, site: Site, reader: Reader, *, private: bool) -> None:
        self.store: SiteStore = site.store
        self.options = site.options
        self.reader = reader
        self.private = private

    def of(self, entries: Sequence[Entry]) -> list[FeedItem]:
        ids = [entry.lead.id for entry in entries]
        bodies = self.store.article_texts(ids) if self.private else {}
        names = _names(self.options)
        items = []
        for entry in entries:
            lead = entry.lead
            items.append(
                FeedItem(
                    id=absolute(self.options, f"/stories/{entry.story_id}"),
                    title=lead.title,
                    link=absolute(self.options, f"/articles/{lead.id}"),
                    summary=gated_brief(lead, self.reader).summary,
                    content_html=self._content(bodies.get(lead.id)),
                    published=lead.published,
                    updated=entry.updated,
                    authors=(lead.source_name,) if lead.source_name else (),
                    categories=tuple(names.get(sector, sector) for sector in entry.sectors),
                )
            )
        return items

    def _content(self, body: ArticleText | None) -> str | None:
        if body is None:
            return None
        decision = self.reader.article(body.visibility)
        html = body_html(
            text=body.text,
            html=body.html,
            url=body.url,
            rights=rights_or(body.rights, self.options.default_rights),
            preview=None if decision.full else self.reader.preview_length(body.preview_paragraphs),
        )
        return str(html) or None


def _cards(cards: list[StoryCard]) -> list[Entry]:
    return [
        Entry(card.story.story_id, card.lead, card.story.newest, card.story.sectors)
        for card in cards
        if card.lead is not None
    ]


def _listings(listings: Sequence[StoryListing]) -> list[Entry]:
    return [
        Entry(listing.id, listing.lead, listing.last_seen_at, listing.sectors)
        for listing in listings
        if listing.lead is not None
    ]


def _top(request: Request, site: Site, reader: Reader, ext: str, base: str) -> Response:
    options = site.options
    meta = FeedMeta(
        title=f"{options.site_name}: top insights",
        link=absolute(options, "/"),
        feed_url=absolute(options, f"{base}/top.{ext}"),
        description="The stories most covered by our sources, across every sector.",
    )
    private = base != "/feeds"
    items = FeedItems(site, reader, private=private).of(_cards(top_stories(request)))
    return feed_response(ext, meta, items, private=private)


def _sector(site: Site, reader: Reader, sector_id: str, ext: str, base: str) -> Response:
    options = site.options
    sector = known_sector(options, sector_id)
    meta = FeedMeta(
        title=f"{options.site_name}: {sector.name}",
        link=absolute(options, f"/sectors/{sector.id}"),
        feed_url=absolute(options, f"{base}/sectors/{sector.id}.{ext}"),
        description=sector.description or f"The latest {sector.name} stories.",
    )
    page = site.store.list_story_listings(limit=SECTOR_FEED_SIZE, sector_id=sector.id)
    private = base != "/feeds"
    items = FeedItems(site, reader, private=private).of(_listings(page.items))
    return feed_response(ext, meta, items, private=private)


@router.get("/feeds/top.{ext}", include_in_schema=False)
def top_feed(request: Request, site: Site, reader: AnonymousReader, ext: str) -> Response:
    require_feed_extension(ext)
    return _top(request, site, reader, ext, "/feeds")


@router.get("/feeds/sectors/{sector_id}.{ext}", include_in_schema=False)
def sector_feed(site: Site, reader: AnonymousReader, sector_id: str, ext: str) -> Response:
    require_feed_extension(ext)
    return _sector(site, reader, sector_id, ext, "/feeds")


@router.get(PRIVATE + "/top.{ext}", include_in_schema=False)
def private_top_feed(
    request: Request, site: Site, reader: CurrentReader, feed_token: str, ext: str
) -> Response:
    require_feed_extension(ext)
    private_reader(reader)
    return _top(request, site, reader, ext, f"/feeds/private/{feed_token}")


@router.get(PRIVATE + "/sectors/{sector_id}.{ext}", include_in_schema=False)
def private_sector_feed(
    site: Site, reader: CurrentReader, feed_token: str, sector_id: str, ext: str
) -> Response:
    require_feed_extension(ext)
    private_reader(reader)
    return _sector(site, reader, sector_id, ext, f"/feeds/private/{feed_token}")
