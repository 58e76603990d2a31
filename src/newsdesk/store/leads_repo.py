"""The Pro page's leads ("Interested in learning more?"): stored, listed for admins, and the
outcome of mailing each to the sales address."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, func, insert, or_, select, update

from newsdesk.domain.leads import Lead, LeadMail
from newsdesk.store.base import StoreBase
from newsdesk.store.engine import read_connection
from newsdesk.store.schema import pro_leads


def _lead_from_row(row: Row[Any]) -> Lead:
    m = row._mapping
    return Lead(
        id=m["id"],
        name=m["name"],
        email=m["email"],
        company=m["company"],
        message=m["message"],
        member_id=m["member_id"],
        created_at=m["created_at"],
        mail_status=LeadMail(m["mail_status"]),
        mailed_at=m["mailed_at"],
    )


def sent_by(member_id: int, email: str) -> ColumnElement[bool]:
    """The leads a member sent signed in, or that name the member's address."""
    clause = pro_leads.c.member_id == member_id
    if email:
        clause = or_(clause, func.lower(pro_leads.c.email) == email.lower())
    return clause


class LeadsRepository(StoreBase):
    def add_lead(self, lead: Lead) -> Lead:
        """Store a lead (its id set on the copy returned)."""
        with self.engine.begin() as connection:
            new_id = connection.execute(
                insert(pro_leads)
                .values(
                    name=lead.name,
                    email=lead.email,
                    company=lead.company,
                    message=lead.message,
                    member_id=lead.member_id,
                    created_at=lead.created_at,
                    mail_status=str(lead.mail_status),
                    mailed_at=lead.mailed_at,
                )
                .returning(pro_leads.c.id)
            ).scalar_one()
        return Lead(**{**lead.__dict__, "id": new_id})

    def mark_lead_mailed(self, lead_id: int, status: LeadMail, *, at: datetime) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                update(pro_leads)
                .where(pro_leads.c.id == lead_id)
                .values(mail_status=str(status), mailed_at=at if status is LeadMail.SENT else None)
            )

    def recent_leads(self, limit: int = 500) -> list[Lead]:
        """The newest leads first."""
        with read_connection(self.engine) as connection:
            rows = connection.execute(
                select(pro_leads)
                .order_by(pro_leads.c.created_at.desc(), pro_leads.c.id.desc())
                .limit(limit)
            ).all()
        return [_lead_from_row(row) for row in rows]

    def leads_of(self, member_id: int, email: str) -> list[Lead]:
        """The leads a member sent signed in, or that name the member's address; oldest first."""
        with read_connection(self.engine) as connection:
            rows = connection.execute(
                select(pro_leads).where(sent_by(member_id, email)).order_by(pro_leads.c.id)
            ).all()
        return [_lead_from_row(row) for row in rows]
