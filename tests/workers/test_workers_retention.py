"""The workers' tick prunes what the retention settings no longer keep, once a day however
many ticks (and workers) there are: the day is claimed in periodic_runs. A prune that stopped
at its per-run limit is continued by the next tick; `newsdesk workers status` shows the last
day's prune."""

from __future__ import annotations

import asyncio
import json
import threading
from datetime import datetime, timedelta
from typing import Any, cast

import pytest
from typer.testing import CliRunner

from newsdesk.bootstrap import retention
from newsdesk.cli.app import app
from newsdesk.config import Settings
from newsdesk.domain.models import utcnow
from newsdesk.store import SqlStore
from newsdesk.workers.context import WorkerContext
from newsdesk.workers.jobs.schedule import tick
from newsdesk.workers.service import open_queue, queue_options
from retention_rows import seed

pytestmark = pytest.mark.postgres


def _midday() -> datetime:
    """Noon UTC today: a moment a second (or a test) later is still the same UTC day."""
    return utcnow().replace(hour=12, minute=0, second=0, microsecond=0)


def _tick_twice(settings: Settings, store: SqlStore, between: Any) -> None:
    async def run() -> None:
        queue = open_queue(settings, queue_options(settings))
        async with queue:
            context = WorkerContext(
                settings, store, queue, cast(Any, None), "test", threading.Event()
            )
            await tick(context, {"timestamp": 1})
            between()
            await tick(context, {"timestamp": 2})

    asyncio.run(run())


def test_the_tick_prunes_once_a_day(
    queue_url: str,
    queue_store: SqlStore,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = Settings(database_url=queue_url, queue_tick_seconds=1)
    now = _midday()
    # Both ticks read this clock: on the wall clock, ticks either side of midnight UTC are
    # two days' prunes, and the second would rightly prune the row that came in between.
    monkeypatch.setattr(retention, "utcnow", lambda: now)
    rows = seed(queue_store, now - timedelta(days=3000))
    rows.fetch(now - timedelta(days=100))
    young = rows.fetch(now - timedelta(days=1))
    late: list[int] = []
    caplog.set_level("INFO", logger="newsdesk.retention")

    _tick_twice(settings, queue_store, lambda: late.append(rows.fetch(now - timedelta(days=100))))

    # The first tick pruned the old row; the second (same day) left the one that came later.
    assert rows.ids("fetch_attempts") == sorted([young, *late])
    prunes = [r.getMessage() for r in caplog.records if r.name == "newsdesk.retention"]
    assert len(prunes) == 1 and "fetch_attempts 1" in prunes[0]


def test_the_next_tick_continues_a_prune_that_stopped_at_its_limit(
    queue_url: str, queue_store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(retention, "RUN_ROWS", 2)
    settings = Settings(database_url=queue_url, queue_tick_seconds=1)
    now = _midday()
    monkeypatch.setattr(retention, "utcnow", lambda: now)  # both ticks on one UTC day
    rows = seed(queue_store, now - timedelta(days=3000))
    for n in range(3):
        rows.fetch(now - timedelta(days=100, seconds=n))
    young = rows.fetch(now - timedelta(days=1))
    left: list[int] = []

    _tick_twice(settings, queue_store, lambda: left.append(len(rows.ids("fetch_attempts"))))

    assert left == [2]  # the first tick stopped at 2 rows: one old and the young one left
    assert rows.ids("fetch_attempts") == [young]  # the second, the same day, went on


def _status(queue_url: str, *args: str) -> str:
    env = {"NEWSDESK_DATABASE_URL": queue_url, "NEWSDESK_LOG_LEVEL": "WARNING"}
    result = CliRunner().invoke(app, ["workers", "status", *args], env=env)
    assert result.exit_code == 0, result.output
    return result.output


def test_workers_status_shows_the_last_days_prune(
    queue_url: str, queue_store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "retention: never ran" in _status(queue_url)
    never = [json.loads(line) for line in _status(queue_url, "--format", "jsonl").splitlines()]
    assert {"kind": "retention", "state": "never"} in never

    monkeypatch.setattr(retention, "RUN_ROWS", 2)
    settings = Settings(database_url=queue_url)
    now = _midday()  # its second run, a second later, is on the same UTC day
    rows = seed(queue_store, now - timedelta(days=3000))
    for n in range(3):
        rows.fetch(now - timedelta(days=100, seconds=n))
    retention.prune_daily(settings, queue_store, now=now)

    table = _status(queue_url)
    line = next(line for line in table.splitlines() if line.startswith("retention:"))
    assert f"retention: {now.date().isoformat()} (1 run, " in line
    assert "PARTIAL" in line and "the next tick continues" in line
    assert "fetch_attempts 2" in line
    lines = [json.loads(line) for line in _status(queue_url, "--format", "jsonl").splitlines()]
    (shown,) = [line for line in lines if line["kind"] == "retention"]
    assert shown["state"] == "partial" and shown["runs"] == 1
    assert shown["day"] == now.date().isoformat()
    assert shown["deleted"]["fetch_attempts"] == 2 and shown["deleted"]["pro_leads"] == 0
    assert shown["finished_at"] is not None

    retention.prune_daily(settings, queue_store, now=now + timedelta(seconds=1))
    table = _status(queue_url)
    assert "(2 runs, " in table and "done; deleted fetch_attempts 3," in table
