"""`newsdesk workers status` on SQLite: no job queue, but `newsdesk run` prunes once a day, so
the status shows that prune as it does on PostgreSQL (tests/workers/test_workers_retention.py)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from cli_support import Invoke

from newsdesk.bootstrap import retention
from newsdesk.config import Settings
from newsdesk.domain.models import utcnow
from newsdesk.store import open_store
from retention_rows import seed


@pytest.fixture
def sqlite_url(tmp_path: Path, newsdesk: Invoke, monkeypatch: pytest.MonkeyPatch) -> str:
    # newsdesk first: it clears NEWSDESK_* before this sets the URL
    url = f"sqlite:///{tmp_path / 'newsdesk.db'}"
    monkeypatch.setenv("NEWSDESK_DATABASE_URL", url)
    return url


def test_on_sqlite_the_status_says_there_is_no_queue_and_shows_the_prune(
    sqlite_url: str, newsdesk: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert newsdesk("init").exit_code == 0
    never = newsdesk("workers", "status")
    assert never.exit_code == 0, never.output
    assert never.output.splitlines() == [
        "workers: none (SQLite has no job queue; `newsdesk run` does all the work)",
        "retention: never ran",
    ]
    lines = newsdesk("workers", "status", "--format", "jsonl").output.splitlines()
    assert [json.loads(line) for line in lines] == [{"kind": "retention", "state": "never"}]

    monkeypatch.setattr(retention, "RUN_ROWS", 2)
    # Noon UTC: the second run, a second later, is on the same UTC day whenever this runs.
    now = utcnow().replace(hour=12, minute=0, second=0, microsecond=0)
    store = open_store(sqlite_url)
    try:
        rows = seed(store, now - timedelta(days=3000))
        for n in range(3):
            rows.fetch(now - timedelta(days=100, seconds=n))
        settings = Settings(database_url=sqlite_url)
        retention.prune_daily(settings, store, now=now)
        partial = newsdesk("workers", "status")
        assert partial.exit_code == 0, partial.output
        assert f"retention: {now.date().isoformat()} (1 run, " in partial.output
        assert "PARTIAL" in partial.output and "fetch_attempts 2" in partial.output
        retention.prune_daily(settings, store, now=now + timedelta(seconds=1))
    finally:
        store.close()
    done = newsdesk("workers", "status", "--format", "jsonl")
    assert done.exit_code == 0, done.output
    (shown,) = [json.loads(line) for line in done.output.splitlines()]
    assert shown["kind"] == "retention" and shown["state"] == "done" and shown["runs"] == 2
    assert shown["deleted"]["fetch_attempts"] == 3


@pytest.mark.parametrize("command", [("workers", "status"), ("worker",)])
def test_an_unreachable_queue_database_is_one_line_not_a_traceback(
    newsdesk: Invoke, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...]
) -> None:
    # PostgreSQL that answers nothing: the status must try the queue, not fall back to SQLite's.
    monkeypatch.setenv("NEWSDESK_DATABASE_URL", "postgresql+psycopg://x:secret@127.0.0.1:1/none")
    monkeypatch.setenv("NEWSDESK_SECRET_KEY", "k" * 40)  # the worker's start-up check
    result = newsdesk(*command)
    assert result.exit_code == 1
    assert result.output.startswith("error: cannot reach the job queue's database: ")
    assert "secret" not in result.output and "retention" not in result.output
