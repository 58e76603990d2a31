"""Pages go to the extraction processes several per task when they queue up, and each page
still gets its own answer: result, error message or exception."""

from __future__ import annotations

import asyncio
import pickle
import threading
from collections.abc import Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from typing import Any

import pytest

from newsdesk.dedup import DedupOptions, StoryOptions
from newsdesk.domain import FeedEntry
from newsdesk.extract import ExtractOptions
from newsdesk.pipeline import handoff
from newsdesk.pipeline.content import PageJob, PageResult, extract_and_digest_each
from newsdesk.pipeline.handoff import MAX_PAGES_PER_TASK, PageHandoff

PAGE = (
    "<html><head><title>Copper output rises</title></head><body><article>"
    + "".join(
        f"<p>Zambia's copper output rose {n} percent in the quarter as the Kansanshi mine "
        "expanded its smelter and new concentrate lines came on stream at full capacity.</p>"
        for n in range(6)
    )
    + "</article></body></html>"
)


def _job(html: str = PAGE, url: str = "http://wire.example/a.html") -> PageJob:
    return PageJob(
        html=html,
        url=url,
        entry=FeedEntry(url=url, title="Copper output rises"),
        extract=ExtractOptions(),
        dedup=DedupOptions(),
        stories=StoryOptions(),
    )


class _Gated:
    """Stands in for extract_and_digest_each in a thread pool: records each task's pages
    and holds every task until released."""

    def __init__(self) -> None:
        self.tasks: list[list[str]] = []
        self.release = threading.Event()

    def __call__(self, jobs: Sequence[PageJob]) -> list[Any]:
        self.tasks.append([job.url for job in jobs])
        self.release.wait(5)
        return [
            ValueError(f"bad {job.url}") if "bad" in job.url else f"done {job.url}" for job in jobs
        ]


@pytest.fixture
def gated(monkeypatch: pytest.MonkeyPatch) -> _Gated:
    fake = _Gated()
    monkeypatch.setattr(handoff, "extract_and_digest_each", fake)
    return fake


async def _settle(until: Any) -> None:
    for _ in range(500):
        if until():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition not reached")


def test_a_lone_page_goes_at_once_and_pages_behind_a_busy_worker_share_a_task(
    gated: _Gated,
) -> None:
    async def run() -> list[Any]:
        with ThreadPoolExecutor(1) as pool:
            sender = PageHandoff(pool, tasks_in_flight=1)
            first = sender.submit(_job(url="u0"))
            await _settle(lambda: len(gated.tasks) == 1)
            rest = [sender.submit(_job(url=f"u{n}")) for n in range(1, 5)]
            gated.release.set()
            return [await answer for answer in (first, *rest)]

    answers = asyncio.run(run())
    assert answers == [f"done u{n}" for n in range(5)]
    assert gated.tasks == [["u0"], ["u1", "u2", "u3", "u4"]]


def test_a_page_that_raised_raises_alone(gated: _Gated) -> None:
    async def run() -> list[Any]:
        with ThreadPoolExecutor(1) as pool:
            sender = PageHandoff(pool, tasks_in_flight=1)
            blocker = sender.submit(_job(url="u0"))
            await _settle(lambda: len(gated.tasks) == 1)
            answers = [sender.submit(_job(url=url)) for url in ("u1", "bad", "u3")]
            gated.release.set()
            await blocker
            return await asyncio.gather(*answers, return_exceptions=True)

    first, failed, last = asyncio.run(run())
    assert (first, last) == ("done u1", "done u3")
    assert isinstance(failed, ValueError)
    assert str(failed) == "bad bad"
    assert gated.tasks[1] == ["u1", "bad", "u3"]


def _tasks_for(gated: _Gated, jobs: list[PageJob]) -> list[list[str]]:
    """The tasks that carry ``jobs`` when they queue behind a busy worker."""

    async def run() -> None:
        with ThreadPoolExecutor(1) as pool:
            sender = PageHandoff(pool, tasks_in_flight=1)
            answers = [sender.submit(_job(url="u0"))]
            await _settle(lambda: len(gated.tasks) == 1)
            answers += [sender.submit(job) for job in jobs]
            gated.release.set()
            await asyncio.gather(*answers)

    asyncio.run(run())
    return gated.tasks[1:]


def test_a_task_holds_at_most_so_many_pages(gated: _Gated) -> None:
    jobs = [_job(url=f"s{n}") for n in range(MAX_PAGES_PER_TASK + 1)]
    tasks = _tasks_for(gated, jobs)
    assert tasks == [[f"s{n}" for n in range(MAX_PAGES_PER_TASK)], [f"s{MAX_PAGES_PER_TASK}"]]


def test_a_task_holds_so_much_html_and_a_larger_page_goes_alone(
    gated: _Gated, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(handoff, "MAX_CHARS_PER_TASK", 3 * len(PAGE))
    jobs = [_job(url=f"s{n}") for n in range(4)]
    jobs[2:2] = [_job(PAGE * 4, url="big")]
    tasks = _tasks_for(gated, jobs)
    assert tasks == [["s0", "s1"], ["big"], ["s2", "s3"]]


def test_a_cancelled_caller_s_page_is_not_sent(gated: _Gated) -> None:
    async def run() -> None:
        with ThreadPoolExecutor(1) as pool:
            sender = PageHandoff(pool, tasks_in_flight=1)
            blocker = sender.submit(_job(url="u0"))
            await _settle(lambda: len(gated.tasks) == 1)
            withdrawn = sender.submit(_job(url="gone"))
            kept = sender.submit(_job(url="kept"))
            withdrawn.cancel()
            gated.release.set()
            assert await blocker == "done u0"
            assert await kept == "done kept"

    asyncio.run(run())
    assert gated.tasks == [["u0"], ["kept"]]


class _Broken(Executor):
    def __init__(self) -> None:
        self.shut = False

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        if self.shut:
            raise RuntimeError("cannot schedule new futures after shutdown")
        future: Future[Any] = Future()
        future.set_exception(BrokenProcessPool("a worker died"))
        return future


def test_a_task_the_pool_could_not_run_fails_each_of_its_pages() -> None:
    async def run() -> list[Any]:
        pool = _Broken()
        sender = PageHandoff(pool, tasks_in_flight=1)
        answers = [sender.submit(_job(url=f"u{n}")) for n in range(3)]
        broken = await asyncio.gather(*answers, return_exceptions=True)
        pool.shut = True
        late = await asyncio.gather(sender.submit(_job(url="late")), return_exceptions=True)
        return [*broken, *late]

    results = asyncio.run(run())
    assert [type(r) for r in results] == [BrokenProcessPool] * 3 + [RuntimeError]


def test_at_least_one_task_in_flight() -> None:
    with pytest.raises(ValueError, match="at least 1"), ThreadPoolExecutor(1) as pool:
        PageHandoff(pool, tasks_in_flight=0)


def test_each_page_of_a_task_is_extracted_as_alone_and_exceptions_cross_with_their_trace() -> None:
    good = _job()
    bad = replace(_job(), html=None)  # type: ignore[arg-type]
    empty = _job("<html><body><nav>Home</nav></body></html>")
    results = pickle.loads(pickle.dumps(extract_and_digest_each([good, bad, empty])))
    alone = extract_and_digest_each([good])[0]
    assert isinstance(results[0], PageResult)
    assert isinstance(alone, PageResult)
    assert (results[0].extracted, results[0].digest) == (alone.extracted, alone.digest)
    assert isinstance(results[1], Exception)
    assert "Traceback" in results[1].__notes__[0]
    assert isinstance(results[2], str)


class _UnpicklableError(Exception):
    def __init__(self, reason: str, *, code: int) -> None:
        super().__init__(reason)
        self.code = code
        self.lock = threading.Lock()


def test_an_exception_that_does_not_pickle_crosses_as_a_runtime_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def explode(job: PageJob) -> PageResult | str:
        raise _UnpicklableError("odd", code=3)

    monkeypatch.setattr("newsdesk.pipeline.content.extract_and_digest", explode)
    (result,) = pickle.loads(pickle.dumps(extract_and_digest_each([_job()])))
    assert isinstance(result, RuntimeError)
    assert "odd" in str(result)
