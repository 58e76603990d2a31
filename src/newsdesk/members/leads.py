"""The Pro page's lead form ("Interested in learning more?"): what a lead may hold, and the
email that takes it to the sales address.

A lead is kept as typed, within its limits: one-line fields (name, company) have their runs of
whitespace and control characters made single spaces (nothing in them can start a new mail
header line or fake a line on the admin page), the message keeps its line breaks. Pages and
the email's HTML escape every field; the plain-text email carries them as text.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime

from markupsafe import escape

from newsdesk.domain.leads import Lead, LeadMail
from newsdesk.members.options import MembersOptions
from newsdesk.members.ports import LeadStore, Mailer
from newsdesk.text.emails import InvalidEmailError, normalise_email

log = logging.getLogger(__name__)

MAX_NAME = 200
MAX_COMPANY = 200
MAX_MESSAGE = 5000
_ONE_LINE = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")


class LeadFormError(ValueError):
    """A lead that cannot be taken as sent (the message says what to fix)."""


@dataclass(frozen=True)
class LeadForm:
    name: str
    email: str
    company: str
    message: str


def one_line(value: str) -> str:
    return _ONE_LINE.sub(" ", value).strip()


def parse_lead(name: str, email: str, company: str, message: str) -> LeadForm:
    """The lead as it will be stored; LeadFormError naming the first field to fix."""
    clean_name = one_line(name)
    clean_company = one_line(company)
    text = _CONTROLS.sub("", message.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if not clean_name:
        raise LeadFormError("Please tell us your name.")
    if len(clean_name) > MAX_NAME:
        raise LeadFormError(f"Your name is too long (at most {MAX_NAME} characters).")
    try:
        address = normalise_email(email)
    except InvalidEmailError as error:
        raise LeadFormError("Please enter a valid work email address.") from error
    if len(clean_company) > MAX_COMPANY:
        raise LeadFormError(f"The company name is too long (at most {MAX_COMPANY} characters).")
    if len(text) > MAX_MESSAGE:
        raise LeadFormError(f"The message is too long (at most {MAX_MESSAGE:,} characters).")
    return LeadForm(clean_name, address, clean_company, text)


def new_lead(
    form: LeadForm, *, member_id: int | None, options: MembersOptions, now: datetime
) -> Lead:
    return Lead(
        name=form.name,
        email=form.email,
        company=form.company,
        message=form.message,
        created_at=now,
        member_id=member_id,
        mail_status=LeadMail.PENDING if options.leads.sales_address else LeadMail.OFF,
    )


def sales_email(options: MembersOptions, lead: Lead) -> tuple[str, str, str]:
    """(subject, text, html) of the email that takes a lead to sales."""
    who = lead.name + (f" ({lead.company})" if lead.company else "")
    subject = f"Pro lead: {who}"[:200]
    admin = options.url("/admin/leads")
    fields = [
        ("Name", lead.name),
        ("Work email", lead.email),
        ("Company", lead.company or "—"),
    ]
    text = (
        f"Someone asked about {options.site_name} Pro on the Pro page.\n\n"
        + "".join(f"{label}: {value}\n" for label, value in fields)
        + f"\nMessage:\n{lead.message or '—'}\n\n"
        + f"Reply to this email to answer them. Every lead: {admin}\n"
    )
    rows = "".join(
        f"<tr><th align='left'>{escape(label)}</th><td>{escape(value)}</td></tr>"
        for label, value in fields
    )
    html = (
        f"<p>Someone asked about {escape(options.site_name)} Pro on the Pro page.</p>"
        f"<table>{rows}</table>"
        f"<p><strong>Message</strong></p>"
        f"<p style='white-space:pre-wrap'>{escape(lead.message or '—')}</p>"
        f"<p>Reply to this email to answer them. <a href='{escape(admin)}'>Every lead</a></p>"
    )
    return subject, text, html


def mail_lead(
    store: LeadStore, options: MembersOptions, mailer: Mailer, lead: Lead, now: datetime
) -> LeadMail:
    """Mail a stored lead to the sales address (reply-to: the lead) and record the outcome;
    runs after the response, so it never fails the form."""
    address = options.leads.sales_address
    if lead.id is None or not address:
        return LeadMail.OFF
    subject, text, html = sales_email(options, lead)
    try:
        sent = mailer(address, subject, text, html, reply_to=lead.email)
    except Exception:
        log.exception("the lead email could not be built or sent")
        sent = False
    status = LeadMail.SENT if sent else LeadMail.FAILED
    store.mark_lead_mailed(lead.id, status, at=now)
    return status
