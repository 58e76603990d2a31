"""One fetch log row (a FetchAttempt) from a fetch's response or error."""

from __future__ import annotations

from datetime import datetime

from newsdesk.domain import FetchAttempt, FetchError, FetchOutcome, FetchResponse


def fetch_attempt(
    source_id: int | None,
    url: str,
    started_at: datetime,
    duration_seconds: float,
    *,
    response: FetchResponse | None = None,
    error: FetchError | None = None,
) -> FetchAttempt:
    """The row for one fetch: an error, a 304 (not modified) or a page."""
    if error is not None:
        outcome = FetchOutcome.ERROR
    elif response is not None and response.not_modified:
        outcome = FetchOutcome.NOT_MODIFIED
    else:
        outcome = FetchOutcome.OK
    return FetchAttempt(
        source_id=source_id,
        url=url,
        started_at=started_at,
        outcome=outcome,
        status=response.status if response is not None else error.status if error else None,
        bytes=len(response.body) if response is not None else 0,
        duration_seconds=duration_seconds,
        error=str(error) if error is not None else None,
    )
