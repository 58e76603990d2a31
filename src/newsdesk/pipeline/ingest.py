"""The ingest runner: due sources → fetch → parse → per entry: page or feed content → extract →
dedup decision → save. One transaction per article (its page's fetch log row goes in it), so a
crash loses at most the articles in flight and a re-run resumes without duplicates.

The summary carries CPU seconds per stage (`cpu_seconds`): the main process's own steps, the
extraction steps wherever they ran, and the rest of the main process (fetching, feed parsing,
the event loop) as "main: fetch, feeds, loop"."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime

from newsdesk.dedup import DedupOptions, StoryOptions, canonicalize_url
from newsdesk.domain import (
    FeedEntry,
    FetchAttempt,
    FetchError,
    FetchOutcome,
    FetchResponse,
    NewsdeskError,
    ParsedSource,
    PollFence,
    Source,
    SourceKind,
    utcnow,
)
from newsdesk.domain.ports import ArticleBatch, Store
from newsdesk.extract import ExtractOptions
from newsdesk.fetch import Fetcher, FetchOptions, HostSlots, apply_result
from newsdesk.pipeline.concurrency import gather_or_cancel
from newsdesk.pipeline.extraction import Extraction
from newsdesk.pipeline.fetch_log import fetch_attempt
from newsdesk.pipeline.summary import IngestSummary, charged
from newsdesk.pipeline.writer import ArticleWriter, PreparedArticle, StoredEntries
from newsdesk.sources import ParseOptions, parse_source

log = logging.getLogger(__name__)

ProgressCallback = Callable[[int, str], None]  # (entries just finished, description)


@dataclass(frozen=True)
class IngestOptions:
    fetch: FetchOptions
    extract: ExtractOptions
    parse: ParseOptions
    dedup: DedupOptions
    stories: StoryOptions = field(default_factory=StoryOptions)
    default_interval: int = 3600
    workers: int = 1  # extraction processes; 1 extracts in the event loop's process
    entries_in_flight: int = 4  # per source: page fetches overlapping extraction
    max_sitemap_documents: int = 50  # child sitemaps followed per source and run
    # Backfill: an article counts as seen when it was published, not when it was fetched, so
    # that loading an archive (the demo) looks like an instance that has been running and
    # does not put the whole archive into today's digest window.
    seen_at_publication: bool = False
    # Articles share one transaction until this many are saved or the oldest waited
    # commit_seconds (1: a transaction per article). A crash loses at most that batch, and
    # the next run fetches it again.
    commit_every: int = 64
    commit_seconds: float = 0.5


class IngestRunner:
    def __init__(
        self,
        store: Store,
        options: IngestOptions,
        *,
        progress: ProgressCallback | None = None,
        clock: Callable[[], datetime] = utcnow,
        rng: random.Random | None = None,
        gate: HostSlots | None = None,
        shared_store: bool = False,
    ) -> None:
        """gate: per-host politeness shared with other processes (default: this process's).
        shared_store: other processes write articles to the store too, so the dedup indexes
        catch up with them before each decision."""
        self._store = store
        self._gate = gate
        self._shared_store = shared_store
        self._fetcher: Fetcher | None = None
        self._fences: dict[int, PollFence] = {}  # source id -> the poll's fencing token
        self._polls_in_flight = 0
        self._options = options
        self._progress = progress
        self._clock = clock
        self._rng = rng or random.Random()  # noqa: S311 - schedule jitter, not security
        self._writer: ArticleWriter | None = None
        self._in_run: set[str] = set()
        self._attempts: list[FetchAttempt] = []  # fetch log rows not yet written
        self._batch: ArticleBatch | None = None
        self._cpu: dict[str, float] = {}
        self._extraction = Extraction(
            options.extract, options.dedup, options.stories, workers=options.workers
        )

    async def run(
        self, *, source_ids: Sequence[int] | None = None, force: bool = False
    ) -> IngestSummary:
        """Ingest the due sources (or the given ones, due or not) once."""
        started, cpu_started = time.perf_counter(), time.process_time()
        summary = IngestSummary()
        self._cpu = summary.cpu_seconds
        sources = self._select_sources(source_ids, force=force)
        summary.sources = len(sources)
        self._in_run.clear()
        committer: asyncio.Task[None] | None = None
        # The pool first: its workers need none of the indexes the writer loads.
        with self._extraction.processes():
            try:
                if self._options.commit_every > 1:
                    self._batch = self._store.ingest_batch()
                self._writer = self._new_writer(self._batch)
                committer = asyncio.create_task(self._commit_periodically())
                async with Fetcher(self._options.fetch, gate=self._gate) as fetcher:
                    limit = asyncio.Semaphore(self._options.fetch.concurrency)

                    async def one(source: Source) -> None:
                        async with limit:
                            await self._ingest_source(fetcher, source, summary)

                    await gather_or_cancel(one(s) for s in sources)
            finally:
                if committer is not None:
                    committer.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await committer
                self._commit()
                self._batch = None
                self._write_attempts()
                # The dedup indexes are rebuilt from the store on every run; holding them
                # between runs (and during the enrichment that follows) only costs memory.
                self._writer = None
                self._in_run.clear()
        summary.seconds = time.perf_counter() - started
        main_steps = sum(v for k, v in self._cpu.items() if k.startswith("main: "))
        if self._options.workers <= 1:  # extraction ran in this process
            main_steps += sum(v for k, v in self._cpu.items() if k.startswith("extract: "))
        self._cpu["main: fetch, feeds, loop"] = max(
            0.0, time.process_time() - cpu_started - main_steps
        )
        return summary

    @asynccontextmanager
    async def session(self) -> AsyncIterator[Fetcher]:
        """The extraction pool, dedup indexes and fetcher open for several poll() calls (a
        worker keeps one for its life). Each article is committed on its own: a poll's writes
        carry its fence, and a batch would mix the writes of polls running side by side."""
        self._in_run.clear()
        with self._extraction.processes():
            try:
                self._writer = self._new_writer(None)
                async with Fetcher(self._options.fetch, gate=self._gate) as fetcher:
                    self._fetcher = fetcher
                    yield fetcher
            finally:
                self._fetcher = None
                self._writer = None
                self._in_run.clear()

    async def poll(self, source: Source, *, fence: PollFence | None = None) -> IngestSummary:
        """Ingest one source now (inside session()). With a fence, every write of this poll is
        refused once a later poll of the source began: FencedOut ends it, nothing stored."""
        if self._fetcher is None or self._writer is None or source.id is None:
            raise RuntimeError("poll() needs a stored source and an open session()")
        started = time.perf_counter()
        summary = IngestSummary(sources=1)
        self._cpu = summary.cpu_seconds
        if fence is not None:
            self._fences[source.id] = fence
        self._polls_in_flight += 1
        try:
            if self._shared_store:
                self._writer.catch_up()
            await self._ingest_source(self._fetcher, source, summary)
        finally:
            self._polls_in_flight -= 1
            self._fences.pop(source.id, None)
            if not self._polls_in_flight:
                self._in_run.clear()  # URLs seen by overlapping polls, as within one run
        summary.seconds = time.perf_counter() - started
        return summary

    def _new_writer(self, batch: ArticleBatch | None) -> ArticleWriter:
        """The dedup decision and the write, its indexes loaded from the store now."""
        return ArticleWriter(
            self._store,
            self._options.dedup,
            self._options.stories,
            self._clock,
            seen_at_publication=self._options.seen_at_publication,
            batch=batch,
        )

    def _select_sources(self, source_ids: Sequence[int] | None, *, force: bool) -> list[Source]:
        if source_ids:
            chosen = []
            for source_id in source_ids:
                source = self._store.get_source(source_id)
                if source is None:
                    raise NewsdeskError(f"no source with id {source_id}")
                chosen.append(source)
            return chosen
        if force:
            return [s for s in self._store.list_sources() if s.enabled]
        return self._store.due_sources(self._clock())

    # -- one source ---------------------------------------------------------------------------

    async def _ingest_source(
        self, fetcher: Fetcher, source: Source, summary: IngestSummary
    ) -> None:
        assert source.id is not None
        started_at = self._clock()
        t0 = time.perf_counter()
        try:
            response = await fetcher.fetch(
                source.url,
                etag=source.etag,
                last_modified=source.last_modified,
                check_robots=source.kind is SourceKind.PAGE,
            )
        except FetchError as error:
            self._record(source, source.url, started_at, t0, error=error)
            self._reschedule(source, FetchOutcome.ERROR, error=error)
            summary.failed += 1
            summary.errors.append(f"{source.url}: {error}")
            log.warning("source fetch failed: %s: %s", source.url, error)
            return
        self._record(source, source.url, started_at, t0, response=response)
        if response.not_modified:
            summary.not_modified += 1
            self._reschedule(source, FetchOutcome.NOT_MODIFIED, response=response)
            return
        summary.fetched += 1
        try:
            entries = await self._entries(fetcher, source, response, summary)
        except NewsdeskError as error:
            self._reschedule(source, FetchOutcome.ERROR, error=error, response=response)
            summary.failed += 1
            summary.errors.append(f"{source.url}: {error}")
            log.warning("source unreadable: %s: %s", source.url, error)
            return
        await self._process_entries(fetcher, source, entries, response, summary)
        self._reschedule(source, FetchOutcome.OK, response=response)
        self._write_attempts()

    async def _entries(
        self, fetcher: Fetcher, source: Source, response: FetchResponse, summary: IngestSummary
    ) -> list[FeedEntry]:
        parsed = parse_source(
            response.body,
            url=response.final_url,
            content_type=response.content_type,
            options=self._options.parse,
        )
        entries = list(parsed.entries)
        if parsed.kind is SourceKind.SITEMAP and parsed.child_sitemaps:
            entries.extend(await self._child_sitemap_entries(fetcher, source, parsed, summary))
        # Oldest first, so the first report of a piece of news founds its story.
        epoch = datetime.min.replace(tzinfo=utcnow().tzinfo)
        entries.sort(key=lambda e: e.published or e.updated or epoch)
        return entries

    async def _child_sitemap_entries(
        self, fetcher: Fetcher, source: Source, parsed: ParsedSource, summary: IngestSummary
    ) -> list[FeedEntry]:
        seen = {canonicalize_url(source.url)}
        queue = list(parsed.child_sitemaps)
        entries: list[FeedEntry] = []
        followed = 0
        while queue and followed < self._options.max_sitemap_documents:
            url = queue.pop(0)
            key = canonicalize_url(url)
            if key in seen:
                continue  # a sitemap index that lists itself or a cycle is followed once
            seen.add(key)
            followed += 1
            started_at, t0 = self._clock(), time.perf_counter()
            try:
                child = await fetcher.fetch(url, check_robots=False)
                self._record(source, url, started_at, t0, response=child)
                doc = parse_source(
                    child.body,
                    url=child.final_url,
                    content_type=child.content_type,
                    options=self._options.parse,
                )
            except NewsdeskError as error:
                if isinstance(error, FetchError):
                    self._record(source, url, started_at, t0, error=error)
                summary.failed += 1
                summary.errors.append(f"{url}: {error}")
                continue
            summary.fetched += 1
            entries.extend(doc.entries)
            queue.extend(doc.child_sitemaps)
        return entries

    # -- entries ------------------------------------------------------------------------------

    async def _process_entries(
        self,
        fetcher: Fetcher,
        source: Source,
        entries: list[FeedEntry],
        response: FetchResponse,
        summary: IngestSummary,
    ) -> None:
        if source.kind is SourceKind.PAGE:
            entry = entries[0] if entries else FeedEntry(url=response.final_url)
            prepared = await self._extraction.from_html(
                entry, response.final_url, response.text(), self._cpu
            )
            self._finish(source, entry, prepared, summary)
            return
        limit = asyncio.Semaphore(self._options.entries_in_flight)
        assert self._writer is not None
        with self._charge("main: entry check"):
            stored = self._writer.stored_entries(source, entries)

        # Pages are fetched and extracted concurrently but decided in the feed's order, so
        # which of two near-duplicates is stored does not depend on which extraction ended first.
        # No deadlock: the semaphore serves waiters in order, so every earlier entry holds or
        # has held a slot.
        turns = [asyncio.Event() for _ in entries]

        # A poll ends at the first entry that fails beyond its own page (FencedOut when a later
        # poll superseded this one, a store error): gather_or_cancel cancels the others, and no
        # entry after it is decided. Every entry marks its turn in a finally, so a cancelled or
        # failed one never leaves the next waiting.
        ended = False

        async def one(index: int, entry: FeedEntry) -> None:
            nonlocal ended
            try:
                async with limit:
                    with self._charge("main: entry check"):
                        current = self._already_current(entry, summary, stored)
                    if current:
                        if index:
                            await turns[index - 1].wait()
                        return
                    try:
                        prepared = await self._prepare(fetcher, source, entry, summary)
                    except NewsdeskError as error:
                        summary.failed += 1
                        summary.errors.append(f"{entry.url}: {error}")
                        log.info("entry failed: %s: %s", entry.url, error)
                        prepared = None
                    if index:
                        await turns[index - 1].wait()
                    if not ended:
                        self._finish(source, entry, prepared, summary)
            except BaseException:
                ended = True
                raise
            finally:
                turns[index].set()

        await gather_or_cancel(one(i, e) for i, e in enumerate(entries))

    def _already_current(
        self, entry: FeedEntry, summary: IngestSummary, stored: StoredEntries
    ) -> bool:
        """True when the entry is stored and the feed does not say it changed: no page fetch."""
        canonical = canonicalize_url(entry.url)
        if canonical in self._in_run:
            summary.unchanged += 1
            return True
        existing = stored.get(entry.guid, canonical)
        if existing is None:
            self._in_run.add(canonical)
            return False
        changed = entry.updated is not None and (
            existing.updated is None or entry.updated > existing.updated
        )
        if changed:
            self._in_run.add(canonical)
            return False
        summary.unchanged += 1
        return True

    async def _prepare(
        self, fetcher: Fetcher, source: Source, entry: FeedEntry, summary: IngestSummary
    ) -> PreparedArticle:
        if source.feed_only:
            return await self._extraction.from_feed(entry, self._cpu)
        started_at, t0 = self._clock(), time.perf_counter()
        try:
            page = await fetcher.fetch(entry.url)
        except FetchError as error:
            self._record(source, entry.url, started_at, t0, error=error)
            if entry.content_html:
                log.info("page unavailable, using feed content: %s", entry.url)
                return await self._extraction.from_feed(entry, self._cpu)
            raise
        self._record(source, entry.url, started_at, t0, response=page)
        summary.fetched += 1
        return await self._extraction.from_html(entry, page.final_url, page.text(), self._cpu)

    # -- decision and storage -----------------------------------------------------------------

    def _finish(
        self,
        source: Source,
        entry: FeedEntry,
        prepared: PreparedArticle | None,
        summary: IngestSummary,
    ) -> None:
        if prepared is not None:
            assert self._writer is not None
            # The fetch log rows waiting so far go in with this article's transaction.
            attempts, self._attempts = self._attempts, []
            saved = False
            try:
                with self._charge("main: decide and save"):
                    if self._shared_store:
                        self._writer.catch_up()
                    saved = self._writer.write(
                        source,
                        prepared,
                        summary,
                        fetch_attempts=attempts,
                        fence=self._fences.get(source.id or -1),
                    )
            except (NewsdeskError, ValueError) as error:  # the store's ValueError: a bad row
                summary.failed += 1
                summary.errors.append(f"{entry.url}: {error}")
            finally:
                if not saved:
                    self._attempts[:0] = attempts
            batch = self._batch
            if batch is not None and (
                batch.pending >= self._options.commit_every
                or batch.age_seconds() >= self._options.commit_seconds
            ):
                self._commit()
        if self._progress is not None:
            self._progress(1, source.name or source.url)

    # -- bookkeeping --------------------------------------------------------------------------

    def _charge(self, stage: str) -> contextlib.AbstractContextManager[None]:
        """Add the CPU time of the block (synchronous: no await inside) to a stage."""
        return charged(self._cpu, stage)

    def _commit(self) -> None:
        """Commit the articles saved in the open batch, if any."""
        if self._batch is not None:
            with self._charge("main: decide and save"):
                self._batch.commit()

    async def _commit_periodically(self) -> None:
        """Commit the batch every commit_seconds even while no article is being saved (a
        slow page must not keep the others uncommitted, or hold SQLite's write lock)."""
        while True:
            await asyncio.sleep(self._options.commit_seconds)
            self._commit()

    def _write_attempts(self) -> None:
        """Write the fetch log rows that no article took with it, in one transaction."""
        attempts, self._attempts = self._attempts, []
        if attempts:
            self._commit()  # on SQLite the batch holds the write lock: release it first
            with self._charge("main: fetch log"):
                self._store.record_fetch_attempts(attempts)

    def _record(
        self,
        source: Source,
        url: str,
        started_at: datetime,
        t0: float,
        *,
        response: FetchResponse | None = None,
        error: FetchError | None = None,
    ) -> None:
        attempt = fetch_attempt(
            source.id,
            url,
            started_at,
            time.perf_counter() - t0,
            response=response,
            error=error,
        )
        fence = self._fences.get(source.id or -1)
        if fence is None:
            self._attempts.append(attempt)  # written with the next article, or at the end
            return
        # A poll's own rows, under its own fence: never in another poll's transaction.
        with self._charge("main: fetch log"):
            self._store.record_fetch_attempt(attempt, fence=fence)

    def _reschedule(
        self,
        source: Source,
        outcome: FetchOutcome,
        *,
        error: NewsdeskError | None = None,
        response: FetchResponse | None = None,
    ) -> None:
        fetch_error = error if isinstance(error, FetchError) else None
        updated = apply_result(
            source,
            now=self._clock(),
            outcome=outcome,
            error=fetch_error,
            status=response.status if response is not None and fetch_error is None else None,
            etag=response.etag if response is not None else None,
            last_modified=response.last_modified if response is not None else None,
            rng=self._rng,
        )
        if error is not None and fetch_error is None:
            # The document arrived but could not be read: that is this source's failure too.
            updated.consecutive_failures = source.consecutive_failures + 1
            updated.last_error = str(error)
        self._commit()  # on SQLite the batch holds the write lock: release it first
        self._store.update_source(updated, fence=self._fences.get(source.id or -1))


__all__ = ["IngestOptions", "IngestRunner", "IngestSummary"]
