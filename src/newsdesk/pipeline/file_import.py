"""Importing pages from files (HTML folder, JSONL, WARC) through the same extract → dedup →
store path as fetched pages."""

from __future__ import annotations

import html as html_lib
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from newsdesk.dedup import DedupOptions, StoryOptions, canonicalize_url
from newsdesk.domain import ExtractedArticle, FeedEntry, NewsdeskError, Source, SourceKind, utcnow
from newsdesk.domain.access import Visibility
from newsdesk.domain.ports import Store
from newsdesk.extract import ExtractOptions
from newsdesk.pipeline.content import extract_safely
from newsdesk.pipeline.source_setup import register_source
from newsdesk.pipeline.summary import IngestSummary
from newsdesk.pipeline.writer import ArticleWriter, PreparedArticle, trusted_canonical
from newsdesk.sources import (
    ImportedPage,
    ImportItem,
    ImportProblem,
    iter_html_folder,
    iter_jsonl,
    iter_warc,
)


def pages_from_path(path: Path) -> Iterable[ImportItem]:
    """Pick the reader by what the path is: a folder of HTML, a .jsonl file or a WARC file."""
    if path.is_dir():
        return iter_html_folder(path)
    name = path.name.lower()
    if name.endswith((".jsonl", ".jsonl.gz", ".ndjson")):
        return iter_jsonl(path)
    if name.endswith((".warc", ".warc.gz")):
        return iter_warc(path)
    raise NewsdeskError(f"cannot import {path}: expected a folder, a .jsonl or a .warc(.gz) file")


def import_source_for(store: Store, path: Path) -> Source:
    """The (never fetched) source that imported articles are attributed to."""
    url = path.resolve().as_uri()
    existing = store.get_source_by_url(url)
    if existing is not None:
        return existing
    return register_source(
        store,
        Source(
            url=url,
            name=f"import: {path.name}",
            kind=SourceKind.PAGE,
            enabled=False,
            disabled_reason="file import",
        ),
    )


def import_pages(
    store: Store,
    source: Source,
    pages: Iterable[ImportItem],
    *,
    extract_options: ExtractOptions,
    dedup_options: DedupOptions,
    story_options: StoryOptions | None = None,
    clock: Callable[[], datetime] = utcnow,
    visibility: Visibility | None = None,
) -> IngestSummary:
    """Store the pages through extraction and dedup; visibility: who may read every one of
    them in full (None: as the source says)."""
    started = time.perf_counter()
    summary = IngestSummary(sources=1)
    writer = ArticleWriter(store, dedup_options, story_options or StoryOptions(), clock)
    for page in pages:
        if isinstance(page, ImportProblem):
            summary.failed += 1
            summary.errors.append(str(page))
            continue
        try:
            prepared = replace(_prepare(page, extract_options), visibility=visibility)
            writer.write(source, prepared, summary)
        except NewsdeskError as error:
            summary.failed += 1
            summary.errors.append(f"{page.url}: {error}")
    summary.seconds = time.perf_counter() - started
    return summary


def _prepare(page: ImportedPage, options: ExtractOptions) -> PreparedArticle:
    title = page.title
    if page.html:
        extracted = extract_safely(page.html, page.url, options, False)
        if isinstance(extracted, str):
            raise NewsdeskError(extracted)
        # The extractor's title has the "| Site" suffixes of a raw <title> removed.
        title = extracted.title or title
    elif page.text:
        paragraphs = [p.strip() for p in page.text.split("\n\n") if p.strip()]
        extracted = ExtractedArticle(
            text="\n\n".join(paragraphs),
            html="".join(f"<p>{html_lib.escape(p)}</p>" for p in paragraphs),
            title=page.title,
            extractor="plain-text",
        )
    else:
        raise NewsdeskError("record has neither html nor text")
    entry = FeedEntry(url=page.url, title=title, published=page.published)
    canonical = (
        trusted_canonical(page.url, extracted.canonical_url)
        if page.url.startswith(("http://", "https://"))
        else canonicalize_url(page.url)
    )
    return PreparedArticle(entry=entry, url=page.url, canonical_url=canonical, extracted=extracted)
