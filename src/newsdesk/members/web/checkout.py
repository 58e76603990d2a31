"""POST /pro/subscribe: a signed-in member starts a Stripe Checkout for Pro (mounted only
when Stripe is configured). The form carries the session's CSRF token; the browser is sent on
to the Checkout Session's URL. What the member gets is decided by the webhook, never here."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from newsdesk.domain.payments import STRIPE
from newsdesk.domain.ratelimit import RateLimit
from newsdesk.members.payments import PaymentProviderError, checkout_request
from newsdesk.members.ports import PaymentGateway
from newsdesk.members.web.account import to_signin
from newsdesk.members.web.common import (
    PRIVATE_HEADERS,
    MembersContext,
    check_form,
    redirect,
    render_page,
    signed_in,
)

HOUR = 3600.0
Csrf = Annotated[str, Form(max_length=100)]


def build_checkout_router(context: MembersContext, gateway: PaymentGateway) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    options = context.options
    per_member = RateLimit("checkout-member", options.payments.checkouts_per_hour, HOUR)

    @router.post("/pro/subscribe")
    def subscribe(request: Request, csrf_token: Csrf = "") -> Response:
        me = signed_in(context, request)
        if me is None:
            return to_signin("/pro")
        check_form(request, options, me.session_token, csrf_token)
        if me.plan.paid:
            return redirect("/account?done=already-pro")
        limited = context.limiter.hit(f"member:{me.member.id}", [per_member])
        if not limited.allowed:
            page = {"problem": "Too many attempts to subscribe; please try again later."}
            headers = {"Retry-After": str(max(limited.retry_after, 1))}
            return render_page(
                request, "pro_checkout_problem.html", page, status_code=429, headers=headers
            )
        customer = context.store.payment_customer_of(me.member.id, STRIPE)
        checkout = checkout_request(options, me.member, customer)
        try:
            url = gateway.create_checkout(checkout)
        except PaymentProviderError:
            page = {
                "problem": "The payment provider could not be reached. Nothing was charged; "
                "please try again in a moment."
            }
            return render_page(request, "pro_checkout_problem.html", page, status_code=502)
        return Response(status_code=303, headers={**PRIVATE_HEADERS, "Location": url})

    return router
