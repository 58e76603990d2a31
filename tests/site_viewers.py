"""Viewers for site tests, injected at the seam the members package's resolver fills
(publish.ports.ViewerResolver), so every request still goes through the real viewer
dependency, its cache headers and the access policy.

A test says who it is with `as_viewer(name)`: a session-like cookie for members, a Bearer
token for API keys; private feeds use the name as the feed token in the URL. Plans lapse
relative to the resolver's `now`, as the real resolver's do.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import HTTPException, Request

from newsdesk.domain.access import ANONYMOUS, Plan, Viewer, ViewerKind

COOKIE = "test_viewer"
MEMBERS = ("free", "pro", "expired pro", "team seat", "removed seat")
KEYS = ("free key", "pro key", "revoked key")
VIEWER_NAMES = ("anonymous", *MEMBERS, *KEYS)


def viewer_named(name: str, now: datetime, kind: ViewerKind = ViewerKind.MEMBER) -> Viewer:
    """The viewer the real resolver would return for this kind of member at now."""
    month = now + timedelta(days=30)
    table = {
        "anonymous": ANONYMOUS,
        "free": Viewer(kind, 11, Plan.FREE),
        "pro": Viewer(kind, 12, Plan.PRO, plan_until=month),
        "expired pro": Viewer(kind, 13, Plan.PRO, plan_until=now - timedelta(days=1)),
        "team seat": Viewer(kind, 14, Plan.TEAM, plan_until=month),
        # The owner removed the seat: the resolver finds no team plan for it any more.
        "removed seat": Viewer(kind, 15, Plan.FREE),
        "free key": Viewer(ViewerKind.API_KEY, 11, Plan.FREE, credential="api key nd_free"),
        "pro key": Viewer(
            ViewerKind.API_KEY, 12, Plan.PRO, plan_until=month, credential="api key nd_pro"
        ),
    }
    return table[name]


class FakeResolver:
    """Names in, viewers out, like the members resolver: a private feed token in the path,
    else a Bearer key, else the session cookie; an unknown or "revoked" feed token is a 404,
    such a key a 401."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, request: Request) -> Viewer:
        self.calls += 1
        now = datetime.now(UTC)
        feed_token = request.path_params.get("feed_token")
        if isinstance(feed_token, str):
            name = feed_token.replace("-", " ")
            if name not in MEMBERS:  # keys and revoked names are no feed tokens
                raise HTTPException(status_code=404, detail="no such feed")
            return viewer_named(name, now, ViewerKind.FEED_TOKEN)
        scheme, _, credential = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer":
            name = credential.strip().replace("-", " ")
            if name not in KEYS or name.startswith("revoked"):
                raise HTTPException(
                    status_code=401,
                    detail="invalid or revoked API key",
                    headers={"WWW-Authenticate": 'Bearer realm="newsdesk"'},
                )
            return viewer_named(name, now, ViewerKind.API_KEY)
        name = request.cookies.get(COOKIE, "").replace("-", " ")
        return viewer_named(name, now) if name in MEMBERS else ANONYMOUS


def use_test_viewers(app: Any) -> FakeResolver:
    """Make the site (a FastAPI app, e.g. TestClient.app) resolve viewers by name."""
    resolver = FakeResolver()
    app.state.site = replace(app.state.site, viewer_resolver=resolver)
    return resolver


def as_viewer(name: str) -> dict[str, str]:
    """Request headers that make the request come from the named viewer."""
    if name == "anonymous":
        return {}
    token = name.replace(" ", "-")
    if name in KEYS:
        return {"authorization": f"Bearer {token}"}
    return {"cookie": f"{COOKIE}={token}"}
