"""GET /feeds/alerts/{token}.{xml,atom,json}: an alert's matches, newest first.

The token is the feed's only credential (shown once when the alert is made; stored as a
hash): an unknown or mistyped one is a 404, a removed alert's too. The owner's plan is
checked on every request through the access policy (Resource.ALERT): a member who lost Pro
gets a 403, never the matches. Private: never stored by shared caches.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from fastapi import APIRouter, HTTPException
from fastapi.responses import Response

from newsdesk.alerts.access import may_receive
from newsdesk.alerts.create import FEED_TOKEN_PREFIX, feed_digest
from newsdesk.alerts.payloads import alert_label
from newsdesk.alerts.ports import AlertOwners
from newsdesk.domain.access import DEFAULT_POLICY, AccessPolicy
from newsdesk.domain.alerts import Alert
from newsdesk.formats.feeds import FeedItem, FeedKind, FeedMeta, write_feed

MEDIA_TYPES: dict[str, tuple[FeedKind, str]] = {
    "xml": ("rss", "application/rss+xml; charset=utf-8"),
    "atom": ("atom", "application/atom+xml; charset=utf-8"),
    "json": ("json", "application/feed+json; charset=utf-8"),
}
FEED_SIZE = 50


class AlertFeedStore(Protocol):
    def alert_feed_credentials(self, feed_prefix: str) -> tuple[Alert, str] | None: ...

    def alert_feed_items(self, alert_id: int, *, limit: int = 50) -> list[Any]: ...


@dataclass(frozen=True)
class AlertsWebContext:
    store: AlertFeedStore
    owners: AlertOwners
    base_url: str
    site_name: str
    clock: Callable[[], datetime]
    policy: AccessPolicy = DEFAULT_POLICY
    sector_names: Mapping[str, str] = field(default_factory=dict)  # for alert_label


def build_feed_router(context: AlertsWebContext) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/feeds/alerts/{token}.{ext}")
    def alert_feed(token: str, ext: str) -> Response:
        kind = MEDIA_TYPES.get(ext)
        if kind is None or not token.startswith(FEED_TOKEN_PREFIX) or len(token) > 100:
            raise HTTPException(status_code=404, detail="no such feed")
        found = context.store.alert_feed_credentials(token[:12])
        if found is None or not hmac.compare_digest(found[1], feed_digest(token)):
            raise HTTPException(status_code=404, detail="no such feed")
        alert = found[0]
        if alert.removed_at is not None or alert.id is None:
            raise HTTPException(status_code=404, detail="no such feed")
        if not may_receive(context.owners, alert.member_id, context.clock(), context.policy):
            raise HTTPException(status_code=403, detail="alerts need Pro")
        root = context.base_url.rstrip("/")
        name = alert_label(alert, context.sector_names)
        meta = FeedMeta(
            title=f"{context.site_name}: {name}",
            link=f"{root}/account",
            feed_url=f"{root}/feeds/alerts/{token[:12]}….{ext}",
            description=f"Articles matching the alert {name!r}, newest first.",
        )
        items = [
            FeedItem(
                id=f"{root}/articles/{row.id}#alert-{alert.id}",
                title=row.title,
                link=f"{root}/articles/{row.id}",
                published=row.published or row.matched_at,
                updated=row.matched_at,
            )
            for row in context.store.alert_feed_items(alert.id, limit=FEED_SIZE)
        ]
        body = write_feed(kind[0], meta, items)
        return Response(
            body,
            media_type=kind[1],
            headers={"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"},
        )

    return router
