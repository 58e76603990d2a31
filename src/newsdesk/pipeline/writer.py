"""The dedup decision and the write of one article: shared by feed ingest and file imports.

Runs synchronously between awaits, so decisions within one process are serialised."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from newsdesk.dedup import (
    DecisionKind,
    DedupOptions,
    NearDuplicateIndex,
    StoryIndex,
    StoryOptions,
    canonicalize_url,
    content_hash,
    decide_story,
    fingerprint,
    story_features,
)
from newsdesk.domain import (
    Article,
    ExtractedArticle,
    FeedEntry,
    FetchAttempt,
    NewsdeskError,
    PollFence,
    Source,
    StoredEntry,
)
from newsdesk.domain.access import Visibility
from newsdesk.domain.ports import ArticleBatch, ArticleStore
from newsdesk.pipeline.summary import IngestSummary


@dataclass(frozen=True)
class ContentDigest:
    """What the dedup decision compares, computed from the extracted text alone: pure, so
    extraction workers compute it next to the extraction and the writer only decides."""

    title: str
    text: str
    content_hash: str
    fingerprint: bytes
    features: tuple[str, ...]


def digest_content(
    title: str, text: str, options: DedupOptions, story_options: StoryOptions
) -> ContentDigest:
    title, text = title.strip(), text.strip()
    return ContentDigest(
        title=title,
        text=text,
        content_hash=content_hash(title, text),
        fingerprint=fingerprint(text, options),
        features=story_features(title, text, story_options),
    )


def article_title(entry: FeedEntry, extracted: ExtractedArticle, canonical_url: str) -> str:
    return entry.title or extracted.title or canonical_url


@dataclass(frozen=True)
class PreparedArticle:
    """An entry whose page was fetched and extracted, ready for the dedup decision."""

    entry: FeedEntry
    url: str
    canonical_url: str
    extracted: ExtractedArticle
    # Computed by the extraction worker with the writer's options; None: the writer does it.
    digest: ContentDigest | None = None
    # Who may read it in full and where its preview ends (house pieces, imports with
    # --visibility); None: as its source says / the site's default, or what it had before.
    visibility: Visibility | None = None
    preview_paragraphs: int | None = None


def trusted_canonical(page_url: str, declared: str | None) -> str:
    """A page's rel=canonical is trusted only on its own host: a hostile page must not be able
    to claim (and so overwrite) another site's article."""
    if declared:
        page_host = (urlsplit(page_url).hostname or "").lower()
        declared_host = (urlsplit(declared).hostname or "").lower()
        if declared_host and declared_host == page_host:
            return canonicalize_url(declared)
    return canonicalize_url(page_url)


STORY_FEATURES = "story_features"  # key in Article.extra


class StoredEntries:
    """Feed entries' stored articles, looked up as ingest always has: by GUID within the
    source first, else by canonical URL."""

    def __init__(self, source_id: int | None, found: Sequence[StoredEntry]) -> None:
        self._by_guid: dict[str, StoredEntry] = {}
        self._by_url: dict[str, StoredEntry] = {}
        for item in found:
            if item.guid and item.source_id == source_id and source_id is not None:
                self._by_guid.setdefault(item.guid, item)
            self._by_url.setdefault(item.canonical_url, item)

    def get(self, guid: str | None, canonical: str) -> StoredEntry | None:
        if guid and guid in self._by_guid:
            return self._by_guid[guid]
        return self._by_url.get(canonical)


class ArticleWriter:
    """Links each new article to a story: first by near-duplicate text (MinHash), then, for
    independently written re-reports, by shared names and figures within a time window."""

    def __init__(
        self,
        store: ArticleStore,
        options: DedupOptions,
        story_options: StoryOptions,
        clock: Callable[[], datetime],
        *,
        seen_at_publication: bool = False,
        batch: ArticleBatch | None = None,
    ) -> None:
        self._store = store
        # Decisions read, and articles are saved, through the batch's transaction when given.
        self._writes: ArticleBatch | ArticleStore = batch if batch is not None else store
        self._options = options
        self._story_options = story_options
        self._clock = clock
        self._seen_at_publication = seen_at_publication
        self._index = NearDuplicateIndex(options)
        self._stories = StoryIndex(story_options)
        self._high_water = 0  # the newest article id the indexes hold
        self.catch_up()

    def catch_up(self) -> None:
        """Add the articles stored since the indexes were loaded (by other processes: several
        workers ingest into one database), so the next decision sees them too."""
        after = self._high_water
        for article_id, story_id, fp in self._store.iter_fingerprints(after_id=after):
            self._index.add(article_id, story_id, fp)
            self._high_water = max(self._high_water, article_id)
        since = self._clock() - timedelta(hours=self._story_options.window_hours)
        for article in self._store.recent_articles(since, after_id=after):
            features = article.extra.get(STORY_FEATURES)
            if article.id is not None and isinstance(features, list):
                self._stories.add(
                    article.id,
                    article.story_id,
                    [str(f) for f in features],
                    article.published or article.created_at,
                )
                self._high_water = max(self._high_water, article.id)

    def _seen_at(self, published: datetime | None, now: datetime) -> datetime | None:
        """When a new article counts as seen: now (None), or, when backfilling, its
        publication time if that is known and not in the future."""
        if self._seen_at_publication and published is not None and published <= now:
            return published
        return None

    def stored_entries(self, source: Source, entries: Sequence[FeedEntry]) -> StoredEntries:
        """The stored articles that a feed's entries may be, read in one go."""
        found = self._store.find_stored_entries(
            source_id=source.id,
            guids=[entry.guid for entry in entries if entry.guid],
            canonical_urls=[canonicalize_url(entry.url) for entry in entries],
        )
        return StoredEntries(source.id, found)

    def write(
        self,
        source: Source,
        prepared: PreparedArticle,
        summary: IngestSummary,
        *,
        fetch_attempts: Sequence[FetchAttempt] = (),
        fence: PollFence | None = None,
    ) -> bool:
        """Decide and store one article; True when it was saved, and `fetch_attempts` (fetch
        log rows) with it in the same transaction. False: nothing was written. With a fence,
        FencedOut (nothing written) when a later poll of the source superseded it."""
        return self._write(source, prepared, summary, fetch_attempts, fence)[0]

    def write_article(
        self, source: Source, prepared: PreparedArticle, summary: IngestSummary
    ) -> int | None:
        """Decide and store one article (imports): the id of the stored article it is, new,
        updated or unchanged (then with the visibility and break it was given); None for a
        duplicate of another article."""
        return self._write(source, prepared, summary, (), None)[1]

    def _apply_access(self, existing: Article, prepared: PreparedArticle) -> bool:
        """An unchanged text imported again with a visibility or break: set them; True when
        that changed what the article had."""
        visibility = prepared.visibility or existing.visibility
        paragraphs = (
            existing.preview_paragraphs
            if prepared.preview_paragraphs is None
            else prepared.preview_paragraphs
        )
        if existing.id is None or (visibility, paragraphs) == (
            existing.visibility,
            existing.preview_paragraphs,
        ):
            return False
        self._store.set_article_access(
            existing.id, visibility=visibility, preview_paragraphs=paragraphs
        )
        return True

    def _write(
        self,
        source: Source,
        prepared: PreparedArticle,
        summary: IngestSummary,
        fetch_attempts: Sequence[FetchAttempt],
        fence: PollFence | None,
    ) -> tuple[bool, int | None]:
        entry, extracted = prepared.entry, prepared.extracted
        digest = prepared.digest or digest_content(
            article_title(entry, extracted, prepared.canonical_url),
            extracted.text,
            self._options,
            self._story_options,
        )
        title, text, new_hash = digest.title, digest.text, digest.content_hash
        if not text:
            raise NewsdeskError("no article text could be extracted")
        fp, features = digest.fingerprint, digest.features
        existing, existing_by_hash = self._writes.find_ingest_matches(
            source_id=source.id,
            guid=entry.guid or None,
            canonical_urls=[prepared.canonical_url, canonicalize_url(entry.url)],
            content_hash=new_hash,
        )
        now = self._clock()
        published = entry.published or extracted.published
        near = [m for m in self._index.query(fp) if m.story_id is not None]
        if not near:
            # Scores of the two indexes are on different scales: never mix them in one list.
            near = self._stories.query(features, published or now)
        decision = decide_story(
            existing_by_key=existing,
            existing_by_hash=existing_by_hash,
            near_matches=near,
            new_hash=new_hash,
        )
        if decision.kind is DecisionKind.UNCHANGED:
            summary.unchanged += 1
            if existing is not None and self._apply_access(existing, prepared):
                summary.access_changed += 1
            return False, decision.article_id
        if decision.kind is DecisionKind.DUPLICATE:
            summary.duplicate += 1
            return False, None
        article = Article(
            source_id=source.id,
            url=prepared.url,
            canonical_url=prepared.canonical_url,
            guid=entry.guid,
            title=title,
            text=text,
            html=extracted.html,
            authors=entry.authors or extracted.authors,
            published=published,
            updated=entry.updated,
            language=extracted.language or entry.language,
            site_name=extracted.site_name,
            image=entry.image or extracted.image,
            content_hash=new_hash,
            fingerprint=fp,
            fetched_at=now,
            extra={STORY_FEATURES: list(features)},
            created_at=self._seen_at(published, now),
            visibility=prepared.visibility,
            preview_paragraphs=prepared.preview_paragraphs,
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
                extra={**existing.extra, STORY_FEATURES: list(features)},
                # A revision from the feed keeps what was set on the article before.
                visibility=prepared.visibility or existing.visibility,
                preview_paragraphs=(
                    prepared.preview_paragraphs
                    if prepared.preview_paragraphs is not None
                    else existing.preview_paragraphs
                ),
            )
        elif decision.kind is DecisionKind.RELATED:
            article.story_id = decision.story_id
        saved = self._writes.save_article(article, fetch_attempts=fetch_attempts, fence=fence)
        if saved.id is None:
            raise NewsdeskError("the store returned an article without an id")
        # Counted and indexed once stored: a save that fails leaves the summary and the
        # indexes as they were.
        if decision.kind is DecisionKind.UPDATE:
            self._index.remove(saved.id)  # the stored article's id: the update keeps it
            self._stories.remove(saved.id)
            summary.updated += 1
        else:
            summary.new += 1
            summary.related += decision.kind is DecisionKind.RELATED
        summary.changed_ids.append(saved.id)
        self._high_water = max(self._high_water, saved.id)
        self._index.add(saved.id, saved.story_id, fp)
        self._stories.add(saved.id, saved.story_id, features, published or now)
        return True, saved.id
