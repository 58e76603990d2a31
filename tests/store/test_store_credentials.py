"""Sign-in requests, sessions and member tokens: single use, attempt limits and revocation
hold in the database, for any number of processes, on SQLite and PostgreSQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from newsdesk.domain.members import SignInRequest, TokenKind

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)


def request(email="a@example.com", n=1, at=NOW, ip="192.0.2.1"):
    return SignInRequest(
        email=email,
        token_hash=f"t{n}".ljust(64, "0"),
        attempt_hash=f"a{n}".ljust(64, "0"),
        code_hash=f"c{n}".ljust(64, "0"),
        created_at=at,
        expires_at=at + 15 * MINUTE,
        next_path="/account",
        ip=ip,
    )


def use_code(store, n, code_hash, at=NOW, max_failures=5, max_address_failures=10):
    return store.use_signin_code(
        f"a{n}".ljust(64, "0"),
        code_hash,
        now=at,
        max_failures=max_failures,
        max_address_failures=max_address_failures,
        since=at - HOUR,
    )


def test_a_link_signs_in_once_and_only_while_fresh(store):
    store.add_signin_request(request())
    token = "t1".ljust(64, "0")
    assert store.peek_signin_link(token, now=NOW)
    assert store.peek_signin_link(token, now=NOW)  # looking uses nothing
    used = store.use_signin_link(token, now=NOW + MINUTE)
    assert used is not None and used.email == "a@example.com" and used.next_path == "/account"
    assert store.use_signin_link(token, now=NOW + MINUTE) is None  # replayed
    assert not store.peek_signin_link(token, now=NOW)
    assert use_code(store, 1, "c1".ljust(64, "0")) is None  # its code died with it
    store.add_signin_request(request(n=2))
    assert store.use_signin_link("t2".ljust(64, "0"), now=NOW + 15 * MINUTE) is None  # expired


def test_two_processes_posting_one_link_sign_in_once(store):
    store.add_signin_request(request())
    token = "t1".ljust(64, "0")
    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(lambda _: store.use_signin_link(token, now=NOW), range(12)))
    assert sum(r is not None for r in results) == 1


def test_only_the_newest_request_of_an_address_works(store):
    store.add_signin_request(request(n=1))
    store.add_signin_request(request(n=2, at=NOW + MINUTE))
    assert store.use_signin_link("t1".ljust(64, "0"), now=NOW + MINUTE) is None
    assert store.use_signin_link("t2".ljust(64, "0"), now=NOW + MINUTE) is not None


def test_a_code_works_only_with_its_own_attempt(store):
    store.add_signin_request(request("a@example.com", n=1))
    store.add_signin_request(request("b@example.com", n=2))
    assert use_code(store, 2, "c1".ljust(64, "0")) is None  # a's code on b's attempt
    used = use_code(store, 1, "c1".ljust(64, "0"))
    assert used is not None and used.email == "a@example.com"
    assert use_code(store, 1, "c1".ljust(64, "0")) is None  # reused


def test_wrong_codes_burn_the_request(store):
    store.add_signin_request(request())
    right = "c1".ljust(64, "0")
    for _ in range(5):
        assert use_code(store, 1, "wrong".ljust(64, "0")) is None
    assert use_code(store, 1, right) is None  # right, but too late
    assert store.use_signin_link("t1".ljust(64, "0"), now=NOW) is None


def test_wrong_codes_across_requests_burn_every_request_of_the_address(store):
    for n in range(1, 4):
        store.add_signin_request(request(n=n, at=NOW + n * MINUTE))
        for _ in range(4):
            use_code(store, n, "wrong".ljust(64, "0"), at=NOW + n * MINUTE)
    # 12 wrong codes within the hour: the newest request is burnt although it had only 4
    assert use_code(store, 3, "c3".ljust(64, "0"), at=NOW + 4 * MINUTE) is None
    assert store.use_signin_link("t3".ljust(64, "0"), now=NOW + 4 * MINUTE) is None


def test_day_old_requests_are_deleted_as_new_ones_come(store):
    from sqlalchemy import select

    from newsdesk.store.schema import signin_requests

    store.add_signin_request(request(n=1, at=NOW - 2 * timedelta(days=1)))
    store.add_signin_request(request("b@example.com", n=2))
    with store.engine.connect() as connection:
        left = connection.execute(select(signin_requests.c.email)).scalars().all()
    assert left == ["b@example.com"]


def session(store, member_id, token_hash, at=NOW, replaces=None):
    return store.create_session(
        member_id,
        token_hash,
        now=at,
        expires_at=at + timedelta(days=30),
        user_agent="Firefox",
        ip="192.0.2.1",
        replaces=replaces,
    )


def test_sessions_live_until_they_expire_or_end(store):
    member = store.ensure_member("a@example.com", now=NOW)
    first = session(store, member.id, "s1".ljust(64, "0"))
    use = store.session_member("s1".ljust(64, "0"), now=NOW + HOUR)
    assert use is not None and use.member.id == member.id and use.credential_id == first
    assert store.session_member("s1".ljust(64, "0"), now=NOW + timedelta(days=31)) is None
    session(store, member.id, "s2".ljust(64, "0"))
    listed = store.member_sessions(member.id, now=NOW + HOUR)
    assert len(listed) == 2 and listed[0].last_seen_at == NOW + HOUR  # seen most recently
    assert store.end_session(member.id, first)
    assert not store.end_session(member.id + 1, first)
    assert store.session_member("s1".ljust(64, "0"), now=NOW) is None
    assert store.end_all_sessions(member.id) == 1
    assert store.member_sessions(member.id, now=NOW) == []


def test_signing_in_replaces_the_browsers_previous_session(store):
    alice = store.ensure_member("alice@example.com", now=NOW)
    bob = store.ensure_member("bob@example.com", now=NOW)
    session(store, bob.id, "old".ljust(64, "0"))
    session(store, alice.id, "new".ljust(64, "0"), replaces="old".ljust(64, "0"))
    assert store.session_member("old".ljust(64, "0"), now=NOW) is None
    assert store.session_member("new".ljust(64, "0"), now=NOW).member.id == alice.id
    assert store.get_member(alice.id).last_signin_at == NOW


def test_tokens_are_found_by_prefix_until_revoked(store):
    member = store.ensure_member("a@example.com", now=NOW)
    other = store.ensure_member("b@example.com", now=NOW)
    key = store.add_member_token(
        member.id,
        TokenKind.API_KEY,
        prefix="ndk_AAAAAAAA",
        token_hash="h" * 64,
        name="laptop",
        scope="read",
        now=NOW,
    )
    store.add_member_token(
        member.id,
        TokenKind.FEED,
        prefix="ndf_BBBBBBBB",
        token_hash="f" * 64,
        name="reader",
        scope="read",
        now=NOW,
    )
    found = store.token_member(TokenKind.API_KEY, "ndk_AAAAAAAA", now=NOW + HOUR)
    assert found is not None
    token, stored_hash, owner = found
    assert (token.id, stored_hash, owner.id) == (key.id, "h" * 64, member.id)
    assert store.token_member(TokenKind.FEED, "ndk_AAAAAAAA", now=NOW) is None  # wrong kind
    assert [t.prefix for t in store.member_tokens(member.id, TokenKind.API_KEY)] == ["ndk_AAAAAAAA"]
    assert store.member_tokens(member.id, TokenKind.API_KEY)[0].last_used_at == NOW + HOUR
    assert store.revoke_member_token("ndk_AAAAAAAA", now=NOW, member_id=other.id) is None
    revoked = store.revoke_member_token("ndk_AAAAAAAA", now=NOW)
    assert revoked is not None and revoked.revoked_at == NOW
    assert store.revoke_member_token("ndk_AAAAAAAA", now=NOW) is None
    assert store.token_member(TokenKind.API_KEY, "ndk_AAAAAAAA", now=NOW) is None
    assert [t.prefix for t in store.member_tokens(member.id)] == ["ndf_BBBBBBBB"]
