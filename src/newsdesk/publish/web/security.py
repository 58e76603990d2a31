"""Security headers, safe redirects, admin authentication and CSRF tokens for forms."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, HTTPException
from fastapi.security import HTTPBasic, HTTPBasicCredentials
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsdesk.domain.signing import BadTokenError, sign, verify
from newsdesk.publish.web.context import Site
from newsdesk.publish.web.options import SiteOptions

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
)
CSRF_MAX_AGE = 4 * 3600


class SecurityHeadersMiddleware:
    """Adds the headers above to every HTTP response (pure ASGI: no per-request task)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def safe_next(target: str | None, default: str = "/") -> str:
    """A local path to redirect to; anything absolute, scheme-relative or odd gives default."""
    if not target or len(target) > 2048:
        return default
    if any(ch in target for ch in "\\\r\n\t\x00") or not target.startswith("/"):
        return default
    if target.startswith("//"):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target


_basic = HTTPBasic(auto_error=False, realm="newsdesk admin")


def require_admin(
    site: Site,
    credentials: Annotated[HTTPBasicCredentials | None, Depends(_basic)],
) -> str:
    """HTTP Basic as user "admin" with NEWSDESK_ADMIN_PASSWORD; no password set → 404."""
    options = site.options
    if not options.admin_password:
        raise HTTPException(status_code=404)
    if credentials is not None:
        user_ok = hmac.compare_digest(credentials.username.encode(), b"admin")
        password_ok = hmac.compare_digest(
            credentials.password.encode(), options.admin_password.encode()
        )
        if user_ok and password_ok:
            return "admin"
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
