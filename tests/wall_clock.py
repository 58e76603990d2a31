"""For tests whose subprocesses (`newsdesk run`, workers) read the wall clock while the test
computes the day or week itself: keep both on the same side of the boundary."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from newsdesk.reports.mailing import due_week


def noon_zone(now: datetime) -> tuple[str, date, datetime]:
    """A fixed-offset zone where it is about noon at now: (zone, its today, its midnight in
    UTC). The process reads the wall clock, and in this zone its today stays the test's today
    for the next eleven hours, whatever the hour in UTC (00:00 UTC included)."""
    offset = 12 - now.hour  # -11 … +12 hours; Etc/GMT names count the other way round
    name = f"Etc/GMT{-offset:+d}"
    local = now.astimezone(ZoneInfo(name))
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return name, local.date(), midnight.astimezone(UTC)


def week_boundary_within(now: datetime, margin: timedelta) -> datetime | None:
    """The instant the due report week changes (Monday 06:00 UTC) if it comes within margin
    of now, else None."""
    if due_week(now) == due_week(now + margin):
        return None
    step = timedelta(minutes=1)
    moment = now
    while due_week(moment) == due_week(now):
        moment += step
    return moment.replace(second=0, microsecond=0)


def outside_the_week_boundary(margin: timedelta = timedelta(minutes=5)) -> datetime:
    """Now, after waiting out Monday 06:00 UTC if it comes within margin: a worker started
    by the test then reads the due week the test read. Waits at most margin, once a week."""
    now = datetime.now(UTC)
    boundary = week_boundary_within(now, margin)
    if boundary is not None:
        time.sleep((boundary - now).total_seconds() + 1)
        now = datetime.now(UTC)
    return now
