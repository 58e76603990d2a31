"""Which child sitemaps to fetch next, so a crawl of sitemap indexes never loops.

A caller crawls from one start URL like this::

    visited = frozenset({sitemap_key(start_url)})
    queue = [start_url]
    while queue:
        url = queue.pop(0)
        parsed = parse_sitemap(fetch(url), base_url=url, options=options)
        ...  # use parsed.entries
        plan = plan_sitemap_crawl(parsed.child_sitemaps, visited=visited, options=options)
        visited, queue = plan.visited, queue + list(plan.to_fetch)

An index that lists itself, a cycle between indexes or the same child listed twice is fetched
once only, and the crawl stops after ``options.max_child_sitemaps`` files.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from newsdesk.sources.options import ParseOptions


@dataclass(frozen=True)
class SitemapCrawlPlan:
    to_fetch: tuple[str, ...]  # children to fetch next, in document order
    visited: frozenset[str]  # sitemap_key of every sitemap fetched or planned so far


def sitemap_key(url: str) -> str:
    """The form used to compare sitemap URLs: scheme and host lower-cased, fragment dropped."""
    parts = urlsplit(url.strip())
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, "")
    )


def plan_sitemap_crawl(
    child_sitemaps: Iterable[str], *, visited: frozenset[str], options: ParseOptions
) -> SitemapCrawlPlan:
    """Children not yet visited, de-duplicated, within the crawl budget, and the new visited set.

    ``visited`` holds ``sitemap_key`` forms (include the start URL's key before the first call).
    """
    seen = set(visited)
    planned: list[str] = []
    for url in child_sitemaps:
        if len(seen) >= options.max_child_sitemaps:
            break
        key = sitemap_key(url)
        if key not in seen:
            seen.add(key)
            planned.append(url)
    return SitemapCrawlPlan(to_fetch=tuple(planned), visited=frozenset(seen))
