"""What the member pages share: their context, rendering, cookies, the signed-in member of a
request, and CSRF protection for every member form.

CSRF: every form carries a token that is an HMAC of a secret only this browser holds — the
session id for signed-in forms, the sign-in attempt cookie before that — so a page on another
site cannot produce it; the cookies are SameSite=Lax, so a cross-site POST arrives without
them; and a browser that says the form came from another site (Origin, Sec-Fetch-Site) is
refused before anything else.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import HTTPException, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from newsdesk.domain.clients import origin_of, rate_key, same_origin_problem
from newsdesk.domain.members import Member, PlanState
from newsdesk.domain.models import utcnow
from newsdesk.domain.paging import MAX_ROW_ID
from newsdesk.domain.ratelimit import RateLimiter
from newsdesk.members.options import MembersOptions
from newsdesk.members.ports import DigestLinks, Mailer, MemberStore, PaymentGateway
from newsdesk.members.secrets import digest, new_opaque

# Row ids in paths: anything beyond the database's integers is a 422, never a database error.
RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]

PRIVATE_HEADERS = {
    "Cache-Control": "no-store, private",
    "Vary": "Cookie",
    "Referrer-Policy": "same-origin",
}


@dataclass
class MembersContext:
    """What every member route shares, handed to the routers when they are built."""

    store: MemberStore
    options: MembersOptions
    mailer: Mailer
    limiter: RateLimiter  # the site's one rate limiter (sign-in requests per client, address)
    digest_links: DigestLinks | None = None
    clock: Callable[[], datetime] = utcnow
    payments: PaymentGateway | None = None  # Stripe, when configured (options.payments)


@dataclass(frozen=True)
class SignedIn:
    """The member behind this request's session cookie, with the plan in force now."""

    member: Member
    session_id: int
    session_token: str
    plan: PlanState


def signed_in(context: MembersContext, request: Request) -> SignedIn | None:
    token = request.cookies.get(context.options.session_cookie)
    if not token or len(token) > 200:
        return None
    now = context.clock()
    use = context.store.session_member(digest(token), now=now)
    if use is None:
        return None
    plan = context.store.plan_of(use.member.id, now)
    return SignedIn(use.member, use.credential_id, token, plan)


def _form_mac(key: str, binding: str) -> str:
    mac_key = hashlib.sha256(f"newsdesk:csrf:{key}".encode()).digest()
    return hmac.new(mac_key, binding.encode("utf-8"), hashlib.sha256).hexdigest()[:40]


def form_token(options: MembersOptions, binding: str) -> str:
    """The CSRF token of the forms of one browser secret (session id or attempt cookie)."""
    return _form_mac(options.signing.current, binding)


def check_origin(request: Request, options: MembersOptions) -> None:
    """403 when the browser says the form was posted from another site (domain.clients'
    one same-origin rule: Sec-Fetch-Site, then Origin)."""
    allowed = {origin_of(options.base_url), origin_of(str(request.base_url))}
    problem = same_origin_problem(
        request.headers.get("origin"), request.headers.get("sec-fetch-site"), allowed
    )
    if problem is not None:
        raise HTTPException(status_code=403, detail=problem)


def check_form(request: Request, options: MembersOptions, binding: str | None, token: str) -> None:
    """403 unless the form came from this site and carries this browser's token (made with
    any accepted key, so a key change does not break a page open in a browser)."""
    check_origin(request, options)
    if not binding or not token or len(token) > 100 or not token.isascii():
        raise HTTPException(status_code=403, detail="this form has expired; reload the page")
    matches = [
        hmac.compare_digest(_form_mac(key, binding), token) for key in options.signing.accepted
    ]
    if not any(matches):
        raise HTTPException(status_code=403, detail="this form has expired; reload the page")


def attempt_binding(request: Request, options: MembersOptions) -> str | None:
    value = request.cookies.get(options.attempt_cookie)
    return value if value and len(value) <= 200 else None


def render_page(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """Render with the site's Jinja environment; member pages are never cached or shared."""
    environment = request.app.state.templates
    html = environment.get_template(template).render(
        request=request, path=request.url.path, **(context or {})
    )
    return HTMLResponse(
        html, status_code=status_code, headers={**PRIVATE_HEADERS, **(headers or {})}
    )


def redirect(location: str) -> RedirectResponse:
    return RedirectResponse(location, status_code=303, headers=PRIVATE_HEADERS)


def set_cookie(
    response: Response, options: MembersOptions, name: str, value: str, age: int
) -> None:
    response.set_cookie(
        name,
        value,
        max_age=age,
        path="/",
        secure=options.secure_cookies,
        httponly=True,
        samesite="lax",
    )


def clear_cookie(response: Response, options: MembersOptions, name: str) -> None:
    response.delete_cookie(
        name, path="/", secure=options.secure_cookies, httponly=True, samesite="lax"
    )


def ensure_attempt_cookie(request: Request, options: MembersOptions) -> tuple[str, bool]:
    """(this browser's attempt secret, whether it is new and must be set on the response)."""
    current = attempt_binding(request, options)
    if current is not None:
        return current, False
    return new_opaque(), True


def client_ip(request: Request) -> str:
    """The client (the site's ClientMiddleware has put the real one there behind a trusted
    proxy), as rate limits key it: the IPv4 address or the IPv6 client's /64."""
    return rate_key(request.client.host if request.client else None)


def user_agent(request: Request) -> str:
    return " ".join(request.headers.get("user-agent", "").split())[:300]
