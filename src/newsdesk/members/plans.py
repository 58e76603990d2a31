"""Changing plans by hand: the CLI, the admin pages and CSV imports all come through here, so
their input is checked one way and every change is an entitlement record with its who, why
and source. (Payments write through the same EntitlementStore directly.)"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from newsdesk.domain.access import Plan
from newsdesk.domain.members import EntitlementRecord, EntitlementSource, Member, PlanState
from newsdesk.members.ports import MemberStore
from newsdesk.text.emails import normalise_email

MAX_SEATS = 10_000
MAX_REASON = 500
CSV_COLUMNS = ("email", "plan", "until", "seats", "reason")


class PlanChangeError(ValueError):
    """A plan change that cannot be made as asked (the message says why)."""


@dataclass(frozen=True)
class PlanChange:
    plan: Plan
    until: datetime | None
    seats: int


def end_of_day(day: date) -> datetime:
    """--until 2027-01-31 means through that day (UTC): access ends at the next midnight."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=UTC)


def parse_change(
    plan: str, until: str | None, seats: int | str | None, *, now: datetime
) -> PlanChange:
    """Plan free|pro|team, until YYYY-MM-DD (optional, in the future), seats (team only,
    the owner included, at least 1)."""
    try:
        chosen = Plan(plan.strip().lower())
    except ValueError as error:
        raise PlanChangeError("plan must be free, pro or team") from error
    ends = None
    if until is not None and str(until).strip():
        try:
            ends = end_of_day(date.fromisoformat(str(until).strip()))
        except ValueError as error:
            raise PlanChangeError("until must be a date as YYYY-MM-DD") from error
        except OverflowError as error:  # 9999-12-31: its end is past the calendar's
            raise PlanChangeError("until must be before 9999-12-31") from error
        if ends <= now:
            raise PlanChangeError("until must be today or later")
    count = 0
    if seats is not None and str(seats).strip():
        try:
            count = int(str(seats).strip())
        except ValueError as error:
            raise PlanChangeError("seats must be a whole number") from error
        if chosen is not Plan.TEAM:
            raise PlanChangeError("seats are for the team plan only")
        if not 1 <= count <= MAX_SEATS:
            raise PlanChangeError(f"seats must be between 1 and {MAX_SEATS}")
    elif chosen is Plan.TEAM:
        raise PlanChangeError("a team plan needs --seats (people, the owner included)")
    if chosen is Plan.FREE and ends is not None:
        raise PlanChangeError("a free plan has no end date")
    return PlanChange(chosen, ends, count)


def apply_change(
    store: MemberStore,
    member: Member,
    change: PlanChange,
    *,
    source: EntitlementSource | str,
    reason: str,
    actor: str,
    now: datetime,
    external_ref: str | None = None,
) -> EntitlementRecord | None:
    return store.grant_plan(
        member.id,
        change.plan,
        until=change.until,
        seats=change.seats,
        source=str(source),
        reason=reason.strip()[:MAX_REASON],
        actor=actor,
        external_ref=external_ref,
        now=now,
    )


def start_trial(
    store: MemberStore, member: Member, *, days: int, now: datetime
) -> EntitlementRecord | None:
    """Pro for `days` days, once per member and only for a member on free; None otherwise."""
    if days <= 0 or store.has_entitlement_from(member.id, EntitlementSource.TRIAL):
        return None
    if store.plan_of(member.id, now).paid:
        return None
    return store.grant_plan(
        member.id,
        Plan.PRO,
        until=now + timedelta(days=days),
        source=EntitlementSource.TRIAL,
        reason=f"{days}-day trial",
        actor=f"member {member.id}",
        now=now,
    )


def describe(state: PlanState) -> str:
    """One line for people: "Pro until 2027-01-31 00:00 UTC", "Team (3 seats)", "Free"."""
    parts = [state.plan.display_name]
    if state.plan is Plan.TEAM and state.seats:
        parts.append(f"({state.seats} seats)")
    if state.until is not None:
        parts.append(f"until {state.until.astimezone(UTC):%Y-%m-%d %H:%M} UTC")
    return " ".join(parts)


@dataclass(frozen=True)
class ImportProblem:
    line: int
    reason: str


@dataclass(frozen=True)
class ImportReport:
    granted: int
    unchanged: int  # lines of a file imported before (same content, same line)
    problems: tuple[ImportProblem, ...]


def import_grants(
    store: MemberStore,
    lines: Iterable[str],
    *,
    actor: str,
    now: datetime,
) -> ImportReport:
    """Grant plans from CSV lines (header: email, plan, until, seats, reason). Each line is
    its own change; a bad line is reported and skipped. Importing the same file again changes
    nothing (each line's record carries the file's digest and line number as reference)."""
    text = list(lines)
    file_digest = hashlib.sha256("".join(text).encode("utf-8")).hexdigest()[:16]
    reader = csv.DictReader(text)
    missing = [c for c in ("email", "plan") if c not in (reader.fieldnames or [])]
    if missing:
        raise PlanChangeError(f"the CSV needs the columns email and plan (missing: {missing})")
    granted = unchanged = 0
    problems: list[ImportProblem] = []
    for row in reader:
        line = reader.line_num
        try:
            email = normalise_email(row.get("email") or "")
            change = parse_change(
                row.get("plan") or "", row.get("until"), row.get("seats"), now=now
            )
        except ValueError as error:
            problems.append(ImportProblem(line, str(error)))
            continue
        member = store.ensure_member(email, now=now)
        record = apply_change(
            store,
            member,
            change,
            source=EntitlementSource.CSV,
            reason=row.get("reason") or "CSV import",
            actor=actor,
            now=now,
            external_ref=f"csv:{file_digest}:{line}",
        )
        if record is None:
            unchanged += 1
        else:
            granted += 1
    return ImportReport(granted, unchanged, tuple(problems))
