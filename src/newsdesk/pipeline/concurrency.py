"""How ingest runs things side by side: the extraction process pool, and running a poll's
jobs together so that one failing cancels the others."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from collections.abc import Coroutine, Iterable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from newsdesk.pipeline.content import exit_with, extract_and_digest


def extraction_pool(workers: int) -> ProcessPoolExecutor:
    """Worker processes for extract_and_digest.

    Forked from a forkserver that imported the extraction code once: workers start in
    milliseconds with the extractors loaded, and never inherit this process's threads (the
    event loop's, a service's web server) or its dedup indexes.
    """
    context = None
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([extract_and_digest.__module__])
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=exit_with, initargs=(os.getpid(),)
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


__all__ = ["extraction_pool", "gather_or_cancel"]
