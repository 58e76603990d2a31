"""Signed links in emails: preference centre, unsubscribe (page and RFC 8058 one-click) and
the double opt-in confirmation. Preference and unsubscribe links never expire, so an old email
still lets its reader leave; the confirmation link expires and is single-use (nonce)."""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import parseaddr
from functools import lru_cache
from urllib.parse import quote, urlencode

from newsdesk.domain.signing import Keys, sign, verify

PREFERENCES_PURPOSE = "preferences"
UNSUBSCRIBE_PURPOSE = "unsubscribe"
CONFIRM_PURPOSE = "confirm"
CONFIRM_MAX_AGE = 72 * 3600


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


def subscriber_token(keys: Keys, purpose: str, subscriber_id: int) -> str:
    return sign(keys, purpose, {"s": subscriber_id})


def subscriber_from_token(keys: Keys, purpose: str, token: str) -> int:
    """The subscriber id a preferences or unsubscribe token names; BadTokenError otherwise."""
    from newsdesk.domain.signing import BadTokenError

    claims = verify(keys, purpose, token)
    subscriber_id = claims.get("s")
    if not isinstance(subscriber_id, int) or isinstance(subscriber_id, bool):
        raise BadTokenError("malformed token")
    return subscriber_id


def links_for(base_url: str, keys: Keys, subscriber_id: int, mail_from: str) -> SubscriberLinks:
    """Links for one subscriber; mail_from is the mailbox that receives mailto unsubscribes."""
    base = base_url.rstrip("/")
    unsubscribe_token = subscriber_token(keys, UNSUBSCRIBE_PURPOSE, subscriber_id)
    preferences_token = subscriber_token(keys, PREFERENCES_PURPOSE, subscriber_id)
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
