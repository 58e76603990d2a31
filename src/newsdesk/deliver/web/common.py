"""What the subscriber pages share: options, the rate limits, rendering, the client address
and the same-origin check for forms (the signed token in a form is the credential; Origin is
checked too, so another site cannot post a reader's form for them).

The client address is request.client.host: the app's ClientMiddleware has already put the
real client there when the peer is a listed proxy (domain.clients.client_address)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse

from newsdesk.deliver.ports import SubscriberStore
from newsdesk.deliver.subscriptions import SubscribeOptions
from newsdesk.domain.clients import origin_of, rate_key, same_origin_problem
from newsdesk.domain.ratelimit import RateDecision, RateLimit, RateLimiter

HOUR = 3600.0


@dataclass
class SubscribeContext:
    """What every subscriber route shares, handed to the routers when they are built."""

    options: SubscribeOptions
    store: SubscriberStore
    limiter: RateLimiter  # the app's one limiter (bootstrap passes create_app's)
    # The site's viewer dependency (publish's reader_viewer): the JSON sign-up is an API
    # request, counted against the asker's API quota like every other.
    viewer: Callable[..., Any]
    per_ip: RateLimit = field(init=False)
    per_address: RateLimit = field(init=False)

    def __post_init__(self) -> None:
        self.per_ip = RateLimit("signup-ip", self.options.rate_per_ip, HOUR)
        self.per_address = RateLimit("signup-address", self.options.rate_per_address, HOUR)

    def signup_allowed(self, ip: str | None, email: str) -> RateDecision:
        """Count a sign-up from this client (IPv4 address or IPv6 /64) for this address, if
        both limits allow it; a refused one counts under neither."""
        client = rate_key(ip)
        waiting = RateDecision.combine(
            [
                self.limiter.check(client, [self.per_ip]),
                self.limiter.check(email, [self.per_address]),
            ]
        )
        if not waiting.allowed:
            return waiting
        return RateDecision.combine(
            [self.limiter.hit(client, [self.per_ip]), self.limiter.hit(email, [self.per_address])]
        )


def render_page(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """Render with the site's Jinja environment (templates of publish and deliver)."""
    environment = request.app.state.templates
    html = environment.get_template(template).render(
        request=request, path=request.url.path, **(context or {})
    )
    # same-origin: tokens in these URLs never leave in a Referer, while form posts keep a
    # real Origin ("no-referrer" would make browsers send "Origin: null").
    all_headers = {"Cache-Control": "no-store", "Referrer-Policy": "same-origin"}
    all_headers.update(headers or {})
    return HTMLResponse(html, status_code=status_code, headers=all_headers)


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


def check_same_origin(request: Request, options: SubscribeOptions) -> None:
    """403 when the browser says the form was posted from another site (or hides where)."""
    problem = same_origin_problem(
        request.headers.get("origin"),
        request.headers.get("sec-fetch-site"),
        (origin_of(options.base_url), origin_of(str(request.base_url))),
    )
    if problem is not None:
        raise HTTPException(status_code=403, detail=problem)
