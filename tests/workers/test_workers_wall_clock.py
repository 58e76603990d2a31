"""The helper that keeps a worker test and its workers in the same report week."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from wall_clock import week_boundary_within


def test_the_week_boundary_is_seen_coming() -> None:
    monday = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)  # reports for the week before are due
    five = timedelta(minutes=5)
    for before in (timedelta(seconds=2), timedelta(minutes=4, seconds=59)):
        assert week_boundary_within(monday - before, five) == monday
    assert week_boundary_within(monday - timedelta(minutes=5, seconds=1), five) is None
    assert week_boundary_within(monday, five) is None
    assert week_boundary_within(monday + timedelta(days=3), five) is None
