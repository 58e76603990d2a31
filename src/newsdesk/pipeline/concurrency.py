"""How the pipeline runs things side by side: process pools (extraction during ingest,
per-article analysis during enrichment), and running a poll's jobs together so that one
failing cancels the others."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Coroutine, Iterable
from concurrent.futures import ProcessPoolExecutor
from typing import Any


def exit_with(pid: int, *, interval: float = 1.0) -> None:
    """Pool initializer: end this worker when process ``pid`` (its parent) is gone.

    A worker waits on its task queue forever, and a parent killed with SIGKILL never tells
    it to stop; without this its workers would outlive it.
    """

    def watch() -> None:
        while True:
            time.sleep(interval)
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                os._exit(0)
            except PermissionError:
                continue  # the pid exists (owned by someone else after reuse is unlikely)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def process_pool(
    workers: int,
    *,
    preload: str | tuple[str, ...],
    initializer: Callable[..., None] = exit_with,
    initargs: tuple[Any, ...] | None = None,
) -> ProcessPoolExecutor:
    """Worker processes forked from a forkserver that imported ``preload`` (one module or
    several) once: workers start in milliseconds with that code loaded, and never inherit
    this process's threads (the event loop's, a service's web server) or its indexes.
    ``initializer`` runs in each worker; the default (and any other, which must call
    ``exit_with`` itself) ends the worker with this process. Its first argument is this
    process's id."""
    context = None
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        # The forkserver starts with the first pool and imports only what that one names.
        context.set_forkserver_preload([preload] if isinstance(preload, str) else list(preload))
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=initializer,
        initargs=(os.getpid(), *(initargs or ())),
    )


def extraction_pool(workers: int) -> ProcessPoolExecutor:
    """Worker processes for pipeline.content.extract_and_digest, the extractors loaded.

    The forkserver imports pipeline.analysis as well: enrichment's analysis pool follows this
    one in an ingest run, and the forkserver, started by this pool, would not import what a
    later pool names, so each analysis worker imported it again (0.17 s of CPU each)."""
    return process_pool(
        workers, preload=("newsdesk.pipeline.content", "newsdesk.pipeline.analysis")
    )


async def gather_or_cancel(jobs: Iterable[Coroutine[Any, Any, None]]) -> None:
    """Run jobs together; when one raises, cancel the others before passing the error on (a
    poll refused by its fence must not leave siblings writing after it ended)."""
    tasks = [asyncio.ensure_future(job) for job in jobs]
    try:
        await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


__all__ = ["exit_with", "extraction_pool", "gather_or_cancel", "process_pool"]
