"""Team seats: an owner on the team plan gives seats to addresses (members now or once they
sign in) and takes them back. Access follows on the holder's next request, both ways."""

from __future__ import annotations

import logging
from datetime import datetime
from html import escape

from newsdesk.domain.access import Plan
from newsdesk.domain.members import Member, TeamSeat
from newsdesk.formats.mail import html_document
from newsdesk.members.options import MembersOptions
from newsdesk.members.ports import Mailer, MemberStore

log = logging.getLogger(__name__)


def give_seat(store: MemberStore, owner: Member, email: str, *, now: datetime) -> TeamSeat | None:
    """A seat for a normalised address on the owner's own team plan; None when the owner
    is not on team, has no seat left, or the address has a seat on this team already."""
    plan = store.plan_of(owner.id, now)
    if plan.plan is not Plan.TEAM or plan.team_owner_id is not None:
        return None  # a seat holder's team is not theirs to share
    return store.add_team_seat(
        owner.id, email, now=now, actor=f"member {owner.id}", limit=max(plan.seats - 1, 0)
    )


def seat_message(options: MembersOptions, owner: Member) -> tuple[str, str, str]:
    """(subject, text, html) telling an address it has a seat."""
    site = options.site_name
    url = options.url("/signin")
    who = owner.email or "A team owner"
    subject = f"You have a seat on a {site} team"
    text = (
        f"{who} gave you a seat on their {site} team: Pro access for as long as they keep it.\n\n"
        f"Sign in with this address to use it:\n{url}\n"
    )
    html = html_document(
        f"<p>{escape(who)} gave you a seat on their {escape(site)} team: Pro access for as "
        "long as they keep it.</p>"
        f'<p><a href="{escape(url, quote=True)}">Sign in with this address</a> to use it.</p>',
        title=subject,
    )
    return subject, text, html


def tell_seat_holder(options: MembersOptions, mailer: Mailer, owner: Member, email: str) -> None:
    try:
        mailer(email, *seat_message(options, owner))
    except Exception:
        log.exception("seat email failed")
