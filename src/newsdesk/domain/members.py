"""Members, their plans and their credentials: plain types and the pure plan resolution.

A member is a person with an email address (a digest subscriber with the same address is the
same person). What plan a member has is never stored as a value that code updates: it is
resolved, on every request, from the member's append-only entitlement records (who granted
or revoked what, when, why, from which source) by :func:`resolve_plan`, and for a team seat
from the owner's records by :func:`effective_plan`. Anything that changes a plan — the admin
pages, the CLI, a CSV import, a trial, the payment webhook — appends a record through
:class:`EntitlementStore`; the store implements it.

How records combine (the rules the payment webhook relies on):

- Records are read in the order they were written (``at``, then ``id``); records dated in
  the future are not in force yet.
- Each record belongs to a *lane*: payment providers (``stripe``) have a lane of their own,
  every other source (admin, CLI, CSV, trial…) shares the ``manual`` lane. A grant replaces
  the earlier grant of its lane (an admin's later ``free`` grant is a downgrade; the next
  payment event extends or ends the paid period).
- A revoke from a payment source ends its own lane only (a lapsed subscription does not end
  a complimentary grant); a revoke from any other source ends every lane (an admin's revoke,
  a deleted account).
- The plan in force is the best plan (team, then pro, then free) among the lanes whose grant
  has not reached its ``until``; a signed-in member with nothing in force is on ``free``.
- A team plan's ``seats`` counts people, the owner included: the owner may give seats to
  ``seats - 1`` other members. A seat holder is on ``team`` while the owner's team plan is
  in force and the seat is among the first ``seats - 1`` the owner gave (oldest first).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from newsdesk.domain.access import Plan


class EntitlementAction(StrEnum):
    GRANT = "grant"  # plan (until, seats) from this source's lane, replacing its earlier grant
    REVOKE = "revoke"  # ends the lane's grant (a payment source) or every lane (any other)
    SEAT_ADDED = "seat_added"  # on the owner's records: a seat given (detail "seat ID")
    SEAT_REMOVED = "seat_removed"  # on the owner's records: a seat taken back


class EntitlementSource(StrEnum):
    """Where a change came from. Payment providers are lanes of their own (PAYMENT_SOURCES)."""

    ADMIN = "admin"  # the /admin/members pages
    CLI = "cli"  # newsdesk members add / revoke
    CSV = "csv"  # an imported CSV of grants
    TRIAL = "trial"  # a member started the trial from the account page
    TEAM = "team"  # a team owner gave or took back a seat (seat records only)
    ACCOUNT = "account"  # the member's own action (deleting the account)
    STRIPE = "stripe"  # the payment webhook


PAYMENT_SOURCES = frozenset({EntitlementSource.STRIPE.value})
MANUAL_LANE = "manual"
PLAN_RANK = {Plan.FREE: 0, Plan.PRO: 1, Plan.TEAM: 2}


def lane_of(source: str) -> str:
    """The lane a record of this source belongs to (see the module docstring)."""
    return source if source in PAYMENT_SOURCES else MANUAL_LANE


@dataclass(frozen=True)
class EntitlementRecord:
    """One append-only line: who (actor) changed whose (member_id) plan, when, why, how."""

    member_id: int
    action: EntitlementAction
    source: str
    at: datetime
    plan: Plan | None = None  # GRANT only
    until: datetime | None = None  # GRANT: when it lapses; None: until changed again
    seats: int = 0  # GRANT of team: people, the owner included
    reason: str = ""
    actor: str = ""  # "admin", "cli", "member 12", "stripe"…
    external_ref: str | None = None  # e.g. a payment event id: a second record with it is refused
    detail: str = ""  # seat records: the other party ("owner 12"); free text otherwise
    id: int | None = None


@dataclass(frozen=True)
class PlanState:
    """The plan in force for one member at one moment, and where it comes from."""

    plan: Plan = Plan.FREE
    until: datetime | None = None  # None: open-ended (or free)
    seats: int = 0  # team: people the plan covers, the owner included
    source: str | None = None  # the source of the grant in force; None for plain free
    record_id: int | None = None
    team_owner_id: int | None = None  # set when the plan comes from a seat on a team

    @property
    def paid(self) -> bool:
        return self.plan is not Plan.FREE


FREE_STATE = PlanState()


def _in_force(record: EntitlementRecord, now: datetime) -> bool:
    return record.until is None or record.until > now


def _better(candidate: PlanState, current: PlanState) -> bool:
    if candidate.plan is not current.plan:
        return PLAN_RANK[candidate.plan] > PLAN_RANK[current.plan]
    if current.until is None:
        return False
    return candidate.until is None or candidate.until > current.until


def resolve_plan(records: Iterable[EntitlementRecord], now: datetime) -> PlanState:
    """The plan in force at now from a member's own records (pure; any order given)."""
    lanes: dict[str, EntitlementRecord] = {}
    for record in sorted(records, key=lambda r: (r.at, r.id or 0)):
        if record.at > now:
            continue
        if record.action is EntitlementAction.GRANT and record.plan is not None:
            lanes[lane_of(record.source)] = record
        elif record.action is EntitlementAction.REVOKE:
            if record.source in PAYMENT_SOURCES:
                lanes.pop(lane_of(record.source), None)
            else:
                lanes.clear()
    best = FREE_STATE
    for record in lanes.values():
        if record.plan is None or not _in_force(record, now):
            continue
        candidate = PlanState(
            plan=record.plan,
            until=record.until,
            seats=record.seats if record.plan is Plan.TEAM else 0,
            source=record.source,
            record_id=record.id,
        )
        if best is FREE_STATE or _better(candidate, best):
            best = candidate
    return best


@dataclass(frozen=True)
class SeatClaim:
    """A seat a member holds on a team: the owner's plan and the seat's place among the
    owner's active seats (0 = given first)."""

    owner_id: int
    owner_plan: PlanState
    rank: int


def seat_in_force(claim: SeatClaim) -> bool:
    """A seat counts while the owner is on team and it is within the plan's seats."""
    plan = claim.owner_plan
    return plan.plan is Plan.TEAM and claim.rank < max(plan.seats - 1, 0)


def effective_plan(own: PlanState, seats: Sequence[SeatClaim]) -> PlanState:
    """The member's plan: their own, or a team seat's when that is better."""
    best = own
    for claim in seats:
        if not seat_in_force(claim):
            continue
        candidate = PlanState(
            plan=Plan.TEAM,
            until=claim.owner_plan.until,
            seats=claim.owner_plan.seats,
            source=claim.owner_plan.source,
            record_id=claim.owner_plan.record_id,
            team_owner_id=claim.owner_id,
        )
        if _better(candidate, best):
            best = candidate
    return best


@dataclass(frozen=True)
class Member:
    id: int
    email: str | None  # normalised; None once the account is deleted (the row stays, so ids
    created_at: datetime  # are never reused and old entitlement records name no one else)
    last_signin_at: datetime | None = None
    deleted_at: datetime | None = None
    report_mail_off_at: datetime | None = None  # when they turned the weekly report email off

    @property
    def active(self) -> bool:
        return self.deleted_at is None and self.email is not None


@dataclass(frozen=True)
class TeamSeat:
    """A seat a team owner gave to an address (a member now or once they sign in)."""

    id: int
    owner_id: int
    email: str
    added_at: datetime
    added_by: str = ""
    removed_at: datetime | None = None


class EntitlementStore(Protocol):
    """The entitlement API: every plan change goes through these (the store implements them).

    grant_plan and revoke_plan return None, and write nothing, when external_ref was recorded
    before: a payment webhook can pass the provider's event id and be called any number of
    times for one event.
    """

    def ensure_member(self, email: str, *, now: datetime) -> Member:
        """The member with this (normalised) address, created if there is none."""

    def get_member(self, member_id: int) -> Member | None: ...

    def member_by_email(self, email: str) -> Member | None: ...

    def grant_plan(
        self,
        member_id: int,
        plan: Plan,
        *,
        until: datetime | None,
        seats: int = 0,
        source: str,
        reason: str,
        actor: str,
        external_ref: str | None = None,
        now: datetime,
    ) -> EntitlementRecord | None: ...

    def revoke_plan(
        self,
        member_id: int,
        *,
        source: str,
        reason: str,
        actor: str,
        external_ref: str | None = None,
        now: datetime,
    ) -> EntitlementRecord | None: ...

    def entitlement_records(self, member_id: int) -> list[EntitlementRecord]:
        """Oldest first."""

    def plan_of(self, member_id: int, now: datetime) -> PlanState:
        """The plan in force: own records and team seats, resolved at now."""


class TokenKind(StrEnum):
    API_KEY = "api_key"  # Authorization: Bearer, read-only
    FEED = "feed"  # a private feed URL


@dataclass(frozen=True)
class MemberToken:
    """An API key or a private feed token as listed (the secret itself is never stored)."""

    id: int
    member_id: int
    kind: TokenKind
    prefix: str  # visible part, e.g. "ndk_Ab3dE6gH"
    name: str
    scope: str
    created_at: datetime
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None
    token_hash: str = field(default="", repr=False)  # SHA-256 of the whole token


@dataclass(frozen=True)
class SessionInfo:
    """A signed-in browser, as the account page lists it."""

    id: int
    member_id: int
    created_at: datetime
    last_seen_at: datetime | None
    expires_at: datetime
    user_agent: str = ""
    ip: str | None = None


@dataclass(frozen=True)
class CredentialUse:
    """A credential that checked out: its member (active) and the credential's row id."""

    member: Member
    credential_id: int


@dataclass(frozen=True)
class SignInRequest:
    """One emailed sign-in: hashes of the link token, of the browser's attempt id and of
    the code (bound to the attempt), when it lapses and where to go afterwards."""

    email: str
    token_hash: str
    attempt_hash: str
    code_hash: str
    created_at: datetime
    expires_at: datetime
    next_path: str = "/"
    ip: str | None = None


@dataclass(frozen=True)
class SignInUse:
    """A sign-in request used (by its link or its code): who signs in, where they go next."""

    email: str
    next_path: str
