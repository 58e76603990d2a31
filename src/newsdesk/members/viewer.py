"""Who is asking: a request's credential turned into a domain.access.Viewer, from the store,
on every request (nothing is cached: a removed seat, a revoked key, a downgrade or a deleted
account count on the very next request).

Credentials, first match wins:

1. a private feed token in the path (a route declaring ``{feed_token}``): the token's
   member, or 404 when it is not a live token (the URL simply stops existing);
2. ``Authorization: Bearer <API key>``: the key's member, or 401 with
   ``WWW-Authenticate: Bearer error="invalid_token"``; keys are read-only, so a key on a
   request that is not GET/HEAD/OPTIONS is refused with 403;
3. the session cookie: the session's member; an unknown, expired or ended session is
   simply anonymous (the browser keeps a stale cookie until it signs in again).

Other Authorization schemes (the admin pages' Basic) are not this resolver's business.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from fastapi import HTTPException, Request

from newsdesk.domain.access import ANONYMOUS, Viewer, ViewerKind
from newsdesk.domain.members import CredentialUse, TokenKind
from newsdesk.domain.models import utcnow
from newsdesk.domain.subscribers import Subscriber
from newsdesk.members.options import MembersOptions
from newsdesk.members.ports import MemberStore
from newsdesk.members.secrets import digest, same_digest, split_member_token

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FEED_TOKEN_PARAM = "feed_token"  # noqa: S105 - a path parameter name
INVALID_KEY = HTTPException(
    status_code=401,
    detail="invalid or revoked API key",
    headers={"WWW-Authenticate": 'Bearer realm="newsdesk", error="invalid_token"'},
)


class MemberViewerResolver:
    """The ViewerResolver bootstrap gives the site (publish.ports.ViewerResolver)."""

    def __init__(
        self,
        store: MemberStore,
        options: MembersOptions,
        *,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.store = store
        self.options = options
        self.clock = clock

    def __call__(self, request: Request) -> Viewer:
        feed_token = request.path_params.get(FEED_TOKEN_PARAM)
        if isinstance(feed_token, str):
            return self.feed_viewer(feed_token)
        scheme, _, credential = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer":
            if request.method not in SAFE_METHODS:
                raise HTTPException(status_code=403, detail="API keys are read-only")
            return self.key_viewer(credential.strip())
        session = request.cookies.get(self.options.session_cookie)
        if session:
            return self.session_viewer(session)
        return ANONYMOUS

    def session_viewer(self, session_token: str) -> Viewer:
        now = self.clock()
        if len(session_token) > 200:
            return ANONYMOUS
        use = self.store.session_member(digest(session_token), now=now)
        if use is None:
            return ANONYMOUS
        return self._viewer(ViewerKind.MEMBER, use, now, f"session {use.credential_id}")

    def key_viewer(self, key: str) -> Viewer:
        use = self._token(TokenKind.API_KEY, key)
        if use is None:
            raise INVALID_KEY
        credential_use, prefix = use
        now = self.clock()
        return self._viewer(ViewerKind.API_KEY, credential_use, now, f"api key {prefix}")

    def feed_viewer(self, token: str) -> Viewer:
        use = self._token(TokenKind.FEED, token)
        if use is None:
            raise HTTPException(status_code=404, detail="no such feed")
        credential_use, prefix = use
        now = self.clock()
        return self._viewer(ViewerKind.FEED_TOKEN, credential_use, now, f"feed token {prefix}")

    def _token(self, kind: TokenKind, token: str) -> tuple[CredentialUse, str] | None:
        prefix = split_member_token(token, kind)
        if prefix is None:
            return None
        found = self.store.token_member(kind, prefix, now=self.clock())
        if found is None:
            return None
        stored, stored_hash, member = found
        if not same_digest(token, stored_hash):
            return None
        return CredentialUse(member=member, credential_id=stored.id), prefix

    def _viewer(self, kind: ViewerKind, use: CredentialUse, now: datetime, label: str) -> Viewer:
        plan = self.store.plan_of(use.member.id, now)
        return Viewer(
            kind=kind,
            member_id=use.member.id,
            plan=plan.plan,
            plan_until=plan.until,
            credential=label,
        )


class MemberRecipients:
    """Who a digest subscriber is to the access policy (deliver.ports.RecipientViewers): the
    member with the same address, with the plan in force when the digest is built; a
    subscriber who is no member reads what anyone may read."""

    def __init__(self, store: MemberStore) -> None:
        self.store = store

    def viewer_for(self, subscriber: Subscriber, now: datetime) -> Viewer:
        # Both sides store the one normalisation of text.emails, so equal means one person.
        member = self.store.member_by_email(subscriber.email)
        if member is None or not member.active:
            return ANONYMOUS
        plan = self.store.plan_of(member.id, now)
        return Viewer(
            kind=ViewerKind.MEMBER,
            member_id=member.id,
            plan=plan.plan,
            plan_until=plan.until,
            credential=f"digest subscriber {subscriber.id}",
        )
