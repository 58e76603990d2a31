"""When a subscriber's digest is due. Pure: the caller passes the clock.

A subscriber's digest for a date is due at their local delivery time on that date. The
digest date is the subscriber's own calendar date, so a reader in Tokyo gets the digest
dated the 28th at 07:00 on the 28th in Tokyo (still the 27th in UTC).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from newsdesk.domain.subscribers import Subscriber, parse_hh_mm

DEFAULT_DELIVERY_TIME = time(7, 0)
WINDOW = timedelta(hours=24)


@lru_cache(maxsize=1024)
def zone(name: str) -> tzinfo:
    """The IANA zone, or UTC for a name this system does not know (never fails a send)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder of tzdata
        return UTC


def parse_delivery_time(value: str, default: time = DEFAULT_DELIVERY_TIME) -> time:
    """'HH:MM' to a time; anything else gives default."""
    return parse_hh_mm(value.strip()) or default


def send_instant(
    day: date, delivery_time: str, timezone: str, *, default: time = DEFAULT_DELIVERY_TIME
) -> datetime:
    """The UTC instant of local delivery_time on day in timezone.

    A local time that does not exist (the spring-forward gap, e.g. 02:30 in Berlin on
    2026-03-29) moves forward by the length of the gap (03:30); an ambiguous one (the
    autumn repeat) is its first occurrence.
    """
    local_zone = zone(timezone)
    wall = datetime.combine(day, parse_delivery_time(delivery_time, default))
    first = wall.replace(tzinfo=local_zone, fold=0)
    # fold=0 in a gap resolves with the offset before the transition: converted to UTC and
    # back, that is the wall time shifted forward by the gap, which is what we want.
    return first.astimezone(UTC)


def local_date(now: datetime, timezone: str) -> date:
    return now.astimezone(zone(timezone)).date()


def digest_window(send_at: datetime) -> tuple[datetime, datetime]:
    """The stories a digest covers: active in the 24 hours before its send instant."""
    return (send_at - WINDOW, send_at)


def due_today(
    subscriber: Subscriber, now: datetime, *, default: time = DEFAULT_DELIVERY_TIME
) -> date | None:
    """The digest date due for subscriber at now (their local today), or None if not yet."""
    today = local_date(now, subscriber.timezone)
    if now >= send_instant(today, subscriber.delivery_time, subscriber.timezone, default=default):
        return today
    return None


def due_subscribers(
    subscribers: Iterable[Subscriber], now: datetime, *, default: time = DEFAULT_DELIVERY_TIME
) -> Iterator[tuple[Subscriber, date]]:
    """(subscriber, digest date) for every subscriber whose local delivery time passed today."""
    for subscriber in subscribers:
        day = due_today(subscriber, now, default=default)
        if day is not None:
            yield subscriber, day


def next_digest_instant(
    subscriber: Subscriber, day: date, *, default: time = DEFAULT_DELIVERY_TIME
) -> datetime:
    """When the digest after the one for day is due: retries of day's digest stop then."""
    return send_instant(
        day + timedelta(days=1), subscriber.delivery_time, subscriber.timezone, default=default
    )
