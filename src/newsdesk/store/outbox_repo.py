"""The digest outbox: one row per (subscriber, digest date), the ledger of exactly-once sends.

Every state change is a compare-and-set on the row's status, so two workers (or a worker
and its restarted self) can never both hand the same digest to SMTP: only the one whose
PENDING → SENDING update matched a row sends.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Update, and_, bindparam, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from newsdesk.domain.subscribers import OutboxEntry, OutboxStatus, SubscriberStatus
from newsdesk.store.base import StoreBase
from newsdesk.store.engine import read_connection
from newsdesk.store.schema import digest_outbox, subscribers

_FIELDS = tuple(column.name for column in digest_outbox.columns)
_CLAIMABLE = (OutboxStatus.PENDING, OutboxStatus.DEFERRED)


def outbox_from_row(row: Any) -> OutboxEntry:
    mapping = row._mapping
    fields = {name: mapping[name] for name in _FIELDS}
    fields["status"] = OutboxStatus(mapping["status"])
    return OutboxEntry(**fields)


class DigestLedger:
    """A worker's ledger steps over its own connection: no pool round trip per message."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def advance(
        self,
        *,
        sent_id: int | None,
        start_id: int | None,
        message_id: str = "",
        subject: str = "",
        now: datetime,
    ) -> bool:
        """sent_id SENDING → SENT and start_id → SENDING (as start_digest_send), in one
        transaction; True means start_id may be sent now."""
        connection = self._connection
        with connection.begin():
            if sent_id is not None:
                connection.execute(_RECORD_SENT, {"b_id": sent_id, "b_now": now})
            if start_id is None:
                return False
            parameters = _start_parameters(start_id, message_id, subject, now)
            return connection.execute(_START_SEND, parameters).rowcount == 1


class OutboxRepository(StoreBase):
    def claim_digests(
        self, digest_date: date, subscriber_ids: Sequence[int], now: datetime
    ) -> dict[int, OutboxEntry]:
        """Insert a PENDING row for every subscriber without one for the date (an existing
        row is left alone) and return each subscriber's row, new or existing."""
        if not subscriber_ids:
            return {}
        values = [
            {
                "subscriber_id": subscriber_id,
                "digest_date": digest_date,
                "status": str(OutboxStatus.PENDING),
                "attempts": 0,
                "created_at": now,
                "updated_at": now,
            }
            for subscriber_id in subscriber_ids
        ]
        with self.engine.begin() as connection:
            dialect = connection.dialect.name
            insert_module = postgresql if dialect == "postgresql" else sqlite
            connection.execute(insert_module.insert(digest_outbox).on_conflict_do_nothing(), values)
            rows = connection.execute(
                select(digest_outbox).where(
                    digest_outbox.c.digest_date == digest_date,
                    digest_outbox.c.subscriber_id.in_(subscriber_ids),
                )
            ).all()
        return {row.subscriber_id: outbox_from_row(row) for row in rows}

    def start_digest_send(
        self, entry_id: int, *, message_id: str, subject: str, now: datetime
    ) -> bool:
        """PENDING (or DEFERRED and due) → SENDING, only while the subscriber is still active
        and not paused. True means this caller, and nobody else, may send now."""
        parameters = _start_parameters(entry_id, message_id, subject, now)
        with self.engine.begin() as connection:
            return connection.execute(_START_SEND, parameters).rowcount == 1

    def advance_digest_sends(
        self,
        *,
        sent_id: int | None,
        start_id: int | None,
        message_id: str = "",
        subject: str = "",
        now: datetime,
    ) -> bool:
        """One transaction for a worker's two ledger steps: the row whose message SMTP just
        accepted becomes SENT, and the next row goes to SENDING as start_digest_send does.
        True means start_id may be sent now."""
        with self.engine.connect() as connection:
            return DigestLedger(connection).advance(
                sent_id=sent_id, start_id=start_id, message_id=message_id, subject=subject, now=now
            )

    @contextmanager
    def digest_ledger(self) -> Iterator[DigestLedger]:
        """advance_digest_sends over one connection held for a sending worker's life."""
        with self.engine.connect() as connection:
            yield DigestLedger(connection)

    def finish_digest_send(
        self,
        entry_id: int,
        status: OutboxStatus,
        *,
        now: datetime,
        error: str | None = None,
        next_attempt_at: datetime | None = None,
    ) -> bool:
        """Record the SMTP outcome of a SENDING row (or one a recovery marked UNCERTAIN
        meanwhile: the outcome is known now, so it wins)."""
        statement = _finish_statement(entry_id, status, now, error, next_attempt_at)
        with self.engine.begin() as connection:
            return connection.execute(statement).rowcount == 1

    def skip_digests(self, entry_ids: Iterable[int], *, reason: str, now: datetime) -> int:
        """PENDING/DEFERRED → SKIPPED (nothing to send, or the subscriber left)."""
        ids = list(entry_ids)
        if not ids:
            return 0
        statement = (
            update(digest_outbox)
            .where(
                digest_outbox.c.id == bindparam("b_id"),
                digest_outbox.c.status.in_([str(s) for s in _CLAIMABLE]),
            )
            .values(status=str(OutboxStatus.SKIPPED), error=reason, updated_at=now)
        )
        with self.engine.begin() as connection:
            return sum(
                connection.execute(statement, {"b_id": entry_id}).rowcount for entry_id in ids
            )

    def mark_stale_sending_uncertain(self, *, older_than: datetime, now: datetime) -> int:
        """SENDING rows not touched since older_than belong to a worker that died mid-send:
        the message may or may not have left, so they become UNCERTAIN (never re-sent)."""
        statement = (
            update(digest_outbox)
            .where(
                digest_outbox.c.status == str(OutboxStatus.SENDING),
                digest_outbox.c.updated_at < older_than,
            )
            .values(
                status=str(OutboxStatus.UNCERTAIN),
                error="worker stopped while sending; not re-sent automatically",
                updated_at=now,
            )
        )
        with self.engine.begin() as connection:
            return int(connection.execute(statement).rowcount)

    def outbox_entries(
        self, digest_date: date, subscriber_ids: Sequence[int] | None = None
    ) -> dict[int, OutboxEntry]:
        """subscriber id → its row for the date (of the given subscribers, or all)."""
        query = select(digest_outbox).where(digest_outbox.c.digest_date == digest_date)
        if subscriber_ids is not None:
            query = query.where(digest_outbox.c.subscriber_id.in_(subscriber_ids))
        with read_connection(self.engine) as connection:
            rows = connection.execute(query).all()
        return {row.subscriber_id: outbox_from_row(row) for row in rows}

    def outbox_counts(self, digest_date: date) -> dict[OutboxStatus, int]:
        with read_connection(self.engine) as connection:
            rows = connection.execute(
                select(digest_outbox.c.status, func.count())
                .where(digest_outbox.c.digest_date == digest_date)
                .group_by(digest_outbox.c.status)
            ).all()
        return {OutboxStatus(status): count for status, count in rows}


_B_NOW = bindparam("b_now", type_=digest_outbox.c.updated_at.type)
_STILL_WANTED = (
    select(subscribers.c.id)
    .where(
        subscribers.c.id == digest_outbox.c.subscriber_id,
        subscribers.c.status == str(SubscriberStatus.ACTIVE),
        subscribers.c.paused.is_(False),
    )
    .exists()
)
# Built once: the per-message ledger steps then only bind values (the compiled form is cached).
_START_SEND = (
    update(digest_outbox)
    .where(
        digest_outbox.c.id == bindparam("b_id"),
        or_(
            digest_outbox.c.status == str(OutboxStatus.PENDING),
            and_(
                digest_outbox.c.status == str(OutboxStatus.DEFERRED),
                or_(
                    digest_outbox.c.next_attempt_at.is_(None),
                    digest_outbox.c.next_attempt_at <= _B_NOW,
                ),
            ),
        ),
        _STILL_WANTED,
    )
    .values(
        status=str(OutboxStatus.SENDING),
        attempts=digest_outbox.c.attempts + 1,
        message_id=bindparam("b_message_id"),
        subject=bindparam("b_subject"),
        next_attempt_at=None,
        updated_at=_B_NOW,
    )
)
_IN_FLIGHT = (str(OutboxStatus.SENDING), str(OutboxStatus.UNCERTAIN))
_RECORD_SENT = (
    update(digest_outbox)
    .where(
        digest_outbox.c.id == bindparam("b_id"),
        # two comparisons, not IN: an IN list is re-rendered on every execution
        or_(*(digest_outbox.c.status == status for status in _IN_FLIGHT)),
    )
    .values(
        status=str(OutboxStatus.SENT),
        error=None,
        next_attempt_at=None,
        updated_at=_B_NOW,
        sent_at=_B_NOW,
    )
)


def _start_parameters(
    entry_id: int, message_id: str, subject: str, now: datetime
) -> dict[str, Any]:
    return {"b_id": entry_id, "b_message_id": message_id, "b_subject": subject, "b_now": now}


def _finish_statement(
    entry_id: int,
    status: OutboxStatus,
    now: datetime,
    error: str | None,
    next_attempt_at: datetime | None,
) -> Update:
    values: dict[str, Any] = {
        "status": str(status),
        "error": error,
        "next_attempt_at": next_attempt_at,
        "updated_at": now,
    }
    if status is OutboxStatus.SENT:
        values["sent_at"] = now
    return (
        update(digest_outbox)
        .where(
            digest_outbox.c.id == entry_id,
            digest_outbox.c.status.in_(_IN_FLIGHT),
        )
        .values(**values)
    )
