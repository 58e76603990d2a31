"""GET /admin/subscribers: who is subscribed and each one's consent record (read-only: an
admin cannot re-subscribe anyone)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from fastapi.responses import Response

from newsdesk.deliver.web.common import SubscribeContext, render_page
from newsdesk.domain.paging import MAX_ROW_ID

LIST_LIMIT = 500


def build_admin_router(context: SubscribeContext, admin: Callable[..., Any]) -> APIRouter:
    router = APIRouter(include_in_schema=False, dependencies=[Depends(admin)])

    @router.get("/admin/subscribers")
    def subscriber_list(request: Request) -> Response:
        rows = []
        for subscriber in context.store.iter_subscribers():
            rows.append(subscriber)
            if len(rows) >= LIST_LIMIT:
                break
        return render_page(request, "admin_subscribers.html", {"subscribers": rows})

    @router.get("/admin/subscribers/{subscriber_id}")
    def subscriber_detail(
        request: Request, subscriber_id: Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
    ) -> Response:
        store = context.store
        subscriber = store.get_subscriber(subscriber_id)
        if subscriber is None:
            raise HTTPException(status_code=404, detail="no such subscriber")
        history = store.consent_history(subscriber_id)
        return render_page(
            request, "admin_subscriber.html", {"subscriber": subscriber, "history": history}
        )

    return router
