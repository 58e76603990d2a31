"""Sign-in requests, sessions, API keys and private feed tokens: the credential half of SqlStore.

Only hashes of secrets are stored (SHA-256 of high-entropy values; the caller hashes). Every
use is a compare-and-set in the database, so single use, attempt limits and revocation hold
across any number of web processes: a sign-in link is used by exactly one POST, the sixth
wrong code finds the request burnt, a revoked key fails on the next request.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row, delete, func, insert, select, update

from newsdesk.domain.members import (
    CredentialUse,
    Member,
    MemberToken,
    SessionInfo,
    SignInRequest,
    SignInUse,
    TokenKind,
)
from newsdesk.store.base import StoreBase
from newsdesk.store.engine import read_connection
from newsdesk.store.members_repo import member_from_row
from newsdesk.store.schema import member_sessions, member_tokens, members, signin_requests

SIGNIN_ROWS_KEPT = timedelta(days=1)  # old requests are deleted when new ones are written
LAST_USED_EVERY = timedelta(minutes=5)  # last-seen / last-used times are written this often


def _session_from_row(row: Row[Any]) -> SessionInfo:
    m = row._mapping
    return SessionInfo(
        id=m["id"],
        member_id=m["member_id"],
        created_at=m["created_at"],
        last_seen_at=m["last_seen_at"],
        expires_at=m["expires_at"],
        user_agent=m["user_agent"],
        ip=m["ip"],
    )


def _token_from_row(row: Row[Any]) -> MemberToken:
    m = row._mapping
    return MemberToken(
        id=m["id"],
        member_id=m["member_id"],
        kind=TokenKind(m["kind"]),
        prefix=m["prefix"],
        name=m["name"],
        scope=m["scope"],
        created_at=m["created_at"],
        last_used_at=m["last_used_at"],
        revoked_at=m["revoked_at"],
        token_hash=m["token_hash"],
    )


class CredentialsRepository(StoreBase):
    # Sign-in requests

    def add_signin_request(self, request: SignInRequest) -> None:
        """Store a new request; earlier unused requests for the address stop working (only
        the newest email's link and code sign in), and day-old rows are deleted."""
        with self.engine.begin() as connection:
            connection.execute(
                update(signin_requests)
                .where(signin_requests.c.email == request.email)
                .where(signin_requests.c.used_at.is_(None))
                .values(used_at=request.created_at, outcome="superseded")
            )
            connection.execute(
                delete(signin_requests).where(
                    signin_requests.c.created_at < request.created_at - SIGNIN_ROWS_KEPT
                )
            )
            connection.execute(
                insert(signin_requests).values(
                    email=request.email,
                    token_hash=request.token_hash,
                    attempt_hash=request.attempt_hash,
                    code_hash=request.code_hash,
                    created_at=request.created_at,
                    expires_at=request.expires_at,
                    failed_codes=0,
                    next_path=request.next_path,
                    ip=request.ip,
                    outcome="",
                )
            )

    def peek_signin_link(self, token_hash: str, *, now: datetime) -> bool:
        """Whether a link would sign in now (for the GET page; uses nothing)."""
        with read_connection(self.engine) as connection:
            found = connection.execute(
                select(signin_requests.c.id)
                .where(signin_requests.c.token_hash == token_hash)
                .where(signin_requests.c.used_at.is_(None))
                .where(signin_requests.c.expires_at > now)
            ).first()
        return found is not None

    def use_signin_link(self, token_hash: str, *, now: datetime) -> SignInUse | None:
        """Use a link once: the request's address and next path, or None (unknown, used,
        superseded or expired). Marks the request used (its code dies with it)."""
        with self.engine.begin() as connection:
            row = connection.execute(
                update(signin_requests)
                .where(signin_requests.c.token_hash == token_hash)
                .where(signin_requests.c.used_at.is_(None))
                .where(signin_requests.c.expires_at > now)
                .values(used_at=now, outcome="link")
                .returning(signin_requests.c.email, signin_requests.c.next_path)
            ).first()
        return None if row is None else SignInUse(email=row[0], next_path=row[1])

    def use_signin_code(
        self,
        attempt_hash: str,
        code_hash: str,
        *,
        now: datetime,
        max_failures: int,
        max_address_failures: int,
        since: datetime,
    ) -> SignInUse | None:
        """Use the code of the request this browser started (attempt_hash). A wrong code
        counts against the request: at max_failures it is burnt, and once the address has
        max_address_failures wrong codes since `since` (across its requests) every live
        request of the address is burnt."""
        live = (
            signin_requests.c.attempt_hash == attempt_hash,
            signin_requests.c.used_at.is_(None),
            signin_requests.c.expires_at > now,
        )
        with self.engine.begin() as connection:
            email = connection.execute(
                select(signin_requests.c.email).where(*live)
            ).scalar_one_or_none()
            if email is None:
                return None
            wrong = connection.execute(
                select(func.coalesce(func.sum(signin_requests.c.failed_codes), 0))
                .where(signin_requests.c.email == email)
                .where(signin_requests.c.created_at >= since)
            ).scalar_one()
            if wrong < max_address_failures:
                row = connection.execute(
                    update(signin_requests)
                    .where(*live)
                    .where(signin_requests.c.code_hash == code_hash)
                    .where(signin_requests.c.failed_codes < max_failures)
                    .values(used_at=now, outcome="code")
                    .returning(signin_requests.c.email, signin_requests.c.next_path)
                ).first()
                if row is not None:
                    return SignInUse(email=row[0], next_path=row[1])
                connection.execute(
                    update(signin_requests)
                    .where(*live)
                    .values(failed_codes=signin_requests.c.failed_codes + 1)
                )
                wrong += 1
            connection.execute(
                update(signin_requests)
                .where(*live)
                .where(signin_requests.c.failed_codes >= max_failures)
                .values(used_at=now, outcome="too many codes")
            )
            if wrong >= max_address_failures:
                connection.execute(
                    update(signin_requests)
                    .where(signin_requests.c.email == email)
                    .where(signin_requests.c.used_at.is_(None))
                    .values(used_at=now, outcome="too many codes for the address")
                )
        return None

    # Sessions

    def create_session(
        self,
        member_id: int,
        token_hash: str,
        *,
        now: datetime,
        expires_at: datetime,
        user_agent: str,
        ip: str | None,
        replaces: str | None = None,
    ) -> int:
        """A new session; `replaces` (the browser's previous session, if any) ends in the
        same transaction, so signing in never keeps an old or planted session id alive."""
        with self.engine.begin() as connection:
            if replaces is not None:
                connection.execute(
                    delete(member_sessions).where(member_sessions.c.token_hash == replaces)
                )
            connection.execute(  # the member's lapsed sessions go when a new one comes
                delete(member_sessions)
                .where(member_sessions.c.member_id == member_id)
                .where(member_sessions.c.expires_at <= now)
            )
            session_id: int = connection.execute(
                insert(member_sessions)
                .values(
                    member_id=member_id,
                    token_hash=token_hash,
                    created_at=now,
                    last_seen_at=now,
                    expires_at=expires_at,
                    user_agent=user_agent[:300],
                    ip=ip,
                )
                .returning(member_sessions.c.id)
            ).scalar_one()
            connection.execute(
                update(members).where(members.c.id == member_id).values(last_signin_at=now)
            )
        return session_id

    def session_member(self, token_hash: str, *, now: datetime) -> CredentialUse | None:
        """The live session with this hash and its active member, or None. Notes the time
        it was seen (at most every few minutes, so reads stay reads)."""
        with read_connection(self.engine) as connection:
            row = connection.execute(
                select(member_sessions, *_MEMBER_COLUMNS)
                .join(members, members.c.id == member_sessions.c.member_id)
                .where(member_sessions.c.token_hash == token_hash)
                .where(member_sessions.c.expires_at > now)
                .where(members.c.deleted_at.is_(None))
            ).first()
        if row is None:
            return None
        session = _session_from_row(row)
        member = member_from_row(row, "m_")
        if session.last_seen_at is None or session.last_seen_at < now - LAST_USED_EVERY:
            with self.engine.begin() as connection:
                connection.execute(
                    update(member_sessions)
                    .where(member_sessions.c.id == session.id)
                    .values(last_seen_at=now)
                )
        return CredentialUse(member=member, credential_id=session.id)

    def member_sessions(self, member_id: int, *, now: datetime) -> list[SessionInfo]:
        """The member's live sessions, most recently seen first."""
        with read_connection(self.engine) as connection:
            rows = connection.execute(
                select(member_sessions)
                .where(member_sessions.c.member_id == member_id)
                .where(member_sessions.c.expires_at > now)
                .order_by(member_sessions.c.last_seen_at.desc(), member_sessions.c.id.desc())
            ).all()
        return [_session_from_row(row) for row in rows]

    def end_session(self, member_id: int, session_id: int) -> bool:
        with self.engine.begin() as connection:
            result = connection.execute(
                delete(member_sessions)
                .where(member_sessions.c.id == session_id)
                .where(member_sessions.c.member_id == member_id)
            )
        return result.rowcount > 0

    def end_session_by_hash(self, token_hash: str) -> bool:
        with self.engine.begin() as connection:
            result = connection.execute(
                delete(member_sessions).where(member_sessions.c.token_hash == token_hash)
            )
        return result.rowcount > 0

    def end_all_sessions(self, member_id: int) -> int:
        with self.engine.begin() as connection:
            result = connection.execute(
                delete(member_sessions).where(member_sessions.c.member_id == member_id)
            )
        return int(result.rowcount)

    # API keys and private feed tokens

    def add_member_token(
        self,
        member_id: int,
        kind: TokenKind,
        *,
        prefix: str,
        token_hash: str,
        name: str,
        scope: str,
        now: datetime,
    ) -> MemberToken:
        with self.engine.begin() as connection:
            token_id = connection.execute(
                insert(member_tokens)
                .values(
                    member_id=member_id,
                    kind=str(kind),
                    prefix=prefix,
                    token_hash=token_hash,
                    name=name[:100],
                    scope=scope,
                    created_at=now,
                )
                .returning(member_tokens.c.id)
            ).scalar_one()
        return MemberToken(
            id=token_id,
            member_id=member_id,
            kind=kind,
            prefix=prefix,
            name=name[:100],
            scope=scope,
            created_at=now,
            token_hash=token_hash,
        )

    def token_member(
        self, kind: TokenKind, prefix: str, *, now: datetime
    ) -> tuple[MemberToken, str, Member] | None:
        """(token, its stored hash, its active member) for a live token with this prefix; the
        caller compares the hash. Notes when it was used (at most every few minutes)."""
        with read_connection(self.engine) as connection:
            row = connection.execute(
                select(member_tokens, *_MEMBER_COLUMNS)
                .join(members, members.c.id == member_tokens.c.member_id)
                .where(member_tokens.c.prefix == prefix)
                .where(member_tokens.c.kind == str(kind))
                .where(member_tokens.c.revoked_at.is_(None))
                .where(members.c.deleted_at.is_(None))
            ).first()
        if row is None:
            return None
        token = _token_from_row(row)
        stored_hash: str = row._mapping["token_hash"]
        if token.last_used_at is None or token.last_used_at < now - LAST_USED_EVERY:
            with self.engine.begin() as connection:
                connection.execute(
                    update(member_tokens)
                    .where(member_tokens.c.id == token.id)
                    .values(last_used_at=now)
                )
        return token, stored_hash, member_from_row(row, "m_")

    def member_tokens(self, member_id: int, kind: TokenKind | None = None) -> list[MemberToken]:
        """The member's live tokens (of a kind), newest first."""
        query = (
            select(member_tokens)
            .where(member_tokens.c.member_id == member_id)
            .where(member_tokens.c.revoked_at.is_(None))
            .order_by(member_tokens.c.created_at.desc(), member_tokens.c.id.desc())
        )
        if kind is not None:
            query = query.where(member_tokens.c.kind == str(kind))
        with read_connection(self.engine) as connection:
            rows = connection.execute(query).all()
        return [_token_from_row(row) for row in rows]

    def revoke_member_token(
        self, prefix: str, *, now: datetime, member_id: int | None = None
    ) -> MemberToken | None:
        """Revoke the live token with this prefix (only the member's own, when member_id is
        given); the revoked token, or None when there was no such live token."""
        query = (
            update(member_tokens)
            .where(member_tokens.c.prefix == prefix)
            .where(member_tokens.c.revoked_at.is_(None))
        )
        if member_id is not None:
            query = query.where(member_tokens.c.member_id == member_id)
        with self.engine.begin() as connection:
            row = connection.execute(
                query.values(revoked_at=now).returning(*member_tokens.c)
            ).first()
        return None if row is None else _token_from_row(row)


_MEMBER_COLUMNS = tuple(column.label(f"m_{column.name}") for column in members.c)
