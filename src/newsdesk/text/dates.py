"""When a moment was given without its time of day, and how to write it then.

A date-only value — a house piece's ``published: 2026-12-01``, a sitemap's or a page's
``2026-12-01`` — is stored as midnight UTC, since the column holds a moment. The time of day
of such a value was never said, so showing it ("00:00 UTC", "12:00 AM") states something
nobody wrote. Without a column for precision, exactly midnight UTC (no seconds, no
microseconds) is read as "no time given": a real story published at 00:00:00.000000 UTC
loses only a time that says nothing either. Feeds keep full RFC dates and the API its
date-time fields; pages and embedded metadata show the date.
"""

from __future__ import annotations

from datetime import UTC, datetime, time


def has_time_of_day(value: datetime) -> bool:
    """False for a date-only value (exactly midnight UTC), True otherwise."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).timetz().replace(tzinfo=None) != time.min


def iso_moment(value: datetime) -> str:
    """ISO 8601: the date alone when no time was given, else the UTC date-time."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    moment = value.astimezone(UTC)
    return moment.isoformat() if has_time_of_day(moment) else moment.date().isoformat()
