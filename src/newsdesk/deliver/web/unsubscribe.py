"""GET /unsubscribe shows a page with a button; POST /unsubscribe is RFC 8058 one-click:
no cookies needed, 200 without redirect, idempotent, effective before the next send.

The pages show the address masked (text.emails.mask_email): whoever holds a forwarded
digest learns neither the mailbox nor the organisation, while its owner still recognises it.
Unsubscribing raises the subscriber's token version: the link then only says "unsubscribed"
(mail clients repeat one-click posts), and cannot touch a later subscription."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from newsdesk.deliver.links import UNSUBSCRIBE_PURPOSE
from newsdesk.deliver.ports import SubscriberStore
from newsdesk.deliver.subscriptions import readable_link
from newsdesk.deliver.web.common import SubscribeContext, client_ip, render_page
from newsdesk.domain.models import utcnow
from newsdesk.domain.subscribers import Subscriber
from newsdesk.text.emails import mask_email

INVALID = (
    "This unsubscribe link is not valid: it expired or was replaced by a newer one. Use the "
    "link in your latest email."
)
ONE_CLICK = "List-Unsubscribe=One-Click"
ONE_CLICK_READ_BYTES = 1024


def _unsubscribe(
    store: SubscriberStore, context: SubscribeContext, token: str, ip: str | None, form: str
) -> Subscriber | None:
    access = readable_link(store, context.options, UNSUBSCRIBE_PURPOSE, token)
    if access is None or access.subscriber.id is None:
        return None
    if access.current:
        store.unsubscribe(access.subscriber.id, at=utcnow(), ip=ip, form=form)
    return access.subscriber


def _shown(subscriber: Subscriber, **extra: Any) -> dict[str, Any]:
    return {"subscriber": subscriber, "address": mask_email(subscriber.email), **extra}


def build_unsubscribe_router(context: SubscribeContext) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    options = context.options

    @router.get("/unsubscribe")
    def unsubscribe_page(request: Request, token: Annotated[str, Query()] = "") -> Response:
        access = readable_link(context.store, options, UNSUBSCRIBE_PURPOSE, token)
        if access is None:
            return render_page(request, "unsubscribe.html", {"problem": INVALID}, status_code=400)
        return render_page(request, "unsubscribe.html", _shown(access.subscriber, token=token))

    @router.post("/unsubscribe")
    async def unsubscribe_now(request: Request, token: Annotated[str, Query()] = "") -> Response:
        # Mail clients post "List-Unsubscribe=One-Click" with no cookies and often no
        # Origin; the signed token in the URL is the whole credential, as RFC 8058 intends.
        # Only the start of the body is looked at, and only that much is read.
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) >= ONE_CLICK_READ_BYTES:
                break
        one_click = ONE_CLICK.encode() in body[:ONE_CLICK_READ_BYTES]
        form = "one-click" if one_click else "unsubscribe-page"
        subscriber = await run_in_threadpool(
            _unsubscribe, context.store, context, token, client_ip(request), form
        )
        if subscriber is None:
            return render_page(request, "unsubscribe.html", {"problem": INVALID}, status_code=400)
        return render_page(request, "unsubscribe.html", _shown(subscriber, done=True))

    return router
