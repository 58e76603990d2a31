"""The viewer resolver through the site: sessions, API keys and feed tokens are read from the
store on every request, so a downgrade, a removed seat, a revoked key or feed token and a
deleted account all count on the very next request (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from newsdesk.bootstrap import members_options
from newsdesk.domain.access import Plan
from newsdesk.domain.models import utcnow
from newsdesk.members.accounts import create_api_key, create_feed_token, feed_token_for
from newsdesk.members.secrets import digest, new_opaque

DAY = timedelta(days=1)


def sign_in(site, email):
    """A session for email made the way sign-in makes one; the cookie set on the client."""
    member = site.store.ensure_member(email, now=utcnow())
    token = new_opaque()
    site.store.create_session(
        member.id,
        digest(token),
        now=utcnow(),
        expires_at=utcnow() + DAY,
        user_agent="test",
        ip=None,
    )
    options = members_options(site.settings)
    site.client.cookies.set(options.session_cookie, token, domain="insights.example")
    return member


def viewer(site, **kwargs):
    response = site.client.get("/api/v1/probe/viewer", **kwargs)
    assert response.status_code == 200, response.text
    return response.json()


def grant(site, member, plan, until=None, seats=0, source="admin"):
    site.store.grant_plan(
        member.id,
        plan,
        until=until,
        seats=seats,
        source=source,
        reason="test",
        actor="test",
        now=utcnow(),
    )


def test_no_credential_is_anonymous(member_site):
    assert viewer(member_site) == {
        "kind": "anonymous",
        "member": None,
        "plan": None,
        "until": None,
        "credential": "",
    }


def test_a_session_is_a_free_member_until_a_plan_is_granted(member_site):
    member = sign_in(member_site, "ann@example.com")
    shown = viewer(member_site)
    assert (shown["kind"], shown["member"], shown["plan"]) == ("member", member.id, "free")
    assert shown["credential"].startswith("session ")
    until = utcnow() + 30 * DAY
    grant(member_site, member, Plan.PRO, until=until)
    shown = viewer(member_site)
    assert shown["plan"] == "pro" and shown["until"].startswith(until.date().isoformat())


def test_a_member_downgraded_mid_session_sees_the_new_plan_on_the_next_request(member_site):
    member = sign_in(member_site, "ann@example.com")
    grant(member_site, member, Plan.PRO)
    assert viewer(member_site)["plan"] == "pro"
    grant(member_site, member, Plan.FREE)
    assert viewer(member_site)["plan"] == "free"
    grant(member_site, member, Plan.PRO)
    member_site.store.revoke_plan(
        member.id, source="admin", reason="refund", actor="admin", now=utcnow()
    )
    assert viewer(member_site)["plan"] == "free"


def test_an_unknown_or_ended_session_cookie_is_anonymous(member_site):
    options = members_options(member_site.settings)
    member_site.client.cookies.set(options.session_cookie, "forged", domain="insights.example")
    assert viewer(member_site)["kind"] == "anonymous"
    member = sign_in(member_site, "ann@example.com")
    assert viewer(member_site)["kind"] == "member"
    member_site.store.end_all_sessions(member.id)
    assert viewer(member_site)["kind"] == "anonymous"


def test_a_seat_removed_while_its_holder_is_signed_in_ends_on_the_next_request(member_site):
    owner = member_site.store.ensure_member("owner@example.com", now=utcnow())
    grant(member_site, owner, Plan.TEAM, seats=5)
    seat = member_site.store.add_team_seat(
        owner.id, "bea@example.com", now=utcnow(), actor="owner", limit=4
    )
    sign_in(member_site, "bea@example.com")
    assert viewer(member_site)["plan"] == "team"
    member_site.store.remove_team_seat(owner.id, seat.id, now=utcnow(), actor="owner")
    assert viewer(member_site)["plan"] == "free"


def test_an_api_key_is_its_members_viewer_until_revoked(member_site):
    store = member_site.store
    member = store.ensure_member("dev@example.com", now=utcnow())
    grant(member_site, member, Plan.PRO)
    created = create_api_key(
        store, members_options(member_site.settings), member, "laptop", now=utcnow()
    )
    headers = {"Authorization": f"Bearer {created.key}"}
    shown = viewer(member_site, headers=headers)
    assert (shown["kind"], shown["member"], shown["plan"]) == ("api_key", member.id, "pro")
    assert shown["credential"] == f"api key {created.token.prefix}"
    assert created.key not in str(shown)
    store.revoke_member_token(created.token.prefix, now=utcnow())
    refused = member_site.client.get("/api/v1/probe/viewer", headers=headers)
    assert refused.status_code == 401
    assert 'error="invalid_token"' in refused.headers["www-authenticate"]
    assert refused.json() == {"error": "invalid or revoked API key"}


@pytest.mark.parametrize(
    "credential",
    [
        "ndk_AAAAAAAAbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",  # well-formed, never issued
        "ndk_short",
        "ndf_AAAAAAAAbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",  # a feed token's shape
        "",
        "x" * 5000,
    ],
)
def test_a_bearer_that_is_not_a_live_key_is_refused(member_site, credential):
    response = member_site.client.get(
        "/api/v1/probe/viewer", headers={"Authorization": f"Bearer {credential}"}
    )
    assert response.status_code == 401


def test_a_key_with_the_right_prefix_and_a_wrong_secret_is_refused(member_site):
    store = member_site.store
    member = store.ensure_member("dev@example.com", now=utcnow())
    created = create_api_key(
        store, members_options(member_site.settings), member, "x", now=utcnow()
    )
    forged = created.key[:-4] + ("aaaa" if not created.key.endswith("aaaa") else "bbbb")
    response = member_site.client.get(
        "/api/v1/probe/viewer", headers={"Authorization": f"Bearer {forged}"}
    )
    assert response.status_code == 401


def test_api_keys_are_read_only(member_site):
    store = member_site.store
    member = store.ensure_member("dev@example.com", now=utcnow())
    created = create_api_key(
        store, members_options(member_site.settings), member, "x", now=utcnow()
    )
    response = member_site.client.post(
        "/api/v1/probe/viewer", headers={"Authorization": f"Bearer {created.key}"}
    )
    assert response.status_code == 403
    assert response.json() == {"error": "API keys are read-only"}


def test_a_feed_token_in_the_path_is_its_members_viewer_until_revoked(member_site):
    store = member_site.store
    options = members_options(member_site.settings)
    member = store.ensure_member("reader@example.com", now=utcnow())
    grant(member_site, member, Plan.PRO)
    token = create_feed_token(store, options, member, "reader", now=utcnow())
    url = f"/feeds/private/{feed_token_for(options.signing.current, token.prefix)}/probe"
    shown = member_site.client.get(url).json()
    assert (shown["kind"], shown["member"], shown["plan"]) == ("feed_token", member.id, "pro")
    store.revoke_member_token(token.prefix, now=utcnow())
    assert member_site.client.get(url).status_code == 404
    guessed = f"/feeds/private/{token.prefix}{'a' * 32}/probe"
    assert member_site.client.get(guessed).status_code == 404


def test_a_deleted_accounts_session_key_and_feed_token_stop_at_once(member_site):
    store = member_site.store
    options = members_options(member_site.settings)
    member = sign_in(member_site, "gone@example.com")
    grant(member_site, member, Plan.PRO)
    key = create_api_key(store, options, member, "k", now=utcnow())
    feed = create_feed_token(store, options, member, "f", now=utcnow())
    feed_url = f"/feeds/private/{feed_token_for(options.signing.current, feed.prefix)}/probe"
    assert viewer(member_site)["plan"] == "pro"
    store.delete_member(member.id, now=utcnow(), actor="member", reason="test")
    assert viewer(member_site)["kind"] == "anonymous"
    bearer = {"Authorization": f"Bearer {key.key}"}
    assert member_site.client.get("/api/v1/probe/viewer", headers=bearer).status_code == 401
    assert member_site.client.get(feed_url).status_code == 404


def test_admin_basic_auth_is_not_mistaken_for_a_key(member_site):
    assert viewer(member_site, headers={"Authorization": "Basic YWRtaW46eA=="})["kind"] == (
        "anonymous"
    )
