"""How long operational and personal rows are kept: the policy and its cut-off instants.

Pure: ``cutoffs`` turns the operator's policy (days; 0 keeps forever) and a moment into the
instants before which rows go. The store deletes (store.retention_repo); `newsdesk db prune`
and the daily schedules call it. Legal and idempotency records (consent_events,
payment_events, digest_outbox, articles …) are no part of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

# The tables pruned, in the order they are pruned and reported.
PRUNED_TABLES = (
    "fetch_attempts",
    "webhook_attempts",
    "signin_requests",
    "member_sessions",
    "pro_leads",
)


@dataclass(frozen=True)
class RetentionPolicy:
    """Days each kind of row is kept; 0 keeps it forever."""

    fetch_log_days: int = 90
    webhook_attempts_days: int = 90
    leads_days: int = 365
    expired_days: int = 7  # sign-in requests used or expired, sessions expired, that long ago

    def __post_init__(self) -> None:
        for name in ("fetch_log_days", "webhook_attempts_days", "leads_days", "expired_days"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be 0 (keep forever) or more days")


@dataclass(frozen=True)
class RetentionCutoffs:
    """Rows older than these instants go; None keeps that kind of row forever.

    fetch_attempts by started_at, webhook_attempts by at, pro_leads by created_at; sign-in
    requests used or expired before ``expired``, member sessions expired before it.
    """

    fetch_log: datetime | None
    webhook_attempts: datetime | None
    leads: datetime | None
    expired: datetime | None


def _before(now: datetime, days: int) -> datetime | None:
    return None if days == 0 else now - timedelta(days=days)


def cutoffs(policy: RetentionPolicy, now: datetime) -> RetentionCutoffs:
    """The instants before which each kind of row is deleted, as of now."""
    return RetentionCutoffs(
        fetch_log=_before(now, policy.fetch_log_days),
        webhook_attempts=_before(now, policy.webhook_attempts_days),
        leads=_before(now, policy.leads_days),
        expired=_before(now, policy.expired_days),
    )


def prune_line(counts: dict[str, int], *, dry_run: bool = False) -> str:
    """One line for the log or the terminal: counts per table only (never a row's content)."""
    verb = "would delete" if dry_run else "deleted"
    parts = ", ".join(f"{table} {counts.get(table, 0)}" for table in PRUNED_TABLES)
    return f"retention: {verb} {parts}"
