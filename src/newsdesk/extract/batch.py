"""Batch extraction over JSONL, with every page bounded in time and memory.

Pages are extracted in one worker subprocess (started once, reused for every page). The
parent waits at most `page_timeout_seconds` for each page; a page that hangs, or kills the
worker by exhausting its memory cap, becomes an error row and the worker is restarted. The
batch itself never stops on a bad page or a bad line.
"""

from __future__ import annotations

import contextlib
import json
import logging
import multiprocessing
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, TextIO

from newsdesk.domain import ExtractedArticle, ExtractionError
from newsdesk.extract.article import extract_article
from newsdesk.extract.options import ExtractOptions

logger = logging.getLogger(__name__)

WORKER_READY = "ready"
WORKER_START_SECONDS = 120.0
RECORD_FIELDS = ("id", "title", "text", "authors", "published", "language", "site_name", "image")


@dataclass(frozen=True)
class BatchSummary:
    pages: int
    extracted: int
    errors: int
    seconds: float


def article_record(page_id: object, article: ExtractedArticle) -> dict[str, Any]:
    """The batch output row of one extracted page."""
    return {
        "id": page_id,
        "title": article.title,
        "text": article.text,
        "authors": list(article.authors),
        "published": article.published.isoformat() if article.published else None,
        "language": article.language,
        "site_name": article.site_name,
        "image": article.image,
    }


def error_record(page_id: object, error: str) -> dict[str, Any]:
    record: dict[str, Any] = dict.fromkeys(RECORD_FIELDS)
    record.update(id=page_id, text="", authors=[], error=error)
    return record


def extract_file(path: Path, *, url: str | None, options: ExtractOptions) -> ExtractedArticle:
    """One saved page (bytes as fetched, charset detected) -> ExtractedArticle.

    Raises ExtractionError; OSError if the file cannot be read.
    """
    return extract_article(path.read_bytes(), url=url, options=options)


def extract_page_file(path: Path, *, url: str | None, options: ExtractOptions) -> dict[str, Any]:
    """`newsdesk extract PAGE.html`: the batch row of one saved page (id = the file name),
    plus its canonical URL and the extractor that won.

    Raises ExtractionError when no article could be extracted; OSError if unreadable.
    """
    article = extract_file(path, url=url, options=options)
    record = article_record(path.name, article)
    record.update(canonical_url=article.canonical_url, extractor=article.extractor)
    return record


def _limit_memory(megabytes: int) -> None:
    try:
        import resource
    except ImportError:  # pragma: no cover - not on POSIX
        return
    limit = megabytes * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard == resource.RLIM_INFINITY or hard > limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _extract_to_record(
    html: str, url: str | None, page_id: object, options: ExtractOptions
) -> dict[str, Any]:
    try:
        return article_record(page_id, extract_article(html, url=url, options=options))
    except ExtractionError as error:
        return error_record(page_id, str(error))
    except MemoryError:
        return error_record(page_id, "page exceeded the worker memory limit")
    except Exception as error:  # an extractor bug on one page must not end the batch
        logger.debug("extraction crashed on %s", url, exc_info=True)
        return error_record(page_id, f"extraction failed: {type(error).__name__}: {error}")


def _worker_main(connection: Connection, options: ExtractOptions) -> None:
    logging.disable(logging.WARNING)
    _limit_memory(options.worker_memory_mb)
    connection.send(WORKER_READY)
    while True:
        try:
            request = connection.recv()
        except EOFError:
            return
        if request is None:
            return
        html, url, page_id, page_options = request
        connection.send(_extract_to_record(html, url, page_id, page_options))


class _Worker:
    """One extraction subprocess; replaced when a page hangs or kills it."""

    def __init__(self, options: ExtractOptions) -> None:
        self._options = options
        self._context = multiprocessing.get_context("spawn")
        self._process: BaseProcess | None = None
        self._connection: Connection | None = None

    def _start(self) -> tuple[BaseProcess, Connection]:
        parent_end, child_end = self._context.Pipe()
        process = self._context.Process(
            target=_worker_main, args=(child_end, self._options), daemon=True
        )
        process.start()
        child_end.close()
        self._process, self._connection = process, parent_end
        # Imports take a while on a busy machine; that must not count against the first page.
        if not parent_end.poll(WORKER_START_SECONDS) or parent_end.recv() != WORKER_READY:
            self.stop()
            raise RuntimeError("the extraction worker did not start")
        return process, parent_end

    def extract(self, html: str, url: str | None, page_id: object) -> dict[str, Any]:
        """The page's record; a page that hangs or kills the worker is tried once more with
        readability alone, so an extractor stuck on it does not cost the page its text."""
        record = self._extract_once(html, url, page_id, self._options)
        if "error" not in record or not record.get("worker_failed"):
            return record
        fallback = replace(self._options, primary_extractor="readability", second_opinion=False)
        retry = self._extract_once(html, url, page_id, fallback)
        if "error" not in retry:
            return retry
        return error_record(page_id, f"{record['error']}; readability fallback: {retry['error']}")

    def _extract_once(
        self, html: str, url: str | None, page_id: object, options: ExtractOptions
    ) -> dict[str, Any]:
        if self._process is None or self._connection is None or not self._process.is_alive():
            self.stop()
            process, connection = self._start()
        else:
            process, connection = self._process, self._connection
        try:
            connection.send((html, url, page_id, options))
            if connection.poll(options.page_timeout_seconds):
                record: dict[str, Any] = connection.recv()
                return record
            error = f"timed out after {options.page_timeout_seconds:g} s"
        except (EOFError, OSError, BrokenPipeError):
            process.join(1)
            error = f"extraction worker died (exit code {process.exitcode})"
        logger.warning("page %s (%s): %s; restarting the worker", page_id, url, error)
        self.stop(graceful=False)
        return {**error_record(page_id, error), "worker_failed": True}

    def stop(self, *, graceful: bool = True) -> None:
        """End the worker: ask it to exit, or (a hung worker) kill it at once."""
        process, connection = self._process, self._connection
        self._process = self._connection = None
        if connection is not None:
            if graceful:
                with contextlib.suppress(OSError, BrokenPipeError):
                    connection.send(None)
            connection.close()
        if process is not None:
            process.join(0.5 if graceful else 0)
            if process.is_alive():
                process.kill()
                process.join()
            process.close()


def _requests(
    input_lines: Iterable[str], options: ExtractOptions
) -> Iterator[tuple[object, str | None, str | None, str | None]]:
    """(id, url, html, error) per non-blank input line; html None when the line is unusable."""
    for number, line in enumerate(input_lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, None, None, f"invalid JSON on line {number}: {exc.msg}"
            continue
        if not isinstance(item, dict):
            yield number, None, None, f"line {number} is not a JSON object"
            continue
        page_id = item.get("id", number)
        url = item.get("url") if isinstance(item.get("url"), str) else None
        html = item.get("html")
        if not isinstance(html, str):
            yield page_id, url, None, "missing or non-string 'html'"
        elif len(html) > options.max_html_bytes:
            yield page_id, url, None, f"page too large: {len(html)} chars"
        else:
            yield page_id, url, html, None


def extract_jsonl(
    input_lines: Iterable[str], output: TextIO, *, options: ExtractOptions
) -> BatchSummary:
    """Read `{"id","url","html"}` lines and write one result line per page, in input order.

    Results have `id, title, text, authors, published, language, site_name, image`; a page
    that fails also has `error` (and empty text). Nothing on one line can stop the batch.
    """
    started = time.perf_counter()
    pages = extracted = 0
    worker = _Worker(options)
    try:
        for page_id, url, html, problem in _requests(input_lines, options):
            pages += 1
            record = (
                error_record(page_id, problem or "")
                if html is None
                else (worker.extract(html, url, page_id))
            )
            if "error" not in record:
                extracted += 1
            output.write(json.dumps(record, ensure_ascii=False) + "\n")
            output.flush()
    finally:
        worker.stop()
    return BatchSummary(
        pages=pages,
        extracted=extracted,
        errors=pages - extracted,
        seconds=time.perf_counter() - started,
    )
