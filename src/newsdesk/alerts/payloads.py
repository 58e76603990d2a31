"""Webhook bodies and their Standard Webhooks signatures (pure, apart from the secret's
randomness).

Every delivery carries ``webhook-id`` (the same across retries and re-sends, so receivers can
drop duplicates), ``webhook-timestamp`` (of this attempt) and ``webhook-signature``: ``v1,`` +
base64 HMAC-SHA256 over ``id.timestamp.body`` with the endpoint's ``whsec_`` secret — and,
while a rotation is in progress, a second signature with the previous secret, space-separated.
The standardwebhooks package computes them, as receivers verify them.
"""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from newsdesk.domain.alerts import Alert, AlertKind, PayloadFormat, WebhookEndpoint

SECRET_PREFIX = "whsec_"  # noqa: S105 - the format's prefix, not a secret
EVENT_TYPE = "alert.match"
MAX_TITLE = 300


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode("ascii")


def new_message_id() -> str:
    return "msg_" + secrets.token_urlsafe(18)


@dataclass(frozen=True)
class MatchNotice:
    """One match as a webhook or an email tells it."""

    alert_id: int
    alert_name: str
    article_id: int
    title: str
    url: str  # the original
    page: str  # the article's page on the site
    source: str | None
    published: datetime | None
    matched_at: datetime


def body(endpoint: WebhookEndpoint, notice: MatchNotice) -> bytes:
    """The request body for the endpoint's payload format (UTF-8 JSON)."""
    if endpoint.payload is PayloadFormat.SLACK:
        data: dict[str, Any] = slack_message(notice)
    else:
        data = {
            "type": EVENT_TYPE,
            "timestamp": notice.matched_at.astimezone(UTC).isoformat(),
            "data": {
                "alert": {"id": notice.alert_id, "name": notice.alert_name},
                "article": {
                    "id": notice.article_id,
                    "title": notice.title[:MAX_TITLE],
                    "url": notice.url,
                    "page": notice.page,
                    "source": notice.source,
                    "published": notice.published.isoformat() if notice.published else None,
                },
            },
        }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _slack_escape(text: str) -> str:
    """Slack's mrkdwn control characters (&, <, >) as its escapes: a title cannot make a link
    or a mention."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_message(notice: MatchNotice) -> dict[str, Any]:
    title = _slack_escape(notice.title[:MAX_TITLE])
    alert = _slack_escape(notice.alert_name)
    source = _slack_escape(notice.source or "")
    line = f"<{notice.page}|{title}>" + (f" — {source}" if source else "")
    return {
        "text": f"{alert}: {title}",
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": f"*{alert}*\n{line}"}},
        ],
    }


def signature(endpoint: WebhookEndpoint, message_id: str, at: datetime, payload: bytes) -> str:
    """The webhook-signature header: the current secret's, then the previous one's while a
    rotation is in progress."""
    from standardwebhooks.webhooks import Webhook

    secrets_in_use = [endpoint.secret]
    if endpoint.previous_secret and endpoint.previous_until and endpoint.previous_until > at:
        secrets_in_use.append(endpoint.previous_secret)
    return " ".join(Webhook(secret).sign(message_id, at, payload) for secret in secrets_in_use)


def headers(
    endpoint: WebhookEndpoint, message_id: str, at: datetime, payload: bytes
) -> dict[str, str]:
    return {
        "content-type": "application/json",
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signature(endpoint, message_id, at, payload),
    }


def alert_label(alert: Alert, sector_names: Mapping[str, str] | None = None) -> str:
    """The alert's name as shown everywhere (page, feed, email, webhook). Alerts made before
    names were given in the site's words were stored as "Sector: <sector id>"; such a name is
    shown with the taxonomy's name of that sector (sector_names maps id to name) instead."""
    name = alert.name or f"Alert {alert.id}"
    if alert.kind is AlertKind.SECTOR and len(alert.sectors) == 1 and sector_names:
        sector = alert.sectors[0]
        if name == f"Sector: {sector}" and sector_names.get(sector):
            return f"Sector: {sector_names[sector]}"
    return name
