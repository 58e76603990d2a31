"""What alerts need from storage and from the members side (bootstrap wires both)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Protocol

from newsdesk.domain.access import Viewer
from newsdesk.domain.alerts import (
    Alert,
    Channel,
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    PayloadFormat,
    PercolationDoc,
    WebhookEndpoint,
)


class AlertStore(Protocol):
    """store/alerts_repo.py and store/alert_deliveries_repo.py."""

    def add_webhook_endpoint(
        self, member_id: int, url: str, *, secret: str, payload: PayloadFormat, now: datetime
    ) -> WebhookEndpoint: ...

    def get_webhook_endpoint(self, endpoint_id: int) -> WebhookEndpoint | None: ...

    def set_webhook_endpoint_state(
        self, endpoint_id: int, *, enabled: bool, reason: str | None, failures: int | None = None
    ) -> None: ...

    def count_webhook_failure(self, endpoint_id: int) -> int: ...

    def add_alert(self, alert: Alert, *, feed_hash: str, now: datetime) -> Alert: ...

    def get_alert(self, alert_id: int) -> Alert | None: ...

    def list_alerts(self, *, member_id: int | None = None, active: bool = True) -> list[Alert]: ...

    def unpercolated(
        self, *, enriched_since: datetime, stored_since: datetime, limit: int = 500
    ) -> list[PercolationDoc]: ...

    def record_percolation(
        self,
        article_ids: Sequence[int],
        matches: Sequence[tuple[Alert, int]],
        *,
        now: datetime,
        message_id: Callable[[], str],
    ) -> int: ...

    def due_deliveries(
        self, channel: Channel, *, now: datetime, limit: int = 200
    ) -> list[Delivery]: ...

    def claim_delivery(
        self,
        delivery: Delivery,
        *,
        now: datetime,
        lease_until: datetime | None,
        message_id: str = "",
    ) -> bool: ...

    def finish_delivery(
        self,
        delivery_id: int,
        status: DeliveryStatus,
        *,
        now: datetime,
        error: str | None = None,
        next_attempt_at: datetime | None = None,
    ) -> bool: ...

    def cancel_deliveries(
        self, delivery_ids: Sequence[int], *, reason: str, now: datetime
    ) -> int: ...

    def fail_endpoint_deliveries(self, endpoint_id: int, *, reason: str, now: datetime) -> int: ...

    def mark_stale_email_uncertain(self, *, older_than: datetime, now: datetime) -> int: ...

    def log_webhook_attempt(self, attempt: DeliveryAttempt) -> None: ...

    def notice_rows(self, article_ids: Sequence[int]) -> dict[int, Any]: ...


class AlertOwners(Protocol):
    """Who owns alerts: members (the members package's store), resolved when needed — a
    member who lost Pro since a match gets nothing more."""

    def member_id_by_email(self, email: str) -> int | None: ...

    def email_of(self, member_id: int) -> str | None: ...

    def viewer_of(self, member_id: int, now: datetime) -> Viewer: ...


class MailResult(Protocol):
    @property
    def outcome(self) -> str: ...  # "sent", "deferred" or "rejected"

    @property
    def detail(self) -> str: ...


class Mailer(Protocol):
    """Sends one built message (SMTP or the .eml folder), as deliver's senders do."""

    def send(self, message: Any) -> MailResult: ...
