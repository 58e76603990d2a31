"""Subscribers and their append-only consent record: the subscriber half of SqlStore.

Addresses are keyed by text.emails.email_key whatever spelling a caller passes, so one
address is one subscriber in any case (migration 0010 merged the older case duplicates).

Status changes that matter for consent (confirm, unsubscribe) are compare-and-set updates
with their consent event in the same transaction, so two clicks or two workers can never
record a change twice, and nothing but the person's own confirmation makes an unsubscribed
or suppressed address active again.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update
from sqlalchemy.exc import IntegrityError

from newsdesk.domain.models import utcnow
from newsdesk.domain.subscribers import (
    ConsentAction,
    ConsentEvent,
    Subscriber,
    SubscriberStatus,
)
from newsdesk.store.base import StoreBase
from newsdesk.store.engine import read_connection
from newsdesk.store.schema import consent_events, subscribers
from newsdesk.text.emails import email_key

_BATCH = 1000
_WITHDRAWN = (SubscriberStatus.UNSUBSCRIBED, SubscriberStatus.SUPPRESSED)
_CONFIRMABLE = (SubscriberStatus.PENDING, SubscriberStatus.UNSUBSCRIBED)


def subscriber_from_row(row: Row[Any]) -> Subscriber:
    m = row._mapping
    return Subscriber(
        id=m["id"],
        email=m["email"],
        status=SubscriberStatus(m["status"]),
        sectors=tuple(m["sectors"] or ()),
        entities=tuple(m["entities"] or ()),
        delivery_time=m["delivery_time"],
        timezone=m["timezone"],
        paused=bool(m["paused"]),
        confirm_nonce=m["confirm_nonce"],
        confirm_sent_at=m["confirm_sent_at"],
        created_at=m["created_at"],
        confirmed_at=m["confirmed_at"],
        unsubscribed_at=m["unsubscribed_at"],
        suppressed_reason=m["suppressed_reason"],
        token_version=m["token_version"],
    )


def _subscriber_values(subscriber: Subscriber) -> dict[str, Any]:
    return {
        "email": email_key(subscriber.email),
        "status": str(subscriber.status),
        "sectors": list(subscriber.sectors),
        "entities": list(subscriber.entities),
        "delivery_time": subscriber.delivery_time,
        "timezone": subscriber.timezone,
        "paused": subscriber.paused,
        "confirm_nonce": subscriber.confirm_nonce,
        "confirm_sent_at": subscriber.confirm_sent_at,
        "created_at": subscriber.created_at or utcnow(),
        "confirmed_at": subscriber.confirmed_at,
        "unsubscribed_at": subscriber.unsubscribed_at,
        "suppressed_reason": subscriber.suppressed_reason,
    }


def _event_from_row(row: Row[Any]) -> ConsentEvent:
    m = row._mapping
    return ConsentEvent(
        id=m["id"],
        subscriber_id=m["subscriber_id"],
        email=m["email"],
        action=ConsentAction(m["action"]),
        at=m["at"],
        policy_version=m["policy_version"],
        terms_version=m["terms_version"],
        ip=m["ip"],
        form=m["form"],
        detail=dict(m["detail"] or {}),
    )


def _insert_event(connection: Connection, event: ConsentEvent) -> int:
    new_id: int = connection.execute(
        insert(consent_events)
        .values(
            subscriber_id=event.subscriber_id,
            email=event.email,
            action=str(event.action),
            at=event.at,
            policy_version=event.policy_version,
            terms_version=event.terms_version,
            ip=event.ip,
            form=event.form,
            detail=dict(event.detail),
        )
        .returning(consent_events.c.id)
    ).scalar_one()
    return new_id


class SubscribersRepository(StoreBase):
    def add_or_get_pending(
        self,
        email: str,
        *,
        sectors: tuple[str, ...],
        entities: tuple[str, ...],
        nonce: str,
        now: datetime,
    ) -> Subscriber:
        """The subscriber for email after a sign-up: new, pending or unsubscribed ones get the
        new nonce (the old confirmation link stops working) and the chosen sectors; active and
        suppressed ones are returned unchanged. Their status never changes here."""
        email = email_key(email)
        for _ in range(2):  # a concurrent first sign-up of the same address wins the insert
            with self.engine.begin() as connection:
                row = connection.execute(
                    select(subscribers).where(subscribers.c.email == email)
                ).first()
                if row is None:
                    try:
                        with connection.begin_nested():
                            new = Subscriber(
                                email=email,
                                sectors=sectors,
                                entities=entities,
                                confirm_nonce=nonce,
                                confirm_sent_at=now,
                                created_at=now,
                            )
                            new_id = connection.execute(
                                insert(subscribers)
                                .values(_subscriber_values(new))
                                .returning(subscribers.c.id)
                            ).scalar_one()
                    except IntegrityError:
                        continue
                    new.id = new_id
                    return new
                current = subscriber_from_row(row)
                if current.status not in _CONFIRMABLE:
                    return current
                connection.execute(
                    update(subscribers)
                    .where(subscribers.c.id == current.id)
                    .values(
                        confirm_nonce=nonce,
                        confirm_sent_at=now,
                        sectors=list(sectors),
                        entities=list(entities),
                    )
                )
                current.confirm_nonce, current.confirm_sent_at = nonce, now
                current.sectors, current.entities = sectors, entities
                return current
        raise RuntimeError(f"could not store the sign-up of {email!r}")

    def get_subscriber(self, subscriber_id: int) -> Subscriber | None:
        with read_connection(self.engine) as connection:
            row = connection.execute(
                select(subscribers).where(subscribers.c.id == subscriber_id)
            ).first()
        return None if row is None else subscriber_from_row(row)

    def get_subscriber_by_email(self, email: str) -> Subscriber | None:
        with read_connection(self.engine) as connection:
            row = connection.execute(
                select(subscribers).where(subscribers.c.email == email_key(email))
            ).first()
        return None if row is None else subscriber_from_row(row)

    def update_subscriber(self, subscriber: Subscriber) -> None:
        """Persist preferences and status; never moves an unsubscribed or suppressed
        subscriber to another status (ValueError): only their own confirmation does."""
        if subscriber.id is None:
            raise ValueError("update_subscriber needs a stored subscriber (id is None)")
        with self.engine.begin() as connection:
            stored = connection.execute(
                select(subscribers.c.status).where(subscribers.c.id == subscriber.id)
            ).scalar_one_or_none()
            if stored is None:
                return
            if stored in _WITHDRAWN and stored != subscriber.status:
                raise ValueError(
                    f"subscriber {subscriber.id} is {stored}; only a new double opt-in by the "
                    "person re-subscribes them"
                )
            connection.execute(
                update(subscribers)
                .where(subscribers.c.id == subscriber.id)
                .values(
                    status=str(subscriber.status),
                    sectors=list(subscriber.sectors),
                    entities=list(subscriber.entities),
                    delivery_time=subscriber.delivery_time,
                    timezone=subscriber.timezone,
                    paused=subscriber.paused,
                )
            )

    def iter_subscribers(self, status: SubscriberStatus | None = None) -> Iterator[Subscriber]:
        """Every subscriber (of a status) by id, read in batches: memory stays flat."""
        last_id = 0
        while True:
            query = select(subscribers).where(subscribers.c.id > last_id)
            if status is not None:
                query = query.where(subscribers.c.status == str(status))
            query = query.order_by(subscribers.c.id).limit(_BATCH)
            with read_connection(self.engine) as connection:
                rows = connection.execute(query).all()
            for row in rows:
                yield subscriber_from_row(row)
            if len(rows) < _BATCH:
                return
            last_id = rows[-1]._mapping["id"]

    def iter_deliverable_subscribers(self) -> Iterator[Subscriber]:
        """Active, not paused subscribers by id, in batches."""
        for subscriber in self.iter_subscribers(SubscriberStatus.ACTIVE):
            if not subscriber.paused:
                yield subscriber

    def suppress_subscriber(self, subscriber_id: int, reason: str) -> bool:
        """Never mail this address again (hard bounce, complaint); False if already so."""
        with self.engine.begin() as connection:
            result = connection.execute(
                update(subscribers)
                .where(subscribers.c.id == subscriber_id)
                .where(subscribers.c.status != str(SubscriberStatus.SUPPRESSED))
                .values(
                    status=str(SubscriberStatus.SUPPRESSED),
                    suppressed_reason=reason[:500],
                    confirm_nonce=None,
                    token_version=subscribers.c.token_version + 1,
                )
            )
        return result.rowcount > 0

    def confirm_subscriber(
        self,
        subscriber_id: int,
        nonce: str,
        *,
        at: datetime,
        ip: str | None,
        form: str,
        policy_version: str,
        terms_version: str,
    ) -> bool:
        """Use the one pending confirmation: active, nonce cleared, CONFIRMED recorded.
        False when the nonce is not the current one (used, replaced) or the address is
        suppressed or already active."""
        with self.engine.begin() as connection:
            result = connection.execute(
                update(subscribers)
                .where(subscribers.c.id == subscriber_id)
                .where(subscribers.c.confirm_nonce == nonce)
                .where(subscribers.c.status.in_([str(s) for s in _CONFIRMABLE]))
                .values(
                    status=str(SubscriberStatus.ACTIVE),
                    confirm_nonce=None,
                    confirmed_at=at,
                    unsubscribed_at=None,
                    paused=False,
                    token_version=subscribers.c.token_version + 1,
                )
                .returning(subscribers.c.email)
            )
            email = result.scalar_one_or_none()
            if email is None:
                return False
            _insert_event(
                connection,
                ConsentEvent(
                    subscriber_id=subscriber_id,
                    email=email,
                    action=ConsentAction.CONFIRMED,
                    at=at,
                    policy_version=policy_version,
                    terms_version=terms_version,
                    ip=ip,
                    form=form,
                ),
            )
        return True

    def unsubscribe(self, subscriber_id: int, *, at: datetime, ip: str | None, form: str) -> bool:
        """Withdraw consent now; True if it changed anything (a second call does not)."""
        with self.engine.begin() as connection:
            result = connection.execute(
                update(subscribers)
                .where(subscribers.c.id == subscriber_id)
                .where(
                    subscribers.c.status.in_(
                        [str(SubscriberStatus.PENDING), str(SubscriberStatus.ACTIVE)]
                    )
                )
                .values(
                    status=str(SubscriberStatus.UNSUBSCRIBED),
                    unsubscribed_at=at,
                    confirm_nonce=None,
                    token_version=subscribers.c.token_version + 1,
                )
                .returning(subscribers.c.email)
            )
            email = result.scalar_one_or_none()
            if email is None:
                return False
            _insert_event(
                connection,
                ConsentEvent(
                    subscriber_id=subscriber_id,
                    email=email,
                    action=ConsentAction.WITHDRAWN,
                    at=at,
                    ip=ip,
                    form=form,
                ),
            )
        return True

    def append_consent(self, event: ConsentEvent) -> ConsentEvent:
        with self.engine.begin() as connection:
            new_id = _insert_event(connection, event)
        return ConsentEvent(**{**event.__dict__, "id": new_id})

    def consent_history(self, subscriber_id: int) -> list[ConsentEvent]:
        """Oldest first."""
        query = (
            select(consent_events)
            .where(consent_events.c.subscriber_id == subscriber_id)
            .order_by(consent_events.c.at, consent_events.c.id)
        )
        with read_connection(self.engine) as connection:
            rows = connection.execute(query).all()
        return [_event_from_row(row) for row in rows]

    def import_subscribers(
        self, rows: Iterable[Subscriber], *, at: datetime, form: str = "import"
    ) -> dict[str, int]:
        """Add the addresses not known yet as active (consent GIVEN recorded with form);
        known addresses are left exactly as they are, so an unsubscribed or suppressed one
        stays that way. Counts: added, existing, withdrawn (the known ones that had left)."""
        counts = {"added": 0, "existing": 0, "withdrawn": 0}
        for row in rows:
            with self.engine.begin() as connection:
                stored = connection.execute(
                    select(subscribers.c.status).where(subscribers.c.email == email_key(row.email))
                ).scalar_one_or_none()
                if stored is not None:
                    key = "withdrawn" if stored in _WITHDRAWN else "existing"
                    counts[key] += 1
                    continue
                new = Subscriber(
                    email=email_key(row.email),
                    status=SubscriberStatus.ACTIVE,
                    sectors=row.sectors,
                    entities=row.entities,
                    delivery_time=row.delivery_time,
                    timezone=row.timezone,
                    paused=row.paused,
                    created_at=at,
                    confirmed_at=row.confirmed_at or at,
                )
                new_id = connection.execute(
                    insert(subscribers).values(_subscriber_values(new)).returning(subscribers.c.id)
                ).scalar_one()
                _insert_event(
                    connection,
                    ConsentEvent(
                        subscriber_id=new_id,
                        email=new.email,
                        action=ConsentAction.GIVEN,
                        at=at,
                        form=form,
                        detail={"imported": True},
                    ),
                )
                counts["added"] += 1
        return counts
