"""Alerts: what a member watches, how each match reaches them, and the delivery ledger.

An alert watches a saved search (query words plus optional sector and entity filters), an
entity, a sector, or a fact type with constraints ("any new agreement involving Namibia").
Every newly enriched article is matched against all alerts once (percolation); each (alert,
article) pair is a match, and each match is delivered at most once per channel: email
(instant or hourly batch), webhook (Standard Webhooks, retried with the same webhook-id),
and the alert's private feed, which lists the matches.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class AlertKind(StrEnum):
    QUERY = "query"  # a saved search: every word of the query, plus filters
    ENTITY = "entity"  # an article naming the entity
    SECTOR = "sector"  # an article labelled with the sector
    FACT = "fact"  # an article stating a fact of a type, with constraints


class EmailMode(StrEnum):
    OFF = "off"
    INSTANT = "instant"  # one message per match
    HOURLY = "hourly"  # one message per alert and hour with every match since the last


class Channel(StrEnum):
    EMAIL = "email"
    WEBHOOK = "webhook"


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # not tried yet, or waiting for its next attempt (webhooks)
    SENDING = "sending"  # handed to SMTP / the receiver right now
    SENT = "sent"
    FAILED = "failed"  # gave up (webhook retries exhausted, endpoint gone, 5xx mail)
    UNCERTAIN = "uncertain"  # an email whose sender died mid-send: never re-sent
    CANCELLED = "cancelled"  # the owner may no longer receive alerts (plan, removed alert)


class PayloadFormat(StrEnum):
    STANDARD = "standard"  # Standard Webhooks JSON: {"type", "timestamp", "data"}
    SLACK = "slack"  # a Slack-compatible {"text", "blocks"} message


@dataclass(frozen=True)
class FactConstraint:
    """A fact alert: the type and entity ids the fact must involve (each, any field)."""

    fact_type: str  # agreement, investment, quantity, policy
    involving: tuple[str, ...] = ()  # entity ids: countries, parties, commodities…


@dataclass(frozen=True)
class Alert:
    id: int | None
    member_id: int
    kind: AlertKind
    name: str
    query: str = ""  # QUERY: the words
    sectors: tuple[str, ...] = ()  # SECTOR: the one sector; QUERY: optional filter
    entity_ids: tuple[str, ...] = ()  # ENTITY: the one entity; QUERY: optional filter
    fact: FactConstraint | None = None  # FACT
    email: EmailMode = EmailMode.OFF
    webhook_id: int | None = None
    created_at: datetime | None = None
    removed_at: datetime | None = None
    feed_prefix: str = ""  # visible part of the private feed token; the rest is hashed


@dataclass(frozen=True)
class WebhookEndpoint:
    id: int | None
    member_id: int
    url: str
    secret: str = field(repr=False, default="")  # whsec_…
    previous_secret: str = field(repr=False, default="")  # still signing until previous_until
    previous_until: datetime | None = None
    payload: PayloadFormat = PayloadFormat.STANDARD
    enabled: bool = True
    disabled_reason: str | None = None
    failures: int = 0  # deliveries that ran out of retries in a row
    created_at: datetime | None = None


@dataclass(frozen=True)
class PercolationDoc:
    """What percolation knows of one newly enriched article."""

    article_id: int
    title: str
    entity_ids: frozenset[str]
    sectors: frozenset[str]
    facts: tuple[tuple[str, dict[str, object]], ...] = ()  # (type, data)
    text: str = ""  # the start of its text, as stored
    terms: frozenset[str] = frozenset()  # lower-cased words of title and text (alerts.match)
    published: datetime | None = None
    url: str = ""
    source_name: str | None = None


@dataclass(frozen=True)
class Delivery:
    id: int
    alert_id: int
    article_id: int
    channel: Channel
    status: DeliveryStatus
    attempts: int
    message_id: str  # the webhook-id (kept across retries) or the email's Message-ID
    matched_at: datetime
    next_attempt_at: datetime | None = None
    endpoint_id: int | None = None
    error: str | None = None
    sent_at: datetime | None = None


@dataclass(frozen=True)
class DeliveryAttempt:
    """One try of a webhook delivery, for the endpoint's delivery log."""

    delivery_id: int
    endpoint_id: int
    at: datetime
    status: int | None  # HTTP status, None when no answer came
    error: str | None
    duration_ms: int
    message_id: str = ""
    manual: bool = False
