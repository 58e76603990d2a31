"""Subscribers of the daily digest, their consent trail and the digest outbox."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum

_HH_MM = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])")


def parse_hh_mm(value: str) -> time | None:
    """A local time of day written HH:MM (24 hours, two digits each), else None."""
    found = _HH_MM.fullmatch(value)
    return time(int(found[1]), int(found[2])) if found else None


class SubscriberStatus(StrEnum):
    PENDING = "pending"  # signed up, confirmation link not used yet
    ACTIVE = "active"  # confirmed (double opt-in done)
    UNSUBSCRIBED = "unsubscribed"  # withdrew; never re-subscribed by imports or admin edits
    SUPPRESSED = "suppressed"  # hard bounce or complaint; never mailed again


class ConsentAction(StrEnum):
    GIVEN = "given"  # the sign-up form was submitted with consent
    CONFIRMED = "confirmed"  # the confirmation POST
    PREFERENCES = "preferences"  # sectors, entities, schedule changed
    WITHDRAWN = "withdrawn"  # unsubscribed


class OutboxStatus(StrEnum):
    PENDING = "pending"  # claimed for the date, not yet handed to SMTP
    SENDING = "sending"  # handed to SMTP; a crash here leaves the outcome uncertain
    SENT = "sent"
    DEFERRED = "deferred"  # 4xx; retried with back-off until the next digest is due
    FAILED = "failed"  # 5xx or given up
    SKIPPED = "skipped"  # nothing to send for this subscriber on this date
    UNCERTAIN = "uncertain"  # was SENDING when a worker died; never re-sent automatically


@dataclass
class Subscriber:
    email: str  # text.emails.normalise_email: lower-cased whole; unique
    id: int | None = None
    status: SubscriberStatus = SubscriberStatus.PENDING
    sectors: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()  # watched entity ids
    delivery_time: str = "07:00"  # local HH:MM
    timezone: str = "UTC"  # IANA zone name
    paused: bool = False
    confirm_nonce: str | None = None  # the one pending confirmation; cleared when used
    confirm_sent_at: datetime | None = None
    created_at: datetime | None = None
    confirmed_at: datetime | None = None
    unsubscribed_at: datetime | None = None
    suppressed_reason: str | None = None
    # Preference and unsubscribe links carry it; unsubscribing, confirming and suppression
    # raise it, so every link mailed before stops working.
    token_version: int = 0


@dataclass(frozen=True)
class ConsentEvent:
    """One append-only line of the consent record."""

    subscriber_id: int
    email: str
    action: ConsentAction
    at: datetime
    policy_version: str = ""
    terms_version: str = ""
    ip: str | None = None
    form: str = ""  # where it happened: "home", "article", "api", "preferences", "one-click"…
    detail: dict[str, object] = field(default_factory=dict)
    id: int | None = None


@dataclass
class OutboxEntry:
    """One digest for one subscriber and date; (subscriber_id, digest_date) is unique."""

    subscriber_id: int
    digest_date: date
    status: OutboxStatus = OutboxStatus.PENDING
    id: int | None = None
    attempts: int = 0
    next_attempt_at: datetime | None = None
    message_id: str | None = None
    subject: str | None = None
    error: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    sent_at: datetime | None = None
