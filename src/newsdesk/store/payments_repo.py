"""Payment events, customers and subscriptions: what the payment webhook keeps.

``record_payment_event`` handles one verified provider event in ONE transaction: the event's
id is recorded first (a second delivery of it finds the row and changes nothing), the
customer is linked to the member our checkout named, the subscription's state is stored when
it is newer than the stored one (domain.payments decides), and the member's payment lane gets
a grant or a revoke when what it should grant changed. A crash anywhere rolls all of it back,
so the provider's redelivery finds the event new and does it whole.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update
from sqlalchemy.exc import IntegrityError

from newsdesk.domain.access import Plan
from newsdesk.domain.members import EntitlementAction, EntitlementRecord
from newsdesk.domain.payments import (
    LaneChange,
    PaymentEvent,
    PaymentOutcome,
    SubscriptionState,
    desired_until,
    lane_change,
    last_of_lane,
    merge,
    payment_failed,
)
from newsdesk.store.base import StoreBase
from newsdesk.store.engine import read_connection
from newsdesk.store.members_repo import _active_member, _insert_record, _records
from newsdesk.store.schema import members, payment_customers, payment_events, payment_subscriptions

MAX_ID = 255


def _state_from_row(row: Row[Any]) -> SubscriptionState:
    m = row._mapping
    return SubscriptionState(
        subscription_id=m["subscription_id"],
        status=m["status"],
        observed_at=m["observed_at"],
        customer_id=m["customer_id"],
        member_id=m["member_id"],
        period_end=m["period_end"],
        cancel_at_period_end=m["cancel_at_period_end"],
        past_due_since=m["past_due_since"],
        provisional=m["provisional"],
    )


def _stored_state(
    connection: Connection, provider: str, subscription_id: str
) -> SubscriptionState | None:
    row = connection.execute(
        select(payment_subscriptions)
        .where(payment_subscriptions.c.provider == provider)
        .where(payment_subscriptions.c.subscription_id == subscription_id)
        .with_for_update()
    ).first()
    return None if row is None else _state_from_row(row)


def _store_state(
    connection: Connection,
    provider: str,
    state: SubscriptionState,
    *,
    exists: bool,
    now: datetime,
) -> None:
    values = {
        "customer_id": state.customer_id,
        "member_id": state.member_id,
        "status": state.status[:32],
        "period_end": state.period_end,
        "cancel_at_period_end": state.cancel_at_period_end,
        "past_due_since": state.past_due_since,
        "observed_at": state.observed_at,
        "provisional": state.provisional,
        "updated_at": now,
    }
    if exists:
        connection.execute(
            update(payment_subscriptions)
            .where(payment_subscriptions.c.provider == provider)
            .where(payment_subscriptions.c.subscription_id == state.subscription_id)
            .values(values)
        )
        return
    connection.execute(
        insert(payment_subscriptions).values(
            provider=provider, subscription_id=state.subscription_id, **values
        )
    )


class PaymentsRepository(StoreBase):
    def record_payment_event(
        self, event: PaymentEvent, *, now: datetime, grace: timedelta
    ) -> PaymentOutcome:
        """Handle one verified event once (see the module docstring); a second delivery of
        the same event id answers duplicate=True and changes nothing."""
        for attempt in range(2):
            try:
                with self.engine.begin() as connection:
                    return self._record(connection, event, now=now, grace=grace)
            except IntegrityError:
                # Another process stored this event, or this subscription's first state, a
                # moment ago: the second pass sees its row.
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def _record(
        self, connection: Connection, event: PaymentEvent, *, now: datetime, grace: timedelta
    ) -> PaymentOutcome:
        provider = event.provider
        known = connection.execute(
            select(payment_events.c.outcome, payment_events.c.member_id)
            .where(payment_events.c.provider == provider)
            .where(payment_events.c.event_id == event.event_id)
        ).first()
        if known is not None:
            return PaymentOutcome(known.outcome, known.member_id, duplicate=True)
        event_row = connection.execute(
            insert(payment_events)
            .values(
                provider=provider,
                event_id=event.event_id,
                type=event.type[:64],
                created=event.created,
                received_at=now,
                outcome="processing",
            )
            .returning(payment_events.c.id)
        ).scalar_one()
        if not event.handled:
            return self._finish(connection, event_row, PaymentOutcome("ignored: not acted on"))
        member_id = self._link(connection, event, now=now)
        observed = self._observe(connection, event, member_id, now=now)
        if member_id is None:
            return self._finish(connection, event_row, PaymentOutcome(f"{observed}; no member yet"))
        member = connection.execute(
            select(members.c.id).where(members.c.id == member_id).with_for_update()
        ).first()
        if member is None or _active_member(connection, member_id) is None:
            return self._finish(
                connection, event_row, PaymentOutcome(f"{observed}; member deleted", member_id)
            )
        change = self._apply(connection, event, member_id, now=now, grace=grace)
        outcome = PaymentOutcome(f"{observed}; {change}", member_id)
        return self._finish(connection, event_row, outcome)

    @staticmethod
    def _finish(connection: Connection, event_row: int, outcome: PaymentOutcome) -> PaymentOutcome:
        connection.execute(
            update(payment_events)
            .where(payment_events.c.id == event_row)
            .values(outcome=outcome.outcome[:64], member_id=outcome.member_id)
        )
        return outcome

    @staticmethod
    def _link(connection: Connection, event: PaymentEvent, *, now: datetime) -> int | None:
        """The member of the event: the customer's link, else the member our checkout named
        (then linked to the customer, and to the subscriptions stored before the link)."""
        provider, customer, claimed = event.provider, event.customer_id, event.member_id
        if claimed is not None and _active_member(connection, claimed) is None:
            claimed = None
        if customer is None:
            return claimed
        linked = connection.execute(
            select(payment_customers.c.member_id)
            .where(payment_customers.c.provider == provider)
            .where(payment_customers.c.customer_id == customer)
        ).scalar_one_or_none()
        if linked is not None:
            return int(linked)
        if claimed is None:
            return None
        connection.execute(
            insert(payment_customers).values(
                provider=provider, customer_id=customer, member_id=claimed, linked_at=now
            )
        )
        connection.execute(
            update(payment_subscriptions)
            .where(payment_subscriptions.c.provider == provider)
            .where(payment_subscriptions.c.customer_id == customer)
            .where(payment_subscriptions.c.member_id.is_(None))
            .values(member_id=claimed, updated_at=now)
        )
        return claimed

    @staticmethod
    def _observe(
        connection: Connection, event: PaymentEvent, member_id: int | None, *, now: datetime
    ) -> str:
        """Store the subscription state the event carries when it is newer; what happened."""
        provider = event.provider
        if event.subscription is not None:
            observed = event.subscription
            if member_id is not None:
                observed = replace(observed, member_id=member_id)
            stored = _stored_state(connection, provider, observed.subscription_id)
            merged = merge(stored, observed)
        elif event.failed_subscription_id is not None:
            stored = _stored_state(connection, provider, event.failed_subscription_id)
            merged = payment_failed(stored, event.created)
        else:
            return "no subscription"
        if merged is None:
            return "stale or known state" if stored is not None else "unknown subscription"
        if merged.member_id is None and member_id is not None:
            merged = replace(merged, member_id=member_id)
        _store_state(connection, provider, merged, exists=stored is not None, now=now)
        return f"state {merged.status}"

    @staticmethod
    def _apply(
        connection: Connection,
        event: PaymentEvent,
        member_id: int,
        *,
        now: datetime,
        grace: timedelta,
    ) -> LaneChange:
        """Bring the member's payment lane in line with all their subscriptions' states."""
        rows = connection.execute(
            select(payment_subscriptions)
            .where(payment_subscriptions.c.provider == event.provider)
            .where(payment_subscriptions.c.member_id == member_id)
        ).all()
        until = desired_until([_state_from_row(row) for row in rows], now, grace=grace)
        last = last_of_lane(_records(connection, member_id), event.provider)
        change = lane_change(last, until, now)
        if change is LaneChange.NONE:
            return change
        reason = f"{event.provider} {event.type}"
        _insert_record(
            connection,
            EntitlementRecord(
                member_id=member_id,
                action=EntitlementAction.GRANT
                if change is LaneChange.GRANT
                else EntitlementAction.REVOKE,
                source=event.provider,
                at=now,
                plan=Plan.PRO if change is LaneChange.GRANT else None,
                until=until if change is LaneChange.GRANT else None,
                reason=reason,
                actor=event.provider,
                external_ref=f"{event.provider}:{event.event_id}",
                detail=event.event_id,
            ),
        )
        return change

    # Reading

    def payment_subscriptions_of(self, member_id: int) -> list[SubscriptionState]:
        """The member's subscriptions as last described, newest first (account, admin)."""
        with read_connection(self.engine) as connection:
            rows = connection.execute(
                select(payment_subscriptions)
                .where(payment_subscriptions.c.member_id == member_id)
                .order_by(payment_subscriptions.c.observed_at.desc(), payment_subscriptions.c.id)
            ).all()
        return [_state_from_row(row) for row in rows]

    def payment_customer_of(self, member_id: int, provider: str) -> str | None:
        """The provider's customer id linked to the member (the newest link), if any."""
        with read_connection(self.engine) as connection:
            found = connection.execute(
                select(payment_customers.c.customer_id)
                .where(payment_customers.c.member_id == member_id)
                .where(payment_customers.c.provider == provider)
                .order_by(payment_customers.c.linked_at.desc(), payment_customers.c.id.desc())
                .limit(1)
            ).scalar_one_or_none()
        return None if found is None else str(found)
