"""GET /admin/digest/preview?email=&date=: the digest a subscriber would get, as HTML or text
(admin only; sends nothing and claims nothing)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from newsdesk.deliver.digest import DigestOptions, DigestRun
from newsdesk.deliver.digest.send import MessageSender
from newsdesk.deliver.ports import DigestStore, RecipientViewers
from newsdesk.text.emails import InvalidEmailError, normalise_email

# The digest is an email: its CSS is inline by design. This page allows exactly that and
# nothing else (no scripts, images, fonts, frames or form targets).
PREVIEW_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)


FIRST_DAY, LAST_DAY = date(1970, 1, 2), date(9998, 12, 30)


def _no_sending() -> AbstractContextManager[MessageSender]:
    raise RuntimeError("the digest preview never sends")


def build_admin_router(
    options: DigestOptions,
    store: DigestStore,
    admin: Callable[..., Any],
    recipients: RecipientViewers | None = None,
) -> APIRouter:
    """recipients: who each subscriber is to the access policy (the preview shows what their
    plan reads); everyone reads as anonymous without it."""
    router = APIRouter(include_in_schema=False, dependencies=[Depends(admin)])

    @router.get("/admin/digest/preview")
    def preview(
        email: str = Query(..., max_length=320),
        day: str | None = Query(None, alias="date", max_length=10),
        output_format: str = Query("html", alias="format", pattern="^(html|text)$"),
    ) -> Response:
        try:
            digest_date = date.fromisoformat(day) if day else datetime.now(UTC).date()
        except ValueError as error:
            raise HTTPException(status_code=422, detail="date must be YYYY-MM-DD") from error
        if not FIRST_DAY <= digest_date <= LAST_DAY:  # the window around it must fit a datetime
            raise HTTPException(status_code=422, detail="date out of range")
        try:
            address = normalise_email(email)
        except InvalidEmailError as error:
            raise HTTPException(status_code=422, detail="email must be an email address") from error
        subscriber = store.get_subscriber_by_email(address)
        if subscriber is None:
            raise HTTPException(status_code=404, detail="no such subscriber")
        rendered = DigestRun(store, options, _no_sending, recipients=recipients).preview(
            subscriber, digest_date
        )
        headers = {"Content-Security-Policy": PREVIEW_CSP, "Cache-Control": "no-store"}
        if rendered is None:
            message = (
                f"No digest for {subscriber.email} on {digest_date.isoformat()}: nothing in "
                "their sectors or watched entities, so no email would be sent."
            )
            return PlainTextResponse(message, headers=headers)
        if output_format == "text":
            return PlainTextResponse(
                f"Subject: {rendered.subject}\n\n{rendered.text}", headers=headers
            )
        return HTMLResponse(rendered.html, headers=headers)

    return router
