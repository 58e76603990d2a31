"""Stripe events read as payment events, and what a Checkout Session is asked for (pure).

The webhook verifies a delivery's signature first (members.stripe_gateway, with the stripe
package); this module then reads the verified JSON into a domain.payments.PaymentEvent:

- ``checkout.session.completed``: the member our checkout named (client_reference_id, and
  the metadata) and the customer, to link them; a paid session's subscription counts as
  provisionally active until its own events arrive.
- ``customer.subscription.created|updated|deleted|paused|resumed``: the subscription's
  current state (status, period end, cancellation at period end), as of the event's created.
  Only subscriptions our checkout made (metadata) or sold at the configured price count.
- ``invoice.payment_failed``: a renewal payment failed; the grace period starts.

Anything else is recorded as not acted on. Malformed events raise BadEventError (a 400).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from newsdesk.domain.members import Member
from newsdesk.domain.paging import MAX_ROW_ID
from newsdesk.domain.payments import (
    CHECKOUT_HOLD,
    STRIPE,
    PaymentEvent,
    SubscriptionState,
    SubscriptionStatus,
)
from newsdesk.members.options import MembersOptions

MEMBER_KEY = "newsdesk_member"  # metadata key on sessions and subscriptions our checkout makes
MAX_ID = 255
SUBSCRIPTION_EVENTS = frozenset(
    {
        "customer.subscription.created",
        "customer.subscription.updated",
        "customer.subscription.deleted",
        "customer.subscription.paused",
        "customer.subscription.resumed",
    }
)
CHECKOUT_COMPLETED = "checkout.session.completed"
PAYMENT_FAILED = "invoice.payment_failed"
HANDLED = frozenset({*SUBSCRIPTION_EVENTS, CHECKOUT_COMPLETED, PAYMENT_FAILED})


class BadEventError(ValueError):
    """A verified delivery that is no event we can read (the message says what is wrong)."""


class BadSignatureError(ValueError):
    """A delivery whose Stripe-Signature is missing, wrong or too old."""


class PaymentProviderError(RuntimeError):
    """The provider could not be reached or refused the request (no secrets in the message)."""


@dataclass(frozen=True)
class CheckoutRequest:
    """What a Checkout Session is created with, for one member."""

    member_id: int
    email: str
    price_id: str
    success_url: str
    cancel_url: str
    customer_id: str | None = None  # the member's customer from an earlier subscription


def checkout_request(
    options: MembersOptions, member: Member, customer_id: str | None
) -> CheckoutRequest:
    payments = options.payments
    return CheckoutRequest(
        member_id=member.id,
        email=member.email or "",
        price_id=payments.price_id,
        success_url=payments.success_url or options.url("/account?done=subscribed"),
        cancel_url=payments.cancel_url or options.url("/pro"),
        customer_id=customer_id,
    )


def checkout_params(request: CheckoutRequest) -> dict[str, Any]:
    """The parameters of Stripe's POST /v1/checkout/sessions for this request."""
    reference = str(request.member_id)
    params: dict[str, Any] = {
        "mode": "subscription",
        "line_items": [{"price": request.price_id, "quantity": 1}],
        "client_reference_id": reference,
        "metadata": {MEMBER_KEY: reference},
        "subscription_data": {"metadata": {MEMBER_KEY: reference}},
        "success_url": request.success_url,
        "cancel_url": request.cancel_url,
    }
    if request.customer_id:
        params["customer"] = request.customer_id
    elif request.email:
        params["customer_email"] = request.email
    return params


def _text(value: object, what: str, *, required: bool = True) -> str | None:
    if isinstance(value, Mapping):  # an expanded object: its id
        value = value.get("id")
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value or len(value) > MAX_ID or not value.isprintable():
        raise BadEventError(f"{what} is missing or not an id")
    return value


def _time(value: object, what: str) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**37:
        raise BadEventError(f"{what} is not a Unix time")
    return datetime.fromtimestamp(value, UTC)


def _object(value: object, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise BadEventError(f"{what} is not an object")
    return value


def member_of(values: Mapping[str, Any]) -> int | None:
    """The member id our checkout put in client_reference_id or the metadata, if valid."""
    metadata = values.get("metadata")
    candidates = [values.get("client_reference_id")]
    if isinstance(metadata, Mapping):
        candidates.append(metadata.get(MEMBER_KEY))
    for candidate in candidates:
        if isinstance(candidate, str) and candidate.isascii() and candidate.isdigit():
            number = int(candidate)
            if 1 <= number <= MAX_ROW_ID:
                return number
    return None


def _price_ids(subscription: Mapping[str, Any]) -> set[str]:
    items = subscription.get("items")
    data = items.get("data") if isinstance(items, Mapping) else None
    found: set[str] = set()
    for item in data if isinstance(data, list) else []:
        if not isinstance(item, Mapping):
            continue
        for key in ("price", "plan"):
            value = item.get(key)
            if isinstance(value, Mapping) and isinstance(value.get("id"), str):
                found.add(value["id"])
    return found


def _period_end(subscription: Mapping[str, Any]) -> datetime | None:
    """current_period_end of the subscription, or (API versions from 2025-03-31 on) the
    latest of its items'."""
    top = _time(subscription.get("current_period_end"), "current_period_end")
    if top is not None:
        return top
    items = subscription.get("items")
    data = items.get("data") if isinstance(items, Mapping) else None
    ends = [
        _time(item.get("current_period_end"), "current_period_end")
        for item in (data if isinstance(data, list) else [])
        if isinstance(item, Mapping)
    ]
    return max((end for end in ends if end is not None), default=None)


def _subscription_state(
    subscription: Mapping[str, Any], created: datetime, price_id: str
) -> SubscriptionState | None:
    """The state a subscription object describes, or None for one that is not ours."""
    ours = member_of(subscription) is not None or price_id in _price_ids(subscription)
    if not ours:
        return None
    status = subscription.get("status")
    if not isinstance(status, str) or not status.isascii() or len(status) > 32:
        raise BadEventError("the subscription's status is missing")
    return SubscriptionState(
        subscription_id=str(_text(subscription.get("id"), "the subscription id")),
        status=status,
        observed_at=created,
        customer_id=_text(subscription.get("customer"), "the customer", required=False),
        member_id=member_of(subscription),
        period_end=_period_end(subscription),
        cancel_at_period_end=subscription.get("cancel_at_period_end") is True,
    )


def _invoice_subscription(invoice: Mapping[str, Any]) -> str | None:
    """The subscription an invoice bills: `subscription`, or (newer API versions)
    parent.subscription_details.subscription."""
    if invoice.get("subscription") is not None:
        return _text(invoice.get("subscription"), "the invoice's subscription")
    parent = invoice.get("parent")
    details = parent.get("subscription_details") if isinstance(parent, Mapping) else None
    if isinstance(details, Mapping):
        return _text(details.get("subscription"), "the invoice's subscription", required=False)
    return None


def parse_stripe_event(payload: object, *, price_id: str) -> PaymentEvent:
    """The payment event of a verified Stripe delivery (BadEventError when malformed)."""
    event = _object(payload, "the delivery")
    if event.get("object") != "event":
        raise BadEventError("the delivery is not a Stripe event")
    event_id = str(_text(event.get("id"), "the event id"))
    kind = event.get("type")
    if not isinstance(kind, str) or not kind.isascii() or not 0 < len(kind) <= 64:
        raise BadEventError("the event type is missing")
    created = _time(event.get("created"), "created")
    if created is None:
        raise BadEventError("created is missing")
    base = PaymentEvent(provider=STRIPE, event_id=event_id, type=kind, created=created)
    if kind not in HANDLED:
        return replace(base, handled=False)
    data = _object(event.get("data"), "data")
    values = _object(data.get("object"), "data.object")
    customer = _text(values.get("customer"), "the customer", required=False)
    if kind in SUBSCRIPTION_EVENTS:
        state = _subscription_state(values, created, price_id)
        if state is None:
            return replace(base, handled=False)
        return replace(base, customer_id=customer, member_id=state.member_id, subscription=state)
    if kind == CHECKOUT_COMPLETED:
        return _checkout_event(base, values, customer)
    return replace(base, customer_id=customer, failed_subscription_id=_invoice_subscription(values))


def _checkout_event(
    base: PaymentEvent, session: Mapping[str, Any], customer: str | None
) -> PaymentEvent:
    member_id = member_of(session)
    if member_id is None or session.get("mode") != "subscription":
        return replace(base, handled=False)
    subscription_id = _text(session.get("subscription"), "the subscription", required=False)
    provisional = None
    paid = session.get("payment_status") in {"paid", "no_payment_required"}
    if subscription_id is not None and paid:
        provisional = SubscriptionState(
            subscription_id=subscription_id,
            status=SubscriptionStatus.ACTIVE.value,
            observed_at=base.created,
            customer_id=customer,
            member_id=member_id,
            period_end=base.created + CHECKOUT_HOLD,
            provisional=True,
        )
    return replace(base, customer_id=customer, member_id=member_id, subscription=provisional)
