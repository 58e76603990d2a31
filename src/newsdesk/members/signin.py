"""Sign-in by an emailed link and a one-time code: the decisions, apart from HTTP.

The request (``start``) answers the same for every well-formed address: the same page, the
same rate limits (the site's one rate limiter, per client and per address, whatever the
address), and nothing that depends on whether the address is a member runs before the
response — looking the member up and sending the email happen in ``deliver_signin_email``,
after it.

The email holds a link and a 6-digit code; either signs in, once, within 15 minutes, and
only the newest email of an address works. The link's page (GET) shows a button: only its
POST signs in, so mail scanners that open links sign no one in. The code is bound to the
browser that asked (its attempt cookie): typed anywhere else it is just wrong. Five wrong
codes burn a request, ten an hour burn every request of the address.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape
from urllib.parse import urlencode

from newsdesk.domain.members import SignInRequest, SignInUse
from newsdesk.domain.ratelimit import RateDecision, RateLimit, RateLimiter
from newsdesk.domain.redirects import safe_next
from newsdesk.formats.mail import html_document
from newsdesk.members.options import MembersOptions
from newsdesk.members.ports import Mailer, MemberStore
from newsdesk.members.secrets import (
    code_digest,
    digest,
    new_code,
    new_opaque,
    shown_code,
    typed_code,
)

log = logging.getLogger(__name__)

LIMIT_WINDOW = timedelta(hours=1)
DEFAULT_NEXT = "/account"


class SignInLimitedError(Exception):
    """Too many sign-in requests for this address or from this client for now."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"try again in {retry_after} s")
        self.retry_after = retry_after


@dataclass(frozen=True)
class PendingSignIn:
    """What the request handler keeps (attempt, for the browser's cookie) and hands to the
    background email step (everything else; the code and link token live only here)."""

    email: str
    attempt: str
    link_token: str
    code: str
    next_path: str


def signin_limits(options: MembersOptions) -> tuple[RateLimit, RateLimit]:
    """(per client, per address): sign-in requests an hour."""
    return (
        RateLimit("signin-ip", options.signin_rate_per_ip, LIMIT_WINDOW.total_seconds()),
        RateLimit("signin-address", options.signin_rate_per_address, LIMIT_WINDOW.total_seconds()),
    )


def start(
    store: MemberStore,
    options: MembersOptions,
    limiter: RateLimiter,
    email: str,
    *,
    next_path: str | None,
    client: str,
    now: datetime,
) -> PendingSignIn:
    """Record a sign-in request for a normalised address (member or not); SignInLimitedError
    (with the seconds to wait) when the client or the address asked too often. The limits are
    the site's one rate limiter's, counted alike for every address."""
    per_client, per_address = signin_limits(options)
    checked = RateDecision.combine(
        [limiter.check(client, [per_client]), limiter.check(email, [per_address])]
    )
    if checked.allowed:
        checked = RateDecision.combine(
            [limiter.hit(client, [per_client]), limiter.hit(email, [per_address])]
        )
    if not checked.allowed:
        raise SignInLimitedError(checked.retry_after)
    pending = PendingSignIn(
        email=email,
        attempt=new_opaque(),
        link_token=new_opaque(),
        code=new_code(),
        next_path=safe_next(next_path, DEFAULT_NEXT),
    )
    attempt_hash = digest(pending.attempt)
    store.add_signin_request(
        SignInRequest(
            email=email,
            token_hash=digest(pending.link_token),
            attempt_hash=attempt_hash,
            code_hash=code_digest(attempt_hash, pending.code),
            created_at=now,
            expires_at=now + options.signin_ttl,
            next_path=pending.next_path,
            ip=client,
        )
    )
    return pending


def deliver_signin_email(
    store: MemberStore, options: MembersOptions, pending: PendingSignIn, mailer: Mailer
) -> bool:
    """Send the link and code (after the response). A new address gets the same email when
    sign-up is open, and nothing when it is closed. Failures are logged, never raised."""
    try:
        member = store.member_by_email(pending.email)
        if member is None and not options.open_signup:
            return False
        subject, text, html = signin_message(options, pending, new_member=member is None)
        return mailer(pending.email, subject, text, html)
    except Exception:
        log.exception("sign-in email failed")
        return False


def link_url(options: MembersOptions, link_token: str) -> str:
    return options.url("/signin/confirm?" + urlencode({"token": link_token}))


def signin_message(
    options: MembersOptions, pending: PendingSignIn, *, new_member: bool
) -> tuple[str, str, str]:
    """(subject, text, html) of the sign-in email."""
    url = link_url(options, pending.link_token)
    code = shown_code(pending.code)
    minutes = int(options.signin_ttl.total_seconds() // 60)
    site = options.site_name
    intro = (
        f"Welcome to {site}. Confirm this address to create your account."
        if new_member
        else f"Sign in to {site}."
    )
    subject = f"Your {site} sign-in code: {code}"
    text = (
        f"{intro}\n\n"
        f"Your code: {code}\n"
        f"Type it on the page where you asked to sign in, or open this link and press the "
        f"button:\n{url}\n\n"
        f"The code and the link work once, for {minutes} minutes; only the newest email "
        "works. If you did not ask to sign in, ignore this email: nothing happens without "
        "the code or the link.\n"
    )
    html = html_document(
        f"<p>{escape(intro)}</p>"
        f'<p>Your code: <strong style="font-size:24px;letter-spacing:2px">{escape(code)}</strong>'
        "</p><p>Type it on the page where you asked to sign in, or "
        f'<a href="{escape(url, quote=True)}">open this link and press the button</a>.</p>'
        f"<p>The code and the link work once, for {minutes} minutes; only the newest email "
        "works. If you did not ask to sign in, ignore this email.</p>",
        title=site,
    )
    return subject, text, html


def link_is_live(store: MemberStore, link_token: str, *, now: datetime) -> bool:
    if not link_token or len(link_token) > 200:
        return False
    return store.peek_signin_link(digest(link_token), now=now)


def use_link(store: MemberStore, link_token: str, *, now: datetime) -> SignInUse | None:
    if not link_token or len(link_token) > 200:
        return None
    return store.use_signin_link(digest(link_token), now=now)


def use_code(
    store: MemberStore,
    options: MembersOptions,
    attempt: str | None,
    typed: str,
    *,
    now: datetime,
) -> SignInUse | None:
    """The sign-in the code typed in this browser (attempt) unlocks, or None."""
    code = typed_code(typed)
    if not attempt or len(attempt) > 200:
        return None
    attempt_hash = digest(attempt)
    # A malformed code still counts as a wrong one (it is a guess all the same).
    return store.use_signin_code(
        attempt_hash,
        code_digest(attempt_hash, code or "-"),
        now=now,
        max_failures=options.code_attempts,
        max_address_failures=options.codes_per_address,
        since=now - LIMIT_WINDOW,
    )


@dataclass(frozen=True)
class NewSession:
    token: str  # the cookie value; only its hash is stored
    member_id: int
    next_path: str


def complete(
    store: MemberStore,
    options: MembersOptions,
    use: SignInUse,
    *,
    previous_session: str | None,
    user_agent: str,
    ip: str | None,
    now: datetime,
) -> NewSession | None:
    """A fresh session for the address a link or code proved (the member is created on a
    first sign-in when sign-up is open). The browser's previous session, if it had one,
    ends in the same step: the session id always changes at sign-in."""
    member = store.member_by_email(use.email)
    if member is None:
        if not options.open_signup:
            return None
        member = store.ensure_member(use.email, now=now)
    token = new_opaque()
    replaces = digest(previous_session) if previous_session else None
    store.create_session(
        member.id,
        digest(token),
        now=now,
        expires_at=now + options.session_lifetime,
        user_agent=user_agent,
        ip=ip,
        replaces=replaces,
    )
    return NewSession(
        token=token, member_id=member.id, next_path=safe_next(use.next_path, DEFAULT_NEXT)
    )
