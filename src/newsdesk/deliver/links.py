"""Signed links in emails: preference centre, unsubscribe (page and RFC 8058 one-click) and
the double opt-in confirmation.

Preference and unsubscribe links carry the subscriber's token version and expire
(PREFERENCES_MAX_AGE, UNSUBSCRIBE_MAX_AGE: every digest brings fresh ones). Unsubscribing,
confirming and suppression raise the version, so the links of a forwarded digest stop working
once the reader leaves or signs up again. Links made before versions existed carry neither:
they still unsubscribe a subscriber whose version never moved, and do nothing else. The
confirmation link expires after 72 h and is single-use (a nonce on the subscriber)."""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import parseaddr
from functools import lru_cache
from urllib.parse import quote, urlencode

from newsdesk.domain.signing import BadTokenError, Keys, claimed_row_id, sign, verify

PREFERENCES_PURPOSE = "preferences"
UNSUBSCRIBE_PURPOSE = "unsubscribe"
CONFIRM_PURPOSE = "confirm"
CONFIRM_MAX_AGE = 72 * 3600
DAY = 86400
PREFERENCES_MAX_AGE = 30 * DAY
UNSUBSCRIBE_MAX_AGE = 90 * DAY  # beyond the 30 days the law asks an unsubscribe link to work
MAX_AGE = {PREFERENCES_PURPOSE: PREFERENCES_MAX_AGE, UNSUBSCRIBE_PURPOSE: UNSUBSCRIBE_MAX_AGE}


@dataclass(frozen=True)
class SubscriberLinks:
    preferences: str
    unsubscribe: str  # the https URL for both the GET page and the one-click POST
    unsubscribe_mailto: str

    def list_unsubscribe_headers(self) -> dict[str, str]:
        """RFC 2369 List-Unsubscribe (URL and mailto) and RFC 8058 one-click."""
        return {
            "List-Unsubscribe": f"<{self.unsubscribe}>, <{self.unsubscribe_mailto}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }


@dataclass(frozen=True)
class LinkClaim:
    """What a preferences or unsubscribe token says: whose link, of which token version
    (None: made before versions existed, without an expiry)."""

    subscriber_id: int
    version: int | None


def subscriber_token(
    keys: Keys, purpose: str, subscriber_id: int, *, version: int, now: float | None = None
) -> str:
    """A preferences or unsubscribe token, expiring after that purpose's MAX_AGE."""
    return sign(
        keys, purpose, {"s": subscriber_id, "v": version}, max_age=MAX_AGE[purpose], now=now
    )


def read_subscriber_token(
    keys: Keys, purpose: str, token: str, *, now: float | None = None
) -> LinkClaim:
    """The claim of a preferences or unsubscribe token; BadTokenError if forged, expired,
    malformed or made for another purpose."""
    claims = verify(keys, purpose, token, now=now)
    subscriber_id, version = claimed_row_id(claims, "s"), claims.get("v")
    if version is not None and type(version) is not int:
        raise BadTokenError("malformed token")
    return LinkClaim(subscriber_id, version)


def links_for(
    base_url: str,
    keys: Keys,
    subscriber_id: int,
    mail_from: str,
    *,
    version: int,
    now: float | None = None,
) -> SubscriberLinks:
    """Links for one subscriber at its token version; mail_from is the mailbox that receives
    mailto unsubscribes."""
    base = base_url.rstrip("/")
    unsubscribe_token = subscriber_token(
        keys, UNSUBSCRIBE_PURPOSE, subscriber_id, version=version, now=now
    )
    preferences_token = subscriber_token(
        keys, PREFERENCES_PURPOSE, subscriber_id, version=version, now=now
    )
    mailbox = _mailbox(mail_from)
    subject = quote(f"unsubscribe {unsubscribe_token}")
    return SubscriberLinks(
        preferences=f"{base}/preferences?{urlencode({'token': preferences_token})}",
        unsubscribe=f"{base}/unsubscribe?{urlencode({'token': unsubscribe_token})}",
        unsubscribe_mailto=f"mailto:{mailbox}?subject={subject}",
    )


@lru_cache(maxsize=8)
def _mailbox(mail_from: str) -> str:
    return parseaddr(mail_from)[1] or mail_from


def confirm_token(keys: Keys, subscriber_id: int, nonce: str, *, now: float | None = None) -> str:
    return sign(
        keys, CONFIRM_PURPOSE, {"s": subscriber_id, "n": nonce}, max_age=CONFIRM_MAX_AGE, now=now
    )


def confirm_url(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/confirm?{urlencode({'token': token})}"
