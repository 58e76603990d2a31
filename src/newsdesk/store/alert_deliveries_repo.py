"""The alert delivery ledger: every step is a compare-and-set on a row's status.

Email (like the digest outbox): PENDING → SENDING (just before SMTP) → SENT, or FAILED; a row
left SENDING by a killed sender becomes UNCERTAIN and is never re-sent. Webhooks: PENDING →
SENDING with a lease (its next_attempt_at) → SENT, back to PENDING for the next retry, or
FAILED; a row whose lease ran out (its sender was killed) is due again and is retried with the
same webhook-id, which receivers use to drop duplicates. Every webhook attempt is logged.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, insert, or_, select, update

from newsdesk.domain.alerts import Channel, Delivery, DeliveryAttempt, DeliveryStatus
from newsdesk.store.base import StoreBase
from newsdesk.store.engine import read_connection
from newsdesk.store.schema import alert_deliveries, alerts, articles, sources, webhook_attempts

_PENDING = str(DeliveryStatus.PENDING)
_SENDING = str(DeliveryStatus.SENDING)


def delivery_from_row(row: Any) -> Delivery:
    return Delivery(
        id=row.id,
        alert_id=row.alert_id,
        article_id=row.article_id,
        channel=Channel(row.channel),
        status=DeliveryStatus(row.status),
        attempts=row.attempts,
        message_id=row.message_id,
        matched_at=row.matched_at,
        next_attempt_at=row.next_attempt_at,
        endpoint_id=row.endpoint_id,
        error=row.error,
        sent_at=row.sent_at,
    )


class AlertDeliveriesRepository(StoreBase):
    def due_deliveries(
        self, channel: Channel, *, now: datetime, limit: int = 200
    ) -> list[Delivery]:
        """PENDING rows whose time has come, and webhook rows whose sending lease ran out."""
        due = and_(
            alert_deliveries.c.status == _PENDING,
            or_(
                alert_deliveries.c.next_attempt_at.is_(None),
                alert_deliveries.c.next_attempt_at <= now,
            ),
        )
        if channel is Channel.WEBHOOK:
            lapsed = and_(
                alert_deliveries.c.status == _SENDING, alert_deliveries.c.next_attempt_at <= now
            )
            due = or_(due, lapsed)
        with read_connection(self.engine) as connection:
            rows = connection.execute(
                select(alert_deliveries)
                .where(alert_deliveries.c.channel == str(channel), due)
                .order_by(alert_deliveries.c.matched_at, alert_deliveries.c.id)
                .limit(limit)
            )
            return [delivery_from_row(row) for row in rows]

    def claim_delivery(
        self,
        delivery: Delivery,
        *,
        now: datetime,
        lease_until: datetime | None,
        message_id: str = "",
    ) -> bool:
        """delivery (as read) → SENDING, attempts + 1; False when someone else moved it."""
        values: dict[str, Any] = {
            "status": _SENDING,
            "attempts": alert_deliveries.c.attempts + 1,
            "next_attempt_at": lease_until,
            "updated_at": now,
        }
        if message_id:
            values["message_id"] = message_id
        with self.engine.begin() as connection:
            return (
                connection.execute(
                    update(alert_deliveries)
                    .where(
                        alert_deliveries.c.id == delivery.id,
                        alert_deliveries.c.status == str(delivery.status),
                        alert_deliveries.c.attempts == delivery.attempts,
                    )
                    .values(**values)
                ).rowcount
                == 1
            )

    def finish_delivery(
        self,
        delivery_id: int,
        status: DeliveryStatus,
        *,
        now: datetime,
        error: str | None = None,
        next_attempt_at: datetime | None = None,
    ) -> bool:
        """Record the outcome of a SENDING row (or of an UNCERTAIN one: known now, it wins)."""
        values: dict[str, Any] = {
            "status": str(status),
            "error": error,
            "next_attempt_at": next_attempt_at,
            "updated_at": now,
        }
        if status is DeliveryStatus.SENT:
            values["sent_at"] = now
        with self.engine.begin() as connection:
            return (
                connection.execute(
                    update(alert_deliveries)
                    .where(
                        alert_deliveries.c.id == delivery_id,
                        alert_deliveries.c.status.in_([_SENDING, str(DeliveryStatus.UNCERTAIN)]),
                    )
                    .values(**values)
                ).rowcount
                == 1
            )

    def cancel_deliveries(self, delivery_ids: Sequence[int], *, reason: str, now: datetime) -> int:
        """PENDING rows → CANCELLED (the owner may no longer receive alerts)."""
        if not delivery_ids:
            return 0
        with self.engine.begin() as connection:
            return int(
                connection.execute(
                    update(alert_deliveries)
                    .where(
                        alert_deliveries.c.id.in_(list(delivery_ids)),
                        alert_deliveries.c.status.in_([_PENDING, _SENDING]),
                    )
                    .values(status=str(DeliveryStatus.CANCELLED), error=reason, updated_at=now)
                ).rowcount
            )

    def fail_endpoint_deliveries(self, endpoint_id: int, *, reason: str, now: datetime) -> int:
        """Every waiting delivery to a disabled endpoint fails."""
        with self.engine.begin() as connection:
            return int(
                connection.execute(
                    update(alert_deliveries)
                    .where(
                        alert_deliveries.c.endpoint_id == endpoint_id,
                        alert_deliveries.c.status == _PENDING,
                    )
                    .values(status=str(DeliveryStatus.FAILED), error=reason, updated_at=now)
                ).rowcount
            )

    def mark_stale_email_uncertain(self, *, older_than: datetime, now: datetime) -> int:
        with self.engine.begin() as connection:
            return int(
                connection.execute(
                    update(alert_deliveries)
                    .where(
                        alert_deliveries.c.channel == str(Channel.EMAIL),
                        alert_deliveries.c.status == _SENDING,
                        alert_deliveries.c.updated_at < older_than,
                    )
                    .values(
                        status=str(DeliveryStatus.UNCERTAIN),
                        error="sender stopped while sending; not re-sent automatically",
                        updated_at=now,
                    )
                ).rowcount
            )

    def resend_delivery(self, delivery_id: int, *, now: datetime) -> bool:
        """A member's manual re-send: a finished webhook delivery is due again, same id."""
        with self.engine.begin() as connection:
            return (
                connection.execute(
                    update(alert_deliveries)
                    .where(
                        alert_deliveries.c.id == delivery_id,
                        alert_deliveries.c.channel == str(Channel.WEBHOOK),
                        alert_deliveries.c.status.in_(
                            [str(DeliveryStatus.SENT), str(DeliveryStatus.FAILED)]
                        ),
                    )
                    .values(
                        status=_PENDING,
                        next_attempt_at=now,
                        attempts=0,
                        error="manual re-send",
                        updated_at=now,
                    )
                ).rowcount
                == 1
            )

    def get_delivery(self, delivery_id: int) -> Delivery | None:
        with read_connection(self.engine) as connection:
            row = connection.execute(
                select(alert_deliveries).where(alert_deliveries.c.id == delivery_id)
            ).first()
        return None if row is None else delivery_from_row(row)

    def alert_deliveries_of(self, alert_id: int) -> list[Delivery]:
        with read_connection(self.engine) as connection:
            rows = connection.execute(
                select(alert_deliveries)
                .where(alert_deliveries.c.alert_id == alert_id)
                .order_by(alert_deliveries.c.id)
            )
            return [delivery_from_row(row) for row in rows]

    def log_webhook_attempt(self, attempt: DeliveryAttempt) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                insert(webhook_attempts).values(
                    delivery_id=attempt.delivery_id,
                    endpoint_id=attempt.endpoint_id,
                    at=attempt.at,
                    status=attempt.status,
                    error=(attempt.error or "")[:500] or None,
                    duration_ms=attempt.duration_ms,
                    manual=attempt.manual,
                )
            )

    def webhook_log(self, endpoint_id: int, *, limit: int = 100) -> list[DeliveryAttempt]:
        """The endpoint's newest attempts, with each delivery's webhook-id."""
        with read_connection(self.engine) as connection:
            rows = connection.execute(
                select(webhook_attempts, alert_deliveries.c.message_id)
                .join(alert_deliveries, alert_deliveries.c.id == webhook_attempts.c.delivery_id)
                .where(webhook_attempts.c.endpoint_id == endpoint_id)
                .order_by(webhook_attempts.c.at.desc(), webhook_attempts.c.id.desc())
                .limit(limit)
            )
            return [
                DeliveryAttempt(
                    delivery_id=row.delivery_id,
                    endpoint_id=row.endpoint_id,
                    at=row.at,
                    status=row.status,
                    error=row.error,
                    duration_ms=row.duration_ms,
                    message_id=row.message_id,
                    manual=row.manual,
                )
                for row in rows
            ]

    def notice_rows(self, article_ids: Sequence[int]) -> dict[int, Any]:
        """(id, title, url, published, source_name) of the articles, for notices."""
        if not article_ids:
            return {}
        with read_connection(self.engine) as connection:
            rows = connection.execute(
                select(
                    articles.c.id,
                    articles.c.title,
                    articles.c.url,
                    articles.c.published,
                    sources.c.name.label("source_name"),
                )
                .outerjoin(sources, sources.c.id == articles.c.source_id)
                .where(articles.c.id.in_(list(article_ids)))
            )
            return {row.id: row for row in rows}

    def alert_owner(self, alert_id: int) -> int | None:
        with read_connection(self.engine) as connection:
            found: int | None = connection.execute(
                select(alerts.c.member_id).where(alerts.c.id == alert_id)
            ).scalar()
        return found
