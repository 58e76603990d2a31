"""What the members package needs from storage and from its neighbours (bootstrap wires them).

The store implements MemberStore structurally (store/members_repo.py, credentials_repo.py and,
for the digest side of the same person, subscribers_repo.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Protocol

from newsdesk.domain.alerts import Alert, WebhookEndpoint
from newsdesk.domain.leads import Lead, LeadMail
from newsdesk.domain.members import (
    CredentialUse,
    EntitlementStore,
    Member,
    MemberToken,
    SessionInfo,
    SignInRequest,
    SignInUse,
    TeamSeat,
    TokenKind,
)
from newsdesk.domain.payments import PaymentEvent, PaymentOutcome, SubscriptionState
from newsdesk.domain.subscribers import ConsentEvent, Subscriber
from newsdesk.members.payments import CheckoutRequest


class CredentialStore(Protocol):
    def add_signin_request(self, request: SignInRequest) -> None: ...

    def peek_signin_link(self, token_hash: str, *, now: datetime) -> bool: ...

    def use_signin_link(self, token_hash: str, *, now: datetime) -> SignInUse | None: ...

    def use_signin_code(
        self,
        attempt_hash: str,
        code_hash: str,
        *,
        now: datetime,
        max_failures: int,
        max_address_failures: int,
        since: datetime,
    ) -> SignInUse | None: ...

    def create_session(
        self,
        member_id: int,
        token_hash: str,
        *,
        now: datetime,
        expires_at: datetime,
        user_agent: str,
        ip: str | None,
        replaces: str | None = None,
    ) -> int: ...

    def session_member(self, token_hash: str, *, now: datetime) -> CredentialUse | None: ...

    def member_sessions(self, member_id: int, *, now: datetime) -> list[SessionInfo]: ...

    def end_session(self, member_id: int, session_id: int) -> bool: ...

    def end_session_by_hash(self, token_hash: str) -> bool: ...

    def end_all_sessions(self, member_id: int) -> int: ...

    def add_member_token(
        self,
        member_id: int,
        kind: TokenKind,
        *,
        prefix: str,
        token_hash: str,
        name: str,
        scope: str,
        now: datetime,
    ) -> MemberToken: ...

    def token_member(
        self, kind: TokenKind, prefix: str, *, now: datetime
    ) -> tuple[MemberToken, str, Member] | None: ...

    def member_tokens(self, member_id: int, kind: TokenKind | None = None) -> list[MemberToken]: ...

    def revoke_member_token(
        self, prefix: str, *, now: datetime, member_id: int | None = None
    ) -> MemberToken | None: ...


class LeadStore(Protocol):
    def add_lead(self, lead: Lead) -> Lead: ...

    def mark_lead_mailed(self, lead_id: int, status: LeadMail, *, at: datetime) -> None: ...

    def recent_leads(self, limit: int = 500) -> list[Lead]: ...

    def leads_of(self, member_id: int, email: str) -> list[Lead]: ...


class PaymentStore(Protocol):
    def record_payment_event(
        self, event: PaymentEvent, *, now: datetime, grace: timedelta
    ) -> PaymentOutcome: ...

    def payment_subscriptions_of(self, member_id: int) -> list[SubscriptionState]: ...

    def payment_customer_of(self, member_id: int, provider: str) -> str | None: ...


class MemberStore(EntitlementStore, CredentialStore, LeadStore, PaymentStore, Protocol):
    """Everything the members package reads and writes."""

    def iter_members(self) -> Iterator[Member]: ...

    def list_alerts(self, *, member_id: int | None = None, active: bool = True) -> list[Alert]: ...

    def member_webhook_endpoints(self, member_id: int) -> list[WebhookEndpoint]: ...

    def delete_member(self, member_id: int, *, now: datetime, actor: str, reason: str) -> bool: ...

    def set_report_mail(self, member_id: int, *, on: bool, now: datetime) -> bool: ...

    def has_entitlement_from(self, member_id: int, source: str) -> bool: ...

    def team_seats(self, owner_id: int) -> list[TeamSeat]: ...

    def seats_held(self, email: str) -> list[TeamSeat]: ...

    def add_team_seat(
        self, owner_id: int, email: str, *, now: datetime, actor: str, limit: int
    ) -> TeamSeat | None: ...

    def remove_team_seat(
        self, owner_id: int, seat_id: int, *, now: datetime, actor: str
    ) -> bool: ...

    # The digest side of the same person (deliver's tables, read and withdrawn here).
    def get_subscriber_by_email(self, email: str) -> Subscriber | None: ...

    def consent_history(self, subscriber_id: int) -> list[ConsentEvent]: ...

    def unsubscribe(
        self, subscriber_id: int, *, at: datetime, ip: str | None, form: str
    ) -> bool: ...


class Mailer(Protocol):
    """Sends one transactional email now; True when the server (or mail folder) took it."""

    def __call__(
        self, recipient: str, subject: str, text: str, html: str, *, reply_to: str | None = None
    ) -> bool: ...


class DigestLinks(Protocol):
    """The preference-centre URL of a stored digest subscriber, at its current token version
    (deliver signs it)."""

    def __call__(self, subscriber: Subscriber) -> str: ...


class PaymentGateway(Protocol):
    """The payment provider at the network edge (members.stripe_gateway.StripeGateway)."""

    def create_checkout(self, request: CheckoutRequest) -> str:
        """Create a Checkout Session; the URL to send the member's browser to.
        PaymentProviderError when the provider cannot be reached or refuses."""

    def verify(self, payload: bytes, signature: str | None) -> object:
        """The JSON of a delivery whose Stripe-Signature checks out (BadSignatureError when it
        is missing, wrong or too old; BadEventError when the body is no JSON)."""
