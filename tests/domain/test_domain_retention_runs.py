"""The scheduled prune's runs: which period the next run claims (the day, then one past a
partial run, never while a run is unfinished), and a day's runs summed up for the status."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from newsdesk.domain.leases import PeriodicRun
from newsdesk.domain.retention import (
    DAY_SECONDS,
    FAILED_RESULT,
    PRUNED_TABLES,
    RetentionRun,
    next_run_period,
    retention_day,
)

DAY = int(datetime(2026, 12, 6, tzinfo=UTC).timestamp())
AT = datetime(2026, 12, 6, 0, 0, 30, tzinfo=UTC)


def run(period: int, *, finished: bool = True, result: dict[str, Any] | None = None) -> PeriodicRun:
    return PeriodicRun(
        job="retention",
        period=period,
        ran_at=AT + timedelta(seconds=period - DAY),
        finished_at=AT + timedelta(seconds=period - DAY, milliseconds=500) if finished else None,
        result=result,
    )


def done(period: int, **deleted: int) -> PeriodicRun:
    return run(period, result=RetentionRun(deleted, partial=False).result())


def partial(period: int, **deleted: int) -> PeriodicRun:
    return run(period, result=RetentionRun(deleted, partial=True).result())


def test_a_run_is_partial_when_a_table_reached_the_limit() -> None:
    assert RetentionRun.of({"fetch_attempts": 10, "pro_leads": 2}, limit=10).partial
    assert not RetentionRun.of({"fetch_attempts": 9, "pro_leads": 2}, limit=10).partial
    assert RetentionRun.of({"fetch_attempts": 3}, limit=10).result() == {
        "deleted": {"fetch_attempts": 3},
        "partial": False,
    }


def test_the_first_run_of_a_day_claims_the_day() -> None:
    assert next_run_period([], DAY) == DAY
    yesterday = DAY - DAY_SECONDS
    # Yesterday's partial run does not carry over: today starts with the day itself.
    assert next_run_period([partial(yesterday + 4, fetch_attempts=5)], DAY) == DAY


def test_a_partial_run_is_continued_by_the_next_period() -> None:
    assert next_run_period([partial(DAY, fetch_attempts=5)], DAY) == DAY + 1
    runs = [partial(DAY), partial(DAY + 1), partial(DAY + 2)]
    assert next_run_period(list(reversed(runs)), DAY) == DAY + 3  # by period, not list order


def test_nothing_runs_after_a_complete_failed_or_unfinished_run() -> None:
    assert next_run_period([done(DAY)], DAY) is None
    assert next_run_period([partial(DAY), done(DAY + 1)], DAY) is None
    assert next_run_period([run(DAY, result=FAILED_RESULT)], DAY) is None
    # Running now, or died: no second run beside it, whatever its last result said.
    assert next_run_period([partial(DAY), run(DAY + 1, finished=False)], DAY) is None
    assert next_run_period([run(DAY, finished=False, result=None)], DAY) is None


def test_a_run_finished_without_a_result_is_not_continued() -> None:
    assert next_run_period([run(DAY, result=None)], DAY) is None


def test_the_continuation_never_reaches_into_the_next_day() -> None:
    last = DAY + DAY_SECONDS - 1
    assert next_run_period([partial(DAY), partial(last)], DAY) is None


def test_never_ran() -> None:
    assert retention_day([]) is None


def test_the_latest_day_sums_its_runs_and_says_how_it_ended() -> None:
    runs = [
        done(DAY - DAY_SECONDS, fetch_attempts=99),  # yesterday: not counted
        partial(DAY, fetch_attempts=10, pro_leads=1),
        partial(DAY + 1, fetch_attempts=10),
        done(DAY + 2, fetch_attempts=4),
    ]
    day = retention_day(runs)
    assert day is not None
    assert day.day == date(2026, 12, 6)
    assert day.runs == 3
    assert day.state == "done"
    assert day.started_at == runs[1].ran_at
    assert day.finished_at == runs[3].finished_at
    assert day.deleted == {**dict.fromkeys(PRUNED_TABLES, 0), "fetch_attempts": 24, "pro_leads": 1}


def test_each_way_a_day_can_end() -> None:
    def state(*runs: PeriodicRun) -> str:
        day = retention_day(runs)
        assert day is not None
        return day.state

    assert state(partial(DAY, fetch_attempts=10)) == "partial"
    assert state(partial(DAY), run(DAY + 1, result=FAILED_RESULT)) == "failed"
    unfinished = retention_day([partial(DAY, fetch_attempts=10), run(DAY + 1, finished=False)])
    assert unfinished is not None
    assert unfinished.state == "unfinished" and unfinished.finished_at is None
    assert unfinished.deleted["fetch_attempts"] == 10  # what the finished runs deleted
