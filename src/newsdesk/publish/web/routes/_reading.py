"""Shared by the reading routes: the store they use, top stories (cached), rights, feeds links.

Not a route module (the leading underscore keeps create_app from including it).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, cast

from fastapi import HTTPException, Request
from markupsafe import Markup, escape

from newsdesk.domain.models import utcnow
from newsdesk.domain.reading import (
    RIGHTS,
    ArticleBrief,
    ArticleDetail,
    StoryCandidate,
    StoryListing,
)
from newsdesk.extract.sanitize import sanitize_html
from newsdesk.publish.gating import Decides, gated_brief
from newsdesk.publish.ports import ReadingStore
from newsdesk.publish.ranking import RankedStory, RankingOptions, rank_stories
from newsdesk.publish.web.context import site_context
from newsdesk.publish.web.options import SectorInfo, SiteOptions
from newsdesk.text.sentences import paragraph_spans

HOME_WINDOW = timedelta(hours=48)
TOP_LIMIT = 20
SECTOR_TOP_LIMIT = 10
# Top stories change only when an ingest or enrichment runs; recomputing them at most once a
# minute per process keeps the home page cheap at any corpus size.
TOP_CACHE_SECONDS = 60.0
EXCERPT_PARAGRAPHS = 2


def known_sector(options: SiteOptions, sector_id: str) -> SectorInfo:
    sector = options.sector(sector_id)
    if sector is None:
        raise HTTPException(status_code=404, detail="no such sector")
    return sector


def sector_names(options: SiteOptions) -> dict[str, str]:
    return {sector.id: sector.name for sector in options.sectors}


@dataclass(frozen=True)
class StoryCard:
    """One entry of a top list: the ranked story and the article its card shows."""

    ranked: RankedStory
    lead: ArticleBrief | None

    @property
    def story(self) -> StoryCandidate:
        return self.ranked.candidate


def gated_cards(cards: list[StoryCard], reader: Decides) -> list[StoryCard]:
    """The shared (cached) cards with each lead's summary as this reader may see it."""
    return [
        card if card.lead is None else StoryCard(card.ranked, gated_brief(card.lead, reader))
        for card in cards
    ]


def gated_listing(listing: StoryListing, reader: Decides) -> StoryListing:
    if listing.lead is None:
        return listing
    return replace(listing, lead=gated_brief(listing.lead, reader))


class TopStories:
    """Ranked stories of the last 48 hours (or of the newest 48 hours an idle site has).

    The candidates are read once per TOP_CACHE_SECONDS and shared by the home page, every
    sector page and the feeds. When they expire, one request refreshes them while the others
    keep serving the previous lists; only the very first read makes requests wait.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._refresh = threading.Lock()
        self._loaded_at = 0.0
        self._candidates: list[StoryCandidate] | None = None
        self._cards: dict[str | None, list[StoryCard]] = {}

    def get(self, store: ReadingStore, sector_id: str | None = None) -> list[StoryCard]:
        if self._candidates is None or self._expired():
            self._reload(store)
        with self._lock:
            cached = self._cards.get(sector_id)
            candidates = self._candidates or []
        if cached is not None:
            return cached
        cards = rank_cards(store, candidates, sector_id)
        with self._lock:
            if self._candidates is candidates:
                self._cards[sector_id] = cards
        return cards

    def _expired(self) -> bool:
        return time.monotonic() - self._loaded_at >= TOP_CACHE_SECONDS

    def _reload(self, store: ReadingStore) -> None:
        first_read = self._candidates is None
        if not self._refresh.acquire(blocking=first_read):
            return  # another request is refreshing; serve the previous lists meanwhile
        try:
            if self._candidates is not None and not self._expired():
                return  # refreshed while this request waited
            candidates = _window_candidates(store, utcnow())
            with self._lock:
                self._candidates = candidates
                self._cards = {}
                self._loaded_at = time.monotonic()
        finally:
            self._refresh.release()


def top_stories(request: Request, sector_id: str | None = None) -> list[StoryCard]:
    state = request.app.state
    if not hasattr(state, "top_stories"):
        state.top_stories = TopStories()
    return cast("TopStories", state.top_stories).get(site_context(request).store, sector_id)


def compute_top(store: ReadingStore, sector_id: str | None) -> list[StoryCard]:
    """The top list without any cache (for benchmarks and tests)."""
    return rank_cards(store, _window_candidates(store, utcnow()), sector_id)


def rank_cards(
    store: ReadingStore, candidates: list[StoryCandidate], sector_id: str | None
) -> list[StoryCard]:
    if sector_id is not None:
        candidates = [c for c in candidates if sector_id in c.sectors]
        options = RankingOptions(limit=SECTOR_TOP_LIMIT, max_share=1.0, sector_penalty=1.0)
    else:
        options = RankingOptions(limit=TOP_LIMIT)
    ranked = rank_stories(candidates, options=options)
    leads = store.story_leads([entry.candidate.story_id for entry in ranked])
    return [StoryCard(ranked=entry, lead=leads.get(entry.candidate.story_id)) for entry in ranked]


def _window_candidates(store: ReadingStore, now: datetime) -> list[StoryCandidate]:
    candidates = store.story_candidates(now - HOME_WINDOW)
    if len(candidates) >= TOP_LIMIT:
        return candidates
    newest = store.newest_article_time()
    if newest is None or newest >= now - HOME_WINDOW / 2:
        return candidates
    # An idle site (or an archive) shows its own newest 48 hours rather than an empty page.
    return store.story_candidates(min(newest, now) - HOME_WINDOW)


def rights_of(detail: ArticleDetail, default_rights: str) -> str:
    return rights_or(detail.source.rights if detail.source is not None else None, default_rights)


def rights_or(rights: str | None, default_rights: str) -> str:
    chosen = rights if rights is not None else default_rights
    return chosen if chosen in RIGHTS else "link"


def body_html(*, text: str, html: str, url: str, rights: str, preview: int | None = None) -> Markup:
    """The body the rights allow: sanitized stored HTML, the first paragraphs, or nothing.
    preview: the viewer may read only that many paragraphs (the access decision), which
    are then shown as plain paragraphs (no more than the rights allow either)."""
    shown = shown_paragraphs(rights=rights, preview=preview)
    if shown == 0:
        return Markup("")
    if shown is None and html.strip():
        return Markup(sanitize_html(html, base_url=url))  # noqa: S704 - nh3-sanitized
    return paragraphs_html(text, limit=shown)


def shown_paragraphs(*, rights: str, preview: int | None) -> int | None:
    """How many of the body's paragraphs body_html shows (None: all of them)."""
    if preview is not None:
        if rights == "link":
            return 0
        return preview if rights == "full" else min(preview, EXCERPT_PARAGRAPHS)
    if rights == "full":
        return None
    return EXCERPT_PARAGRAPHS if rights == "excerpt" else 0


def paragraphs_html(text: str, *, limit: int | None) -> Markup:
    """The paragraphs (text.sentences.paragraph_spans: the ones previews count) as <p>s."""
    spans = paragraph_spans(text)
    paragraphs = [text[start:end].strip() for start, end in spans[:limit]]
    return Markup("").join(Markup("<p>{}</p>\n").format(escape(p)) for p in paragraphs)


def feed_links(base: str, title: str) -> list[dict[str, str]]:
    """The `alternate_feeds` of a page: RSS, Atom and JSON Feed at base + .xml/.atom/.json."""
    return [
        {"type": "application/rss+xml", "title": f"{title} (RSS)", "href": f"{base}.xml"},
        {"type": "application/atom+xml", "title": f"{title} (Atom)", "href": f"{base}.atom"},
        {"type": "application/feed+json", "title": f"{title} (JSON Feed)", "href": f"{base}.json"},
    ]


def absolute(options: SiteOptions, path: str) -> str:
    return options.base_url.rstrip("/") + path


def sector_label(options: SiteOptions, sector_id: str) -> dict[str, Any]:
    sector = options.sector(sector_id)
    return {"id": sector_id, "name": sector.name if sector else sector_id}
