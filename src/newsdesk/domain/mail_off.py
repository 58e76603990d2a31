"""Signed "turn this mail off" links for members' emails (the weekly report, each alert):
the token of the List-Unsubscribe header (RFC 8058 one-click) and of the link in the body.

Each action signs in a namespace of its own (signing.sign's purpose), so a report link never
passes for an alert link nor for the digest's unsubscribe. A token names the member, and an
alert link the alert too: the page refuses an alert that belongs to someone else. Turning mail
off is harmless and undone on the account pages, so the links carry no version and live a
year (MAX_AGE): a report read months later still stops the next one; rotating the signing
key ends them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from newsdesk.domain.signing import Keys, claimed_row_id, sign, verify

REPORT_MAIL_OFF = "mail-off:weekly-report"
ALERT_MAIL_OFF = "mail-off:alert"
MAX_AGE = 365 * 86400
REPORT_MAIL_OFF_PATH = "/unsubscribe/weekly-report"
ALERT_MAIL_OFF_PATH = "/unsubscribe/alert"
ONE_CLICK = "List-Unsubscribe=One-Click"


@dataclass(frozen=True)
class MailOffClaim:
    """Whose mail a link turns off: the member's weekly report (alert_id None) or an alert."""

    member_id: int
    alert_id: int | None = None


def report_mail_off_url(base_url: str, keys: Keys, member_id: int) -> str:
    token = sign(keys, REPORT_MAIL_OFF, {"m": member_id}, max_age=MAX_AGE)
    return f"{base_url.rstrip('/')}{REPORT_MAIL_OFF_PATH}?{urlencode({'token': token})}"


def alert_mail_off_url(base_url: str, keys: Keys, member_id: int, alert_id: int) -> str:
    token = sign(keys, ALERT_MAIL_OFF, {"m": member_id, "a": alert_id}, max_age=MAX_AGE)
    return f"{base_url.rstrip('/')}{ALERT_MAIL_OFF_PATH}?{urlencode({'token': token})}"


def read_report_mail_off(keys: Keys, token: str) -> MailOffClaim:
    """The member a weekly-report link names; BadTokenError if forged, expired, malformed or
    made for anything else."""
    claims = verify(keys, REPORT_MAIL_OFF, token)
    return MailOffClaim(claimed_row_id(claims, "m"))


def read_alert_mail_off(keys: Keys, token: str) -> MailOffClaim:
    """The member and alert an alert link names; BadTokenError as read_report_mail_off."""
    claims = verify(keys, ALERT_MAIL_OFF, token)
    return MailOffClaim(claimed_row_id(claims, "m"), claimed_row_id(claims, "a"))


def one_click_headers(url: str) -> dict[str, str]:
    """RFC 2369 List-Unsubscribe with the https link only (no mailto: nobody reads that
    mailbox for these), and RFC 8058's one-click POST."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": ONE_CLICK}
