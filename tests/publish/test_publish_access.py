"""How the site applies the access policy beyond "is the canary there": the preview itself,
its call to action, the metadata that says a piece is not free, the viewer dependency (asked
on every request, credentials refused clearly) and the cache headers."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
from fastapi import HTTPException
from fastapi.testclient import TestClient
from leak_world import CANARY_FIGURE, PREVIEW, LeakWorld
from starlette.requests import Request

from newsdesk.domain.access import DEFAULT_POLICY, Plan, Resource
from newsdesk.members.secrets import digest
from newsdesk.store import open_store
from site_fixtures import site_settings
from site_viewers import VIEWER_NAMES, api_key, as_viewer, feed_token, viewer_named


def json_ld(html: str) -> dict[str, object]:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match is not None
    loaded: dict[str, object] = json.loads(match.group(1))
    return loaded


def test_a_preview_is_the_paragraphs_before_the_break_and_a_call_to_action(
    leak_client: TestClient, leak_world: LeakWorld
) -> None:
    html = leak_client.get(f"/articles/{leak_world.pro_id}").text
    body = html.split('class="body"', 1)[1].split("</section>", 1)[0]
    assert body.count("<p>") == 2
    assert PREVIEW[0][:40] in body and "Epangelo" in body
    assert 'class="paywall"' in html and 'href="/pro"' in html
    assert "Elevate your business with" in html
    data = json_ld(html)
    assert data["isAccessibleForFree"] is False
    assert data["hasPart"] == {
        "@type": "WebPageElement",
        "isAccessibleForFree": False,
        "cssSelector": ".paywall",
    }
    assert 'property="og:description"' in html and CANARY_FIGURE not in html


def test_a_full_reader_gets_the_whole_piece_without_a_paywall(
    leak_client: TestClient, leak_world: LeakWorld
) -> None:
    html = leak_client.get(f"/articles/{leak_world.pro_id}", headers=as_viewer("pro")).text
    assert 'class="paywall"' not in html and 'data-access="full"' in html
    data = json_ld(html)
    assert data["isAccessibleForFree"] is False and "hasPart" not in data
    api = leak_client.get(
        f"/api/v1/articles/{leak_world.pro_id}", headers=as_viewer("pro key")
    ).json()
    assert api["access"] == "full" and api["visibility"] == "pro"
    preview = leak_client.get(f"/api/v1/articles/{leak_world.pro_id}").json()
    assert preview["access"] == "preview" and preview["body_html"].count("<p>") == 2


def test_public_articles_stay_free_for_everyone(
    leak_client: TestClient, leak_world: LeakWorld
) -> None:
    html = leak_client.get(f"/articles/{leak_world.reader_id}").text
    assert 'class="paywall"' not in html and json_ld(html)["isAccessibleForFree"] is True


def test_the_real_resolver_answers_each_test_viewer_as_the_matrix_expects(
    leak_world: LeakWorld,
) -> None:
    """The leak matrix's expectations (viewer_named) and what the members package resolves
    from the enrolled members' credentials are the same viewers."""
    from newsdesk.bootstrap import members_options
    from newsdesk.members.viewer import MemberViewerResolver

    settings = site_settings(leak_world.data_dir)
    store = open_store(settings.store.sqlalchemy_url)
    try:
        resolver = MemberViewerResolver(store, members_options(settings))
        now = datetime.now(UTC)
        for name in VIEWER_NAMES:
            request = _request(as_viewer(name))
            if name == "revoked key":
                with pytest.raises(HTTPException) as refused:
                    resolver(request)
                assert refused.value.status_code == 401
                continue
            viewer, expected = resolver(request), viewer_named(name, now)
            assert (viewer.kind, viewer.plan) == (expected.kind, expected.plan), name
            assert viewer.signed_in is (name != "anonymous"), name
    finally:
        store.close()


def _request(headers: dict[str, str], path_params: dict[str, str] | None = None) -> Request:
    return Request(
        {
            "type": "http",
            "method": "GET",
            "path": "/",
            "query_string": b"",
            "headers": [(k.encode(), v.encode()) for k, v in headers.items()],
            "path_params": path_params or {},
        }
    )


def test_a_seat_removed_or_a_plan_revoked_while_signed_in_counts_on_the_next_request(
    leak_client: TestClient, leak_world: LeakWorld
) -> None:
    """Nothing is cached across requests: the seat holder and the Pro member still hold their
    session cookies, and their next request is a preview."""
    settings = site_settings(leak_world.data_dir)
    store = open_store(settings.store.sqlalchemy_url)
    now = datetime.now(UTC)
    path = f"/articles/{leak_world.pro_id}"
    try:
        owner = store.ensure_member("owner-between@viewers.example", now=now)
        holder = store.ensure_member("seat-between@viewers.example", now=now)
        downgraded = store.ensure_member("pro-between@viewers.example", now=now)
        grant = {"source": "admin", "reason": "test", "actor": "tests", "now": now}
        month = now + timedelta(days=30)
        store.grant_plan(owner.id, Plan.TEAM, until=month, seats=2, **grant)
        store.grant_plan(downgraded.id, Plan.PRO, until=month, **grant)
        seat = store.add_team_seat(owner.id, holder.email or "", now=now, actor="tests", limit=2)
        assert seat is not None
        cookies = {}
        for member in (holder, downgraded):
            token = f"between-{member.id}"
            store.create_session(
                member.id, digest(token), now=now, expires_at=month, user_agent="t", ip=None
            )
            cookies[member.id] = {"cookie": f"nd_session={token}"}
        assert CANARY_FIGURE in leak_client.get(path, headers=cookies[holder.id]).text
        assert CANARY_FIGURE in leak_client.get(path, headers=cookies[downgraded.id]).text
        store.remove_team_seat(owner.id, seat.id, now=now, actor="tests")
        store.revoke_plan(downgraded.id, source="admin", reason="test", actor="tests", now=now)
        for member in (holder, downgraded):
            again = leak_client.get(path, headers=cookies[member.id])
            assert again.status_code == 200
            assert CANARY_FIGURE not in again.text and 'class="paywall"' in again.text
    finally:
        store.close()


def test_rejected_credentials_are_refused_not_downgraded(
    leak_client: TestClient, leak_world: LeakWorld
) -> None:
    revoked = as_viewer("revoked key")
    api = leak_client.get(f"/api/v1/articles/{leak_world.pro_id}", headers=revoked)
    assert api.status_code == 401 and api.json() == {"error": "invalid or revoked API key"}
    assert api.headers["www-authenticate"].startswith("Bearer")
    assert api.headers["vary"] == "Cookie, Authorization"
    feed = leak_client.get(f"/feeds/private/{feed_token('revoked key')}/top.xml")
    assert feed.status_code == 404  # a revoked feed token
    assert leak_client.get(f"/feeds/private/{api_key('pro key')}/top.xml").status_code == 404


def test_viewer_dependent_responses_vary_and_signed_in_ones_are_private(
    leak_client: TestClient, leak_world: LeakWorld
) -> None:
    path = f"/articles/{leak_world.pro_id}"
    anonymous = leak_client.get(path)
    assert anonymous.headers["vary"] == "Cookie, Authorization"
    assert "private" not in anonymous.headers.get("cache-control", "")
    member = leak_client.get(path, headers=as_viewer("free"))
    assert member.headers["cache-control"] == "private, no-cache"
    key = leak_client.get("/api/v1/stories", headers=as_viewer("pro key"))
    assert key.headers["cache-control"] == "private, no-cache"
    assert "Authorization" in key.headers["vary"]
    feed = leak_client.get(f"/feeds/private/{feed_token('pro')}/top.xml")
    assert feed.headers["cache-control"] == "private, no-cache"
    assert feed.headers["x-robots-tag"] == "noindex, nofollow"
    assert feed.headers["referrer-policy"] == "no-referrer"
    public = leak_client.get("/feeds/top.xml", headers=as_viewer("pro"))
    assert public.headers["cache-control"] == "public, max-age=300" and "vary" not in public.headers


def test_windowed_analysis_is_cut_for_non_pro_viewers(leak_client: TestClient) -> None:
    anonymous = leak_client.get("/api/v1/trends", params={"weeks": "52"}).json()
    pro = leak_client.get("/api/v1/trends", params={"weeks": "52"}, headers=as_viewer("pro"))
    assert pro.json()["weeks"] == 52
    # The free window is four weeks back from now; the weeks end with the newest article's,
    # so a Monday before the week's first story leaves three of them inside it.
    window = DEFAULT_POLICY.free_window(Resource.TRENDS_HISTORY)
    assert window is not None
    since = datetime.now(UTC) - window
    mondays = [date.fromisoformat(c["week"]) for c in pro.json()["sectors"][0]["counts"]]
    inside = [m for m in mondays if datetime.combine(m, time.min, tzinfo=UTC) >= since]
    assert anonymous["weeks"] == len(inside) and 3 <= len(inside) <= 4
    assert [c["week"] for c in anonymous["sectors"][0]["counts"]] == [m.isoformat() for m in inside]
    assert "Pro</a> shows trends" in leak_client.get("/trends", params={"weeks": "26"}).text
    facts = leak_client.get("/facts").text
    assert "Facts first reported in the last seven days" in facts
    assert "Facts first reported" not in leak_client.get("/facts", headers=as_viewer("pro")).text
