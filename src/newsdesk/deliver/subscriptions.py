"""Sign-up, double opt-in, preferences and unsubscribe: the decisions, apart from HTTP.

Sign-up answers the same whether or not the address is known: everything that depends on it
(the database, the email) runs in `process_signup`, which the web layer runs after the
response has gone out.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import lru_cache
from zoneinfo import available_timezones

from newsdesk.deliver.links import (
    CONFIRM_PURPOSE,
    PREFERENCES_PURPOSE,
    UNSUBSCRIBE_PURPOSE,
    SubscriberLinks,
    confirm_token,
    confirm_url,
    links_for,
    read_subscriber_token,
)
from newsdesk.deliver.ports import SubscriberStore
from newsdesk.domain.signing import BadTokenError, SigningKeys, claimed_row_id, verify
from newsdesk.domain.subscribers import (
    ConsentAction,
    ConsentEvent,
    Subscriber,
    SubscriberStatus,
    parse_hh_mm,
)
from newsdesk.formats.mail import WireMessage, WireMessageBuilder, html_document
from newsdesk.mail.outgoing import send_one
from newsdesk.mail.smtp import SendOutcome, SmtpOptions
from newsdesk.text.emails import InvalidEmailError
from newsdesk.text.emails import normalise_email as text_normalise_email

log = logging.getLogger(__name__)

MAX_ENTITIES = 50
_WITHDRAWN = (SubscriberStatus.UNSUBSCRIBED, SubscriberStatus.SUPPRESSED)
# An entity id to watch: no controls, spaces or quotes. Spelled out (not \s), so that the same
# pattern means the same in /openapi.json (ECMA regex) as here.
ENTITY_ID_PATTERN = "^[^\\u0000-\\u0020\\u007f<>\"']{1,120}$"
_ENTITY_ID = re.compile(ENTITY_ID_PATTERN)


@dataclass(frozen=True)
class SubscribeOptions:
    base_url: str
    signing: SigningKeys
    mail_from: str
    smtp: SmtpOptions
    sectors: tuple[tuple[str, str], ...]  # (id, name) of the taxonomy's sectors
    site_name: str = "Top Insights Today"
    policy_version: str = "1"
    terms_version: str = "1"
    rate_per_ip: int = 20  # sign-ups per hour from one address
    rate_per_address: int = 3  # sign-ups per hour for one email address
    unsubscribe_mailbox: str | None = None  # mailto: target; None uses mail_from

    @property
    def sector_ids(self) -> tuple[str, ...]:
        return tuple(sector_id for sector_id, _ in self.sectors)

    def sector_name(self, sector_id: str) -> str:
        return dict(self.sectors).get(sector_id, sector_id)


class SignupError(ValueError):
    """The sign-up form is wrong in a way the person can fix (said in the message)."""


@dataclass(frozen=True)
class SignupRequest:
    email: str
    sectors: tuple[str, ...]
    entities: tuple[str, ...] = ()


def normalise_email(raw: str) -> str:
    """The address as stored (newsdesk.text.emails, shared with members); SignupError."""
    try:
        return text_normalise_email(raw)
    except InvalidEmailError as error:
        raise SignupError(str(error)) from error


def parse_sectors(values: Iterable[str], known: tuple[str, ...]) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(v.strip() for v in values if v.strip()))
    unknown = [v for v in chosen if v not in known]
    if unknown:
        raise SignupError("Please choose sectors from the list.")
    if not chosen:
        raise SignupError("Please choose at least one sector.")
    return chosen


def parse_entities(values: Iterable[str]) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(v.strip() for v in values if v.strip()))
    if len(chosen) > MAX_ENTITIES or not all(_ENTITY_ID.match(v) for v in chosen):
        raise SignupError(f"Watch at most {MAX_ENTITIES} entities, by their ids.")
    return chosen


def parse_signup(
    *,
    email: str,
    sectors: Iterable[str],
    consent: bool,
    entities: Iterable[str] = (),
    known_sectors: tuple[str, ...],
) -> SignupRequest:
    if not consent:
        raise SignupError("Please agree to the privacy and cookie policy and terms.")
    return SignupRequest(
        email=normalise_email(email),
        sectors=parse_sectors(sectors, known_sectors),
        entities=parse_entities(entities),
    )


def process_signup(
    store: SubscriberStore,
    options: SubscribeOptions,
    signup: SignupRequest,
    *,
    ip: str | None,
    form: str,
    now: datetime,
) -> WireMessage | None:
    """Store the sign-up and return the email to send: a confirmation (new, pending or
    unsubscribed address), a note with the preferences link (already active), or None
    (suppressed: never mailed again)."""
    nonce = secrets.token_urlsafe(16)
    subscriber = store.add_or_get_pending(
        signup.email, sectors=signup.sectors, entities=signup.entities, nonce=nonce, now=now
    )
    if subscriber.id is None:
        raise ValueError("the store returned a subscriber without id")
    if subscriber.status is SubscriberStatus.SUPPRESSED:
        return None
    if subscriber.status is SubscriberStatus.ACTIVE:
        return already_subscribed_message(options, subscriber)
    store.append_consent(
        ConsentEvent(
            subscriber_id=subscriber.id,
            email=subscriber.email,
            action=ConsentAction.GIVEN,
            at=now,
            policy_version=options.policy_version,
            terms_version=options.terms_version,
            ip=ip,
            form=form,
            detail={"sectors": list(signup.sectors), "entities": list(signup.entities)},
        )
    )
    token = confirm_token(options.signing, subscriber.id, nonce, now=now.timestamp())
    return confirmation_message(options, subscriber, confirm_url(options.base_url, token))


def confirmation_message(
    options: SubscribeOptions, subscriber: Subscriber, url: str
) -> WireMessage:
    sectors = ", ".join(options.sector_name(s) for s in subscriber.sectors)
    text = (
        f"Please confirm your subscription to {options.site_name}.\n\n"
        f"Someone, hopefully you, asked to receive the daily digest at this address "
        f"for: {sectors}.\n\n"
        f"Confirm here (the page has a button; the link works for 72 hours):\n{url}\n\n"
        "If you did not ask for this, ignore this email: you will not be subscribed.\n"
    )
    html = _html_mail(
        options,
        f"<p>Please confirm your subscription to {_e(options.site_name)}.</p>"
        f"<p>Someone, hopefully you, asked to receive the daily digest at this address "
        f"for: {_e(sectors)}.</p>"
        f'<p><a href="{_e(url)}">Confirm my subscription</a> (the link works for 72 hours)</p>'
        "<p>If you did not ask for this, ignore this email: you will not be subscribed.</p>",
    )
    return WireMessageBuilder(options.mail_from).build(
        recipient=subscriber.email,
        subject=f"Confirm your subscription to {options.site_name}",
        text=text,
        html=html,
        headers={"Auto-Submitted": "auto-generated"},
    )


def already_subscribed_message(options: SubscribeOptions, subscriber: Subscriber) -> WireMessage:
    if subscriber.id is None:
        raise ValueError("already_subscribed_message needs a stored subscriber")
    links = subscriber_links(options, subscriber)
    text = (
        f"You are already subscribed to {options.site_name} at this address.\n\n"
        f"Change sectors, delivery time or pause it here:\n{links.preferences}\n\n"
        f"Unsubscribe:\n{links.unsubscribe}\n"
    )
    html = _html_mail(
        options,
        f"<p>You are already subscribed to {_e(options.site_name)} at this address.</p>"
        f'<p><a href="{_e(links.preferences)}">Change sectors, delivery time or pause</a></p>'
        f'<p><a href="{_e(links.unsubscribe)}">Unsubscribe</a></p>',
    )
    return WireMessageBuilder(options.mail_from).build(
        recipient=subscriber.email,
        subject=f"Your {options.site_name} subscription",
        text=text,
        html=html,
        headers={"Auto-Submitted": "auto-generated", **links.list_unsubscribe_headers()},
    )


def _e(text: str) -> str:
    from html import escape

    return escape(text, quote=True)


def _html_mail(options: SubscribeOptions, body: str) -> str:
    return html_document(body, title=options.site_name)


def subscriber_links(options: SubscribeOptions, subscriber: Subscriber) -> SubscriberLinks:
    """The subscriber's current preferences and unsubscribe links."""
    if subscriber.id is None:
        raise ValueError("links need a stored subscriber")
    return links_for(
        options.base_url,
        options.signing,
        subscriber.id,
        options.unsubscribe_mailbox or options.mail_from,
        version=subscriber.token_version,
    )


def send_now(options: SubscribeOptions, message: WireMessage) -> bool:
    """Send one transactional email on a connection of its own; failures are logged."""
    result = send_one(options.smtp, message)
    if result.outcome is not SendOutcome.SENT:
        log.warning(
            "subscription email not sent: %s %s %s", result.outcome, result.code, result.detail
        )
    return result.outcome is SendOutcome.SENT


class ConfirmOutcome(StrEnum):
    CONFIRMED = "confirmed"
    ALREADY = "already"  # the link was used before (or replaced) and the address is active
    INVALID = "invalid"  # forged, expired, replaced by a newer link, or already used


@dataclass(frozen=True)
class ConfirmClaim:
    subscriber_id: int
    nonce: str


def read_confirm_token(options: SubscribeOptions, token: str) -> ConfirmClaim:
    """The claim of a confirmation token (signature and 72 h expiry checked); BadTokenError."""
    claims = verify(options.signing, CONFIRM_PURPOSE, token)
    subscriber_id, nonce = claimed_row_id(claims, "s"), claims.get("n")
    if not isinstance(nonce, str):
        raise BadTokenError("malformed token")
    return ConfirmClaim(subscriber_id, nonce)


def confirm(
    store: SubscriberStore,
    options: SubscribeOptions,
    token: str,
    *,
    ip: str | None,
    now: datetime,
) -> ConfirmOutcome:
    try:
        claim = read_confirm_token(options, token)
    except BadTokenError:
        return ConfirmOutcome.INVALID
    confirmed = store.confirm_subscriber(
        claim.subscriber_id,
        claim.nonce,
        at=now,
        ip=ip,
        form="confirm",
        policy_version=options.policy_version,
        terms_version=options.terms_version,
    )
    if confirmed:
        return ConfirmOutcome.CONFIRMED
    subscriber = store.get_subscriber(claim.subscriber_id)
    if subscriber is not None and subscriber.status is SubscriberStatus.ACTIVE:
        return ConfirmOutcome.ALREADY
    return ConfirmOutcome.INVALID


@dataclass(frozen=True)
class LinkAccess:
    """Whom a preferences or unsubscribe link names, and whether it is their current link
    (False: replaced since, by unsubscribing, a new subscription or a bounce)."""

    subscriber: Subscriber
    current: bool


def read_link(
    store: SubscriberStore, options: SubscribeOptions, purpose: str, token: str
) -> LinkAccess | None:
    """The subscriber a preferences or unsubscribe link names; None if it is forged, expired,
    malformed or its subscriber is gone. A link from before link versions is current only to
    unsubscribe, and only while the subscriber's version never moved."""
    if purpose not in {PREFERENCES_PURPOSE, UNSUBSCRIBE_PURPOSE}:
        raise ValueError(f"not a subscriber link purpose: {purpose}")
    try:
        claim = read_subscriber_token(options.signing, purpose, token)
    except BadTokenError:
        return None
    subscriber = store.get_subscriber(claim.subscriber_id)
    if subscriber is None:
        return None
    if claim.version is None:
        current = purpose == UNSUBSCRIBE_PURPOSE and subscriber.token_version == 0
    else:
        current = claim.version == subscriber.token_version
    return LinkAccess(subscriber, current)


def readable_link(
    store: SubscriberStore, options: SubscribeOptions, purpose: str, token: str
) -> LinkAccess | None:
    """read_link, keeping what a page may show: a current link (which may act), or an older
    one whose subscriber has left (its page only says so: a repeated one-click, a reload
    after unsubscribing). None for the rest, such as links from before a re-subscription."""
    access = read_link(store, options, purpose, token)
    if access is None:
        return None
    if access.current or access.subscriber.status in _WITHDRAWN:
        return access
    return None


def subscriber_for_token(
    store: SubscriberStore, options: SubscribeOptions, purpose: str, token: str
) -> Subscriber | None:
    """The subscriber a current preferences or unsubscribe link names; None otherwise."""
    access = read_link(store, options, purpose, token)
    return access.subscriber if access is not None and access.current else None


@dataclass(frozen=True)
class PreferenceChange:
    sectors: tuple[str, ...]
    entities: tuple[str, ...]
    delivery_time: str
    timezone: str
    paused: bool
    problems: tuple[str, ...] = field(default=())


def parse_preferences(
    *,
    sectors: Iterable[str],
    entities: Iterable[str],
    delivery_time: str,
    timezone: str,
    paused: bool,
    known_sectors: tuple[str, ...],
) -> PreferenceChange:
    """The change asked for; problems lists what is wrong (nothing is saved then)."""
    problems: list[str] = []
    chosen: tuple[str, ...] = ()
    watched: tuple[str, ...] = ()
    try:
        chosen = parse_sectors(sectors, known_sectors)
    except SignupError as error:
        problems.append(str(error))
    try:
        watched = parse_entities(entities)
    except SignupError as error:
        problems.append(str(error))
    delivery_time = delivery_time.strip()
    if parse_hh_mm(delivery_time) is None:
        problems.append("Delivery time must be HH:MM (24 hours).")
    timezone = timezone.strip()
    if not valid_timezone(timezone):
        problems.append("Please choose a time zone from the list.")
    return PreferenceChange(chosen, watched, delivery_time, timezone, paused, tuple(problems))


def valid_timezone(name: str) -> bool:
    """An IANA key this system knows. Only a lookup in the list: ZoneInfo(name) opens the path,
    and a folder of tzdata ("Asia") raised IsADirectoryError (a 500 on /preferences)."""
    return name in _known_zones()


@lru_cache(maxsize=1)
def _known_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def timezone_names() -> list[str]:
    return sorted(name for name in available_timezones() if "/" in name or name == "UTC")


def apply_preferences(
    store: SubscriberStore,
    options: SubscribeOptions,
    subscriber: Subscriber,
    change: PreferenceChange,
    *,
    ip: str | None,
    now: datetime,
) -> bool:
    """Save a valid change with a PREFERENCES consent event; False for a withdrawn address."""
    if change.problems or subscriber.id is None:
        return False
    if subscriber.status in (SubscriberStatus.UNSUBSCRIBED, SubscriberStatus.SUPPRESSED):
        return False
    subscriber.sectors = change.sectors
    subscriber.entities = change.entities
    subscriber.delivery_time = change.delivery_time
    subscriber.timezone = change.timezone
    subscriber.paused = change.paused
    store.update_subscriber(subscriber)
    store.append_consent(
        ConsentEvent(
            subscriber_id=subscriber.id,
            email=subscriber.email,
            action=ConsentAction.PREFERENCES,
            at=now,
            policy_version=options.policy_version,
            terms_version=options.terms_version,
            ip=ip,
            form="preferences",
            detail={
                "sectors": list(change.sectors),
                "entities": list(change.entities),
                "delivery_time": change.delivery_time,
                "timezone": change.timezone,
                "paused": change.paused,
            },
        )
    )
    return True
