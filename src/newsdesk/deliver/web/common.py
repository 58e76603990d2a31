"""What the subscriber pages share: options, rate limiters, rendering, client address and the
same-origin check for forms (the signed token in a form is the credential; Origin is checked
too, so another site cannot post a reader's form for them)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse

from newsdesk.deliver.ports import SubscriberStore
from newsdesk.deliver.ratelimit import SlidingWindowLimiter
from newsdesk.deliver.subscriptions import SubscribeOptions

HOUR = 3600.0


@dataclass
class SubscribeContext:
    """What every subscriber route shares, handed to the routers when they are built."""

    options: SubscribeOptions
    store: SubscriberStore
    ip_limiter: SlidingWindowLimiter = field(init=False)
    address_limiter: SlidingWindowLimiter = field(init=False)

    def __post_init__(self) -> None:
        self.ip_limiter = SlidingWindowLimiter(self.options.rate_per_ip, HOUR)
        self.address_limiter = SlidingWindowLimiter(self.options.rate_per_address, HOUR)


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


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def check_same_origin(request: Request, options: SubscribeOptions) -> None:
    """403 when the browser says the form was posted from another site (or hides where)."""
    if request.headers.get("sec-fetch-site", "").lower() in {"cross-site", "same-site"}:
        raise HTTPException(status_code=403, detail="cross-site form posts are refused")
    origin = request.headers.get("origin")
    if origin is None:
        return  # not a browser form post (curl, API clients); the token still decides
    allowed = {_origin(options.base_url), _origin(str(request.base_url))}
    if origin.lower() not in allowed:
        raise HTTPException(status_code=403, detail="cross-site form posts are refused")
