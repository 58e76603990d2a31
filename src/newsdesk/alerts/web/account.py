"""A member's alerts on the site: /account/alerts (list, create, email mode, remove) and
/account/webhooks/{id} (the endpoint's delivery log, manual re-send, a new secret).

Who is asking comes from the site's one viewer dependency (passed in by bootstrap); the
pages answer only a signed-in member, and creating or re-sending needs Pro (domain.access,
Resource.ALERT). Every form carries a token signed for the member and the form (CSRF) and is
refused when the browser says it was posted from another site. A new alert's feed URL and a
webhook's secret are shown once, on the page that answers the form.
"""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Annotated, Any, Protocol
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from newsdesk.alerts.create import (
    ROTATION_GRACE,
    AlertError,
    AlertRequest,
    CreatedAlert,
    create_alert,
)
from newsdesk.alerts.payloads import alert_label, new_secret
from newsdesk.alerts.ports import AlertOwners, AlertStore
from newsdesk.domain.access import DEFAULT_POLICY, AccessPolicy, Item, Resource, Viewer, decide
from newsdesk.domain.alerts import Alert, AlertKind, DeliveryAttempt, EmailMode, PayloadFormat
from newsdesk.domain.clients import same_origin_problem
from newsdesk.domain.paging import MAX_ROW_ID
from newsdesk.domain.signing import BadTokenError, SigningKeys, sign, verify

FORM_MAX_AGE = 4 * 3600
PRIVATE = {"Cache-Control": "private, no-store", "Referrer-Policy": "same-origin"}

# An id a row can have: one beyond it is malformed (422), never a lookup that overflows.
RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]


class AccountStore(AlertStore, Protocol):
    def remove_alert(self, alert_id: int, *, now: datetime) -> bool: ...

    def set_alert_email(self, alert_id: int, mode: EmailMode, *, now: datetime) -> bool: ...

    def member_webhook_endpoints(self, member_id: int) -> list[Any]: ...

    def webhook_log(self, endpoint_id: int, *, limit: int = 100) -> list[DeliveryAttempt]: ...

    def resend_delivery(self, delivery_id: int, *, now: datetime) -> bool: ...

    def get_delivery(self, delivery_id: int) -> Any: ...

    def rotate_webhook_secret(
        self, endpoint_id: int, *, secret: str, previous_until: datetime
    ) -> bool: ...

    def get_entity(self, entity_id: str) -> Any: ...

    def entities_named(self, name: str, *, limit: int = 10) -> list[Any]: ...


@dataclass(frozen=True)
class AccountContext:
    store: AccountStore
    owners: AlertOwners
    viewer: Callable[..., Viewer]
    signing: SigningKeys
    base_url: str
    sectors: Collection[tuple[str, str]]  # (id, name)
    allow_hosts: tuple[str, ...]
    clock: Callable[[], datetime]
    policy: AccessPolicy = DEFAULT_POLICY


def form_token(signing: SigningKeys, member_id: int, form: str) -> str:
    return sign(signing, f"csrf:alerts:{form}", {"m": member_id}, max_age=FORM_MAX_AGE)


def check_form(
    context: AccountContext, request: Request, member_id: int, form: str, token: str
) -> None:
    problem = same_origin_problem(
        request.headers.get("origin"),
        request.headers.get("sec-fetch-site"),
        [context.base_url.rstrip("/"), str(request.base_url).rstrip("/")],
    )
    if problem:
        raise HTTPException(status_code=403, detail=problem)
    try:
        payload = verify(context.signing, f"csrf:alerts:{form}", token)
    except BadTokenError as error:
        raise HTTPException(status_code=403, detail="invalid or expired form token") from error
    if payload.get("m") != member_id:
        raise HTTPException(status_code=403, detail="invalid or expired form token")


def entity_name(store: AccountStore, entity_id: str) -> str | None:
    """The entity's name as the site shows it; None when there is no such entity."""
    entity = store.get_entity(entity_id)
    return None if entity is None else str(entity.name)


def resolve_entity(store: AccountStore, typed: str) -> str:
    """The id of the entity a member typed: its id, else its name or one of its aliases (case
    aside). AlertError, naming the candidates, when no entity or several have that name."""
    typed = " ".join(typed.split())
    if not typed or store.get_entity(typed) is not None:
        return typed  # an empty value is create_alert's to refuse
    found = store.entities_named(typed, limit=6)
    if not found:
        raise AlertError(
            f"No entity is called “{typed}”. Type its name as the site shows it on its page "
            "(or one of its other names), or its id, e.g. org:jogmec."
        )
    if len(found) > 1:
        shown = ", ".join(f"{entity.name} ({entity.id})" for entity in found[:5])
        raise AlertError(
            f"“{typed}” names more than one entity: {shown}. Type the id of the one you mean."
        )
    return str(found[0].id)


def typed_names(typed: str) -> tuple[str, ...]:
    """The names in a comma-separated field; a name in double quotes may hold commas
    ("Rio Tinto, plc", Namibia), as in a CSV line."""
    parts = typed.split(",")
    if '"' in typed:
        # one line (line breaks are spaces to a name); csv.Error keeps the quotes as typed
        with contextlib.suppress(csv.Error):
            line = " ".join(typed.split())
            parts = [p for row in csv.reader([line], skipinitialspace=True) for p in row]
    return tuple(part.strip() for part in parts if part.strip())


def resolve_involving(store: AccountStore, typed: str) -> tuple[str, ...]:
    """The ids of the entities in the Involving field. The whole field is tried first as one
    name (or id), so a name with a comma in it needs no quotes when it is all the field
    holds; otherwise the field is split at commas outside double quotes (typed_names)."""
    whole = " ".join(typed.split())
    if whole and (store.get_entity(whole) is not None or store.entities_named(whole, limit=1)):
        return (resolve_entity(store, whole),)
    return tuple(resolve_entity(store, name) for name in typed_names(typed))


def resolve_sector(sectors: Collection[tuple[str, str]], typed: str) -> str:
    """A sector's id from its id or its name as the site shows it (case aside)."""
    typed = " ".join(typed.split())
    for sector_id, name in sectors:
        if typed in (sector_id, name) or typed.lower() == name.lower():
            return sector_id
    return typed  # create_alert refuses what the taxonomy lacks


def watches(alert: Alert, sector_names: Mapping[str, str], store: AccountStore) -> str:
    """What an alert watches, in the names the site shows ("sector: Oil & Gas"), not ids."""

    def entities(ids: Iterable[str]) -> str:
        return ", ".join(entity_name(store, entity_id) or entity_id for entity_id in ids)

    sectors = ", ".join(sector_names.get(sector, sector) for sector in alert.sectors)
    if alert.kind is AlertKind.QUERY:
        return f"search: {alert.query}" + (f" (in {sectors})" if sectors else "")
    if alert.kind is AlertKind.SECTOR:
        return f"sector: {sectors}"
    if alert.kind is AlertKind.ENTITY:
        return f"entity: {entities(alert.entity_ids)}"
    if alert.fact is None:
        return str(alert.kind)
    involving = entities(alert.fact.involving)
    return f"fact: {alert.fact.fact_type}" + (f" involving {involving}" if involving else "")


def member(viewer: Viewer) -> int:
    # 403, not 401: a 401 must name an authentication scheme (WWW-Authenticate), and a
    # session cookie has none; the pages themselves send a signed-out reader to sign in.
    if not viewer.signed_in or viewer.member_id is None:
        raise HTTPException(status_code=403, detail="sign in to manage your alerts")
    return viewer.member_id


# What each email mode reads as: in the new-alert form and in each alert's row alike.
EMAIL_MODE_LABELS: tuple[tuple[str, str], ...] = (
    (EmailMode.OFF.value, "no email"),
    (EmailMode.INSTANT.value, "at once"),
    (EmailMode.HOURLY.value, "hourly"),
)


def page(
    request: Request, template: str, values: dict[str, Any], status: int = 200
) -> HTMLResponse:
    html = request.app.state.templates.get_template(template).render(
        request=request, path=request.url.path, **values
    )
    return HTMLResponse(html, status_code=status, headers=PRIVATE)


def build_account_router(context: AccountContext) -> APIRouter:
    """/account/alerts and the webhook pages."""
    router = APIRouter(include_in_schema=False)
    asker = Depends(context.viewer)

    def pro(viewer: Viewer) -> bool:
        return decide(viewer, Item(Resource.ALERT), context.clock(), context.policy).full

    def listing(
        request: Request, viewer: Viewer, extra: dict[str, Any] | None = None, status: int = 200
    ) -> HTMLResponse:
        member_id = member(viewer)
        alerts = context.store.list_alerts(member_id=member_id)
        sector_names = dict(context.sectors)
        return page(
            request,
            "account_alerts.html",
            {
                "alerts": alerts,
                "labels": {alert.id: alert_label(alert, sector_names) for alert in alerts},
                "watching": {
                    alert.id: watches(alert, sector_names, context.store) for alert in alerts
                },
                "endpoints": context.store.member_webhook_endpoints(member_id),
                "pro": pro(viewer),
                "alert_sectors": sorted(context.sectors, key=lambda s: s[1]),
                "email_modes": EMAIL_MODE_LABELS,
                "token": form_token(context.signing, member_id, "alerts"),
                **(extra or {}),
            },
            status,
        )

    @router.get("/account/alerts", response_class=HTMLResponse)
    def alerts_page(request: Request, viewer: Viewer = asker) -> Response:
        if not viewer.signed_in:  # as the account page does: sign in, then come back
            return RedirectResponse("/signin?next=%2Faccount%2Falerts", status_code=303)
        return listing(request, viewer)

    @router.post("/account/alerts", response_class=HTMLResponse)
    async def create(request: Request, viewer: Viewer = asker) -> HTMLResponse:
        member_id = member(viewer)
        form = await request.form()
        field = _fields(form)
        check_form(context, request, member_id, "alerts", field("token", 1000))
        if not pro(viewer):
            raise HTTPException(status_code=403, detail="alerts are part of Pro")
        wanted = _request(context.owners.email_of(member_id), field)

        def make() -> CreatedAlert:
            return create_alert(
                context.store,
                context.owners,
                _resolved(context, wanted, field("involving", 200)),
                sectors=dict(context.sectors),
                entity_name=lambda entity_id: entity_name(context.store, entity_id),
                allow_hosts=context.allow_hosts,
                now=context.clock(),
            )

        try:  # in a thread: names are looked up and the webhook URL's check resolves its host
            created = await run_in_threadpool(make)
        except AlertError as error:  # the form comes back as the member filled it in
            asked = {name: field(name, 2000) for name in ASKED_FIELDS}
            return listing(request, viewer, {"problem": str(error), "asked": asked}, status=400)
        feed = f"{context.base_url.rstrip('/')}/feeds/alerts/{created.feed_token}.xml"
        shown = {"created": created.alert, "feed_url": feed, "secret": created.webhook_secret}
        return listing(request, viewer, shown)

    @router.post("/account/alerts/{alert_id}/remove")
    def remove(
        request: Request,
        alert_id: RowId,
        viewer: Viewer = asker,
        token: str = Form("", max_length=1000),
    ) -> RedirectResponse:
        member_id = member(viewer)
        check_form(context, request, member_id, "alerts", token)
        alert = context.store.get_alert(alert_id)
        if alert is None or alert.member_id != member_id:
            raise HTTPException(status_code=404, detail="no such alert")
        context.store.remove_alert(alert_id, now=context.clock())
        return RedirectResponse("/account/alerts", status_code=303)

    @router.post("/account/alerts/{alert_id}/email")
    def email_mode(
        request: Request,
        alert_id: RowId,
        viewer: Viewer = asker,
        token: str = Form("", max_length=1000),
        mode: str = Form("", max_length=16),
    ) -> RedirectResponse:
        member_id = member(viewer)
        check_form(context, request, member_id, "alerts", token)
        if mode not in {m.value for m in EmailMode}:
            raise HTTPException(status_code=400, detail="unknown email mode")
        wanted = EmailMode(mode)
        if wanted is not EmailMode.OFF and not pro(viewer):  # off is everyone's way out
            raise HTTPException(status_code=403, detail="alerts are part of Pro")
        alert = context.store.get_alert(alert_id)
        if alert is None or alert.member_id != member_id or alert.removed_at is not None:
            raise HTTPException(status_code=404, detail="no such alert")
        context.store.set_alert_email(alert_id, wanted, now=context.clock())
        return RedirectResponse("/account/alerts", status_code=303)

    router.include_router(_webhook_router(context, asker, pro))
    return router


def _webhook_router(
    context: AccountContext, asker: Any, pro: Callable[[Viewer], bool]
) -> APIRouter:
    """/account/webhooks/{id}: the delivery log, re-send and a new secret."""
    router = APIRouter(include_in_schema=False)

    def own_endpoint(member_id: int, endpoint_id: int) -> Any:
        endpoint = context.store.get_webhook_endpoint(endpoint_id)
        if endpoint is None or endpoint.member_id != member_id:
            raise HTTPException(status_code=404, detail="no such webhook endpoint")
        return endpoint

    def log_page(
        request: Request, viewer: Viewer, endpoint_id: int, extra: dict[str, Any] | None = None
    ) -> HTMLResponse:
        member_id = member(viewer)
        return page(
            request,
            "account_webhook.html",
            {
                "endpoint": own_endpoint(member_id, endpoint_id),
                "attempts": context.store.webhook_log(endpoint_id),
                "pro": pro(viewer),
                "token": form_token(context.signing, member_id, f"webhook-{endpoint_id}"),
                **(extra or {}),
            },
        )

    @router.get("/account/webhooks/{endpoint_id}", response_class=HTMLResponse)
    def webhook_page(request: Request, endpoint_id: RowId, viewer: Viewer = asker) -> Response:
        if not viewer.signed_in:  # as /account/alerts: sign in, then come back
            back = quote(f"/account/webhooks/{endpoint_id}", safe="")
            return RedirectResponse(f"/signin?next={back}", status_code=303)
        return log_page(request, viewer, endpoint_id)

    @router.post(
        "/account/webhooks/{endpoint_id}/resend/{delivery_id}", response_class=HTMLResponse
    )
    def resend(
        request: Request,
        endpoint_id: RowId,
        delivery_id: RowId,
        viewer: Viewer = asker,
        token: str = Form("", max_length=1000),
    ) -> HTMLResponse:
        member_id = member(viewer)
        check_form(context, request, member_id, f"webhook-{endpoint_id}", token)
        own_endpoint(member_id, endpoint_id)
        if not pro(viewer):
            raise HTTPException(status_code=403, detail="alerts are part of Pro")
        delivery = context.store.get_delivery(delivery_id)
        if delivery is None or delivery.endpoint_id != endpoint_id:
            raise HTTPException(status_code=404, detail="no such delivery")
        queued = context.store.resend_delivery(delivery_id, now=context.clock())
        note = "Queued again with the same webhook-id." if queued else "Already waiting to be sent."
        return log_page(request, viewer, endpoint_id, {"note": note})

    @router.post("/account/webhooks/{endpoint_id}/rotate", response_class=HTMLResponse)
    def rotate(
        request: Request,
        endpoint_id: RowId,
        viewer: Viewer = asker,
        token: str = Form("", max_length=1000),
    ) -> HTMLResponse:
        member_id = member(viewer)
        check_form(context, request, member_id, f"webhook-{endpoint_id}", token)
        own_endpoint(member_id, endpoint_id)
        secret = new_secret()
        until = context.clock() + ROTATION_GRACE
        context.store.rotate_webhook_secret(endpoint_id, secret=secret, previous_until=until)
        return log_page(request, viewer, endpoint_id, {"secret": secret, "grace": ROTATION_GRACE})

    return router


def _fields(form: Any) -> Callable[[str, int], str]:
    def field(name: str, limit: int) -> str:
        value = form.get(name)
        text = value if isinstance(value, str) else ""
        if len(text) > limit:
            raise HTTPException(status_code=400, detail=f"{name} is too long")
        return text

    return field


# The new-alert form's fields, given back as typed when the alert cannot be made.
ASKED_FIELDS = (
    "kind",
    "value",
    "sector",
    "involving",
    "name",
    "email_mode",
    "webhook_url",
    "slack",
)


def _resolved(context: AccountContext, wanted: AlertRequest, involving: str) -> AlertRequest:
    """The request with what the member typed (entity and sector names) turned into ids;
    involving is the Involving field as typed."""
    if wanted.kind is AlertKind.SECTOR:
        return replace(wanted, value=resolve_sector(context.sectors, wanted.value))
    if wanted.kind is AlertKind.ENTITY:
        return replace(wanted, value=resolve_entity(context.store, wanted.value))
    if wanted.kind is AlertKind.FACT:
        return replace(wanted, involving=resolve_involving(context.store, involving))
    return wanted


def _request(email: str | None, field: Callable[[str, int], str]) -> AlertRequest:
    kind, mode = field("kind", 16), field("email_mode", 16) or "off"
    if email is None or kind not in {k.value for k in AlertKind}:
        raise HTTPException(status_code=400, detail="unknown kind of alert")
    if mode not in {m.value for m in EmailMode}:
        raise HTTPException(status_code=400, detail="unknown email mode")
    involving, sector = field("involving", 200), field("sector", 200).strip()
    value = field("value", 300)
    if kind == AlertKind.SECTOR.value and sector:  # the menu's choice, else what was typed
        value = sector
    return AlertRequest(
        email=email,
        kind=AlertKind(kind),
        value=value,
        involving=typed_names(involving),
        in_sectors=(sector,) if kind == AlertKind.QUERY.value and sector else (),
        name=field("name", 120),
        email_mode=EmailMode(mode),
        webhook_url=field("webhook_url", 2000).strip() or None,
        payload=PayloadFormat.SLACK if field("slack", 3) == "on" else PayloadFormat.STANDARD,
    )
