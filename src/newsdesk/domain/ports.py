"""Protocols the upper layers depend on; the stages implement them structurally."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Protocol

from newsdesk.domain.access import Visibility
from newsdesk.domain.enrichment import Enrichment, EntitySummary, FactSummary, SectorLabel
from newsdesk.domain.leases import PollFence
from newsdesk.domain.models import Article, FetchAttempt, Source, StoredEntry, Story


class SourceStore(Protocol):
    def add_source(self, source: Source) -> Source:
        """Insert a source; raises ValueError if a source with that URL exists."""

    def get_source(self, source_id: int) -> Source | None: ...

    def get_source_by_url(self, url: str) -> Source | None: ...

    def list_sources(self) -> list[Source]: ...

    def update_source(self, source: Source, *, fence: PollFence | None = None) -> None:
        """Persist schedule, validators and health fields of an existing source; with a fence,
        raise FencedOut (writing nothing) when a later poll of the source superseded it."""

    def remove_source(self, source_id: int) -> bool:
        """Delete a source and its fetch log; its articles stay, detached (source_id NULL),
        keeping the source's visibility as their own when they had none."""

    def due_sources(self, now: datetime) -> list[Source]:
        """Enabled sources whose next_fetch_at is NULL or <= now, earliest first."""

    def record_fetch_attempt(
        self, attempt: FetchAttempt, *, fence: PollFence | None = None
    ) -> None: ...

    def record_fetch_attempts(
        self, attempts: Sequence[FetchAttempt], *, fence: PollFence | None = None
    ) -> None:
        """Several rows of the fetch log in one transaction (refused, FencedOut, when a later
        poll of their source superseded fence)."""

    def recent_fetch_attempts(
        self, source_id: int | None = None, limit: int = 50
    ) -> list[FetchAttempt]: ...


class ArticleBatch(Protocol):
    """Ingest decisions and saves sharing one transaction until commit(): reads see the
    batch's own writes; one article's failed save leaves the others (savepoints)."""

    pending: int  # articles saved since the last commit

    def age_seconds(self) -> float: ...

    def find_ingest_matches(
        self,
        *,
        source_id: int | None,
        guid: str | None,
        canonical_urls: Sequence[str],
        content_hash: str,
    ) -> tuple[Article | None, Article | None]: ...

    def save_article(
        self,
        article: Article,
        *,
        story_title: str | None = None,
        fetch_attempts: Sequence[FetchAttempt] = (),
        fence: PollFence | None = None,
    ) -> Article: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...


class ArticleStore(Protocol):
    def find_article(
        self,
        *,
        canonical_url: str | None = None,
        guid: str | None = None,
        source_id: int | None = None,
    ) -> Article | None:
        """An article by canonical URL, or by (source_id, guid) when a GUID is given."""

    def find_article_by_hash(self, content_hash: str) -> Article | None: ...

    def find_ingest_matches(
        self,
        *,
        source_id: int | None,
        guid: str | None,
        canonical_urls: Sequence[str],
        content_hash: str,
    ) -> tuple[Article | None, Article | None]:
        """(by key, by hash) in one read: the article with the GUID within the source, else
        the first stored of canonical_urls; and the earliest article with the content hash."""

    def get_article(self, article_id: int) -> Article | None: ...

    def ingest_batch(self) -> ArticleBatch:
        """A transaction for several ingest decisions and saves, committed by the caller."""

    def find_stored_entries(
        self, *, source_id: int | None, guids: Sequence[str], canonical_urls: Sequence[str]
    ) -> list[StoredEntry]:
        """In one read: the stored articles with one of the GUIDs within the source or one of
        the canonical URLs (in any source), as the keys ingest skips entries by."""

    def save_article(
        self,
        article: Article,
        *,
        story_title: str | None = None,
        fetch_attempts: Sequence[FetchAttempt] = (),
        fence: PollFence | None = None,
    ) -> Article:
        """Insert (id None) or update one article in its own transaction and return it with id;
        `fetch_attempts` (fetch log rows) are written in the same transaction.

        If article.story_id is None a new story is created for it (titled story_title or the
        article title) in the same transaction. Inserting a canonical URL that another writer
        stored meanwhile returns the stored row instead of failing, so concurrent ingesters
        never duplicate an article. With a fence, raises FencedOut (nothing written) when a
        later poll of the article's source superseded the writing one.
        """

    def set_article_access(
        self,
        article_id: int,
        *,
        visibility: Visibility | None,
        preview_paragraphs: int | None,
    ) -> bool:
        """Who may read it in full (None: as its source says) and its preview break (None:
        the site's default); False if there is no such article."""

    def set_article_extra(self, article_id: int, key: str, value: object) -> bool:
        """Set one key of the article's extra data; False if there is no such article."""

    def list_articles(
        self, *, source_id: int | None = None, limit: int | None = None, offset: int = 0
    ) -> list[Article]:
        """Newest first (published, then created)."""

    def iter_fingerprints(self, *, after_id: int = 0) -> Iterator[tuple[int, int | None, bytes]]:
        """(article_id, story_id, fingerprint) for every article with a fingerprint (stored
        after article after_id)."""

    def recent_articles(
        self, since: datetime, *, newest: int | None = None, after_id: int = 0
    ) -> Iterator[Article]:
        """Articles published (or, without a date, stored) at or after ``since``, oldest first;
        with ``newest``, only that many of the most recently stored among them; with
        ``after_id``, only those stored after that article."""

    def get_story(self, story_id: int) -> Story | None: ...

    def list_stories(self, *, limit: int | None = None) -> list[Story]: ...

    def story_articles(self, story_id: int) -> list[Article]: ...

    def count_articles(self) -> int: ...


class EnrichmentStore(Protocol):
    def save_enrichment(self, enrichment: Enrichment) -> None:
        """Replace everything enrichment stored for the article, in one transaction.

        Sector labels set by an editor (by_editor) are kept and win over automatic ones.
        Entities are upserted by id (name, type and aliases of the newest call win; aliases
        are merged). Facts are stored once per key with one source row per article.
        """

    def get_enrichment(self, article_id: int) -> Enrichment | None: ...

    def save_enrichments(self, batch: Sequence[Enrichment]) -> None:
        """`save_enrichment` for many articles in one transaction (all or none saved)."""

    def articles_by_id(self, article_ids: list[int]) -> dict[int, Article]:
        """The stored articles among the given ids."""

    def enrichment_outlines(self, article_ids: list[int]) -> dict[int, Enrichment]:
        """Enriched articles among the ids: version, labels (>= 0.5 or editor's), entities."""

    def set_editor_sectors(self, article_id: int, sector_ids: list[str]) -> None:
        """An editor's correction: these sectors and no others, kept across re-enrichment."""

    def set_editor_no_sector(self, article_id: int) -> None:
        """An editor's correction: the article belongs to no sector."""

    def editor_corrections(
        self, article_ids: list[int] | None = None
    ) -> dict[int, tuple[str, ...]]:
        """Corrected articles with the editor's sectors (an empty tuple: no sector)."""

    def story_sizes(self, story_ids: list[int]) -> dict[int, int]:
        """How many articles each given story has (stories without articles left out)."""

    def save_story_summaries(self, summaries: dict[int, str]) -> None:
        """Set the summary of each given story (story id -> summary), in one transaction."""

    def articles_to_enrich(self, version: str, *, limit: int | None = None) -> list[int]:
        """Ids of articles never enriched or enriched under another version, oldest first."""

    def list_entities(
        self, *, article_id: int | None = None, limit: int | None = None
    ) -> list[EntitySummary]:
        """Most mentioned first (or, for one article, the entities of that article)."""

    def list_facts(
        self, *, fact_type: str | None = None, limit: int | None = None
    ) -> list[FactSummary]:
        """Newest first (by the latest article stating the fact)."""

    def article_sectors(self, article_ids: list[int]) -> dict[int, list[SectorLabel]]:
        """Sector labels (score >= 0.5, editor's first) for each of the given articles."""


class Store(SourceStore, ArticleStore, EnrichmentStore, Protocol):
    def close(self) -> None: ...
