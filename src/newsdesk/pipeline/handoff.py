"""Pages to the extraction processes, several per task when they queue up.

Every task a ProcessPoolExecutor runs costs the submitting process its manager and feeder
threads' wake-ups and the event loop's thread-safe callback: about 0.5 ms of CPU, whatever
the task's size, which is a tenth of what the ingest process spends on an article. So only a
few tasks are out at a time (the caller says how many: a task per worker and one queued), and
the pages that arrive meanwhile go together in the next one. A lone page is sent at once:
nothing waits for company, and the workers only see larger tasks when they are busy anyway.

Each page keeps its own answer: its result, its error message, or the exception it raised,
raised again for that page alone. A task the pool could not run (a worker that died, the pool
shut down) fails the pages in it with the pool's error, as one page per task did.
"""

from __future__ import annotations

import asyncio
import functools
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Executor

from newsdesk.pipeline.content import PageJob, PageResult, extract_and_digest_each

# A task carries at most this many pages, and no more than this much HTML unless it is a
# single page: one large page does not hold up others behind it in its task.
MAX_PAGES_PER_TASK = 8
MAX_CHARS_PER_TASK = 1_000_000


class PageHandoff:
    """Sends PageJobs to ``executor`` (its processes import pipeline.content), at most
    ``tasks_in_flight`` tasks at a time. One per event loop and pool."""

    def __init__(self, executor: Executor, *, tasks_in_flight: int) -> None:
        if tasks_in_flight < 1:
            raise ValueError("tasks_in_flight must be at least 1")
        self._executor = executor
        self._limit = tasks_in_flight
        self._in_flight = 0
        self._waiting: deque[tuple[PageJob, asyncio.Future[PageResult | str]]] = deque()

    def submit(self, job: PageJob) -> asyncio.Future[PageResult | str]:
        """The future of extract_and_digest(job), run in one of the processes (inside the
        running event loop; cancelling the future withdraws the page if it is not sent yet)."""
        answer: asyncio.Future[PageResult | str] = asyncio.get_running_loop().create_future()
        self._waiting.append((job, answer))
        self._send()
        return answer

    def _send(self) -> None:
        while self._in_flight < self._limit:
            batch = self._next_batch()
            if not batch:
                return
            jobs = [job for job, _ in batch]
            answers = [answer for _, answer in batch]
            try:
                task = asyncio.get_running_loop().run_in_executor(
                    self._executor, extract_and_digest_each, jobs
                )
            except Exception as error:  # the pool is shut down or broken
                _fail(answers, error)
                continue
            self._in_flight += 1
            task.add_done_callback(functools.partial(self._done, answers))

    def _next_batch(self) -> list[tuple[PageJob, asyncio.Future[PageResult | str]]]:
        """The oldest waiting pages whose callers still wait, within the task's bounds."""
        batch: list[tuple[PageJob, asyncio.Future[PageResult | str]]] = []
        chars = 0
        while self._waiting and len(batch) < MAX_PAGES_PER_TASK:
            job, answer = self._waiting[0]
            if answer.done():  # its caller was cancelled
                self._waiting.popleft()
                continue
            if batch and chars + len(job.html) > MAX_CHARS_PER_TASK:
                break
            self._waiting.popleft()
            batch.append((job, answer))
            chars += len(job.html)
        return batch

    def _done(
        self,
        answers: Sequence[asyncio.Future[PageResult | str]],
        task: asyncio.Future[list[PageResult | str | Exception]],
    ) -> None:
        self._in_flight -= 1
        if task.cancelled():
            for answer in answers:
                answer.cancel()
        elif (error := task.exception()) is not None:
            _fail(answers, error)
        else:
            for answer, result in zip(answers, task.result(), strict=True):
                if answer.done():
                    continue
                if isinstance(result, Exception):
                    answer.set_exception(result)
                else:
                    answer.set_result(result)
        self._send()


def _fail(answers: Sequence[asyncio.Future[PageResult | str]], error: BaseException) -> None:
    for answer in answers:
        if not answer.done():
            answer.set_exception(error)


__all__ = ["MAX_CHARS_PER_TASK", "MAX_PAGES_PER_TASK", "PageHandoff"]
