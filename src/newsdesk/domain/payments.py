"""Payments as entitlements: the pure decisions of the payment webhook.

A payment provider (Stripe) tells us about subscriptions through events that may arrive late,
twice or in any order. What counts is the subscription object's *current* state, carried in
each event, and when the provider made the event (``created``): a state is applied only when
it is newer than the one stored (:func:`is_newer`), so a stale event never downgrades anyone.

From the stored states of one member's subscriptions, :func:`desired_until` says until when the
payment lane should grant Pro (None: it should grant nothing), and :func:`lane_change` compares
that with the newest record of the lane, so a record is appended only when something changed.
Every record goes through the entitlement API (domain.members): a lapsed subscription never
ends a complimentary grant, and an admin's revoke stands until the provider reports a state
that changes what the lane would grant (a renewal, a recovered payment).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from newsdesk.domain.access import Plan
from newsdesk.domain.members import (
    PAYMENT_SOURCES,
    EntitlementAction,
    EntitlementRecord,
)

STRIPE = "stripe"
RENEWAL_SLACK = timedelta(days=1)  # a renewal's events may come a little after the period ends
CHECKOUT_HOLD = timedelta(days=1)  # Pro after a paid checkout, until the subscription's events
_EARLIEST = datetime.min.replace(tzinfo=UTC)


class SubscriptionStatus(StrEnum):
    """The provider's subscription statuses (Stripe's names)."""

    INCOMPLETE = "incomplete"  # the first payment is not made yet
    INCOMPLETE_EXPIRED = "incomplete_expired"
    TRIALING = "trialing"
    ACTIVE = "active"
    PAST_DUE = "past_due"  # a renewal payment failed; the provider retries
    UNPAID = "unpaid"  # retries are over and the subscription stays open unpaid
    CANCELED = "canceled"
    PAUSED = "paused"


GRANTING = frozenset({SubscriptionStatus.ACTIVE, SubscriptionStatus.TRIALING})
TERMINAL = frozenset({SubscriptionStatus.CANCELED, SubscriptionStatus.INCOMPLETE_EXPIRED})
# Within one second (events carry whole seconds) the later step of a subscription's life wins.
_STEP = {
    SubscriptionStatus.INCOMPLETE: 0,
    SubscriptionStatus.TRIALING: 1,
    SubscriptionStatus.ACTIVE: 1,
    SubscriptionStatus.PAST_DUE: 2,
    SubscriptionStatus.UNPAID: 3,
    SubscriptionStatus.PAUSED: 3,
}


_STATUSES = frozenset(status.value for status in SubscriptionStatus)


@dataclass(frozen=True)
class SubscriptionState:
    """A subscription as the provider last described it, and when (its event's created)."""

    subscription_id: str
    status: str  # a SubscriptionStatus value; an unknown one grants nothing
    observed_at: datetime
    customer_id: str | None = None
    member_id: int | None = None
    period_end: datetime | None = None  # the end of the period paid for
    cancel_at_period_end: bool = False
    past_due_since: datetime | None = None  # the first failed payment of this delinquency
    provisional: bool = False  # assumed from a paid checkout, before any event of its own


@dataclass(frozen=True)
class PaymentEvent:
    """One provider event, reduced to what the decisions need (members.payments parses it)."""

    provider: str
    event_id: str
    type: str
    created: datetime
    customer_id: str | None = None
    member_id: int | None = None  # the member named by our checkout (reference, metadata)
    subscription: SubscriptionState | None = None  # the state the event carries
    failed_subscription_id: str | None = None  # a renewal payment failed (invoice events)
    handled: bool = True  # False: an event type the webhook does not act on


@dataclass(frozen=True)
class PaymentOutcome:
    """What one event did, as recorded with it (and answered to the provider)."""

    outcome: str
    member_id: int | None = None
    duplicate: bool = False


def _progress(state: SubscriptionState) -> tuple[bool, datetime, int]:
    return (
        state.status in TERMINAL,
        state.period_end or _EARLIEST,
        _STEP.get(SubscriptionStatus(state.status), 0) if state.status in _STATUSES else 0,
    )


def is_newer(candidate: SubscriptionState, stored: SubscriptionState) -> bool:
    """Whether candidate describes the subscription later than stored: a provisional state
    yields to any real one; otherwise the later event wins, and within the same second the
    later step (ended, then a later period end, then the later status)."""
    if stored.provisional != candidate.provisional:
        return stored.provisional
    if candidate.observed_at != stored.observed_at:
        return candidate.observed_at > stored.observed_at
    return _progress(candidate) > _progress(stored)


def merge(
    stored: SubscriptionState | None, observed: SubscriptionState
) -> SubscriptionState | None:
    """The state to store after observing one, or None when it is not newer (stale, or the
    same state again). What the observation does not say (member, customer) is kept; a
    delinquency keeps the time of its first failure."""
    if stored is not None and not is_newer(observed, stored):
        return None
    since = None
    if observed.status == SubscriptionStatus.PAST_DUE:
        earlier = stored.past_due_since if stored is not None else None
        since = observed.past_due_since or earlier or observed.observed_at
    return replace(
        observed,
        member_id=observed.member_id or (stored.member_id if stored else None),
        customer_id=observed.customer_id or (stored.customer_id if stored else None),
        past_due_since=since,
    )


def payment_failed(stored: SubscriptionState | None, at: datetime) -> SubscriptionState | None:
    """The state after a renewal payment failed at `at` (invoice.payment_failed): past due
    from the first failure on; None when it changes nothing (an unknown, unpaid-for or ended
    subscription, or news older than the stored state)."""
    if stored is None or stored.provisional or at <= stored.observed_at:
        return None
    if stored.status not in {*GRANTING, SubscriptionStatus.PAST_DUE}:
        return None
    return replace(
        stored,
        status=SubscriptionStatus.PAST_DUE.value,
        observed_at=at,
        past_due_since=stored.past_due_since or at,
    )


def granted_until(state: SubscriptionState, *, grace: timedelta) -> datetime | None:
    """Until when one subscription's state grants Pro (None: it grants nothing)."""
    if state.status in GRANTING:
        if state.period_end is None:
            return None
        return state.period_end + (timedelta(0) if state.cancel_at_period_end else RENEWAL_SLACK)
    if state.status == SubscriptionStatus.PAST_DUE:
        return (state.past_due_since or state.observed_at) + grace
    return None


def desired_until(
    states: Iterable[SubscriptionState], now: datetime, *, grace: timedelta
) -> datetime | None:
    """Until when the payment lane should grant Pro from all of a member's subscriptions
    (the longest of them); None when none grants anything after now."""
    ends = [end for state in states if (end := granted_until(state, grace=grace)) is not None]
    best = max(ends, default=None)
    return best if best is not None and best > now else None


class LaneChange(StrEnum):
    GRANT = "granted"
    REVOKE = "revoked"
    NONE = "unchanged"


def last_of_lane(records: Sequence[EntitlementRecord], source: str) -> EntitlementRecord | None:
    """The newest grant or revoke of a payment source's lane (records oldest first)."""
    if source not in PAYMENT_SOURCES:
        raise ValueError(f"{source} is not a payment source")
    lane = [
        r
        for r in records
        if r.source == source and r.action in {EntitlementAction.GRANT, EntitlementAction.REVOKE}
    ]
    return lane[-1] if lane else None


def lane_change(
    last: EntitlementRecord | None, until: datetime | None, now: datetime
) -> LaneChange:
    """What to append to the payment lane so it grants Pro until `until` (None: nothing):
    a grant when that differs from the lane's newest record, a revoke when the lane still
    grants something and should not, else nothing."""
    granting = (
        last is not None
        and last.action is EntitlementAction.GRANT
        and (last.until is None or last.until > now)
    )
    if until is not None:
        same = granting and last is not None and last.plan is Plan.PRO and last.until == until
        return LaneChange.NONE if same else LaneChange.GRANT
    return LaneChange.REVOKE if granting else LaneChange.NONE
