"""Creating an alert: its owner must be a member, what it watches must exist, and a webhook URL
must pass the SSRF guard now (it is checked again at every delivery: DNS can change).

The owner must already be a member: an alert belongs to someone who can sign in to manage it,
read its delivery log and re-send; creating accounts from an alert command would bypass the
members' own sign-up (and turn a typo into a ghost account). A member without Pro may own an
alert, but nothing is delivered until their plan includes alerts.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from newsdesk.alerts.match import query_words
from newsdesk.alerts.payloads import new_secret
from newsdesk.alerts.ports import AlertOwners, AlertStore
from newsdesk.domain.alerts import Alert, AlertKind, EmailMode, FactConstraint, PayloadFormat
from newsdesk.domain.errors import FetchError, NewsdeskError
from newsdesk.fetch.post import check_destination

FACT_TYPES = ("agreement", "investment", "quantity", "policy")
FEED_TOKEN_PREFIX = "alf_"  # noqa: S105 - a format prefix
ROTATION_GRACE = timedelta(hours=24)


class AlertError(NewsdeskError):
    """An alert that cannot be created as asked (the message says why)."""


@dataclass(frozen=True)
class AlertRequest:
    email: str  # the owner's
    kind: AlertKind
    value: str  # the query, entity id, sector id or fact type
    involving: tuple[str, ...] = ()  # FACT: entity ids
    in_sectors: tuple[str, ...] = ()  # QUERY: only articles in one of these sectors
    name: str = ""
    email_mode: EmailMode = EmailMode.OFF
    webhook_url: str | None = None
    payload: PayloadFormat = PayloadFormat.STANDARD


@dataclass(frozen=True)
class CreatedAlert:
    alert: Alert
    feed_token: str  # shown once: the private feed URL's secret
    webhook_secret: str | None  # shown once: whsec_…


def feed_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_feed_token() -> tuple[str, str]:
    """(token, its visible prefix)."""
    token = FEED_TOKEN_PREFIX + secrets.token_urlsafe(24)
    return token, token[:12]


def create_alert(
    store: AlertStore,
    owners: AlertOwners,
    request: AlertRequest,
    *,
    sectors: Mapping[str, str],
    entity_name: Callable[[str], str | None],
    allow_hosts: tuple[str, ...],
    now: datetime,
) -> CreatedAlert:
    """sectors maps each sector id of the taxonomy to its name; entity_name gives an entity's
    name, None when there is no such entity. An alert without a name of its own is named
    after what it watches, by these names (never by ids: the name is an email's subject)."""
    member_id = owners.member_id_by_email(request.email)
    if member_id is None:
        raise AlertError(
            f"no member {request.email!r}: alerts belong to members "
            "(newsdesk members add EMAIL --plan pro)"
        )
    alert = _alert(member_id, request, sectors, entity_name)
    secret = None
    if request.webhook_url:
        try:
            target = asyncio.run(check_destination(request.webhook_url, allow_hosts))
        except FetchError as error:
            raise AlertError(f"webhook URL refused: {error}") from error
        secret = new_secret()
        endpoint = store.add_webhook_endpoint(
            member_id, target.url, secret=secret, payload=request.payload, now=now
        )
        alert = replace(alert, webhook_id=endpoint.id)
    token, prefix = new_feed_token()
    saved = store.add_alert(
        replace(alert, feed_prefix=prefix), feed_hash=feed_digest(token), now=now
    )
    return CreatedAlert(saved, token, secret)


def _alert(
    member_id: int,
    request: AlertRequest,
    sectors: Mapping[str, str],
    entity_name: Callable[[str], str | None],
) -> Alert:
    value = request.value.strip()
    base = Alert(
        id=None,
        member_id=member_id,
        kind=request.kind,
        name=request.name.strip(),
        email=request.email_mode,
    )
    if request.kind is AlertKind.QUERY:
        if not query_words(value):
            raise AlertError("a saved search needs at least one word")
        unknown = [sector for sector in request.in_sectors if sector not in sectors]
        if unknown:
            raise AlertError(f"no sector {unknown[0]!r} in the taxonomy")
        label = base.name or f"Search: {value}"
        return replace(base, query=value, sectors=tuple(request.in_sectors), name=label[:120])
    if request.kind is AlertKind.SECTOR:
        if value not in sectors:
            raise AlertError(f"no sector {value!r} in the taxonomy")
        label = base.name or f"Sector: {sectors[value] or value}"
        return replace(base, sectors=(value,), name=label[:120])
    if request.kind is AlertKind.ENTITY:
        shown = entity_name(value)
        if shown is None:
            raise AlertError(f"no entity {value!r}")
        label = base.name or f"Entity: {shown or value}"
        return replace(base, entity_ids=(value,), name=label[:120])
    if value not in FACT_TYPES:
        raise AlertError(f"fact type must be one of: {', '.join(FACT_TYPES)}")
    involving = tuple(dict.fromkeys(request.involving))
    names = []
    for entity_id in involving:
        shown = entity_name(entity_id)
        if shown is None:
            raise AlertError(f"no entity {entity_id!r}")
        names.append(shown or entity_id)
    label = base.name or f"New {value}" + (f" involving {', '.join(names)}" if names else "")
    return Alert(**{**base.__dict__, "fact": FactConstraint(value, involving), "name": label[:120]})
