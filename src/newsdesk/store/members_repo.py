"""Members, their append-only entitlement records and team seats: the member half of SqlStore.

Plans are never stored as a value: ``plan_of`` reads the member's records (and, for a seat,
the owner's) and resolves them with ``domain.members`` on every call. Entitlement records are
only ever inserted; ``external_ref`` is unique, so a payment event recorded once is refused
the second time (the call returns None).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, and_, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from newsdesk.domain.access import Plan
from newsdesk.domain.alerts import DeliveryStatus
from newsdesk.domain.members import (
    EntitlementAction,
    EntitlementRecord,
    EntitlementSource,
    Member,
    PlanState,
    SeatClaim,
    TeamSeat,
    effective_plan,
    resolve_plan,
)
from newsdesk.store.base import StoreBase
from newsdesk.store.engine import read_connection
from newsdesk.store.leads_repo import sent_by
from newsdesk.store.schema import (
    alert_deliveries,
    alerts,
    entitlements,
    member_sessions,
    member_tokens,
    members,
    pro_leads,
    team_seats,
    webhook_endpoints,
)

_BATCH = 500
MAX_TEXT = 500


def _erase_member_data(
    connection: Connection, member_id: int, email: str, *, now: datetime
) -> None:
    """What an account leaves besides its member row and credentials: alerts, webhook
    endpoints and lead-form messages. Payment and entitlement records stay (who paid for
    what); they carry no address."""
    removed = (
        select(alerts.c.id)
        .where(alerts.c.member_id == member_id)
        .where(alerts.c.removed_at.is_(None))
        .scalar_subquery()
    )
    connection.execute(
        update(alert_deliveries)
        .where(alert_deliveries.c.alert_id.in_(removed))
        .where(alert_deliveries.c.status == str(DeliveryStatus.PENDING))
        .values(status=str(DeliveryStatus.CANCELLED), error="account deleted", updated_at=now)
    )
    connection.execute(
        update(alerts)
        .where(alerts.c.member_id == member_id)
        .where(alerts.c.removed_at.is_(None))
        .values(removed_at=now)
    )
    connection.execute(
        update(webhook_endpoints)
        .where(webhook_endpoints.c.member_id == member_id)
        .values(
            url="",
            secret="",
            previous_secret="",
            previous_until=None,
            enabled=False,
            disabled_reason="account deleted",
        )
    )
    connection.execute(delete(pro_leads).where(sent_by(member_id, email)))


def member_from_row(row: Row[Any], prefix: str = "") -> Member:
    """The member of a row; prefix names its columns when they were labelled beside another
    table's (credentials_repo selects ``m_id``, ``m_email``…)."""
    m = row._mapping
    return Member(
        id=m[f"{prefix}id"],
        email=m[f"{prefix}email"],
        created_at=m[f"{prefix}created_at"],
        last_signin_at=m[f"{prefix}last_signin_at"],
        deleted_at=m[f"{prefix}deleted_at"],
        report_mail_off_at=m[f"{prefix}report_mail_off_at"],
    )


def _record_from_row(row: Row[Any]) -> EntitlementRecord:
    m = row._mapping
    return EntitlementRecord(
        id=m["id"],
        member_id=m["member_id"],
        action=EntitlementAction(m["action"]),
        source=m["source"],
        at=m["at"],
        plan=Plan(m["plan"]) if m["plan"] else None,
        until=m["until"],
        seats=m["seats"],
        reason=m["reason"],
        actor=m["actor"],
        external_ref=m["external_ref"],
        detail=m["detail"],
    )


def _seat_from_row(row: Row[Any]) -> TeamSeat:
    m = row._mapping
    return TeamSeat(
        id=m["id"],
        owner_id=m["owner_id"],
        email=m["email"],
        added_at=m["added_at"],
        added_by=m["added_by"],
        removed_at=m["removed_at"],
    )


def _insert_record(connection: Connection, record: EntitlementRecord) -> EntitlementRecord | None:
    """Insert one record; None (nothing written) when its external_ref is known already."""
    values = {
        "member_id": record.member_id,
        "action": str(record.action),
        "source": str(record.source)[:32],
        "at": record.at,
        "plan": str(record.plan) if record.plan else None,
        "until": record.until,
        "seats": record.seats,
        "reason": record.reason[:MAX_TEXT],
        "actor": record.actor[:MAX_TEXT],
        "external_ref": record.external_ref,
        "detail": record.detail[:MAX_TEXT],
    }
    if record.external_ref is not None:
        known = connection.execute(
            select(entitlements.c.id).where(entitlements.c.external_ref == record.external_ref)
        ).first()
        if known is not None:
            return None
    try:
        with connection.begin_nested():
            new_id = connection.execute(
                insert(entitlements).values(values).returning(entitlements.c.id)
            ).scalar_one()
    except IntegrityError:
        if record.external_ref is None:
            raise
        return None  # the same event recorded by another process a moment ago
    return EntitlementRecord(**{**record.__dict__, "id": new_id})


def _records(connection: Connection, member_id: int) -> list[EntitlementRecord]:
    rows = connection.execute(
        select(entitlements)
        .where(entitlements.c.member_id == member_id)
        .order_by(entitlements.c.at, entitlements.c.id)
    ).all()
    return [_record_from_row(row) for row in rows]


def _active_member(connection: Connection, member_id: int) -> Member | None:
    row = connection.execute(select(members).where(members.c.id == member_id)).first()
    if row is None:
        return None
    member = member_from_row(row)
    return member if member.active else None


def plan_in_connection(connection: Connection, member: Member, now: datetime) -> PlanState:
    """The member's plan at now, read in the caller's transaction (own records + seats)."""
    own = resolve_plan(_records(connection, member.id), now)
    if member.email is None:
        return own
    held = connection.execute(
        select(team_seats.c.id, team_seats.c.owner_id, team_seats.c.added_at)
        .where(team_seats.c.email == member.email)
        .where(team_seats.c.removed_at.is_(None))
        .where(team_seats.c.owner_id != member.id)
    ).all()
    claims = []
    for seat_id, owner_id, added_at in held:
        owner = _active_member(connection, owner_id)
        if owner is None:
            continue
        earlier = connection.execute(
            select(func.count())
            .select_from(team_seats)
            .where(team_seats.c.owner_id == owner_id)
            .where(team_seats.c.removed_at.is_(None))
            .where(
                or_(
                    team_seats.c.added_at < added_at,
                    and_(team_seats.c.added_at == added_at, team_seats.c.id < seat_id),
                )
            )
        ).scalar_one()
        owner_plan = resolve_plan(_records(connection, owner_id), now)
        claims.append(SeatClaim(owner_id=owner_id, owner_plan=owner_plan, rank=int(earlier)))
    return effective_plan(own, claims)


class MembersRepository(StoreBase):
    # Members

    def ensure_member(self, email: str, *, now: datetime) -> Member:
        """The active member with this normalised address, created when there is none."""
        for _ in range(2):  # a concurrent first sign-in of the same address wins the insert
            with self.engine.begin() as connection:
                row = connection.execute(select(members).where(members.c.email == email)).first()
                if row is not None:
                    return member_from_row(row)
                try:
                    with connection.begin_nested():
                        new_id = connection.execute(
                            insert(members)
                            .values(email=email, created_at=now)
                            .returning(members.c.id)
                        ).scalar_one()
                except IntegrityError:
                    continue
                return Member(id=new_id, email=email, created_at=now)
        raise RuntimeError(f"could not store the member {email!r}")

    def get_member(self, member_id: int) -> Member | None:
        with read_connection(self.engine) as connection:
            row = connection.execute(select(members).where(members.c.id == member_id)).first()
        return None if row is None else member_from_row(row)

    def member_by_email(self, email: str) -> Member | None:
        with read_connection(self.engine) as connection:
            row = connection.execute(select(members).where(members.c.email == email)).first()
        return None if row is None else member_from_row(row)

    def set_report_mail(self, member_id: int, *, on: bool, now: datetime) -> bool:
        """Turn the member's weekly report email on or off; False when it already was (turning
        it off again keeps the first time), or the member is deleted or unknown."""
        column = members.c.report_mail_off_at
        with self.engine.begin() as connection:
            changed = connection.execute(
                update(members)
                .where(members.c.id == member_id, members.c.deleted_at.is_(None))
                .where(column.is_not(None) if on else column.is_(None))
                .values(report_mail_off_at=None if on else now)
            ).rowcount
        return changed == 1

    def iter_members(self) -> Iterator[Member]:
        """Every member that is not deleted, by id, read in batches."""
        last_id = 0
        while True:
            query = (
                select(members)
                .where(members.c.id > last_id)
                .where(members.c.deleted_at.is_(None))
                .order_by(members.c.id)
                .limit(_BATCH)
            )
            with read_connection(self.engine) as connection:
                rows = connection.execute(query).all()
            for row in rows:
                yield member_from_row(row)
            if len(rows) < _BATCH:
                return
            last_id = rows[-1]._mapping["id"]

    def record_signin(self, member_id: int, *, now: datetime) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                update(members).where(members.c.id == member_id).values(last_signin_at=now)
            )

    def delete_member(self, member_id: int, *, now: datetime, actor: str, reason: str) -> bool:
        """Delete an account at once: its sessions, API keys and feed tokens go, the seats it
        holds or gave are removed, its alerts stop (undelivered notices cancelled), its webhook
        endpoints are disabled with their URLs and secrets erased, the Pro leads it sent (or
        sent from its address) are deleted, the address is erased from the member row (kept,
        without it, so the id is never reused) and a revoke is recorded. False if already
        deleted."""
        with self.engine.begin() as connection:
            member = _active_member(connection, member_id)
            if member is None:
                return False
            connection.execute(
                delete(member_sessions).where(member_sessions.c.member_id == member_id)
            )
            connection.execute(delete(member_tokens).where(member_tokens.c.member_id == member_id))
            connection.execute(
                update(team_seats)
                .where(team_seats.c.owner_id == member_id)
                .where(team_seats.c.removed_at.is_(None))
                .values(removed_at=now)
            )
            # Seats on others' teams: taken back, and the address erased from them.
            connection.execute(
                update(team_seats)
                .where(team_seats.c.email == member.email)
                .values(removed_at=func.coalesce(team_seats.c.removed_at, now), email="")
            )
            _erase_member_data(connection, member_id, member.email or "", now=now)
            connection.execute(
                update(members).where(members.c.id == member_id).values(email=None, deleted_at=now)
            )
            _insert_record(
                connection,
                EntitlementRecord(
                    member_id=member_id,
                    action=EntitlementAction.REVOKE,
                    source=EntitlementSource.ACCOUNT,
                    at=now,
                    reason=reason,
                    actor=actor,
                ),
            )
        return True

    # Entitlements

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
    ) -> EntitlementRecord | None:
        """Append a grant (see domain.members for how it combines); None if external_ref was
        recorded before. ValueError for a deleted or unknown member, or a team without seats."""
        if plan is Plan.TEAM and seats < 1:
            raise ValueError("a team plan needs at least one seat (the owner)")
        record = EntitlementRecord(
            member_id=member_id,
            action=EntitlementAction.GRANT,
            source=source,
            at=now,
            plan=plan,
            until=until,
            seats=seats if plan is Plan.TEAM else 0,
            reason=reason,
            actor=actor,
            external_ref=external_ref,
        )
        with self.engine.begin() as connection:
            if _active_member(connection, member_id) is None:
                raise ValueError(f"no member {member_id}")
            return _insert_record(connection, record)

    def revoke_plan(
        self,
        member_id: int,
        *,
        source: str,
        reason: str,
        actor: str,
        external_ref: str | None = None,
        now: datetime,
    ) -> EntitlementRecord | None:
        """Append a revoke; None if external_ref was recorded before."""
        record = EntitlementRecord(
            member_id=member_id,
            action=EntitlementAction.REVOKE,
            source=source,
            at=now,
            reason=reason,
            actor=actor,
            external_ref=external_ref,
        )
        with self.engine.begin() as connection:
            if _active_member(connection, member_id) is None:
                raise ValueError(f"no member {member_id}")
            return _insert_record(connection, record)

    def entitlement_records(self, member_id: int) -> list[EntitlementRecord]:
        with read_connection(self.engine) as connection:
            return _records(connection, member_id)

    def has_entitlement_from(self, member_id: int, source: str) -> bool:
        """Whether any record of this source was ever written for the member (one trial)."""
        with read_connection(self.engine) as connection:
            found = connection.execute(
                select(entitlements.c.id)
                .where(entitlements.c.member_id == member_id)
                .where(entitlements.c.source == source)
                .limit(1)
            ).first()
        return found is not None

    def plan_of(self, member_id: int, now: datetime) -> PlanState:
        with read_connection(self.engine) as connection:
            member = _active_member(connection, member_id)
            if member is None:
                return PlanState()
            return plan_in_connection(connection, member, now)

    # Team seats

    def team_seats(self, owner_id: int) -> list[TeamSeat]:
        """The owner's active seats, oldest first (the order that decides who is covered)."""
        with read_connection(self.engine) as connection:
            rows = connection.execute(
                select(team_seats)
                .where(team_seats.c.owner_id == owner_id)
                .where(team_seats.c.removed_at.is_(None))
                .order_by(team_seats.c.added_at, team_seats.c.id)
            ).all()
        return [_seat_from_row(row) for row in rows]

    def seats_held(self, email: str) -> list[TeamSeat]:
        with read_connection(self.engine) as connection:
            rows = connection.execute(
                select(team_seats)
                .where(team_seats.c.email == email)
                .where(team_seats.c.removed_at.is_(None))
                .order_by(team_seats.c.added_at, team_seats.c.id)
            ).all()
        return [_seat_from_row(row) for row in rows]

    def add_team_seat(
        self, owner_id: int, email: str, *, now: datetime, actor: str, limit: int
    ) -> TeamSeat | None:
        """Give a seat to email unless it has one on this team already or the owner has
        `limit` active seats (None then). A seat record is appended for a known member."""
        with self.engine.begin() as connection:
            owner = _active_member(connection, owner_id)
            if owner is None or owner.email == email:
                return None
            active = (
                connection.execute(
                    select(team_seats.c.email)
                    .where(team_seats.c.owner_id == owner_id)
                    .where(team_seats.c.removed_at.is_(None))
                )
                .scalars()
                .all()
            )
            if email in active or len(active) >= limit:
                return None
            seat_id = connection.execute(
                insert(team_seats)
                .values(owner_id=owner_id, email=email, added_at=now, added_by=actor[:MAX_TEXT])
                .returning(team_seats.c.id)
            ).scalar_one()
            self._seat_record(
                connection,
                seat_id,
                owner_id=owner_id,
                action=EntitlementAction.SEAT_ADDED,
                now=now,
                actor=actor,
            )
        return TeamSeat(id=seat_id, owner_id=owner_id, email=email, added_at=now, added_by=actor)

    def remove_team_seat(self, owner_id: int, seat_id: int, *, now: datetime, actor: str) -> bool:
        """Take a seat back; its holder is on their own plan from the next request."""
        with self.engine.begin() as connection:
            removed = connection.execute(
                update(team_seats)
                .where(team_seats.c.id == seat_id)
                .where(team_seats.c.owner_id == owner_id)
                .where(team_seats.c.removed_at.is_(None))
                .values(removed_at=now)
                .returning(team_seats.c.id)
            ).scalar_one_or_none()
            if removed is None:
                return False
            self._seat_record(
                connection,
                seat_id,
                owner_id=owner_id,
                action=EntitlementAction.SEAT_REMOVED,
                now=now,
                actor=actor,
            )
        return True

    @staticmethod
    def _seat_record(
        connection: Connection,
        seat_id: int,
        *,
        owner_id: int,
        action: EntitlementAction,
        now: datetime,
        actor: str,
    ) -> None:
        """Seat changes are recorded on the owner's records (the seat row names the address)."""
        _insert_record(
            connection,
            EntitlementRecord(
                member_id=owner_id,
                action=action,
                source=EntitlementSource.TEAM,
                at=now,
                actor=actor,
                detail=f"seat {seat_id}",
            ),
        )
