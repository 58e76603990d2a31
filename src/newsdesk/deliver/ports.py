"""What deliver needs from storage; the store implements these structurally."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import date, datetime
from typing import Protocol

from newsdesk.domain.access import ANONYMOUS, ReadScope, Viewer
from newsdesk.domain.subscribers import (
    ConsentEvent,
    OutboxEntry,
    OutboxStatus,
    Subscriber,
    SubscriberStatus,
)


class RecipientViewers(Protocol):
    """Who a subscriber is to the access policy: the member with the same address and the
    plan in force at now (the members package implements it; bootstrap passes it in)."""

    def viewer_for(self, subscriber: Subscriber, now: datetime) -> Viewer: ...


class AnonymousRecipients:
    """Without members, every subscriber reads what anyone may read."""

    def viewer_for(self, subscriber: Subscriber, now: datetime) -> Viewer:  # noqa: ARG002
        return ANONYMOUS


class SubscriberStore(Protocol):
    def add_or_get_pending(
        self,
        email: str,
        *,
        sectors: tuple[str, ...],
        entities: tuple[str, ...],
        nonce: str,
        now: datetime,
    ) -> Subscriber:
        """New, pending or unsubscribed: gets the nonce and sectors; others unchanged."""

    def get_subscriber(self, subscriber_id: int) -> Subscriber | None: ...

    def get_subscriber_by_email(self, email: str) -> Subscriber | None: ...

    def update_subscriber(self, subscriber: Subscriber) -> None:
        """Preferences and status; ValueError if it would re-activate a withdrawn address."""

    def iter_subscribers(self, status: SubscriberStatus | None = None) -> Iterator[Subscriber]: ...

    def iter_deliverable_subscribers(self) -> Iterator[Subscriber]:
        """Active and not paused, by id, streamed in batches."""

    def suppress_subscriber(self, subscriber_id: int, reason: str) -> bool: ...

    def confirm_subscriber(
        self,
        subscriber_id: int,
        nonce: str,
        *,
        at: datetime,
        ip: str | None,
        form: str,
        policy_version: str,
        terms_version: str,
    ) -> bool:
        """Use the pending confirmation (nonce must be the current one); records CONFIRMED."""

    def unsubscribe(self, subscriber_id: int, *, at: datetime, ip: str | None, form: str) -> bool:
        """Idempotent; records WITHDRAWN when it changed something."""

    def append_consent(self, event: ConsentEvent) -> ConsentEvent: ...

    def consent_history(self, subscriber_id: int) -> list[ConsentEvent]: ...

    def import_subscribers(
        self, rows: Iterable[Subscriber], *, at: datetime, form: str = "import"
    ) -> dict[str, int]:
        """Adds unknown addresses as active; never touches known (or withdrawn) ones."""


class DigestCandidate(Protocol):
    """One story active in a digest window, as the store reads it."""

    @property
    def story_id(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def summary(self) -> str: ...
    @property
    def sectors(self) -> tuple[str, ...]: ...  # strongest first
    @property
    def best_sector_score(self) -> float: ...
    @property
    def source_count(self) -> int: ...
    @property
    def article_count(self) -> int: ...
    @property
    def entities(self) -> tuple[tuple[str, str], ...]: ...  # (entity id, name)
    @property
    def lead_url(self) -> str: ...
    @property
    def last_seen_at(self) -> datetime: ...


class DigestLedger(Protocol):
    """One sending worker's ledger steps, over a connection of its own."""

    def advance(
        self,
        *,
        sent_id: int | None,
        start_id: int | None,
        message_id: str = "",
        subject: str = "",
        now: datetime,
    ) -> bool:
        """In one transaction: sent_id SENDING → SENT, then start_id as start_digest_send."""


class DigestStore(Protocol):
    """What the digest run needs: candidates, the outbox ledger and the subscribers."""

    def digest_candidates(
        self, since: datetime, until: datetime, *, scope: ReadScope = ...
    ) -> Sequence[DigestCandidate]:
        """Stories whose last_seen_at is in [since, until), as a recipient with scope may
        read them (summaries and entities within it)."""

    def claim_digests(
        self, digest_date: date, subscriber_ids: Sequence[int], now: datetime
    ) -> dict[int, OutboxEntry]:
        """A PENDING row for each subscriber without one; every subscriber's row returned."""

    def start_digest_send(
        self, entry_id: int, *, message_id: str, subject: str, now: datetime
    ) -> bool:
        """PENDING/due DEFERRED → SENDING while the subscriber is active; True: send now."""

    def advance_digest_sends(
        self,
        *,
        sent_id: int | None,
        start_id: int | None,
        message_id: str = "",
        subject: str = "",
        now: datetime,
    ) -> bool:
        """In one transaction: sent_id SENDING → SENT, then start_id as start_digest_send."""

    def digest_ledger(self) -> AbstractContextManager[DigestLedger]: ...

    def finish_digest_send(
        self,
        entry_id: int,
        status: OutboxStatus,
        *,
        now: datetime,
        error: str | None = None,
        next_attempt_at: datetime | None = None,
    ) -> bool: ...

    def skip_digests(self, entry_ids: Iterable[int], *, reason: str, now: datetime) -> int: ...

    def mark_stale_sending_uncertain(self, *, older_than: datetime, now: datetime) -> int: ...

    def outbox_entries(
        self, digest_date: date, subscriber_ids: Sequence[int] | None = None
    ) -> dict[int, OutboxEntry]: ...

    def outbox_counts(self, digest_date: date) -> dict[OutboxStatus, int]: ...

    def iter_deliverable_subscribers(self) -> Iterator[Subscriber]: ...

    def get_subscriber_by_email(self, email: str) -> Subscriber | None: ...

    def suppress_subscriber(self, subscriber_id: int, reason: str) -> bool: ...
