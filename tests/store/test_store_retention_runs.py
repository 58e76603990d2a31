"""The scheduled prune is bounded per run and catches up run after run the same day, one
process at a time, and records what each run deleted for `workers status` (SQLite and
PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest

from newsdesk.bootstrap import last_retention, prune_daily
from newsdesk.bootstrap.retention import RETENTION_JOB
from newsdesk.config import load_settings
from newsdesk.domain.retention import DAY_SECONDS, RetentionPolicy, cutoffs
from newsdesk.store import SqlStore
from retention_rows import seed

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
DAY = int(datetime(2026, 12, 6, tzinfo=UTC).timestamp())
LONG_AGO = NOW - timedelta(days=3000)
SETTINGS = load_settings(retention_fetch_log_days=90, retention_leads_days=365)


def test_max_rows_bounds_each_table_and_the_rest_stays(store: SqlStore) -> None:
    rows = seed(store, LONG_AGO)
    for n in range(5):
        rows.fetch(NOW - timedelta(days=100, seconds=n))
        rows.lead(NOW - timedelta(days=400, seconds=n))
    rows.lead(NOW - timedelta(days=400))

    counts = store.prune_retained(cutoffs(RetentionPolicy(), NOW), batch_rows=2, max_rows=3)

    assert counts["fetch_attempts"] == 3 and counts["pro_leads"] == 3  # 2 + 1 each
    assert len(rows.ids("fetch_attempts")) == 2 and len(rows.ids("pro_leads")) == 3
    rest = store.prune_retained(cutoffs(RetentionPolicy(), NOW), batch_rows=2, max_rows=3)
    assert rest["fetch_attempts"] == 2 and rest["pro_leads"] == 3
    assert rows.ids("fetch_attempts") == rows.ids("pro_leads") == []


def test_max_rows_below_one_is_refused(store: SqlStore) -> None:
    with pytest.raises(ValueError, match="max_rows"):
        store.prune_retained(cutoffs(RetentionPolicy(), NOW), max_rows=0)


def test_a_partial_run_is_continued_the_same_day_until_done(store: SqlStore) -> None:
    rows = seed(store, LONG_AGO)
    for n in range(7):
        rows.fetch(NOW - timedelta(days=100, seconds=n))
    young = rows.fetch(NOW - timedelta(days=1))
    assert last_retention(store) is None

    first = prune_daily(SETTINGS, store, now=NOW, run_rows=3)
    assert first is not None and first.partial and first.deleted["fetch_attempts"] == 3
    status = last_retention(store)
    assert status is not None and status.state == "partial" and status.runs == 1

    second = prune_daily(SETTINGS, store, now=NOW + timedelta(seconds=30), run_rows=3)
    third = prune_daily(SETTINGS, store, now=NOW + timedelta(seconds=60), run_rows=3)
    assert second is not None and second.partial
    assert third is not None and not third.partial and third.deleted["fetch_attempts"] == 1
    assert rows.ids("fetch_attempts") == [young]
    # Done for the day: later calls claim nothing, even with new old rows about.
    rows.fetch(NOW - timedelta(days=100))
    assert prune_daily(SETTINGS, store, now=NOW + timedelta(hours=11), run_rows=3) is None

    runs = store.periodic_runs(RETENTION_JOB, since=DAY)
    assert [run.period for run in runs] == [DAY, DAY + 1, DAY + 2]
    assert all(run.finished_at is not None for run in runs)
    status = last_retention(store)
    assert status is not None
    assert (status.day, status.runs, status.state) == (date(2026, 12, 6), 3, "done")
    assert status.deleted["fetch_attempts"] == 7 and status.deleted["pro_leads"] == 0
    assert status.started_at == runs[0].ran_at and status.finished_at == runs[-1].finished_at


def test_an_unfinished_run_is_never_joined_and_the_next_day_starts_afresh(
    store: SqlStore,
) -> None:
    rows = seed(store, LONG_AGO)
    old = rows.fetch(NOW - timedelta(days=100))
    assert store.claim_period(RETENTION_JOB, DAY)  # a run that is running, or died

    assert prune_daily(SETTINGS, store, now=NOW) is None
    assert rows.ids("fetch_attempts") == [old]
    status = last_retention(store)
    assert status is not None and status.state == "unfinished" and status.finished_at is None

    tomorrow = prune_daily(SETTINGS, store, now=NOW + timedelta(hours=12, seconds=1))
    assert tomorrow is not None and tomorrow.deleted["fetch_attempts"] == 1
    status = last_retention(store)
    assert status is not None and status.day == date(2026, 12, 7) and status.state == "done"


def test_a_failed_run_is_recorded_and_not_retried_until_the_next_day(
    store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = seed(store, LONG_AGO)
    rows.fetch(NOW - timedelta(days=100))

    def broken(*args: object, **kwargs: object) -> dict[str, int]:
        raise RuntimeError("disk full")

    with monkeypatch.context() as patch:
        patch.setattr(store, "prune_retained", broken)
        with pytest.raises(RuntimeError, match="disk full"):
            prune_daily(SETTINGS, store, now=NOW)
    status = last_retention(store)
    assert status is not None and status.state == "failed" and status.finished_at is not None
    assert prune_daily(SETTINGS, store, now=NOW + timedelta(minutes=1)) is None
    assert prune_daily(SETTINGS, store, now=NOW + timedelta(hours=12, seconds=1)) is not None
    assert rows.ids("fetch_attempts") == []


def test_processes_catching_up_side_by_side_prune_one_at_a_time(
    store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Four callers (threads standing for worker processes: the claim is in the database)
    keep calling while a backlog is cut run by run: never two runs at once, none lost."""
    rows = seed(store, LONG_AGO)
    for n in range(40):
        rows.fetch(NOW - timedelta(days=100, seconds=n))
    young = rows.fetch(NOW - timedelta(days=1))
    guard = threading.Lock()
    running = 0
    most = 0
    real = store.prune_retained

    def watched(*args: object, **kwargs: object) -> dict[str, int]:
        nonlocal running, most
        with guard:
            running += 1
            most = max(most, running)
        try:
            return real(*args, **kwargs)  # type: ignore[arg-type]
        finally:
            with guard:
                running -= 1

    monkeypatch.setattr(store, "prune_retained", watched)
    errors: list[BaseException] = []

    def caller() -> None:
        try:
            for _ in range(200):
                if prune_daily(SETTINGS, store, now=NOW, run_rows=4) is not None:
                    continue
                status = last_retention(store)
                if status is not None and status.state == "done":
                    return
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    callers = [threading.Thread(target=caller) for _ in range(4)]
    for thread in callers:
        thread.start()
    for thread in callers:
        thread.join()

    assert errors == []
    assert most == 1
    assert rows.ids("fetch_attempts") == [young]
    runs = store.periodic_runs(RETENTION_JOB, since=DAY)
    # 40 rows, 4 a run: 10 full runs, then one that found none left.
    assert [run.period for run in runs] == [DAY + n for n in range(11)]
    status = last_retention(store)
    assert status is not None and status.state == "done" and status.deleted["fetch_attempts"] == 40
    assert runs[-1].period < DAY + DAY_SECONDS


def test_newsdesk_run_catches_up_without_waiting_for_its_next_pass(
    store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pass that stopped at the per-run limit is followed by another after the catch-up
    interval, not the usual one (an hour here: the test would time out waiting for it)."""
    import time

    from newsdesk.bootstrap import retention, services

    monkeypatch.setattr(services, "SERVICE_RETENTION_TICK_SECONDS", 3600.0)
    monkeypatch.setattr(services, "SERVICE_RETENTION_CATCH_UP_SECONDS", 0.01)
    monkeypatch.setattr(retention, "RUN_ROWS", 2)
    rows = seed(store, LONG_AGO)
    # Every pass on one UTC day: on the wall clock, passes either side of midnight UTC split
    # into two days' prunes and the day's status shows only the later runs.
    now = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    monkeypatch.setattr(retention, "utcnow", lambda: now)
    for n in range(5):
        rows.fetch(now - timedelta(days=100, seconds=n))
    stop = threading.Event()
    thread = threading.Thread(target=services._retention_schedule, args=(SETTINGS, store, stop))
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while rows.ids("fetch_attempts") and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        stop.set()
        thread.join()
    assert rows.ids("fetch_attempts") == []
    status = last_retention(store)
    assert status is not None and status.runs >= 3 and status.deleted["fetch_attempts"] == 5
