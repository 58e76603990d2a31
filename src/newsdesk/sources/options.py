"""Per-call limits for parsing what a source serves."""

from __future__ import annotations

from dataclasses import dataclass

MIB = 1024 * 1024


@dataclass(frozen=True)
class ParseOptions:
    """Caps that keep parsing bounded whatever a source serves.

    max_entries: feed items kept per feed (later items are dropped).
    max_sitemap_urls: URLs kept per sitemap file (the sitemaps.org limit is 50,000); a longer
        sitemap is truncated to its first max_sitemap_urls URLs and parsing stops there.
    max_document_bytes: largest document accepted, measured after gzip decompression
        (the sitemaps.org limit is 50 MB uncompressed).
    max_child_sitemaps: sitemap files followed from one start URL by a sitemap crawl.
    """

    max_entries: int = 5_000
    max_sitemap_urls: int = 50_000
    max_document_bytes: int = 50 * MIB
    max_child_sitemaps: int = 1_000
