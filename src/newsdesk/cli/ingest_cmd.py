"""`newsdesk ingest`: fetch due sources and take new items through the stages."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import sys
import time
from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING

import typer

from newsdesk.cli.common import check_format, guarded, opened_store, settings, to_json

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from newsdesk.pipeline.ingest import IngestRunner, IngestSummary


def ingest(
    once: bool = typer.Option(False, "--once", help="One pass over due sources, then exit."),
    source: list[int] = typer.Option(
        [], "--source", help="Only this source id (repeatable); fetched even if not due."
    ),
    force: bool = typer.Option(
        False, "--all", help="One pass over every enabled source, due or not."
    ),
    output_format: str = typer.Option("text", "--format", help="Summary as text or json."),
) -> None:
    """Fetch due sources and store new articles; without --once, keep running on schedule."""
    check_format(output_format, "text", "json")
    with _young_collected_rarely():  # from the first import on: start-up allocates a lot too
        _ingest(once=once, source=source, force=force, output_format=output_format)


def _ingest(*, once: bool, source: list[int], force: bool, output_format: str) -> None:
    from newsdesk.bootstrap import enrich_articles, ingest_options
    from newsdesk.pipeline.ingest import IngestRunner

    config = settings()
    options = ingest_options(config)
    with opened_store(config) as store, _start_up_frozen():
        while True:
            with _Progress() as progress:
                runner = IngestRunner(store, options, progress=progress)
                summary = guarded(partial(_run_once, runner, source or None, force))
            enriched = guarded(partial(enrich_articles, store, config, summary.changed_ids))
            if output_format == "json":
                typer.echo(to_json({**summary.as_dict(), "enriched": enriched.articles}))
            else:
                typer.echo(f"{summary.line()}; {enriched.line()}")
                for error in summary.errors[:20]:
                    typer.echo(f"  failed: {error}", err=True)
            if once or source or force:
                return
            try:
                time.sleep(30)
            except KeyboardInterrupt:
                return


# Net allocations between two collections of the youngest generation (CPython's default: 700).
YOUNG_COLLECTION_THRESHOLD = 20_000


@contextlib.contextmanager
def _young_collected_rarely() -> Iterator[None]:
    """The youngest generation collected every YOUNG_COLLECTION_THRESHOLD allocations while
    the command runs: a run's objects (and start-up's modules) live for an article, a batch
    or the whole run, and at CPython's default every ~700th allocation walked the live ones
    again and moved them on into older passes (a 2,000-article run: ~780 young, ~70 middle
    and 6 full collections, GC CPU 0.3-0.4 s; with the threshold at 20,000: about 20 young
    collections and no others, 0.08 s). Cycles wait a little longer to be freed. Reset at
    the end, for callers that go on (tests call it in-process)."""
    thresholds = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


@contextlib.contextmanager
def _start_up_frozen() -> Iterator[None]:
    """What start-up made (modules, settings, the store's engine) lives as long as the command:
    the collector's full passes need not walk it again and again (a 3,000-article run: GC CPU
    0.85 -> 0.46 s). Thawed at the end, for callers that go on (tests call it in-process)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _run_once(runner: IngestRunner, source_ids: list[int] | None, force: bool) -> IngestSummary:
    return asyncio.run(runner.run(source_ids=source_ids, force=force))


class _Progress:
    """A rich progress line on terminals; silent otherwise."""

    def __init__(self) -> None:
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> _Progress:
        if sys.stderr.isatty():
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self._bar = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                TextColumn("{task.completed} entries"),
                TimeElapsedColumn(),
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task("ingesting", total=None)
        return self

    def __call__(self, advance: int, description: str) -> None:
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, advance=advance, description=description)

    def __exit__(self, *_: object) -> None:
        if self._bar is not None:
            self._bar.stop()
