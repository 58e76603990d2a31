"""POST /subscribe (the site's sign-up form) and POST /api/v1/subscribe (JSON).

Both answer before anything depends on whether the address is known: the database work and
the email run as a background task after the response, so known and unknown addresses get
the same answer in the same time.
"""

from __future__ import annotations

import logging
import re
from typing import Annotated, Any, Literal

from fastapi import APIRouter, BackgroundTasks, Depends, Form, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from newsdesk.deliver.ports import SubscriberStore
from newsdesk.deliver.subscriptions import (
    ENTITY_ID_PATTERN,
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


def _any_case(word: str) -> str:
    return "".join(f"[{ch.upper()}{ch}]" for ch in word)


# Addresses at the special-use domains (RFC 6761) that the address check refuses: the schema
# says so, so that a client knows which syntactically valid addresses are still a 400.
SPECIAL_USE_DOMAINS = "^(?!.*[@.](?:{})[.]?$)".format(
    "|".join(_any_case(name) for name in ("arpa", "invalid", "local", "localhost", "onion", "test"))
)


class SubscribeBody(BaseModel):
    """A sign-up. Strict: a JSON string, list or boolean only where one is declared."""

    model_config = ConfigDict(strict=True, extra="forbid")

    email: str = Field(
        max_length=254,
        description="An address at a domain mail can reach (not .test, .local, .invalid, …)",
        json_schema_extra={"format": "email", "pattern": SPECIAL_USE_DOMAINS},
    )
    sectors: list[str] = Field(
        min_length=1,
        max_length=50,
        description="Sector ids (see /api/v1/sectors)",
        # The site's sector ids: the publish layer's OpenAPI document fills in the enum.
        json_schema_extra={"items": {"type": "string", "x-newsdesk-sector": {"empty": False}}},
    )
    consent: bool = Field(
        description="The subscriber agrees to the privacy and cookie policy and the terms",
        json_schema_extra={"const": True},
    )
    entities: list[str] = Field(
        default_factory=list,
        max_length=50,
        description="Entity ids to watch",
        json_schema_extra={"items": {"type": "string", "pattern": ENTITY_ID_PATTERN}},
    )


class SubscribeAccepted(BaseModel):
    status: Literal["pending"]
    message: str = Field(description="For the person signing up")


def _errors(descriptions: dict[int, str]) -> dict[int | str, dict[str, Any]]:
    """Error answers in the API's shape ({"error": "…"}, the ErrorBody of /openapi.json)."""
    body = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
    return {code: {"description": text, "content": body} for code, text in descriptions.items()}


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
    asker = Depends(context.viewer)  # the site's viewer: counts the API sign-up's quota

    @router.get("/subscribe", include_in_schema=False)
    def subscribe_page(request: Request) -> Response:
        # The result page's address: reloaded, bookmarked or shared it answered 405.
        return render_page(request, "subscribe_result.html", {"form_only": True})

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

    @router.post(
        "/api/v1/subscribe",
        status_code=202,
        tags=["subscribers"],
        response_model=SubscribeAccepted,
        responses=_errors(
            {
                400: "Not a valid sign-up (the message says why: address, sectors, consent)",
                403: "An API key was sent: keys are read-only (a sign-up needs none)",
                413: "The request body is larger than the site accepts",
                422: "A field does not have the declared type or bounds",
                429: "Too many sign-ups from this address; try again after Retry-After seconds",
            }
        ),
    )
    def subscribe_api(
        body: SubscribeBody,
        request: Request,
        background: BackgroundTasks,
        _viewer: Any = asker,
    ) -> JSONResponse:
        """Start a double opt-in: a confirmation email is sent if the address can subscribe."""
        ip = client_ip(request)
        # As the schema says, not as the form is read (which trims and skips empty values).
        if not all(re.match(ENTITY_ID_PATTERN, entity) for entity in body.entities):
            return JSONResponse({"error": "entities must be entity ids"}, status_code=400)
        if not set(body.sectors) <= set(options.sector_ids):
            return JSONResponse({"error": "sectors must be sector ids"}, status_code=400)
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
