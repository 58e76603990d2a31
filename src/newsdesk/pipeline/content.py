"""Helpers that run inside extraction workers: they must be importable and picklable."""

from __future__ import annotations

import html as html_lib
import pickle
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass

from newsdesk.dedup import DedupOptions, StoryOptions
from newsdesk.domain import ExtractedArticle, FeedEntry, NewsdeskError
from newsdesk.extract import ExtractOptions, extract_article, sanitize_html
from newsdesk.pipeline.writer import ContentDigest, article_title, digest_content, trusted_canonical

BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr", "br"}


def html_to_text(html: str) -> str:
    """Paragraph-separated plain text of an HTML fragment (scripts and styles dropped)."""
    import lxml.html

    try:
        root = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return ""
    for bad in root.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    parts: list[str] = []
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in BLOCKS:
            element.tail = "\n\n" + (element.tail or "")
    text = root.text_content()
    for block in text.split("\n\n"):
        cleaned = " ".join(block.split())
        if cleaned:
            parts.append(cleaned)
    return "\n\n".join(parts)


def feed_content_document(title: str, content_html: str) -> str:
    """Wrap a feed item's own content in a minimal page so the extractor sees a document."""
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{html_lib.escape(title)}</title></head>"
        f"<body><article>{content_html}</article></body></html>"
    )


def extract_safely(
    html: str,
    url: str,
    options: ExtractOptions,
    from_feed: bool,
    cpu_seconds: dict[str, float] | None = None,
) -> ExtractedArticle | str:
    """The extracted article, or an error message (exceptions do not cross process pools well)."""
    try:
        return extract_article(html, url=url, options=options, cpu_seconds=cpu_seconds)
    except NewsdeskError as error:
        if not from_feed:
            return str(error)
    # Feed content is already the article: when the extractor finds it too short to trust,
    # its sanitized text is still the best available result.
    text = html_to_text(html)
    if not text.strip():
        return "feed content has no text"
    return ExtractedArticle(
        text=text, html=sanitize_html(html, base_url=url), extractor="feed-content"
    )


@dataclass(frozen=True)
class PageJob:
    """One page to extract and digest, with the options of the run (picklable)."""

    html: str
    url: str
    entry: FeedEntry
    extract: ExtractOptions
    dedup: DedupOptions
    stories: StoryOptions
    from_feed: bool = False


@dataclass(frozen=True)
class PageResult:
    """A page extracted and digested: what the writer decides on, and the CPU seconds each
    step took in the process that did it (for the ingest stage table)."""

    extracted: ExtractedArticle
    canonical_url: str
    digest: ContentDigest
    cpu_seconds: dict[str, float]


def extract_and_digest(job: PageJob) -> PageResult | str:
    """The extracted article, its trusted canonical URL and its digest; or an error message.

    Everything pure about one page in one call, so an extraction worker does all of it and
    the process that decides and writes only compares and stores.
    """
    cpu: dict[str, float] = {}
    extracted = extract_safely(job.html, job.url, job.extract, job.from_feed, cpu)
    if isinstance(extracted, str):
        return extracted
    started = time.process_time()
    canonical = trusted_canonical(job.url, extracted.canonical_url)
    title = article_title(job.entry, extracted, canonical)
    digest = digest_content(title, extracted.text, job.dedup, job.stories)
    cpu["digest"] = time.process_time() - started
    return PageResult(extracted, canonical, digest, cpu)


def extract_and_digest_each(jobs: Sequence[PageJob]) -> list[PageResult | str | Exception]:
    """extract_and_digest of each job (pipeline.handoff sends several pages in one task): its
    result, or the exception it raised, which the caller raises again for that page alone."""
    results: list[PageResult | str | Exception] = []
    for job in jobs:
        try:
            results.append(extract_and_digest(job))
        except Exception as error:
            results.append(_sendable(error))
    return results


def _sendable(error: Exception) -> Exception:
    """The exception with its traceback as a note, as it can cross back to the caller (one
    that does not pickle becomes a RuntimeError naming it, rather than failing the task's
    other pages)."""
    error.add_note("".join(traceback.format_exception(error)).rstrip())
    try:
        pickle.dumps(error)
    except Exception:
        return RuntimeError(f"extraction raised {error!r}")
    return error
