"""Admin authentication, safe redirects and CSRF tokens for forms.

``require_admin`` guards every /admin page (deliver's admin routers get it from bootstrap):
HTTP Basic as user "admin" with NEWSDESK_ADMIN_PASSWORD, and before the password is even
looked at, the request must have come over HTTPS (unless the site's base URL is loopback),
an unsafe method must come from this site (Origin / Sec-Fetch-Site), and the client must not
be in back-off after failed passwords (ADMIN_LOGIN_LIMITS, per IPv4 address or IPv6 /64).
The security headers themselves are set in middleware.py.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPBasic, HTTPBasicCredentials

from newsdesk.domain.clients import is_loopback_url, origin_of, rate_key, same_origin_problem
from newsdesk.domain.ratelimit import RateLimit
from newsdesk.domain.signing import BadTokenError, sign, verify
from newsdesk.publish.web.context import Site
from newsdesk.publish.web.options import SiteOptions

CSRF_MAX_AGE = 4 * 3600
ADMIN_PASSWORD_MIN_CHARS = 12
# Failed admin logins per client: a few quick retries, then longer and longer waits.
ADMIN_LOGIN_LIMITS = (
    RateLimit("admin-login-minute", 5, 60.0),
    RateLimit("admin-login-hour", 20, 3600.0),
    RateLimit("admin-login-day", 50, 86400.0),
)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def admin_password_problem(password: str | None) -> str | None:
    """Why this admin password cannot be used, or None (None and "" disable the pages)."""
    if password and len(password.strip()) < ADMIN_PASSWORD_MIN_CHARS:
        return (
            f"NEWSDESK_ADMIN_PASSWORD must be at least {ADMIN_PASSWORD_MIN_CHARS} characters "
            "(not counting spaces at either end); leave it empty to turn the admin pages off"
        )
    return None


_basic = HTTPBasic(auto_error=False, realm="newsdesk admin")


def require_admin(
    request: Request,
    site: Site,
    credentials: Annotated[HTTPBasicCredentials | None, Depends(_basic)],
) -> str:
    """The admin user, or the HTTP error that refuses this request (no password set → 404)."""
    options = site.options
    if not options.admin_password:
        raise HTTPException(status_code=404)
    if request.url.scheme != "https" and not is_loopback_url(options.base_url):
        raise HTTPException(
            status_code=403,
            detail="The admin pages need HTTPS. Serve the site behind TLS; if a reverse proxy "
            "terminates it, list the proxy in NEWSDESK_TRUSTED_PROXIES.",
        )
    if request.method not in SAFE_METHODS:
        allowed = (origin_of(options.base_url), origin_of(str(request.base_url)))
        problem = same_origin_problem(
            request.headers.get("origin"), request.headers.get("sec-fetch-site"), allowed
        )
        if problem is not None:
            raise HTTPException(status_code=403, detail=problem)
    client = rate_key(request.client.host if request.client else None)
    waiting = site.limiter.check(client, ADMIN_LOGIN_LIMITS)
    if not waiting.allowed:
        raise HTTPException(
            status_code=429,
            detail="Too many wrong admin passwords from your address; try again later.",
            headers={"Retry-After": str(waiting.retry_after)},
        )
    if credentials is not None:
        user_ok = hmac.compare_digest(credentials.username.encode(), b"admin")
        password_ok = hmac.compare_digest(
            credentials.password.encode(), options.admin_password.encode()
        )
        if user_ok and password_ok:
            return "admin"
        site.limiter.record(client, ADMIN_LOGIN_LIMITS)
    raise HTTPException(
        status_code=401,
        detail="admin login required",
        headers={"WWW-Authenticate": 'Basic realm="newsdesk admin"'},
    )


def csrf_token(options: SiteOptions, form: str) -> str:
    """A token for one admin form; put it in a hidden field named csrf_token."""
    return sign(
        options.signing, f"csrf:{form}", {"n": secrets.token_urlsafe(8)}, max_age=CSRF_MAX_AGE
    )


def check_csrf(options: SiteOptions, form: str, token: str | None) -> None:
    try:
        verify(options.signing, f"csrf:{form}", token or "")
    except BadTokenError as error:
        raise HTTPException(status_code=403, detail="invalid or expired form token") from error
