"""The report PDF cache on disk and the render slots in front of it, with their faults: a
damaged file, a directory that cannot be written, a full disk, identical requests at once,
every slot busy, a render that fails. No WeasyPrint here: a render is a function."""

from __future__ import annotations

import errno
import logging
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from newsdesk.reports import pdf_cache
from newsdesk.reports.pdf import PdfUnavailableError
from newsdesk.reports.pdf_cache import PdfCache, pdf_key
from newsdesk.reports.web.pdf_renders import MAX_WAITING_PER_SLOT, PdfRenders, RendersBusyError

PDF = b"%PDF-1.7\n" + b"x" * 2000 + b"\n%%EOF\n"
MB = 1024 * 1024


def cached_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.pdf"))


def test_a_kept_pdf_is_read_back_by_another_process_after_a_restart(tmp_path: Path) -> None:
    key = pdf_key("<html>report</html>")
    assert PdfCache(tmp_path, MB).put(key, PDF)
    assert PdfCache(tmp_path, MB).get(key) == PDF  # a new instance: another process, a restart
    assert PdfCache(tmp_path, MB).get(pdf_key("<html>another report</html>")) is None
    assert [p.name for p in tmp_path.iterdir()] == [f"{key}.pdf"]  # no temporary file left


def test_the_key_is_the_document_and_the_renderer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = pdf_key("<p>a</p>")
    assert key == pdf_key("<p>a</p>") and key != pdf_key("<p>b</p>")
    monkeypatch.setattr(pdf_cache, "_weasyprint_version", lambda: "999.0")
    assert pdf_key("<p>a</p>") != key  # an upgraded WeasyPrint renders again
    assert PdfCache(tmp_path, MB).put("../escape", PDF) is False  # only hex digests name files
    assert PdfCache(None, MB).put(pdf_key("x"), PDF) is False
    assert PdfCache(tmp_path, 0).put(pdf_key("x"), PDF) is False
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # torn
        lambda data: data[:-1] + bytes([data[-1] ^ 1]),  # one bit
        lambda data: b"",  # a crash right after the rename
        lambda data: data[:10],  # shorter than the digest
    ],
    ids=["truncated", "flipped-bit", "empty", "tiny"],
)
def test_a_damaged_file_is_never_served_and_is_dropped(
    tmp_path: Path, damage: Callable[[bytes], bytes], caplog: pytest.LogCaptureFixture
) -> None:
    cache = PdfCache(tmp_path, MB)
    key = pdf_key("doc")
    cache.put(key, PDF)
    (path,) = cached_files(tmp_path)
    path.write_bytes(damage(path.read_bytes()))
    with caplog.at_level(logging.WARNING, logger=pdf_cache.__name__):
        assert cache.get(key) is None
    assert not path.exists() and "damaged" in caplog.text
    assert cache.put(key, PDF) and cache.get(key) == PDF


def test_an_unwritable_directory_keeps_nothing_and_is_logged_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the directory should be")
    cache = PdfCache(blocker / "report-pdfs", MB)
    with caplog.at_level(logging.WARNING, logger=pdf_cache.__name__):
        assert cache.put(pdf_key("a"), PDF) is False
        assert cache.put(pdf_key("b"), PDF) is False
        assert cache.get(pdf_key("a")) is None
    assert len([r for r in caplog.records if "cannot write" in r.getMessage()]) == 1


def test_a_full_disk_keeps_nothing_and_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    real_fdopen = os.fdopen

    class FullFile:
        def __init__(self, handle: int) -> None:
            self.file = real_fdopen(handle, "wb")

        def __enter__(self) -> FullFile:
            return self

        def __exit__(self, *exc: object) -> None:
            self.file.close()

        def write(self, data: bytes) -> int:
            self.file.write(data[:100])
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pdf_cache.os, "fdopen", lambda handle, mode: FullFile(handle))
    cache = PdfCache(tmp_path, MB)
    with caplog.at_level(logging.WARNING, logger=pdf_cache.__name__):
        assert cache.put(pdf_key("a"), PDF) is False
    assert list(tmp_path.iterdir()) == [] and "No space left" in caplog.text


def test_least_recently_used_files_go_first_past_the_bound(tmp_path: Path) -> None:
    cache = PdfCache(tmp_path, 8 * (len(PDF) + 32) + 10)  # room for 8 files (and a PDF fits)
    keys = [pdf_key(str(n)) for n in range(8)]
    for n, key in enumerate(keys):
        cache.put(key, PDF)
        os.utime(tmp_path / f"{key}.pdf", (1_000_000 + n, 1_000_000 + n))
    assert cache.get(keys[0]) == PDF  # used: now the most recent
    cache.put(pdf_key("new"), PDF)
    kept = {path.stem for path in cached_files(tmp_path)}
    assert keys[1] not in kept  # the least recently used went
    assert {keys[0], keys[2], pdf_key("new")} <= kept and len(kept) == 8


def test_a_pdf_larger_than_an_eighth_of_the_bound_is_not_kept(tmp_path: Path) -> None:
    assert PdfCache(tmp_path, 8 * len(PDF)).put(pdf_key("big"), PDF) is False
    assert list(tmp_path.iterdir()) == []


def test_partial_files_left_by_a_dead_process_are_cleared(tmp_path: Path) -> None:
    stale, fresh = tmp_path / ".old.partial", tmp_path / ".writing.partial"
    stale.write_bytes(b"half")
    fresh.write_bytes(b"half")
    os.utime(stale, (1_000_000, 1_000_000))
    PdfCache(tmp_path, MB).put(pdf_key("a"), PDF)
    assert not stale.exists() and fresh.exists()


def test_many_writers_and_readers_of_one_key_never_see_a_torn_file(tmp_path: Path) -> None:
    key = pdf_key("doc")
    versions = [PDF + bytes([n]) * (1000 * n) for n in range(1, 7)]
    seen: list[bytes | None] = []
    go = threading.Barrier(12)

    def write(pdf: bytes) -> None:
        go.wait()
        for _ in range(20):
            PdfCache(tmp_path, MB).put(key, pdf)

    def read() -> None:
        go.wait()
        seen.extend(PdfCache(tmp_path, MB).get(key) for _ in range(40))

    threads = [threading.Thread(target=write, args=(v,)) for v in versions]
    threads += [threading.Thread(target=read) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {s for s in seen if s is not None} <= set(versions)
    assert PdfCache(tmp_path, MB).get(key) in versions
    assert [p.name for p in tmp_path.iterdir()] == [f"{key}.pdf"]


class Blocked:
    """A render that waits until released, counting its calls."""

    def __init__(self) -> None:
        self.calls = 0
        self.started = threading.Event()
        self.release = threading.Event()

    def __call__(self) -> bytes:
        self.calls += 1
        self.started.set()
        assert self.release.wait(60)
        return PDF


@pytest.fixture
def background() -> Iterator[Callable[[Callable[[], object]], list[object]]]:
    threads: list[threading.Thread] = []

    def start(work: Callable[[], object]) -> list[object]:
        out: list[object] = []

        def run() -> None:
            try:
                out.append(work())
            except Exception as error:  # handed to the test: it asserts on the answers
                out.append(error)

        thread = threading.Thread(target=run)
        threads.append(thread)
        thread.start()
        return out

    yield start
    for thread in threads:
        thread.join(60)


def wait_for(condition: Callable[[], bool]) -> None:
    event = threading.Event()
    for _ in range(6000):
        if condition():
            return
        event.wait(0.01)
    pytest.fail("the condition never held")


@pytest.mark.parametrize("writable", [True, False], ids=["cache", "unwritable-cache"])
def test_identical_requests_at_once_render_once_or_at_worst_in_turn(
    tmp_path: Path, background: Callable[[Callable[[], object]], list[object]], writable: bool
) -> None:
    directory = tmp_path if writable else tmp_path / "file" / "sub"
    if not writable:
        (tmp_path / "file").write_text("not a directory")
    renders = PdfRenders(PdfCache(directory, MB), slots=2, wait_seconds=60)
    render = Blocked()
    key = pdf_key("doc")
    first = background(lambda: renders.pdf(key, render))
    wait_for(render.started.is_set)
    second = background(lambda: renders.pdf(key, render))
    wait_for(lambda: renders.waiting == 1)
    assert render.calls == 1  # the second waits for the first instead of rendering too
    render.release.set()
    wait_for(lambda: len(first) == len(second) == 1)
    assert first == [(PDF, False)]
    assert second == ([(PDF, True)] if writable else [(PDF, False)])
    assert render.calls == (1 if writable else 2)


def test_every_slot_busy_refuses_after_the_wait_and_frees_when_done(
    background: Callable[[Callable[[], object]], list[object]],
) -> None:
    renders = PdfRenders(slots=1, wait_seconds=0.05)
    render = Blocked()
    done = background(lambda: renders.pdf(pdf_key("one"), render))
    wait_for(render.started.is_set)
    with pytest.raises(RendersBusyError):
        renders.pdf(pdf_key("two"), lambda: PDF)
    render.release.set()
    wait_for(lambda: len(done) == 1)
    assert renders.pdf(pdf_key("two"), lambda: PDF) == (PDF, False)
    assert renders.waiting == 0


def test_no_more_than_a_few_requests_per_slot_wait(
    background: Callable[[Callable[[], object]], list[object]],
) -> None:
    renders = PdfRenders(slots=1, wait_seconds=60)
    render = Blocked()
    background(lambda: renders.pdf(pdf_key("busy"), render))
    wait_for(render.started.is_set)
    waiters = [
        background(lambda n=n: renders.pdf(pdf_key(f"w{n}"), lambda: PDF))
        for n in range(MAX_WAITING_PER_SLOT)
    ]
    wait_for(lambda: renders.waiting == MAX_WAITING_PER_SLOT)
    # Were the next request to wait too, the slot would free in a few seconds and it would
    # get its PDF instead of being refused.
    timer = threading.Timer(3, render.release.set)
    timer.start()
    try:
        with pytest.raises(RendersBusyError):
            renders.pdf(pdf_key("one too many"), lambda: PDF)
        assert not render.release.is_set()
    finally:
        timer.cancel()
        render.release.set()
    wait_for(lambda: all(len(w) == 1 for w in waiters))
    assert all(w == [(PDF, False)] for w in waiters)


def test_a_failed_render_keeps_nothing_and_frees_its_slot(tmp_path: Path) -> None:
    renders = PdfRenders(PdfCache(tmp_path, MB), slots=1, wait_seconds=0)

    def missing() -> bytes:
        raise PdfUnavailableError("PDF reports need WeasyPrint")

    with pytest.raises(PdfUnavailableError):
        renders.pdf(pdf_key("doc"), missing)
    assert list(tmp_path.iterdir()) == []
    assert renders.pdf(pdf_key("doc"), lambda: PDF) == (PDF, False)
    assert renders.pdf(pdf_key("doc"), missing) == (PDF, True)
