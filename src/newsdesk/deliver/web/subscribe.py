"""POST /subscribe (the site's sign-up form) and POST /api/v1/subscribe (JSON).

Both answer before anything depends on whether the address is known: the database work and
the email run as a background task after the response, so known and unknown addresses get
the same answer in the same time.
"""

from __future__ import annotations

import logging
import re
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Form, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from newsdesk.deliver.ports import SubscriberStore
from newsdesk.deliver.subscriptions import (
    SignupError,
    SignupRequest,
    parse_signup,
    process_signup,
    send_now,
)
from newsdesk.deliver.web.common import (
    SubscribeContext,
    check_same_origin,
    client_ip,
    render_page,
)
from newsdesk.domain.models import utcnow

log = logging.getLogger(__name__)

_FORM_NAME = re.compile(r"^[a-z0-9-]{1,32}$")
PENDING_MESSAGE = (
    "Thanks! If this address can subscribe, a confirmation email is on its way. "
    "Open the link in it to start receiving Top Insights Today."
)


class SubscribeBody(BaseModel):
    email: str = Field(max_length=320)
    sectors: list[str] = Field(default_factory=list, max_length=50)
    consent: bool = False
    entities: list[str] = Field(default_factory=list, max_length=100)


def _run_signup(
    store: SubscriberStore,
    context: SubscribeContext,
    signup: SignupRequest,
    ip: str | None,
    form: str,
) -> None:
    try:
        message = process_signup(store, context.options, signup, ip=ip, form=form, now=utcnow())
        if message is not None:
            send_now(context.options, message)
    except Exception:
        log.exception("sign-up processing failed")


def build_subscribe_router(context: SubscribeContext) -> APIRouter:
    router = APIRouter()
    options = context.options

    @router.post("/subscribe", include_in_schema=False)
    def subscribe_form(
        request: Request,
        background: BackgroundTasks,
        *,
        email: Annotated[str, Form(max_length=320)] = "",
        sectors: Annotated[list[str] | None, Form()] = None,
        consent: Annotated[str, Form(max_length=10)] = "",
        entities: Annotated[list[str] | None, Form()] = None,
        form: Annotated[str, Form(max_length=40)] = "site",
    ) -> Response:
        check_same_origin(request, options)
        form_name = form if _FORM_NAME.match(form) else "site"
        ip = client_ip(request)
        try:
            signup = parse_signup(
                email=email,
                sectors=sectors or [],
                consent=consent.lower() in {"on", "yes", "true", "1"},
                entities=entities or [],
                known_sectors=options.sector_ids,
            )
        except SignupError as error:
            page = {"problem": str(error), "email": email, "chosen": sectors or []}
            return render_page(request, "subscribe_result.html", page, status_code=400)
        limited = context.signup_allowed(ip, signup.email)
        if not limited.allowed:
            page = {"problem": "Too many sign-ups; please try again later."}
            return render_page(
                request,
                "subscribe_result.html",
                page,
                status_code=429,
                headers={"Retry-After": str(limited.retry_after)},
            )
        background.add_task(_run_signup, context.store, context, signup, ip, form_name)
        return render_page(request, "subscribe_result.html", {"message": PENDING_MESSAGE})

    @router.post("/api/v1/subscribe", status_code=202, tags=["subscribers"])
    def subscribe_api(
        body: SubscribeBody, request: Request, background: BackgroundTasks
    ) -> JSONResponse:
        """Start a double opt-in: a confirmation email is sent if the address can subscribe."""
        ip = client_ip(request)
        try:
            signup = parse_signup(
                email=body.email,
                sectors=body.sectors,
                consent=body.consent,
                entities=body.entities,
                known_sectors=options.sector_ids,
            )
        except SignupError as error:
            return JSONResponse({"error": str(error)}, status_code=400)
        limited = context.signup_allowed(ip, signup.email)
        if not limited.allowed:
            return JSONResponse(
                {"error": "too many sign-ups; try again later"},
                status_code=429,
                headers={"Retry-After": str(limited.retry_after)},
            )
        background.add_task(_run_signup, context.store, context, signup, ip, "api")
        return JSONResponse({"status": "pending", "message": PENDING_MESSAGE}, status_code=202)

    return router
