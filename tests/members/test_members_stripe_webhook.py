"""POST /payments/stripe/webhook through the site (SQLite and PostgreSQL): signatures made
with the real scheme and verified by the stripe package; forged, replayed, expired,
duplicate and out-of-order events; checkout, subscription and failed-payment events reaching
the member's plan through the entitlement API."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import pytest
from stripe_fake import (
    WEBHOOK_SECRET,
    checkout_session,
    event,
    failed_invoice,
    signature,
    subscription,
)

from newsdesk.domain.access import Plan
from newsdesk.domain.models import utcnow

HOOK = "/payments/stripe/webhook"
DAY = 86400


def deliver(site, payload: bytes, *, sig: str | None = None, **headers):
    headers = {"Content-Type": "application/json", **headers}
    headers["Stripe-Signature"] = signature(payload) if sig is None else sig
    return site.client.post(HOOK, content=payload, headers=headers)


@pytest.fixture
def ann(stripe_site):
    return stripe_site.store.ensure_member("ann@example.com", now=utcnow())


def plan(site, member):
    return site.store.plan_of(member.id, utcnow())


def stripe_records(site, member):
    return [r for r in site.store.entitlement_records(member.id) if r.source == "stripe"]


def now_s() -> int:
    return int(time.time())


def test_a_subscription_event_grants_pro_until_the_period_ends(stripe_site, ann):
    t = now_s()
    body = event(
        "customer.subscription.created",
        subscription("sub_1", status="active", period_end=t + 30 * DAY, member=ann.id),
        created=t,
    )
    response = deliver(stripe_site, body)
    assert response.status_code == 200, response.text
    assert response.json()["duplicate"] is False
    state = plan(stripe_site, ann)
    assert state.plan is Plan.PRO and state.source == "stripe"
    assert state.until == datetime.fromtimestamp(t + 31 * DAY, UTC)  # a day's slack to renew
    record = stripe_records(stripe_site, ann)[-1]
    assert record.external_ref == f"stripe:{json.loads(body)['id']}"


@pytest.mark.parametrize(
    "sig",
    [
        "",  # missing
        "t=1,v1=" + "0" * 64,  # forged
        "v1=abc",  # no timestamp
        "t=notanumber,v1=abc",
        "x" * 5000,  # oversized header
    ],
    ids=["missing", "forged", "no-timestamp", "bad-timestamp", "oversized"],
)
def test_a_bad_signature_is_a_400_and_changes_nothing(stripe_site, ann, sig):
    t = now_s()
    body = event(
        "customer.subscription.created",
        subscription("sub_1", status="active", period_end=t + 30 * DAY, member=ann.id),
        created=t,
    )
    response = (
        deliver(stripe_site, body, sig=sig)
        if sig
        else stripe_site.client.post(
            HOOK, content=body, headers={"Content-Type": "application/json"}
        )
    )
    assert response.status_code == 400
    assert response.json() == {"error": "invalid Stripe-Signature"}
    assert plan(stripe_site, ann).plan is Plan.FREE


def test_a_signature_with_another_secret_or_over_another_body_is_refused(stripe_site, ann):
    t = now_s()
    body = event(
        "customer.subscription.created",
        subscription("sub_1", status="active", period_end=t + 30 * DAY, member=ann.id),
        created=t,
    )
    other = deliver(stripe_site, body, sig=signature(body, secret="whsec_someone_else"))
    assert other.status_code == 400
    tampered = body.replace(b'"active"', b'"trialing"')
    assert deliver(stripe_site, tampered, sig=signature(body)).status_code == 400
    assert plan(stripe_site, ann).plan is Plan.FREE


def test_a_replay_of_an_old_delivery_is_refused_by_its_timestamp(stripe_site, ann):
    t = now_s()
    body = event(
        "customer.subscription.created",
        subscription("sub_1", status="active", period_end=t + 30 * DAY, member=ann.id),
        created=t - 3600,
    )
    old = signature(body, at=t - 301)  # the tolerance is 300 seconds
    response = deliver(stripe_site, body, sig=old)
    assert response.status_code == 400
    assert plan(stripe_site, ann).plan is Plan.FREE
    assert deliver(stripe_site, body).status_code == 200  # signed now, it is accepted


def test_the_same_event_twice_is_recorded_once(stripe_site, ann):
    t = now_s()
    body = event(
        "customer.subscription.created",
        subscription("sub_1", status="active", period_end=t + 30 * DAY, member=ann.id),
        created=t,
    )
    first = deliver(stripe_site, body)
    again = deliver(stripe_site, body)
    assert first.status_code == again.status_code == 200
    assert again.json()["duplicate"] is True
    assert len(stripe_records(stripe_site, ann)) == 1


def test_events_out_of_order_never_downgrade(stripe_site, ann):
    t = now_s()
    created = event(
        "customer.subscription.created",
        subscription("sub_1", status="incomplete", period_end=t + 30 * DAY, member=ann.id),
        created=t - 10,
    )
    updated = event(
        "customer.subscription.updated",
        subscription("sub_1", status="active", period_end=t + 30 * DAY, member=ann.id),
        created=t - 5,
    )
    assert deliver(stripe_site, updated).status_code == 200
    assert plan(stripe_site, ann).plan is Plan.PRO
    late = deliver(stripe_site, created)  # older news arriving last
    assert late.status_code == 200 and "stale" in late.json()["outcome"]
    assert plan(stripe_site, ann).plan is Plan.PRO
    # A renewal then an older "canceled" that was overtaken by a resubscription: no downgrade.
    renewed = event(
        "customer.subscription.updated",
        subscription("sub_1", status="active", period_end=t + 60 * DAY, member=ann.id),
        created=t,
    )
    stale_cancel = event(
        "customer.subscription.deleted",
        subscription("sub_1", status="canceled", period_end=t + 30 * DAY, member=ann.id),
        created=t - 1,
    )
    deliver(stripe_site, renewed)
    deliver(stripe_site, stale_cancel)
    state = plan(stripe_site, ann)
    assert state.plan is Plan.PRO
    assert state.until == datetime.fromtimestamp(t + 61 * DAY, UTC)


def test_a_deleted_subscription_ends_pro_but_not_a_complimentary_grant(stripe_site, ann):
    t = now_s()
    store = stripe_site.store
    deliver(
        stripe_site,
        event(
            "customer.subscription.created",
            subscription("sub_1", status="active", period_end=t + 30 * DAY, member=ann.id),
            created=t - 10,
        ),
    )
    comp_until = utcnow() + timedelta(days=90)
    store.grant_plan(
        ann.id,
        Plan.PRO,
        until=comp_until,
        source="admin",
        reason="press",
        actor="admin",
        now=utcnow(),
    )
    deliver(
        stripe_site,
        event(
            "customer.subscription.deleted",
            subscription("sub_1", status="canceled", period_end=t + 30 * DAY, member=ann.id),
            created=t,
        ),
    )
    assert stripe_records(stripe_site, ann)[-1].action == "revoke"
    state = plan(stripe_site, ann)
    assert (state.plan, state.source, state.until) == (Plan.PRO, "admin", comp_until)


def test_checkout_links_the_customer_and_later_events_find_the_member(stripe_site, ann):
    t = now_s()
    done = deliver(
        stripe_site,
        event("checkout.session.completed", checkout_session(member=ann.id), created=t - 20),
    )
    assert done.status_code == 200
    state = plan(stripe_site, ann)
    assert state.plan is Plan.PRO  # provisionally, until the subscription's own events
    # A subscription event without our metadata (made or edited in Stripe's dashboard) is
    # found through the customer the checkout linked.
    deliver(
        stripe_site,
        event(
            "customer.subscription.updated",
            subscription("sub_1", status="active", period_end=t + 30 * DAY),
            created=t - 10,
        ),
    )
    assert plan(stripe_site, ann).until == datetime.fromtimestamp(t + 31 * DAY, UTC)
    assert stripe_site.store.payment_customer_of(ann.id, "stripe") == "cus_test_1"


def test_a_subscription_seen_before_its_checkout_counts_once_linked(stripe_site, ann):
    t = now_s()
    early = deliver(
        stripe_site,
        event(
            "customer.subscription.created",
            subscription("sub_9", status="active", period_end=t + 30 * DAY, customer="cus_9"),
            created=t - 10,
        ),
    )
    assert "no member yet" in early.json()["outcome"]
    assert plan(stripe_site, ann).plan is Plan.FREE
    deliver(
        stripe_site,
        event(
            "checkout.session.completed",
            checkout_session(member=ann.id, customer="cus_9", sub_id="sub_9"),
            created=t - 20,  # made before the subscription event, delivered after it
        ),
    )
    state = plan(stripe_site, ann)
    assert state.plan is Plan.PRO
    assert state.until == datetime.fromtimestamp(t + 31 * DAY, UTC)  # the real state, kept


def test_a_failed_renewal_keeps_pro_for_the_grace_period_then_free(stripe_site, ann):
    t = now_s()
    deliver(
        stripe_site,
        event(
            "customer.subscription.updated",
            subscription("sub_1", status="active", period_end=t + 2 * DAY, member=ann.id),
            created=t - 10 * DAY,
        ),
    )
    failed_at = t - 2 * DAY
    for offset, new_api in ((0, False), (DAY, True)):  # Stripe retries: the grace does not grow
        response = deliver(
            stripe_site,
            event(
                "invoice.payment_failed",
                failed_invoice("sub_1", new_api=new_api),
                created=failed_at + offset,
            ),
        )
        assert response.status_code == 200, response.text
    state = plan(stripe_site, ann)
    assert state.plan is Plan.PRO
    assert state.until == datetime.fromtimestamp(failed_at + 3 * DAY, UTC)  # grace: 3 days
    later = utcnow() + timedelta(days=2)
    assert stripe_site.store.plan_of(ann.id, later).plan is Plan.FREE
    # The payment goes through after all: Pro again until the new period's end.
    deliver(
        stripe_site,
        event(
            "customer.subscription.updated",
            subscription("sub_1", status="active", period_end=t + 30 * DAY, member=ann.id),
            created=t,
        ),
    )
    assert plan(stripe_site, ann).until == datetime.fromtimestamp(t + 31 * DAY, UTC)


def test_retries_over_let_pro_end_as_the_provider_says(stripe_site, ann):
    t = now_s()
    for status, created in (("active", t - 20), ("unpaid", t - 10)):
        deliver(
            stripe_site,
            event(
                "customer.subscription.updated",
                subscription("sub_1", status=status, period_end=t + 30 * DAY, member=ann.id),
                created=created,
            ),
        )
    assert plan(stripe_site, ann).plan is Plan.FREE


def test_an_admin_revoke_stands_until_a_renewal(stripe_site, ann):
    t = now_s()
    active = subscription("sub_1", status="active", period_end=t + 30 * DAY, member=ann.id)
    deliver(stripe_site, event("customer.subscription.created", active, created=t - 20))
    stripe_site.store.revoke_plan(
        ann.id, source="admin", reason="abuse", actor="admin", now=utcnow()
    )
    deliver(stripe_site, event("customer.subscription.updated", active, created=t - 10))
    assert plan(stripe_site, ann).plan is Plan.FREE  # the same state again: no re-grant
    renewed = subscription("sub_1", status="active", period_end=t + 60 * DAY, member=ann.id)
    deliver(stripe_site, event("customer.subscription.updated", renewed, created=t))
    assert plan(stripe_site, ann).plan is Plan.PRO


def test_subscriptions_to_other_products_and_unhandled_events_change_nothing(stripe_site, ann):
    t = now_s()
    other = subscription("sub_2", status="active", period_end=t + 30 * DAY, price="price_other")
    deliver(
        stripe_site,
        event("checkout.session.completed", checkout_session(member=ann.id, paid=False), created=t),
    )
    assert plan(stripe_site, ann).plan is Plan.FREE  # an unpaid checkout grants nothing
    response = deliver(stripe_site, event("customer.subscription.created", other, created=t))
    assert response.status_code == 200 and "not acted on" in response.json()["outcome"]
    response = deliver(stripe_site, event("charge.refunded", {"id": "ch_1"}, created=t))
    assert response.status_code == 200 and "not acted on" in response.json()["outcome"]
    assert plan(stripe_site, ann).plan is Plan.FREE


def test_the_period_end_of_newer_api_versions_is_read_from_the_items(stripe_site, ann):
    t = now_s()
    sub = subscription(
        "sub_1", status="active", period_end=t + 30 * DAY, member=ann.id, items_period=True
    )
    deliver(stripe_site, event("customer.subscription.created", sub, created=t))
    assert plan(stripe_site, ann).until == datetime.fromtimestamp(t + 31 * DAY, UTC)


OURS = {"newsdesk_member": "1"}
MALFORMED = {
    "not-json": b"not json",
    "a-list": b"[]",
    "no-id": b'{"object": "event"}',
    "bad-created": json.dumps(
        {"object": "event", "id": "evt_1", "type": "x", "created": "yesterday"}
    ).encode(),
    "no-status": event("customer.subscription.updated", {"id": "s", "metadata": OURS}, created=1),
    "no-sub-id": event(
        "customer.subscription.updated", {"status": "active", "metadata": OURS}, created=1
    ),
    "long-id": json.dumps({"object": "event", "id": "e" * 300, "type": "x", "created": 1}).encode(),
}


@pytest.mark.parametrize("payload", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_signed_but_malformed_event_is_a_400(stripe_site, ann, payload):
    response = deliver(stripe_site, payload)
    assert response.status_code == 400, response.text
    assert "error" in response.json()


def test_an_oversized_event_is_a_413(stripe_site, ann):
    payload = b'{"object": "event", "padding": "' + b"x" * (600 * 1024) + b'"}'
    response = deliver(stripe_site, payload)
    assert response.status_code == 413
    assert plan(stripe_site, ann).plan is Plan.FREE


def test_an_event_for_a_deleted_account_grants_nothing(stripe_site, ann):
    t = now_s()
    stripe_site.store.delete_member(ann.id, now=utcnow(), actor="test", reason="gone")
    sub = subscription("sub_1", status="active", period_end=t + 30 * DAY, member=ann.id)
    response = deliver(stripe_site, event("customer.subscription.created", sub, created=t))
    assert response.status_code == 200
    assert stripe_records(stripe_site, ann) == []


def test_the_secrets_never_reach_the_logs(stripe_site, ann, caplog):
    t = now_s()
    sub = subscription("sub_1", status="active", period_end=t + 30 * DAY, member=ann.id)
    with caplog.at_level("DEBUG"):
        deliver(stripe_site, event("customer.subscription.created", sub, created=t))
        deliver(stripe_site, b"{}", sig="t=1,v1=00")
    from newsdesk.bootstrap import members_options

    logged = caplog.text + repr(stripe_site.settings.payments)
    logged += repr(members_options(stripe_site.settings))
    assert WEBHOOK_SECRET not in logged
    assert "sk_test_newsdesk_fake" not in logged


def test_the_admin_sees_the_members_subscription(stripe_site, ann):
    from site_fixtures import ADMIN_AUTH

    t = now_s()
    sub = subscription("sub_42", status="past_due", period_end=t + 30 * DAY, member=ann.id)
    deliver(stripe_site, event("customer.subscription.updated", sub, created=t))
    page = stripe_site.client.get(f"/admin/members/{ann.id}", auth=ADMIN_AUTH).text
    assert "sub_42" in page and 'data-status="past_due"' in page
