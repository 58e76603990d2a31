"""Extraction for the ingest runner: an entry's page, or its feed's own content, to a
PreparedArticle. In the extraction processes (more than one worker) or in this process, with
the extraction options for what the feed already answered, and the CPU seconds of each step
added to the caller's stage table (IngestSummary.cpu_seconds)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import replace

from newsdesk.dedup import DedupOptions, StoryOptions
from newsdesk.domain import FeedEntry, NewsdeskError
from newsdesk.extract import ExtractOptions
from newsdesk.pipeline.concurrency import extraction_pool
from newsdesk.pipeline.content import PageJob, extract_and_digest, feed_content_document
from newsdesk.pipeline.handoff import PageHandoff
from newsdesk.pipeline.summary import charged
from newsdesk.pipeline.writer import PreparedArticle


class Extraction:
    def __init__(
        self,
        extract: ExtractOptions,
        dedup: DedupOptions,
        stories: StoryOptions,
        *,
        workers: int,
    ) -> None:
        """workers: extraction processes; 1 extracts in this process."""
        self._extract = extract
        self._dedup = dedup
        self._stories = stories
        self._workers = workers
        self._handoff: PageHandoff | None = None
        self._entry_options: dict[tuple[bool, frozenset[str]], ExtractOptions] = {}

    @contextlib.contextmanager
    def processes(self) -> Iterator[None]:
        """The extraction processes open for the block (none with one worker)."""
        if self._workers <= 1:
            yield
            return
        executor = extraction_pool(self._workers)
        # A task per worker and one queued behind them (as the pool itself queues one call
        # more than it has workers), so a worker that finishes never waits for this process
        # to send it more; pages that arrive meanwhile share the next task.
        self._handoff = PageHandoff(executor, tasks_in_flight=self._workers + 1)
        try:
            yield
        finally:
            self._handoff = None
            executor.shutdown(cancel_futures=True)

    async def from_feed(self, entry: FeedEntry, cpu: dict[str, float]) -> PreparedArticle:
        """The article from the feed item's own content (no page fetched)."""
        content = entry.content_html or entry.summary
        if not content:
            raise NewsdeskError("feed-only entry carries no content")
        document = feed_content_document(entry.title or "", content)
        return await self.from_html(entry, entry.url, document, cpu, from_feed=True)

    async def from_html(
        self,
        entry: FeedEntry,
        url: str,
        html: str,
        cpu: dict[str, float],
        *,
        from_feed: bool = False,
    ) -> PreparedArticle:
        """The article from a page's HTML; NewsdeskError when nothing could be extracted."""
        known = frozenset(
            name for name, value in (("title", entry.title), ("authors", entry.authors)) if value
        )
        job = PageJob(
            html=html,
            url=url,
            entry=entry,
            extract=self._options(dated=entry.published is not None, known=known),
            dedup=self._dedup,
            stories=self._stories,
            from_feed=from_feed,
        )
        if self._handoff is not None:
            with charged(cpu, "main: extraction hand-off"):
                answer = self._handoff.submit(job)
            result = await answer
        else:
            result = extract_and_digest(job)
        if isinstance(result, str):
            raise NewsdeskError(result)
        for step, seconds in result.cpu_seconds.items():
            cpu[f"extract: {step}"] = cpu.get(f"extract: {step}", 0.0) + seconds
        return PreparedArticle(
            entry=entry,
            url=url,
            canonical_url=result.canonical_url,
            extracted=result.extracted,
            digest=result.digest,
        )

    def _options(self, *, dated: bool, known: frozenset[str]) -> ExtractOptions:
        """The extraction options for an entry with what its feed already answered (a few
        variants per run, made once rather than for every page)."""
        key = (dated, known)
        options = self._entry_options.get(key)
        if options is None:
            options = self._extract
            if dated:
                # The feed already dated the item and its date wins over the page's: searching
                # the page for one is wasted work.
                options = replace(options, date_search="off")
            if known:
                # Likewise the feed's title and authors win: the page is not searched for them.
                options = replace(options, known_metadata=options.known_metadata | known)
            self._entry_options[key] = options
        return options


__all__ = ["Extraction"]
