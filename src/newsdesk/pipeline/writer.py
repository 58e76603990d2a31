"""The dedup decision and the write of one article: shared by feed ingest and file imports.

Runs synchronously between awaits, so decisions within one process are serialised."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from urllib.parse import urlsplit

from newsdesk.dedup import (
    DecisionKind,
    DedupOptions,
    NearDuplicateIndex,
    canonicalize_url,
    content_hash,
    decide_story,
    fingerprint,
)
from newsdesk.domain import Article, ExtractedArticle, FeedEntry, NewsdeskError, Source
from newsdesk.domain.ports import ArticleStore
from newsdesk.pipeline.summary import IngestSummary


@dataclass(frozen=True)
class PreparedArticle:
    """An entry whose page was fetched and extracted, ready for the dedup decision."""

    entry: FeedEntry
    url: str
    canonical_url: str
    extracted: ExtractedArticle


def trusted_canonical(page_url: str, declared: str | None) -> str:
    """A page's rel=canonical is trusted only on its own host: a hostile page must not be able
    to claim (and so overwrite) another site's article."""
    if declared:
        page_host = (urlsplit(page_url).hostname or "").lower()
        declared_host = (urlsplit(declared).hostname or "").lower()
        if declared_host and declared_host == page_host:
            return canonicalize_url(declared)
    return canonicalize_url(page_url)


class ArticleWriter:
    def __init__(
        self, store: ArticleStore, options: DedupOptions, clock: Callable[[], datetime]
    ) -> None:
        self._store = store
        self._options = options
        self._clock = clock
        self._index = NearDuplicateIndex(options)
        for article_id, story_id, fp in store.iter_fingerprints():
            self._index.add(article_id, story_id, fp)

    def find_existing(self, source: Source, guid: str | None, canonical: str) -> Article | None:
        if guid:
            found = self._store.find_article(guid=guid, source_id=source.id)
            if found is not None:
                return found
        return self._store.find_article(canonical_url=canonical)

    def write(self, source: Source, prepared: PreparedArticle, summary: IngestSummary) -> None:
        entry, extracted = prepared.entry, prepared.extracted
        title = (entry.title or extracted.title or prepared.canonical_url).strip()
        text = extracted.text.strip()
        if not text:
            raise NewsdeskError("no article text could be extracted")
        new_hash = content_hash(title, text)
        fp = fingerprint(text, self._options)
        existing = self.find_existing(source, entry.guid, prepared.canonical_url)
        entry_canonical = canonicalize_url(entry.url)
        if existing is None and prepared.canonical_url != entry_canonical:
            existing = self._store.find_article(canonical_url=entry_canonical)
        decision = decide_story(
            existing_by_key=existing,
            existing_by_hash=self._store.find_article_by_hash(new_hash),
            near_matches=self._index.query(fp),
            new_hash=new_hash,
        )
        if decision.kind is DecisionKind.UNCHANGED:
            summary.unchanged += 1
            return
        if decision.kind is DecisionKind.DUPLICATE:
            summary.duplicate += 1
            return
        now = self._clock()
        article = Article(
            source_id=source.id,
            url=prepared.url,
            canonical_url=prepared.canonical_url,
            guid=entry.guid,
            title=title,
            text=text,
            html=extracted.html,
            authors=entry.authors or extracted.authors,
            published=entry.published or extracted.published,
            updated=entry.updated,
            language=extracted.language or entry.language,
            site_name=extracted.site_name,
            image=entry.image or extracted.image,
            content_hash=new_hash,
            fingerprint=fp,
            fetched_at=now,
        )
        if decision.kind is DecisionKind.UPDATE:
            if existing is None or existing.id is None:
                raise NewsdeskError("update decided without a stored article")
            article = replace(
                article,
                id=existing.id,
                canonical_url=existing.canonical_url,
                story_id=existing.story_id,
                created_at=existing.created_at,
                revised_at=now,
            )
            self._index.remove(existing.id)
            summary.updated += 1
        elif decision.kind is DecisionKind.RELATED:
            article.story_id = decision.story_id
            summary.related += 1
            summary.new += 1
        else:
            summary.new += 1
        saved = self._store.save_article(article)
        assert saved.id is not None
        self._index.add(saved.id, saved.story_id, fp)
