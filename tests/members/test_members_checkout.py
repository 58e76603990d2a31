"""The Pro page with and without Stripe: sign-up and Stripe Checkout (the Stripe API faked at
the network edge by a local HTTP server the stripe package is pointed at), and nothing about
Stripe when it is not configured."""

from __future__ import annotations

import pytest
from member_flows import csrf_of, sign_in
from stripe_fake import CHECKOUT_URL, PRICE, SECRET_KEY, event, signature, subscription

from newsdesk.domain.access import Plan
from newsdesk.domain.models import utcnow

BASE = "https://insights.example"


def subscribe_form(client) -> str:
    page = client.get("/pro")
    assert page.status_code == 200
    assert 'action="/pro/subscribe"' in page.text
    return csrf_of(page.text)


def test_an_anonymous_visitor_is_asked_to_sign_in_first(stripe_site):
    page = stripe_site.client.get("/pro")
    assert page.status_code == 200
    assert "Sign in to subscribe" in page.text
    assert 'href="/signin?next=%2Fpro"' in page.text
    assert "€49 a month" in page.text and "talk to us" not in page.text
    assert 'action="/pro/lead"' not in page.text  # the lead form gives way to sign-up
    assert "Cookie" in page.headers["vary"]
    response = stripe_site.client.post("/pro/subscribe", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/signin?next=%2Fpro"


def test_a_member_subscribes_through_stripe_checkout(stripe_site, fake_stripe):
    client = stripe_site.client
    sign_in(client, stripe_site.mail, "ann@example.com")
    ann = stripe_site.store.member_by_email("ann@example.com")
    token = subscribe_form(client)
    page = client.get("/pro")
    assert "private" in page.headers["cache-control"]  # a signed-in member's page
    response = client.post("/pro/subscribe", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == CHECKOUT_URL
    assert "no-store" in response.headers["cache-control"]
    [seen] = fake_stripe.requests
    assert seen.path == "/v1/checkout/sessions"
    assert seen.headers["authorization"] == f"Bearer {SECRET_KEY}"
    assert seen.form["mode"] == "subscription"
    assert seen.form["line_items[0][price]"] == PRICE
    assert seen.form["line_items[0][quantity]"] == "1"
    assert seen.form["client_reference_id"] == str(ann.id)
    assert seen.form["metadata[newsdesk_member]"] == str(ann.id)
    assert seen.form["subscription_data[metadata][newsdesk_member]"] == str(ann.id)
    assert seen.form["customer_email"] == "ann@example.com"
    assert seen.form["success_url"] == f"{BASE}/account?done=subscribed"
    assert seen.form["cancel_url"] == f"{BASE}/pro"
    # Nothing is granted by the redirect: only the webhook's events grant.
    assert stripe_site.store.plan_of(ann.id, utcnow()).plan is Plan.FREE
    back = client.get("/account?done=subscribed")  # Stripe's success URL
    assert "Pro starts as soon as Stripe confirms the payment" in back.text


def test_a_returning_customer_checks_out_as_the_same_stripe_customer(stripe_site, fake_stripe):
    client = stripe_site.client
    sign_in(client, stripe_site.mail, "ann@example.com")
    ann = stripe_site.store.member_by_email("ann@example.com")
    body = event(
        "customer.subscription.deleted",
        subscription("sub_1", status="canceled", period_end=1, customer="cus_ann", member=ann.id),
        created=1_700_000_000,
    )
    hook = client.post(
        "/payments/stripe/webhook", content=body, headers={"Stripe-Signature": signature(body)}
    )
    assert hook.status_code == 200
    client.post("/pro/subscribe", data={"csrf_token": subscribe_form(client)})
    assert fake_stripe.requests[-1].form["customer"] == "cus_ann"
    assert "customer_email" not in fake_stripe.requests[-1].form


def test_the_subscribe_form_needs_this_sessions_token_and_this_site(stripe_site, fake_stripe):
    client = stripe_site.client
    sign_in(client, stripe_site.mail, "ann@example.com")
    good = subscribe_form(client)
    for data, headers in (
        ({}, {}),
        ({"csrf_token": "0" * 40}, {}),
        ({"csrf_token": good}, {"Origin": "https://evil.example"}),
        ({"csrf_token": good}, {"Sec-Fetch-Site": "cross-site"}),
    ):
        response = client.post("/pro/subscribe", data=data, headers=headers)
        assert response.status_code == 403
    assert fake_stripe.requests == []


def test_a_paid_member_is_told_and_not_sent_to_checkout(stripe_site, fake_stripe):
    client = stripe_site.client
    sign_in(client, stripe_site.mail, "ann@example.com")
    token = subscribe_form(client)
    ann = stripe_site.store.member_by_email("ann@example.com")
    stripe_site.store.grant_plan(
        ann.id, Plan.PRO, until=None, source="admin", reason="", actor="admin", now=utcnow()
    )
    assert "Your plan: Pro" in client.get("/pro").text
    response = client.post("/pro/subscribe", data={"csrf_token": token}, follow_redirects=False)
    assert response.headers["location"] == "/account?done=already-pro"
    assert fake_stripe.requests == []


@pytest.mark.parametrize("status", [500, 402])
def test_a_provider_failure_is_a_clear_502(stripe_site, fake_stripe, status):
    client = stripe_site.client
    sign_in(client, stripe_site.mail, "ann@example.com")
    fake_stripe.fail_with = status
    response = client.post("/pro/subscribe", data={"csrf_token": subscribe_form(client)})
    assert response.status_code == 502
    assert "could not be reached" in response.text
    assert SECRET_KEY not in response.text


def test_starting_checkouts_is_rate_limited_per_member(stripe_site, fake_stripe):
    client = stripe_site.client
    sign_in(client, stripe_site.mail, "ann@example.com")
    token = subscribe_form(client)
    codes = [
        client.post("/pro/subscribe", data={"csrf_token": token}, follow_redirects=False)
        for _ in range(11)
    ]
    assert [r.status_code for r in codes[:10]] == [303] * 10
    assert codes[10].status_code == 429 and int(codes[10].headers["retry-after"]) >= 1
    assert len(fake_stripe.requests) == 10


def test_without_stripe_settings_nothing_about_stripe_is_served(member_site):
    client = member_site.client
    page = client.get("/pro")
    assert 'action="/pro/lead"' in page.text
    assert "Stripe" not in page.text and "/pro/subscribe" not in page.text
    assert client.post("/pro/subscribe").status_code in {404, 405}
    body = b'{"object": "event"}'
    hook = client.post(
        "/payments/stripe/webhook", content=body, headers={"Stripe-Signature": signature(body)}
    )
    assert hook.status_code in {404, 405}


def test_half_configured_stripe_refuses_to_start(tmp_path):
    from newsdesk.bootstrap import PaymentsSetupError, check_start
    from site_fixtures import site_settings

    half = site_settings(tmp_path, stripe_secret_key=SECRET_KEY, stripe_price_id=PRICE)
    with pytest.raises(PaymentsSetupError, match="NEWSDESK_STRIPE_WEBHOOK_SECRET"):
        check_start(half)
    check_start(site_settings(tmp_path))  # none set: the lead form, fine
