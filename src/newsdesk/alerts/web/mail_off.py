"""GET /unsubscribe/alert shows what the link would do and a button; POST turns that alert's
email off: RFC 8058 one-click (the List-Unsubscribe-Post of every alert email) and the button.

The signed token in the URL is the whole credential (domain.mail_off): mail clients post with
no cookie, no CSRF token and often no Origin. GET never acts, as link scanners fetch every
link of a message. Only the email stops: the alert, its feed and its webhook stay, and the
member can turn it on again or remove the alert on /account/alerts. Posting again answers as
the first time did.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Protocol

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from newsdesk.alerts.payloads import alert_label
from newsdesk.alerts.web.account import page
from newsdesk.domain.alerts import Alert, EmailMode
from newsdesk.domain.mail_off import ALERT_MAIL_OFF_PATH, read_alert_mail_off
from newsdesk.domain.signing import BadTokenError, SigningKeys

INVALID = (
    "This link is not valid: it may be cut short or too old. Manage your alerts on your "
    "account page instead."
)


class MailOffStore(Protocol):
    def get_alert(self, alert_id: int) -> Alert | None: ...

    def set_alert_email(self, alert_id: int, mode: EmailMode, *, now: datetime) -> bool: ...


@dataclass(frozen=True)
class MailOffContext:
    store: MailOffStore
    signing: SigningKeys
    clock: Callable[[], datetime]
    sector_names: Mapping[str, str] = field(default_factory=dict)  # for alert_label


class Standing(StrEnum):
    INVALID = "invalid"  # forged, expired, malformed, another member's alert
    GONE = "gone"  # the alert was removed: it sends nothing any more
    OFF = "off"  # its email is off already
    ON = "on"  # its email is on: the page offers to turn it off


def standing(
    store: MailOffStore, signing: SigningKeys, token: str
) -> tuple[Standing, Alert | None]:
    """What the link names, and where that alert's email stands."""
    try:
        claim = read_alert_mail_off(signing, token)
    except BadTokenError:
        return Standing.INVALID, None
    assert claim.alert_id is not None
    alert = store.get_alert(claim.alert_id)
    if alert is None:
        return Standing.GONE, None
    if alert.member_id != claim.member_id:
        return Standing.INVALID, None
    if alert.removed_at is not None:
        return Standing.GONE, alert
    return (Standing.OFF if alert.email is EmailMode.OFF else Standing.ON), alert


def build_mail_off_router(context: MailOffContext) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    def answer(
        request: Request, state: Standing, alert: Alert | None, token: str, *, done: bool = False
    ) -> HTMLResponse:
        values = {
            "state": str(state),
            "name": alert_label(alert, context.sector_names) if alert is not None else "",
            "webhook": alert is not None and alert.webhook_id is not None,
            "token": token,
            "done": done,
            "problem": INVALID if state is Standing.INVALID else None,
        }
        status = 400 if state is Standing.INVALID else 200
        return page(request, "alert_mail_off.html", values, status)

    @router.get(ALERT_MAIL_OFF_PATH, response_class=HTMLResponse)
    def confirm_page(request: Request, token: Annotated[str, Query()] = "") -> HTMLResponse:
        state, alert = standing(context.store, context.signing, token)
        return answer(request, state, alert, token)

    @router.post(ALERT_MAIL_OFF_PATH, response_class=HTMLResponse)
    def turn_off(request: Request, token: Annotated[str, Query()] = "") -> HTMLResponse:
        state, alert = standing(context.store, context.signing, token)
        if state is Standing.ON and alert is not None and alert.id is not None:
            context.store.set_alert_email(alert.id, EmailMode.OFF, now=context.clock())
            state = Standing.OFF
        return answer(request, state, alert, token, done=state is Standing.OFF)

    return router
