"""GET /confirm shows a page with a button; only POST /confirm confirms, so link scanners
that open every link in an email never subscribe anyone."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response

from newsdesk.deliver.subscriptions import ConfirmOutcome, confirm, read_confirm_token
from newsdesk.deliver.web.common import (
    SubscribeContext,
    check_same_origin,
    client_ip,
    render_page,
)
from newsdesk.domain.models import utcnow
from newsdesk.domain.signing import BadTokenError

INVALID = (
    "This confirmation link is invalid, expired (links work for 72 hours) or was replaced by a "
    "newer one. Sign up again to get a fresh link."
)


def build_confirm_router(context: SubscribeContext) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    options = context.options

    @router.get("/confirm")
    def confirm_page(request: Request, token: Annotated[str, Query()] = "") -> Response:
        try:
            read_confirm_token(options, token)
        except BadTokenError:
            return render_page(request, "confirm.html", {"problem": INVALID}, status_code=400)
        return render_page(request, "confirm.html", {"token": token})

    @router.post("/confirm")
    def confirm_submit(request: Request, token: Annotated[str, Form()] = "") -> Response:
        check_same_origin(request, options)
        outcome = confirm(context.store, options, token, ip=client_ip(request), now=utcnow())
        if outcome is ConfirmOutcome.INVALID:
            return render_page(request, "confirm.html", {"problem": INVALID}, status_code=400)
        return render_page(request, "confirm.html", {"outcome": str(outcome)})

    return router
