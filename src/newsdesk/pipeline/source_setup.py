"""Adding sources: find out what a URL serves before it is registered."""

from __future__ import annotations

from dataclasses import dataclass

from newsdesk.dedup import canonicalize_url
from newsdesk.domain import NewsdeskError, Source, SourceKind
from newsdesk.domain.ports import SourceStore
from newsdesk.fetch import Fetcher, FetchOptions
from newsdesk.sources import ParseOptions, discover_feeds, parse_source


@dataclass(frozen=True)
class ProbedSource:
    url: str  # the URL to register (a discovered feed replaces the page that advertised it)
    kind: SourceKind
    title: str | None


async def probe_source(
    url: str, *, fetch_options: FetchOptions, parse_options: ParseOptions
) -> ProbedSource:
    """Fetch a URL once and decide what it is: a feed, a sitemap, or a page (and if a page
    advertises a feed, the feed)."""
    async with Fetcher(fetch_options) as fetcher:
        response = await fetcher.fetch(url, check_robots=False)
        parsed = parse_source(
            response.body,
            url=response.final_url,
            content_type=response.content_type,
            options=parse_options,
        )
        if parsed.kind is not SourceKind.PAGE:
            return ProbedSource(url=response.final_url, kind=parsed.kind, title=parsed.title)
        feeds = discover_feeds(response.body, base_url=response.final_url)
        if feeds:
            feed = await fetcher.fetch(feeds[0], check_robots=False)
            feed_doc = parse_source(
                feed.body,
                url=feed.final_url,
                content_type=feed.content_type,
                options=parse_options,
            )
            return ProbedSource(url=feeds[0], kind=feed_doc.kind, title=feed_doc.title)
        title = parsed.entries[0].title if parsed.entries else None
        return ProbedSource(url=response.final_url, kind=SourceKind.PAGE, title=title)


def register_source(store: SourceStore, source: Source) -> Source:
    """Store a source unless one with the same canonical URL exists (clear error then)."""
    for existing in store.list_sources():
        if canonicalize_url(existing.url) == canonicalize_url(source.url):
            raise NewsdeskError(f"source already exists: #{existing.id} {existing.url}")
    return store.add_source(source)
