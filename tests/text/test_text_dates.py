"""A date-only moment (midnight UTC exactly) has no time of day; it is written as a date."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from newsdesk.text.dates import has_time_of_day, iso_moment


@pytest.mark.parametrize(
    ("value", "timed", "iso"),
    [
        (datetime(2026, 12, 1, tzinfo=UTC), False, "2026-12-01"),
        (datetime(2026, 12, 1), False, "2026-12-01"),  # naive: UTC, as the store keeps it
        (datetime(2026, 12, 1, 0, 0, 1, tzinfo=UTC), True, "2026-12-01T00:00:01+00:00"),
        (datetime(2026, 12, 1, 0, 0, 0, 1, tzinfo=UTC), True, "2026-12-01T00:00:00.000001+00:00"),
        (datetime(2026, 12, 1, 9, 30, tzinfo=UTC), True, "2026-12-01T09:30:00+00:00"),
        # midnight in Tokyo is 15:00 UTC the day before: a time was given
        (
            datetime(2026, 12, 1, tzinfo=timezone(timedelta(hours=9))),
            True,
            "2026-11-30T15:00:00+00:00",
        ),
        # 09:00 in Tokyo is midnight UTC: read as a date, the UTC day
        (datetime(2026, 12, 1, 9, tzinfo=timezone(timedelta(hours=9))), False, "2026-12-01"),
    ],
)
def test_date_only_moments(value: datetime, timed: bool, iso: str) -> None:
    assert has_time_of_day(value) is timed
    assert iso_moment(value) == iso
