"""Retry decisions for one fetch: which failures to retry and how long to wait. Pure."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from newsdesk.domain import FetchError, FetchErrorKind


def parse_retry_after(value: str | None, *, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date); None if absent
    or unreadable."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def is_retryable(error: FetchError) -> bool:
    """5xx, 429 and a refused or broken connection are worth another try; a timeout is not,
    because the deadline was the whole budget."""
    if error.kind is FetchErrorKind.HTTP_STATUS:
        return error.status is not None and (error.status == 429 or error.status >= 500)
    return error.kind is FetchErrorKind.CONNECT


def retry_delay(attempt: int, *, backoff_base: float, retry_after: float | None) -> float:
    """Wait before retry number ``attempt + 1``: exponential, but never less than Retry-After."""
    delay = backoff_base * 2.0**attempt
    return max(delay, retry_after) if retry_after is not None else delay
