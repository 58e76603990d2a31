"""A lead from the Pro page's "Interested in learning more?" form, as stored and listed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class LeadMail(StrEnum):
    """Whether the lead reached the sales address."""

    PENDING = "pending"  # stored; the email is on its way
    SENT = "sent"
    FAILED = "failed"  # the mail server refused it or could not be reached (see the admin list)
    OFF = "off"  # no sales address is configured: the admin list is the only place it shows


@dataclass(frozen=True)
class Lead:
    name: str
    email: str  # normalised
    company: str
    message: str
    created_at: datetime
    member_id: int | None = None  # the member who was signed in when sending it
    mail_status: LeadMail = LeadMail.PENDING
    mailed_at: datetime | None = None
    id: int | None = None
