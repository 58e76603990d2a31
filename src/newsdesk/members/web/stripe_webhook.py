"""POST /payments/stripe/webhook: Stripe's events (mounted only when Stripe is configured).

The body is read up to a limit (413 above it) and its Stripe-Signature verified offline
before anything else (400 when it is missing, wrong or its timestamp too old: a replay). A
verified event is handled once by its id, in one transaction (store.payments_repo; the
decisions are domain.payments'); a redelivery answers 200 and changes nothing. Malformed
events are a 400; nothing here answers 500 for anything a sender controls.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from newsdesk.members.payments import BadEventError, BadSignatureError, parse_stripe_event
from newsdesk.members.ports import PaymentGateway
from newsdesk.members.web.common import MembersContext

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/payments/stripe/webhook"
MAX_EVENT_BYTES = 512 * 1024  # Stripe's events are far smaller; bootstrap lets this path have it
NO_STORE = {"Cache-Control": "no-store"}


def _answer(status: int, **body: object) -> JSONResponse:
    return JSONResponse(body, status_code=status, headers=NO_STORE)


async def read_limited(request: Request, limit: int) -> bytes | None:
    """The body, or None when it is longer than limit (read no further than that)."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def build_webhook_router(context: MembersContext, gateway: PaymentGateway) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    payments = context.options.payments
    grace = timedelta(days=payments.grace_days)

    @router.post(WEBHOOK_PATH)
    async def stripe_webhook(request: Request) -> Response:
        body = await read_limited(request, MAX_EVENT_BYTES)
        if body is None:
            return _answer(413, error="the event is too large")
        try:
            payload = gateway.verify(body, request.headers.get("stripe-signature"))
            event = parse_stripe_event(payload, price_id=payments.price_id)
        except BadSignatureError:
            return _answer(400, error="invalid Stripe-Signature")
        except BadEventError as error:
            return _answer(400, error=str(error))
        outcome = await run_in_threadpool(
            context.store.record_payment_event, event, now=context.clock(), grace=grace
        )
        log.info(
            "stripe event %s (%s): %s%s",
            event.event_id,
            event.type,
            outcome.outcome,
            " (again)" if outcome.duplicate else "",
        )
        return _answer(200, received=True, duplicate=outcome.duplicate, outcome=outcome.outcome)

    return router
