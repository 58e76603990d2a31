"""Real members for site tests: one per kind of viewer of the leak matrix, enrolled in a store
through the members' own store API (entitlement records, team seats, sessions, API keys and
private feed tokens), so requests go through the site's real viewer resolver
(members.viewer.MemberViewerResolver behind publish.ports.ViewerResolver), its cache headers
and the access policy. Nothing is injected: a test says who it is with `as_viewer(name)`
(the member's session cookie, or an API key as `Authorization: Bearer`), and a private feed
URL carries `feed_token(name)`.

The secrets are derived from the viewer's name, so the headers need no handle on the store;
only their hashes are stored, as the members package stores them. `viewer_named` is what
the resolver ought to answer for each name (the matrix's expectation, computed apart from
the resolver it checks).

The demo data every site test reads is enrolled once when it is built (site_fixtures), so
copies of it (writable_demo, the leak world) have these viewers too; `use_test_viewers`
enrols them in any other site's store (idempotently).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

from newsdesk.domain.access import ANONYMOUS, Plan, Viewer, ViewerKind
from newsdesk.domain.members import TokenKind
from newsdesk.members.secrets import digest
from newsdesk.store import SqlStore

MEMBERS = ("free", "pro", "expired pro", "team seat", "removed seat")
KEYS = ("free key", "pro key", "revoked key")
VIEWER_NAMES = ("anonymous", *MEMBERS, *KEYS)
DOMAIN = "viewers.example"
TEAM_OWNER = f"team-owner@{DOMAIN}"
KEY_OWNERS = {"free key": "free", "pro key": "pro", "revoked key": "pro"}
# Both cookie names: the site uses the __Host- one when its base URL is https.
SESSION_COOKIES = ("nd_session", "__Host-nd_session")
ACTOR = "tests"


def email_of(name: str) -> str:
    """The address of a viewer's member (a key's is its owner's)."""
    return f"{KEY_OWNERS.get(name, name).replace(' ', '-')}@{DOMAIN}"


def _chars(seed: str, length: int) -> str:
    return hashlib.sha256(f"site-viewers:{seed}".encode()).hexdigest()[:length]


def session_token(name: str) -> str:
    return "test-session-" + _chars(f"session {name}", 40)


def api_key(name: str) -> str:
    """The API key of a key viewer: ndk_ + 8 + 32 letters/digits, like real keys."""
    return "ndk_" + _chars(f"key prefix {name}", 8) + _chars(f"key {name}", 32)


def feed_token(name: str) -> str:
    """The private feed token to put in a feed URL for this viewer: the member's live token;
    for the revoked key its member's revoked feed token; for the other keys the key itself
    (an API key is no feed token); for anonymous something that is no token at all."""
    if name == "anonymous":
        return "nobody"
    if name in KEYS and name != "revoked key":
        return api_key(name)
    return "ndf_" + _chars(f"feed prefix {name}", 8) + _chars(f"feed {name}", 32)


def as_viewer(name: str) -> dict[str, str]:
    """Request headers that make the request come from the named viewer."""
    if name == "anonymous":
        return {}
    if name in KEYS:
        return {"authorization": f"Bearer {api_key(name)}"}
    token = session_token(name)
    return {"cookie": "; ".join(f"{cookie}={token}" for cookie in SESSION_COOKIES)}


def viewer_named(name: str, now: datetime) -> Viewer:
    """What the resolver ought to answer for the named viewer at now (plans as enrolled)."""
    if name == "anonymous":
        return ANONYMOUS
    plan = {
        "free": Plan.FREE,
        "pro": Plan.PRO,
        "expired pro": Plan.FREE,  # its grant ended yesterday
        "team seat": Plan.TEAM,
        "removed seat": Plan.FREE,  # the owner took the seat back
        "free key": Plan.FREE,
        "pro key": Plan.PRO,
    }[name]
    kind = ViewerKind.API_KEY if name in KEYS else ViewerKind.MEMBER
    until = now + timedelta(days=30) if plan is not Plan.FREE else None
    # The member id is the store's business: any id makes the viewer a signed-in one.
    return Viewer(kind, VIEWER_NAMES.index(name), plan, plan_until=until)


def enrol_viewers(store: SqlStore, now: datetime | None = None) -> None:
    """Create the members, plans, seats and credentials of VIEWER_NAMES (once per store)."""
    now = now or datetime.now(UTC)
    if store.member_by_email(email_of("free")) is not None:
        return
    month = now + timedelta(days=30)
    member = {name: store.ensure_member(email_of(name), now=now) for name in MEMBERS}
    owner = store.ensure_member(TEAM_OWNER, now=now)
    grant = {"source": "admin", "reason": "site tests", "actor": ACTOR}
    store.grant_plan(member["pro"].id, Plan.PRO, until=month, now=now, **grant)
    store.grant_plan(
        member["expired pro"].id,
        Plan.PRO,
        until=now - timedelta(days=1),
        now=now - timedelta(days=31),
        **grant,
    )
    store.grant_plan(owner.id, Plan.TEAM, until=month, seats=3, now=now, **grant)
    for name in ("team seat", "removed seat"):
        seat = store.add_team_seat(owner.id, email_of(name), now=now, actor=ACTOR, limit=3)
        assert seat is not None
        if name == "removed seat":
            store.remove_team_seat(owner.id, seat.id, now=now, actor=ACTOR)
    for name in MEMBERS:
        store.create_session(
            member[name].id,
            digest(session_token(name)),
            now=now,
            expires_at=month,
            user_agent="site tests",
            ip=None,
        )
        _add_token(store, member[name].id, TokenKind.FEED, feed_token(name), now)
    for name, owner_name in KEY_OWNERS.items():
        _add_token(store, member[owner_name].id, TokenKind.API_KEY, api_key(name), now)
    revoked_feed = feed_token("revoked key")
    _add_token(store, member["pro"].id, TokenKind.FEED, revoked_feed, now)
    for token in (api_key("revoked key"), revoked_feed):
        assert store.revoke_member_token(token[:12], now=now) is not None


def _add_token(store: SqlStore, member_id: int, kind: TokenKind, token: str, now: datetime) -> None:
    store.add_member_token(
        member_id,
        kind,
        prefix=token[:12],
        token_hash=digest(token),
        name=f"site tests {kind}",
        scope="read",
        now=now,
    )


def use_test_viewers(app: Any) -> None:
    """Make sure the site's store (a FastAPI app's, e.g. TestClient.app) has the viewers."""
    enrol_viewers(app.state.site.store)
