"""How the site applies the access policy beyond "is the canary there": the preview itself,
its call to action, the metadata that says a piece is not free, the viewer dependency (asked
on every request, credentials refused clearly) and the cache headers."""

from __future__ import annotations

import json
import re
from dataclasses import replace

from fastapi.testclient import TestClient
from leak_world import CANARY_FIGURE, PREVIEW, LeakWorld

from newsdesk.domain.access import Plan, Viewer, ViewerKind
from site_viewers import FakeResolver, as_viewer


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


def test_the_viewer_is_resolved_on_every_request(
    leak_site: tuple[TestClient, FakeResolver], leak_world: LeakWorld
) -> None:
    """A seat removed (or a plan ended) while signed in: the next request is a preview."""
    client, resolver = leak_site
    plans = iter([Plan.TEAM, Plan.FREE])

    class SeatRemovedBetweenRequests:
        def __call__(self, request: object) -> Viewer:
            return Viewer(ViewerKind.MEMBER, 7, next(plans))

    site = client.app.state.site  # type: ignore[attr-defined]
    client.app.state.site = replace(site, viewer_resolver=SeatRemovedBetweenRequests())  # type: ignore[attr-defined]
    try:
        headers = {"cookie": "session=abc"}
        first = client.get(f"/articles/{leak_world.pro_id}", headers=headers).text
        second = client.get(f"/articles/{leak_world.pro_id}", headers=headers).text
    finally:
        client.app.state.site = site  # type: ignore[attr-defined]
    assert CANARY_FIGURE in first and CANARY_FIGURE not in second
    assert resolver is site.viewer_resolver  # the module's resolver is back for the next test


def test_rejected_credentials_are_refused_not_downgraded(
    leak_client: TestClient, leak_world: LeakWorld
) -> None:
    revoked = as_viewer("revoked key")
    api = leak_client.get(f"/api/v1/articles/{leak_world.pro_id}", headers=revoked)
    assert api.status_code == 401 and api.json() == {"error": "invalid or revoked API key"}
    assert api.headers["www-authenticate"].startswith("Bearer")
    assert api.headers["vary"] == "Cookie, Authorization"
    feed = leak_client.get("/feeds/private/revoked-key/top.xml")
    assert feed.status_code == 404
    assert leak_client.get("/feeds/private/pro-key/top.xml").status_code == 404  # a key


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
    feed = leak_client.get("/feeds/private/pro/top.xml")
    assert feed.headers["cache-control"] == "private, no-cache"
    assert feed.headers["x-robots-tag"] == "noindex, nofollow"
    assert feed.headers["referrer-policy"] == "no-referrer"
    public = leak_client.get("/feeds/top.xml", headers=as_viewer("pro"))
    assert public.headers["cache-control"] == "public, max-age=300" and "vary" not in public.headers


def test_windowed_analysis_is_cut_for_non_pro_viewers(leak_client: TestClient) -> None:
    anonymous = leak_client.get("/api/v1/trends", params={"weeks": "52"}).json()
    assert anonymous["weeks"] == 4
    pro = leak_client.get("/api/v1/trends", params={"weeks": "52"}, headers=as_viewer("pro"))
    assert pro.json()["weeks"] == 52
    assert "Pro</a> shows trends" in leak_client.get("/trends", params={"weeks": "26"}).text
    facts = leak_client.get("/facts").text
    assert "Facts first reported in the last seven days" in facts
    assert "Facts first reported" not in leak_client.get("/facts", headers=as_viewer("pro")).text
