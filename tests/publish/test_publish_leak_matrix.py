"""The leak matrix: every surface × every viewer, against a canary after a Pro piece's break.

For each surface (a page, an API endpoint, a feed, a sitemap, an export, an error page) and
each viewer (anonymous, free, pro, expired pro, team seat, removed seat, free key, pro key,
revoked key), the canary's markers appear exactly when the access policy's decision for that
viewer on a `pro` piece is FULL. Public surfaces (public feeds, sitemaps) are the same for
everyone, so they never carry it; private feeds carry it exactly when their member reads the
piece in full. Viewer-dependent responses must say `Vary: Cookie, Authorization`, and be
`Cache-Control: private` for anyone signed in.

test_every_get_route_is_in_the_matrix keeps the table complete: a new GET route fails it
until it is added here or declared free of article text.

Viewers are real members (site_viewers): a session cookie, an API key or a private feed
token of a member whose plan comes from entitlement records and team seats, resolved by the
members package on every request, as in production. The expectation comes from decide() on
the viewer each name ought to be, apart from the resolver being checked.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from leak_world import CANARY_ENTITY, CANARY_MARKERS, CANARY_QUERY, LeakWorld

from newsdesk.deliver.digest import DigestRun
from newsdesk.domain.access import Item, Visibility, decide
from newsdesk.domain.subscribers import Subscriber, SubscriberStatus
from newsdesk.members.viewer import MemberRecipients
from newsdesk.publish.web.app import app_routes
from newsdesk.store import open_store
from site_fixtures import site_settings
from site_viewers import DOMAIN, KEYS, VIEWER_NAMES, as_viewer, email_of, feed_token, viewer_named

REPORT_ENV = "NEWSDESK_LEAK_MATRIX_REPORT"  # benchmarks/leak_matrix.py collects the counts
CANARY_AMOUNT = "987650000"  # the canary figure, in millions, as deal flow sums it

Fetch = Callable[[TestClient, LeakWorld, dict[str, str], str], list[httpx.Response]]


@dataclass(frozen=True)
class Surface:
    """kind: "viewer" (depends on the viewer, shows the piece's text to full readers),
    "titles" (depends on the viewer, but shows titles, counts or top lists only: must never
    carry the canary), "public" (the same for everyone: never) or "private_feed" (a member's
    feed URL). markers: what shows the piece to a full reader, if not the canary text."""

    name: str
    fetch: Fetch
    kind: str = "viewer"
    markers: Callable[[LeakWorld], tuple[str, ...]] = lambda _: ()


def _get(*paths: str) -> Fetch:
    """GET each path (formatted with the world: {pro}, {story}, {sector}, {reader}, {canary},
    {q}) as the viewer, following a redirect as the viewer too: httpx drops a Cookie header
    it did not set itself when it follows one, so the page behind /reports/dossier was read
    anonymously by every signed-in viewer."""

    def fetch(
        client: TestClient, world: LeakWorld, headers: dict[str, str], token: str
    ) -> list[httpx.Response]:
        answers = []
        for path in paths:
            answer = client.get(_path(path, world, token), headers=headers, follow_redirects=False)
            if answer.is_redirect:
                answer = client.get(answer.headers["location"], headers=headers)
            answers.append(answer)
        return answers

    return fetch


def _path(path: str, world: LeakWorld, token: str = "") -> str:
    return path.format(
        pro=world.pro_id,
        story=world.story_id,
        sector=world.sector_id,
        reader=world.reader_id,
        canary=quote(CANARY_ENTITY, safe=":"),
        q=CANARY_QUERY,
        token=token,
        week=world.week,
    )


def _pages(path: str, *, api: bool) -> Fetch:
    """Every page of a paged listing (API cursors, or ?page=N of the HTML listing)."""

    def fetch(
        client: TestClient, world: LeakWorld, headers: dict[str, str], token: str
    ) -> list[httpx.Response]:
        responses: list[httpx.Response] = []
        url = _path(path, world, token)
        for page in range(1, 200):
            if api:
                response = client.get(url, headers=headers)
                responses.append(response)
                cursor = response.json().get("next_cursor") if response.status_code == 200 else None
                if not cursor:
                    return responses
                url = _path(path, world, token) + f"&cursor={quote(cursor)}"
            else:
                response = client.get(f"{url}&page={page}", headers=headers)
                responses.append(response)
                if response.status_code != 200 or 'rel="next"' not in response.text:
                    return responses
        raise AssertionError(f"{path} never ended")

    return fetch


def _pdfs(*paths: str) -> Fetch:
    """GET each report PDF; a PDF's text (pypdf) stands for its body, so markers are found."""

    def fetch(
        client: TestClient, world: LeakWorld, headers: dict[str, str], token: str
    ) -> list[httpx.Response]:
        from pypdf import PdfReader

        responses = []
        for path in paths:
            response = client.get(_path(path, world, token), headers=headers)
            text = response.text
            if response.headers.get("content-type") == "application/pdf":
                pages = PdfReader(io.BytesIO(response.content)).pages
                text = "\n".join(page.extract_text() for page in pages)
            responses.append(
                httpx.Response(
                    response.status_code,
                    headers=response.headers,
                    text=text,
                    request=response.request,
                )
            )
        return responses

    return fetch


def _meta(
    client: TestClient, world: LeakWorld, headers: dict[str, str], token: str
) -> list[httpx.Response]:
    """Only the <head> of the article page: meta description, Open Graph, JSON-LD."""
    response = client.get(f"/articles/{world.pro_id}", headers=headers)
    head = response.text.split("</head>", 1)[0]
    return [
        httpx.Response(
            response.status_code, headers=response.headers, text=head, request=response.request
        )
    ]


SURFACES = (
    Surface("article page", _get("/articles/{pro}")),
    Surface("article meta, Open Graph, JSON-LD", _meta),
    Surface("article API", _get("/api/v1/articles/{pro}")),
    Surface("article list API", _get("/api/v1/articles?limit=100")),
    Surface("read more (page)", _get("/articles/{reader}")),
    Surface("read more (API)", _get("/api/v1/articles/{reader}")),
    Surface("story page", _get("/stories/{story}")),
    Surface("story API", _get("/api/v1/stories/{story}")),
    Surface("stories list", _get("/stories"), kind="titles"),
    Surface("stories API", _get("/api/v1/stories?limit=100")),
    Surface("home", _get("/")),
    Surface("sector page", _get("/sectors/{sector}")),
    Surface("sector stories API", _get("/api/v1/sectors/{sector}/stories?limit=100")),
    Surface("entity page", _get("/entities/{canary}")),
    Surface("entity API", _get("/api/v1/entities/{canary}")),
    Surface(
        "entity mentions API",
        _get("/api/v1/entities/{canary}/mentions"),
        # the canary organisation exists only after the break: its mentions list the piece
        markers=lambda world: (f"/articles/{world.pro_id}",),
    ),
    Surface("co-mentions (entity page)", _get("/entities/country:NA", "/entities/country:JP")),
    Surface(
        "co-mentions (entity API)",
        _get("/api/v1/entities/country:NA", "/api/v1/entities/country:JP"),
    ),
    Surface("entity listing", _pages("/entities?type=organisation", api=False)),
    Surface("entity listing API", _pages("/api/v1/entities?type=organisation&limit=100", api=True)),
    Surface("search page", _get("/search?q={q}", "/search?q=Japan&entity={canary}")),
    Surface("search API", _get("/api/v1/search?q={q}", "/api/v1/search?q=refinery&sort=date")),
    Surface("search snippets and highlights", _get("/search?q=Oshakati+refinery")),
    Surface("facts tracker", _get("/facts", "/facts?party={canary}", "/facts?type=investment")),
    Surface("facts API", _get("/api/v1/facts?limit=100", "/api/v1/facts?party={canary}")),
    Surface("facts CSV export", _get("/facts.csv", "/facts.csv?party={canary}")),
    # The canary organisation is not among the most named: the page must not show it.
    Surface("trends page", _get("/trends", "/trends?weeks=52"), kind="titles"),
    Surface("trends API", _get("/api/v1/trends?entity={canary}", "/api/v1/trends?weeks=4")),
    # Emerging entities are counted from the text each viewer may read: the canary
    # organisation (named once, after the break) is never among them, for anyone.
    Surface(
        "emerging trends",
        _get("/trends/emerging", "/trends/emerging.csv", "/api/v1/trends/emerging"),
        kind="titles",
    ),
    Surface(
        "sector momentum",
        _get(
            "/trends/momentum?weeks=52",
            "/trends/momentum.csv?weeks=52",
            "/api/v1/trends/momentum?weeks=52",
        ),
        kind="titles",
    ),
    Surface(
        "deal flow",
        _get(
            "/trends/deals?weeks=52",
            "/trends/deals?by=country&weeks=52",
            "/trends/deals.csv?weeks=52",
            "/api/v1/trends/deals?weeks=52",
            "/api/v1/trends/deals?by=country&weeks=52",
        ),
        # the canary investment ($987.65 million), stated only after the break, in the totals
        markers=lambda _: (CANARY_AMOUNT,),
    ),
    Surface(
        "reports (page, API, dossier)",
        _get(
            "/reports",
            "/reports/sectors/{sector}/{week}",
            "/api/v1/reports/sectors/{sector}/{week}",
            "/reports/entities/{canary}",
            "/api/v1/reports/entities/{canary}",
            "/reports/dossier?entity={canary}",
        ),
    ),
    Surface(
        "report PDFs",
        _pdfs("/reports/sectors/{sector}/{week}.pdf", "/reports/entities/{canary}.pdf"),
    ),
    Surface(
        "error pages",
        # an id beyond what a row holds: a 422 the article route answers for its viewer
        # ("/articles/{pro}x" names nothing now, a 404 before any viewer is asked for, the
        # same for everyone: test_publish_path_ids)
        _get(
            "/search?q={q}&sort=nope",
            "/facts?party={canary}&from=bad",
            "/articles/{pro}0000000000",
        ),
        kind="titles",
    ),
    Surface(
        "public feeds",
        _get(
            "/feeds/top.xml",
            "/feeds/top.atom",
            "/feeds/top.json",
            "/feeds/sectors/{sector}.xml",
            "/feeds/search.xml?q={q}",
            "/feeds/entities/{canary}.json",
            "/feeds/trends/emerging.xml",
            "/feeds/trends/emerging.atom",
            "/feeds/trends/emerging.json",
        ),
        kind="public",
    ),
    Surface(
        "private feeds",
        _get(
            "/feeds/private/{token}/top.xml",
            "/feeds/private/{token}/top.json",
            "/feeds/private/{token}/sectors/{sector}.atom",
            "/feeds/private/{token}/search.xml?q={q}",
            "/feeds/private/{token}/entities/{canary}.json",
        ),
        kind="private_feed",
    ),
    Surface(
        "sitemaps",
        _get(
            "/robots.txt",
            "/sitemap.xml",
            "/sitemaps/pages.xml",
            "/sitemaps/news.xml",
            "/sitemaps/articles-0.xml",
        ),
        kind="public",
    ),
)

# GET routes that carry no article text (nothing derived from a body) and need no row.
NO_ARTICLE_TEXT = {
    "/healthz",
    "/favicon.ico",
    "/sources",
    "/api/v1/sectors",
    "/openapi.json",
    "/static",
    "/admin/articles/{article_id}/sectors",  # admins read everything
    "/admin",  # links to the admin pages
    "/pro",  # what Pro includes, from the settings
    "/reports/dossier",  # the reports index's form: a redirect to the dossier (in the matrix)
    # A member's own account: sign-in forms, sessions, keys, feed URLs, their data as JSON.
    "/signin",
    "/signin/confirm",
    "/account",
    "/account/export",
}
# A Pro member's own alerts: their settings and delivery log (titles of matched articles)
# and the private feed of each alert, every request gated by decide(Resource.ALERT) for
# the alert's owner (tests/alerts: test_alerts_account.py, test_alerts_feed.py).
ALERT_ROUTES = {"/account/alerts", "/account/webhooks/{endpoint_id}", "/feeds/alerts/{token}.{ext}"}


def reads_pro_in_full(name: str) -> bool:
    if name in {"anonymous", "revoked key"}:
        return False
    now = datetime.now(UTC)
    return decide(viewer_named(name, now), Item(visibility=Visibility.PRO), now).full


def expected_full(surface: Surface, name: str) -> bool:
    if surface.kind in {"public", "titles"}:
        return False
    if surface.kind == "private_feed" and name in KEYS:
        return False  # an API key is no feed token: its URL does not exist
    return reads_pro_in_full(name)


def check(surface: Surface, client: TestClient, world: LeakWorld, name: str) -> list[str]:
    headers = {} if surface.kind == "private_feed" else as_viewer(name)
    expected = expected_full(surface, name)
    responses = surface.fetch(client, world, headers, feed_token(name))
    text = "\n".join(response.text for response in responses)
    problems = []
    found = [marker for marker in (*CANARY_MARKERS, *surface.markers(world)) if marker in text]
    if expected and not found:
        problems.append(f"{surface.name} × {name}: the canary is missing for a full reader")
    if not expected and found:
        problems.append(f"{surface.name} × {name}: LEAK of {found}")
    if surface.kind in {"viewer", "titles"}:
        problems += _cache_problems(surface, name, responses)
    if surface.kind == "private_feed" and (name == "anonymous" or name in KEYS):
        problems += [
            f"{surface.name} × {name}: {r.status_code} for an unknown or revoked token"
            for r in responses
            if r.status_code != 404
        ]
    return problems


def _cache_problems(surface: Surface, name: str, responses: list[httpx.Response]) -> list[str]:
    problems = []
    for response in responses:
        where = f"{surface.name} × {name} ({response.request.url.path})"
        if name == "revoked key":
            if response.status_code != 401:
                problems.append(f"{where}: a revoked key got {response.status_code}, not 401")
            continue
        vary = response.headers.get("vary", "").lower()
        if "cookie" not in vary or "authorization" not in vary:
            problems.append(f"{where}: Vary is {vary!r}")
        if name != "anonymous" and "private" not in response.headers.get("cache-control", ""):
            problems.append(f"{where}: not Cache-Control: private for a signed-in viewer")
    return problems


@pytest.mark.parametrize("surface", SURFACES, ids=[s.name for s in SURFACES])
def test_the_canary_appears_exactly_when_the_decision_is_full(
    surface: Surface, leak_client: TestClient, leak_world: LeakWorld
) -> None:
    problems: list[str] = []
    for name in VIEWER_NAMES:
        problems += check(surface, leak_client, leak_world, name)
    _report(surface, len(VIEWER_NAMES), problems)
    assert not problems, "\n".join(problems)


def test_every_get_route_is_in_the_matrix(leak_client: TestClient, leak_world: LeakWorld) -> None:
    covered = set()
    for surface in SURFACES:
        for name in ("pro", "anonymous"):
            responses = surface.fetch(leak_client, leak_world, as_viewer(name), feed_token("pro"))
            covered |= {_route_of(leak_client, r.request.url.path) for r in responses}
    routes = {route.path for route in _api_routes(leak_client) if "GET" in route.methods}
    assert "/articles/{article_id}" in routes, "the routes were not found: the test checks nothing"
    declared = NO_ARTICLE_TEXT | ALERT_ROUTES
    missing = sorted(routes - covered - declared - _other_packages(routes))
    assert not missing, f"GET routes not in the leak matrix: {missing}"


def _api_routes(client: TestClient) -> list[APIRoute]:
    return app_routes(client.app.routes)  # type: ignore[attr-defined]


def _route_of(client: TestClient, path: str) -> str | None:
    from starlette.routing import Match

    scope = {"type": "http", "path": path, "method": "GET", "root_path": ""}
    for route in _api_routes(client):
        if "GET" in route.methods and route.matches(scope)[0] is Match.FULL:
            return route.path
    return None


def _other_packages(routes: set[str]) -> set[str]:
    """Routes of the subscriber side (sign-up, preferences, the digest admin): forms and
    confirmations, no article text; the digest itself is checked with the emails."""
    prefixes = ("/subscribe", "/confirm", "/preferences", "/unsubscribe", "/admin/")
    return {route for route in routes if route.startswith(prefixes)}


def _report(surface: Surface, viewers: int, problems: list[str]) -> None:
    path = os.environ.get(REPORT_ENV)
    if not path:
        return
    with Path(path).open("a", encoding="utf-8") as out:
        out.write(
            json.dumps({"surface": surface.name, "viewers": viewers, "leaks": len(problems)}) + "\n"
        )


PEOPLE = tuple(name for name in VIEWER_NAMES if name not in KEYS)


def test_the_digest_carries_the_canary_exactly_for_full_readers(leak_world: LeakWorld) -> None:
    """The digest (HTML and text), per recipient's plan: each subscriber is the member with
    the same address, resolved as `newsdesk digest send` resolves them; API keys get no
    email."""
    from newsdesk.bootstrap import digest_options, site_sectors

    settings = site_settings(leak_world.data_dir)
    store = open_store(settings.store.sqlalchemy_url)
    problems = []
    try:
        # The digest day whose 24 hours before 07:00 UTC hold the piece's story, which is
        # stamped when the world was written: taken from the wall clock at test time instead,
        # a world written before 07:00 and a test after it (a long run) read the next day's.
        detail = store.article_detail(leak_world.pro_id)
        assert detail is not None and detail.story is not None
        assert detail.story.last_seen_at is not None
        seen = detail.story.last_seen_at.astimezone(UTC)
        day = (seen + timedelta(days=1 if seen.hour >= 7 else 0)).date()
        options = digest_options(settings, site_sectors(settings))
        run = DigestRun(store, options, _no_sender, recipients=MemberRecipients(store))
        for n, name in enumerate(PEOPLE, start=1):
            subscriber = Subscriber(
                email=f"nobody@{DOMAIN}" if name == "anonymous" else email_of(name),
                id=n,
                status=SubscriberStatus.ACTIVE,
                sectors=(leak_world.sector_id,),
                entities=(CANARY_ENTITY, "country:NA"),
            )
            rendered = run.preview(subscriber, day)
            assert rendered is not None, name
            text = rendered.html + rendered.text + rendered.subject
            found = [marker for marker in CANARY_MARKERS if marker in text]
            if reads_pro_in_full(name) and not found:
                problems.append(f"digest × {name}: the canary is missing for a full reader")
            if not reads_pro_in_full(name) and found:
                problems.append(f"digest × {name}: LEAK of {found}")
    finally:
        store.close()
    _report(Surface("digest email", _get()), len(PEOPLE), problems)
    assert not problems, "\n".join(problems)


def _no_sender() -> Any:
    raise AssertionError("a preview sends nothing")
