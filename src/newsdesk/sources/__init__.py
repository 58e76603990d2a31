"""newsdesk.sources stage: parse what a source serves (bytes in, never URLs) into entries."""

from newsdesk.sources.detect import detect_kind
from newsdesk.sources.discovery import discover_feeds, parse_page, parse_source
from newsdesk.sources.feeds import parse_feed
from newsdesk.sources.files import (
    ImportedPage,
    ImportItem,
    ImportProblem,
    iter_html_folder,
    iter_jsonl,
    iter_warc,
)
from newsdesk.sources.jsonfeed import parse_json_feed
from newsdesk.sources.opml import OpmlOutline, export_opml, parse_opml
from newsdesk.sources.options import ParseOptions
from newsdesk.sources.sitemap_crawl import SitemapCrawlPlan, plan_sitemap_crawl, sitemap_key
from newsdesk.sources.sitemaps import gunzip_capped, parse_sitemap

__all__ = [
    "ImportItem",
    "ImportProblem",
    "ImportedPage",
    "OpmlOutline",
    "ParseOptions",
    "SitemapCrawlPlan",
    "detect_kind",
    "discover_feeds",
    "export_opml",
    "gunzip_capped",
    "iter_html_folder",
    "iter_jsonl",
    "iter_warc",
    "parse_feed",
    "parse_json_feed",
    "parse_opml",
    "parse_page",
    "parse_sitemap",
    "parse_source",
    "plan_sitemap_crawl",
    "sitemap_key",
]
