"""The pure schedule decider and the source update after a fetch."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.domain import FetchError, FetchErrorKind, FetchOutcome, Source
from newsdesk.fetch import apply_result, next_fetch_at
from newsdesk.fetch.retry import is_retryable, parse_retry_after, retry_delay
from newsdesk.fetch.schedule import MAX_BACKOFF_SECONDS

NOW = datetime(2026, 11, 27, 6, 0, tzinfo=UTC)
nows = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)


def delay(**kwargs: object) -> float:
    settings: dict[str, object] = {
        "now": NOW,
        "interval_seconds": 3600,
        "consecutive_failures": 0,
        "retry_after": None,
        "rng": random.Random(1),
    }
    settings.update(kwargs)
    return (next_fetch_at(**settings) - NOW).total_seconds()  # type: ignore[arg-type]


def test_interval_with_jitter_within_ten_percent() -> None:
    delays = {delay(rng=random.Random(seed)) for seed in range(50)}
    assert all(3240 <= d <= 3960 for d in delays)
    assert len(delays) > 40  # actually jittered


def test_failures_back_off_exponentially_up_to_a_day() -> None:
    assert 2 * 3240 <= delay(consecutive_failures=1) <= 2 * 3960
    assert 8 * 3240 <= delay(consecutive_failures=3) <= 8 * 3960
    assert delay(consecutive_failures=40) <= MAX_BACKOFF_SECONDS * 1.1
    assert delay(consecutive_failures=10_000) <= MAX_BACKOFF_SECONDS * 1.1


def test_retry_after_is_a_floor() -> None:
    assert delay(interval_seconds=60, retry_after=7200) == 7200
    assert 3240 <= delay(retry_after=5) <= 3960


def test_interval_longer_than_the_cap_is_kept() -> None:
    week = 7 * 24 * 3600
    assert delay(interval_seconds=week, consecutive_failures=2) >= week * 0.9


@settings(deadline=None)  # timing on a shared machine is no property
@given(
    now=nows,
    interval=st.integers(min_value=0, max_value=30 * 24 * 3600),
    failures=st.integers(min_value=0, max_value=200),
    retry_after=st.none() | st.floats(min_value=0, max_value=1e6),
    seed=st.integers(min_value=0, max_value=2**32),
)
def test_never_earlier_than_now_and_monotone_in_failures(
    now: datetime, interval: int, failures: int, retry_after: float | None, seed: int
) -> None:
    def at(fails: int) -> datetime:
        return next_fetch_at(
            now=now,
            interval_seconds=interval,
            consecutive_failures=fails,
            retry_after=retry_after,
            rng=random.Random(seed),
        )

    assert at(failures) > now
    assert at(failures) <= at(failures + 1)
    if retry_after is not None:
        assert at(failures) >= now + timedelta(seconds=retry_after)


def source(**fields: object) -> Source:
    return Source(url="https://example.com/feed", id=1, **fields)  # type: ignore[arg-type]


def test_ok_resets_health_and_replaces_validators() -> None:
    before = source(consecutive_failures=3, last_error="boom", etag='"a"', last_modified="x")
    after = apply_result(
        before, now=NOW, outcome=FetchOutcome.OK, status=200, etag='"b"', rng=random.Random(1)
    )
    assert after is not before
    assert before.consecutive_failures == 3  # the input is not changed
    assert after.consecutive_failures == 0
    assert after.last_error is None
    assert after.etag == '"b"'
    assert after.last_modified is None
    assert after.last_success_at == after.last_attempt_at == NOW
    assert after.next_fetch_at is not None and after.next_fetch_at > NOW


def test_not_modified_keeps_validators_unless_new_ones_arrive() -> None:
    before = source(etag='"a"', last_modified="x")
    kept = apply_result(before, now=NOW, outcome=FetchOutcome.NOT_MODIFIED, rng=random.Random(1))
    assert (kept.etag, kept.last_modified) == ('"a"', "x")
    assert kept.last_success_at == NOW
    renewed = apply_result(
        before, now=NOW, outcome=FetchOutcome.NOT_MODIFIED, etag='"c"', rng=random.Random(1)
    )
    assert renewed.etag == '"c"'


def test_error_counts_failure_and_backs_off() -> None:
    error = FetchError(FetchErrorKind.HTTP_STATUS, "HTTP 503", status=503, retry_after=9000)
    before = source(consecutive_failures=1, etag='"a"', last_success_at=NOW - timedelta(days=1))
    after = apply_result(
        before, now=NOW, outcome=FetchOutcome.ERROR, error=error, rng=random.Random(1)
    )
    assert after.consecutive_failures == 2
    assert after.last_error == "http status: HTTP 503"
    assert after.etag == '"a"'
    assert after.last_success_at == NOW - timedelta(days=1)
    assert after.enabled
    assert after.next_fetch_at is not None
    assert after.next_fetch_at >= NOW + timedelta(seconds=9000)


def test_410_disables_the_source_with_the_reason() -> None:
    error = FetchError(
        FetchErrorKind.GONE, "HTTP 410 Gone from https://example.com/feed", status=410
    )
    after = apply_result(
        source(), now=NOW, outcome=FetchOutcome.ERROR, error=error, rng=random.Random(1)
    )
    assert not after.enabled
    assert after.disabled_reason is not None
    assert "410" in after.disabled_reason
    assert "example.com/feed" in after.disabled_reason


def test_other_errors_keep_the_source_enabled() -> None:
    error = FetchError(FetchErrorKind.DNS, "cannot resolve")
    after = apply_result(
        source(), now=NOW, outcome=FetchOutcome.ERROR, error=error, rng=random.Random(1)
    )
    assert after.enabled
    assert after.disabled_reason is None


def test_retry_after_parsing() -> None:
    assert parse_retry_after("120", now=NOW) == 120
    assert parse_retry_after("Fri, 27 Nov 2026 06:01:00 GMT", now=NOW) == 60
    assert parse_retry_after("Fri, 27 Nov 2026 05:00:00 GMT", now=NOW) == 0
    assert parse_retry_after("soon", now=NOW) is None
    assert parse_retry_after(None, now=NOW) is None


def test_retry_decisions() -> None:
    def status(code: int) -> FetchError:
        return FetchError(FetchErrorKind.HTTP_STATUS, "x", status=code)

    assert is_retryable(status(500))
    assert is_retryable(status(429))
    assert not is_retryable(status(404))
    assert not is_retryable(FetchError(FetchErrorKind.GONE, "x", status=410))
    assert is_retryable(FetchError(FetchErrorKind.CONNECT, "refused"))
    assert not is_retryable(FetchError(FetchErrorKind.TIMEOUT, "slow"))
    assert not is_retryable(FetchError(FetchErrorKind.BLOCKED_DESTINATION, "no"))
    assert retry_delay(0, backoff_base=1.0, retry_after=None) == 1.0
    assert retry_delay(3, backoff_base=1.0, retry_after=None) == 8.0
    assert retry_delay(0, backoff_base=1.0, retry_after=30) == 30
