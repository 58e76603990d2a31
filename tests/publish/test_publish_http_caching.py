"""HTTP caching (publish/web/caching.py): Cache-Control and Vary by viewer, ETags that depend
on the viewer's access, 304s on pages, the API and feeds; nothing viewer-dependent is public."""

from __future__ import annotations

from fastapi.testclient import TestClient
from leak_world import CANARY_MARKERS, LeakWorld

from site_fixtures import ADMIN_AUTH
from site_viewers import as_viewer, feed_token

PUBLIC_PAGE = "public, max-age=0, s-maxage=30"


def test_an_anonymous_page_is_public_for_proxies_tagged_and_revalidated(
    leak_client: TestClient, leak_world: LeakWorld
) -> None:
    path = f"/articles/{leak_world.reader_id}"
    first = leak_client.get(path)
    assert first.status_code == 200
    assert first.headers["cache-control"] == PUBLIC_PAGE
    assert first.headers["vary"] == "Cookie, Authorization"
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert etag.startswith('"') and modified.endswith(" GMT")
    again = leak_client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag and again.headers["vary"] == "Cookie, Authorization"
    assert "content-type" not in again.headers
    # Security headers come from the outer layer, so a 304 carries them too.
    assert "default-src 'self'" in again.headers["content-security-policy"]
    weak = leak_client.get(path, headers={"If-None-Match": f'"other", W/{etag}'})
    assert weak.status_code == 304
    assert leak_client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200
    assert leak_client.get(path, headers={"If-Modified-Since": modified}).status_code == 304
    old = "Mon, 01 Jan 2024 00:00:00 GMT"
    assert leak_client.get(path, headers={"If-Modified-Since": old}).status_code == 200
    for garbage in ("yesterday", "", "Mon, 99 Foo 2024 99:99:99 GMT"):
        assert leak_client.get(path, headers={"If-Modified-Since": garbage}).status_code == 200
    # If-None-Match decides when both are sent (RFC 9110 13.2.2).
    both = leak_client.get(path, headers={"If-None-Match": '"x"', "If-Modified-Since": modified})
    assert both.status_code == 200


def test_a_member_never_shares_an_etag_or_a_304_with_an_anonymous_reader(
    leak_client: TestClient, leak_world: LeakWorld
) -> None:
    path = f"/articles/{leak_world.pro_id}"
    anonymous = leak_client.get(path)
    pro = leak_client.get(path, headers=as_viewer("pro"))
    free = leak_client.get(path, headers=as_viewer("free"))
    assert pro.headers["cache-control"] == free.headers["cache-control"] == "private, no-cache"
    assert len({anonymous.headers["etag"], pro.headers["etag"], free.headers["etag"]}) == 3
    # Revalidating the anonymous copy as a member gets the member's page, and the other way.
    as_member = leak_client.get(
        path, headers={**as_viewer("pro"), "If-None-Match": anonymous.headers["etag"]}
    )
    assert as_member.status_code == 200
    assert all(marker in as_member.text for marker in CANARY_MARKERS)
    as_anonymous = leak_client.get(path, headers={"If-None-Match": pro.headers["etag"]})
    assert as_anonymous.status_code == 200
    assert not any(marker in as_anonymous.text for marker in CANARY_MARKERS)
    # A member's own copy revalidates as theirs.
    mine = leak_client.get(path, headers={**as_viewer("pro"), "If-None-Match": pro.headers["etag"]})
    assert mine.status_code == 304 and mine.headers["cache-control"] == "private, no-cache"


def test_pro_content_is_never_public(leak_client: TestClient, leak_world: LeakWorld) -> None:
    paths = [
        f"/articles/{leak_world.pro_id}",
        f"/api/v1/articles/{leak_world.pro_id}",
        f"/stories/{leak_world.story_id}",
        f"/sectors/{leak_world.sector_id}",
        f"/api/v1/stories/{leak_world.story_id}",
        f"/feeds/private/{feed_token('pro')}/top.xml",
    ]
    for viewer in ("pro", "pro key", "team seat"):
        for path in paths:
            response = leak_client.get(path, headers=as_viewer(viewer))
            control = response.headers.get("cache-control", "")
            if any(marker in response.text for marker in CANARY_MARKERS):
                assert "public" not in control, (viewer, path, control)
            if response.status_code == 200 and "/feeds/private/" not in path:
                assert control.startswith("private"), (viewer, path, control)
            assert "Cookie" in response.headers.get("vary", "Cookie") or "feeds" in path


def test_api_answers_and_feeds_have_etags_and_304s(
    leak_client: TestClient, leak_world: LeakWorld
) -> None:
    for path in (f"/api/v1/articles/{leak_world.reader_id}", "/api/v1/stories", "/feeds/top.xml"):
        first = leak_client.get(path)
        assert first.status_code == 200, path
        again = leak_client.get(path, headers={"If-None-Match": first.headers["etag"]})
        assert again.status_code == 304, path
    api = leak_client.get("/api/v1/stories")
    assert api.headers["cache-control"] == PUBLIC_PAGE
    assert "Authorization" in api.headers["vary"]
    keyed = leak_client.get("/api/v1/stories", headers=as_viewer("pro key"))
    assert keyed.headers["cache-control"] == "private, no-cache"
    assert keyed.headers["etag"] != api.headers["etag"]
    feed = leak_client.get("/feeds/top.xml")
    assert feed.headers["cache-control"] == "public, max-age=300"  # the route's own choice
    private = leak_client.get(f"/feeds/private/{feed_token('pro')}/top.xml")
    assert private.headers["cache-control"] == "private, no-cache" and "etag" in private.headers


def test_sign_in_account_and_admin_stay_unstored(leak_client: TestClient) -> None:
    admin = leak_client.get("/admin/analysis", auth=ADMIN_AUTH)
    assert admin.status_code == 200
    assert admin.headers["cache-control"] == "no-store" and "etag" not in admin.headers
    signin = leak_client.get("/signin")
    assert "no-store" in signin.headers["cache-control"] and "etag" not in signin.headers
    account = leak_client.get("/account", headers=as_viewer("pro"))
    assert "no-store" in account.headers["cache-control"] and "etag" not in account.headers
    assert "x-page-cache" not in admin.headers


def test_errors_and_refusals_are_not_public(leak_client: TestClient) -> None:
    missing = leak_client.get("/articles/999999999")
    assert missing.status_code == 404 and "public" not in missing.headers.get("cache-control", "")
    assert "etag" not in missing.headers
    refused = leak_client.get("/api/v1/stories", headers=as_viewer("revoked key"))
    assert refused.status_code == 401
    assert "public" not in refused.headers.get("cache-control", "")
    assert "Authorization" in refused.headers["vary"]


def test_the_policy_in_one_function() -> None:
    from datetime import UTC, datetime

    from newsdesk.domain.access import ANONYMOUS, Plan, Viewer, ViewerKind
    from newsdesk.publish.web.caching import cache_control, not_modified

    member = Viewer(ViewerKind.MEMBER, member_id=7, plan=Plan.PRO)

    def decide(**changes: object) -> str | None:
        facts: dict[str, object] = {
            "method": "GET",
            "status": 200,
            "path": "/articles/1",
            "own": None,
            "viewer_dependent": True,
            "viewer": ANONYMOUS,
            "sets_cookie": False,
            "shared_seconds": 30,
        }
        return cache_control(**{**facts, **changes})  # type: ignore[arg-type]

    assert decide() == PUBLIC_PAGE
    assert decide(shared_seconds=0) == "no-cache"
    assert decide(viewer=member) == "private, no-cache"
    assert decide(viewer=None) == "private, no-cache"  # a refused credential
    assert decide(sets_cookie=True) == "private, no-cache"
    assert decide(own="public, max-age=300", viewer=member) == "private, no-cache"
    assert decide(own="no-store, private", viewer=member) == "no-store, private"
    assert decide(path="/admin/x", own="public, max-age=60") == "no-store"
    assert decide(status=404) is None and decide(method="POST") is None
    assert decide(viewer_dependent=False) == "no-cache"
    assert decide(viewer_dependent=False, own="public, max-age=300") == "public, max-age=300"
    moment = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
    for hostile in ("", ",,,", '"' * 5000, "W/", "\x00"):
        assert not not_modified({"if-none-match": hostile}, '"abc"', moment)
    assert not_modified({"if-none-match": "*"}, '"abc"', moment)
    assert not not_modified({"if-none-match": '"abc"'}, None, moment)
    assert not_modified({"if-modified-since": "Sat, 05 Dec 2026 12:00:00 GMT"}, None, moment)
    assert not not_modified({"if-modified-since": "Sat, 05 Dec 2026 11:59:59 GMT"}, None, moment)
    assert not_modified({"if-modified-since": "Sat, 05 Dec 2026 12:00:00"}, None, moment)
