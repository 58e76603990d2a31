"""When to fetch a source next, and a source's state after a fetch. Pure decisions."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timedelta

from newsdesk.domain import FetchError, FetchErrorKind, FetchOutcome, Source

JITTER = 0.10  # ± share of the delay, so sources added together drift apart
MAX_BACKOFF_SECONDS = 24 * 3600.0
MIN_DELAY_SECONDS = 1.0
_MAX_DOUBLINGS = 30  # 2**30 times any interval is far beyond the cap already


def next_fetch_at(
    *,
    now: datetime,
    interval_seconds: float,
    consecutive_failures: int,
    retry_after: float | None,
    rng: random.Random,
) -> datetime:
    """``now`` + the interval, doubled per consecutive failure up to a day (or the interval,
    if that is longer), with ±10 % jitter, and never sooner than a server's Retry-After."""
    interval = max(float(interval_seconds), MIN_DELAY_SECONDS)
    doublings = min(max(consecutive_failures, 0), _MAX_DOUBLINGS)
    delay = min(interval * 2.0**doublings, max(MAX_BACKOFF_SECONDS, interval))
    delay *= rng.uniform(1 - JITTER, 1 + JITTER)
    if retry_after is not None:
        delay = max(delay, retry_after)
    return now + timedelta(seconds=max(delay, MIN_DELAY_SECONDS))


def apply_result(
    source: Source,
    *,
    now: datetime,
    outcome: FetchOutcome,
    error: FetchError | None = None,
    status: int | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
    rng: random.Random,
) -> Source:
    """A copy of ``source`` with health, validators and next fetch time updated.

    OK replaces the validators with the response's; NOT_MODIFIED keeps the old ones unless
    the 304 carried new ones; ERROR counts a failure, and a 410 Gone disables the source.
    """
    if outcome is FetchOutcome.ERROR:
        failures = source.consecutive_failures + 1
        status = status if status is not None else (error.status if error else None)
        gone = status == 410 or (error is not None and error.kind is FetchErrorKind.GONE)
        message = str(error) if error is not None else f"http status {status}"
        return replace(
            source,
            last_attempt_at=now,
            consecutive_failures=failures,
            last_error=message,
            enabled=source.enabled and not gone,
            disabled_reason=f"gone (HTTP 410): {message}" if gone else source.disabled_reason,
            next_fetch_at=next_fetch_at(
                now=now,
                interval_seconds=source.interval_seconds,
                consecutive_failures=failures,
                retry_after=error.retry_after if error is not None else None,
                rng=rng,
            ),
        )
    if outcome is FetchOutcome.OK:
        new_etag, new_last_modified = etag, last_modified
    else:
        new_etag = etag or source.etag
        new_last_modified = last_modified or source.last_modified
    return replace(
        source,
        last_attempt_at=now,
        last_success_at=now,
        consecutive_failures=0,
        last_error=None,
        etag=new_etag,
        last_modified=new_last_modified,
        next_fetch_at=next_fetch_at(
            now=now,
            interval_seconds=source.interval_seconds,
            consecutive_failures=0,
            retry_after=None,
            rng=rng,
        ),
    )
