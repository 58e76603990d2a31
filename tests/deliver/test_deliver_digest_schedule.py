"""Send instants from local delivery time and IANA zone, across DST, and who is due now."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from newsdesk.deliver.digest.schedule import (
    digest_window,
    due_subscribers,
    next_digest_instant,
    send_instant,
)
from newsdesk.domain.subscribers import Subscriber


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def test_send_instant_is_local_time_in_the_subscribers_zone() -> None:
    assert send_instant(date(2026, 1, 15), "07:00", "Europe/Berlin") == utc(2026, 1, 15, 6, 0)
    assert send_instant(date(2026, 7, 15), "07:00", "Europe/Berlin") == utc(2026, 7, 15, 5, 0)
    assert send_instant(date(2026, 7, 15), "07:00", "America/New_York") == utc(2026, 7, 15, 11)
    assert send_instant(date(2026, 7, 15), "07:30", "Asia/Kolkata") == utc(2026, 7, 15, 2, 0)


def test_spring_forward_day_berlin() -> None:
    day = date(2026, 3, 29)  # 02:00 CET → 03:00 CEST
    assert send_instant(day, "07:00", "Europe/Berlin") == utc(2026, 3, 29, 5, 0)  # CEST
    # 02:30 does not exist that day: it moves forward by the gap, to 03:30 CEST.
    assert send_instant(day, "02:30", "Europe/Berlin") == utc(2026, 3, 29, 1, 30)
    assert send_instant(day, "01:59", "Europe/Berlin") == utc(2026, 3, 29, 0, 59)  # still CET


def test_fall_back_day_berlin() -> None:
    day = date(2026, 10, 25)  # 03:00 CEST → 02:00 CET: 02:00–02:59 happen twice
    assert send_instant(day, "07:00", "Europe/Berlin") == utc(2026, 10, 25, 6, 0)  # CET
    # Ambiguous 02:30: the first occurrence (still CEST, UTC+2).
    assert send_instant(day, "02:30", "Europe/Berlin") == utc(2026, 10, 25, 0, 30)
    # The day is 25 hours long: consecutive 07:00 sends are 25 h apart.
    before = send_instant(date(2026, 10, 24), "07:00", "Europe/Berlin")
    assert send_instant(day, "07:00", "Europe/Berlin") - before == timedelta(hours=25)


def test_bad_time_or_zone_falls_back_instead_of_failing_a_send() -> None:
    assert send_instant(date(2026, 1, 15), "25:99", "UTC") == utc(2026, 1, 15, 7, 0)
    assert send_instant(date(2026, 1, 15), "09:00", "Mars/Olympus") == utc(2026, 1, 15, 9, 0)
    assert send_instant(date(2026, 1, 15), "09:00", "Asia") == utc(2026, 1, 15, 9, 0)  # a folder


def test_due_subscribers_are_those_whose_local_time_passed_on_their_local_today() -> None:
    now = utc(2026, 3, 2, 6, 30)
    berlin = Subscriber(email="b@x.example", id=1, timezone="Europe/Berlin")  # 07:00 = 06:00Z
    new_york = Subscriber(email="n@x.example", id=2, timezone="America/New_York")
    tokyo = Subscriber(email="t@x.example", id=3, timezone="Asia/Tokyo")  # 15:30 local
    late = Subscriber(email="l@x.example", id=4, delivery_time="08:00")
    due = {s.id: day for s, day in due_subscribers([berlin, new_york, tokyo, late], now)}
    assert due == {1: date(2026, 3, 2), 3: date(2026, 3, 2)}
    # Just before midnight UTC it is already the next day in Tokyo, before 07:00 there.
    assert list(due_subscribers([tokyo], utc(2026, 3, 2, 21, 0))) == []
    assert list(due_subscribers([tokyo], utc(2026, 3, 2, 22, 0))) == [(tokyo, date(2026, 3, 3))]


def test_retries_stop_at_the_next_digest_and_the_window_is_the_day_before_the_send() -> None:
    subscriber = Subscriber(email="b@x.example", id=1, timezone="Europe/Berlin")
    assert next_digest_instant(subscriber, date(2026, 3, 28)) == utc(2026, 3, 29, 5, 0)
    send_at = utc(2026, 3, 2, 6, 0)
    assert digest_window(send_at) == (utc(2026, 3, 1, 6, 0), send_at)
