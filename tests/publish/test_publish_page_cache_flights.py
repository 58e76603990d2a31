"""One render per miss (page_cache.SingleFlight in HttpCacheMiddleware): a burst of identical
anonymous misses renders the page once and the rest are served what it kept; an error is never
kept nor handed on (its waiters render on their own); a request with credentials never waits
for, nor gets, the anonymous render.

The route behind the middleware is a small ASGI app that counts its renders and holds the
first one until the expected requests wait for it (the middleware's own count of waiters), so
the burst is concurrent by construction, not by timing."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from types import SimpleNamespace

import httpx
import pytest
from starlette.requests import Request
from starlette.types import Receive, Scope, Send

from newsdesk.domain.access import ANONYMOUS, Viewer, ViewerKind
from newsdesk.domain.ratelimit import MemoryRateLimiter
from newsdesk.publish.web.caching import HttpCacheMiddleware
from newsdesk.publish.web.context import SiteContext
from newsdesk.publish.web.options import SiteOptions
from newsdesk.publish.web.page_cache import PageCache, SingleFlight

PATH = "/articles/7"
MEMBER = Viewer(kind=ViewerKind.API_KEY, member_id=1)
BURST = 8


def resolve(request: Request) -> Viewer:
    return MEMBER if "authorization" in request.headers else ANONYMOUS


class World:
    """The middleware over a counting route, on a site whose content version is fixed."""

    def __init__(self, *, hold_until: Callable[[World], bool], fail_first: bool = False):
        self.renders: list[str] = []
        self.hold_until = hold_until
        self.fail_first = fail_first
        store = SimpleNamespace(content_version=lambda: 3)
        site = SiteContext(
            store=store,  # type: ignore[arg-type]
            options=SiteOptions(),
            limiter=MemoryRateLimiter(),
            viewer_resolver=resolve,
        )
        self.pages = PageCache(max_bytes=1 << 20, seconds=60)
        self.middleware = HttpCacheMiddleware(self.route, shared_seconds=30, pages=self.pages)
        # A burst can take seconds to gather on a loaded machine: only the patience test below
        # lets waiters give up, so no other test depends on how fast the burst arrives.
        self.middleware.flights = SingleFlight(patience_seconds=3600)
        self.app = SimpleNamespace(state=SimpleNamespace(site=site))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope["app"] = self.app
        await self.middleware(scope, receive, send)

    async def route(self, scope: Scope, receive: Receive, send: Send) -> None:
        viewer = resolve(Request(scope))
        state = scope.setdefault("state", {})
        state["viewer_dependent"] = True
        state["viewer"] = viewer
        first = not self.renders
        self.renders.append(viewer.kind.value)
        if first:
            await self._hold()
            if self.fail_first:
                raise RuntimeError("the first render fails")
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"text/plain")],
            }
        )
        await send({"type": "http.response.body", "body": f"page for {viewer.kind}".encode()})

    async def _hold(self) -> None:
        for _ in range(20_000):  # a bound on the wait, not a time measured
            if self.hold_until(self):
                return
            await asyncio.sleep(0.001)
        raise AssertionError("the burst never gathered behind the first render")

    def waiting(self) -> int:
        return self.middleware.flights.waiters(f"3 {PATH}")


def burst(world: World, requests: list[dict[str, str]]) -> list[httpx.Response]:
    async def run() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=world, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://site") as client:
            return list(await asyncio.gather(*(client.get(PATH, headers=h) for h in requests)))

    return asyncio.run(run())


def test_a_burst_of_identical_misses_renders_the_page_once() -> None:
    world = World(hold_until=lambda w: w.waiting() == BURST - 1)
    answers = burst(world, [{}] * BURST)
    assert world.renders == ["anonymous"]
    assert {a.status_code for a in answers} == {200}
    assert {a.text for a in answers} == {"page for anonymous"}
    assert sorted(a.headers["x-page-cache"] for a in answers) == ["hit"] * (BURST - 1) + ["miss"]
    assert len({a.headers["etag"] for a in answers}) == 1
    assert len(world.middleware.flights) == 0  # landed


def test_an_error_is_not_kept_and_its_waiters_render_on_their_own() -> None:
    world = World(hold_until=lambda w: w.waiting() == BURST - 1, fail_first=True)
    answers = burst(world, [{}] * BURST)
    # The failed render, then the waiters: each renders, or is served what one of them kept.
    assert 2 <= len(world.renders) <= BURST
    assert sorted(a.status_code for a in answers) == [200] * (BURST - 1) + [500]
    assert {a.text for a in answers if a.status_code == 200} == {"page for anonymous"}
    assert len(world.middleware.flights) == 0
    kept = world.pages.get(PATH, 3)
    assert kept is not None and kept.body == b"page for anonymous"  # a later render was kept


@pytest.mark.parametrize(
    ("headers", "body"),
    [
        ({"Authorization": "Bearer member"}, "page for api_key"),
        # Any cookie, even one the resolver reads as anonymous: it renders on its own.
        ({"Cookie": "seen=1"}, "page for anonymous"),
    ],
)
def test_a_request_with_credentials_neither_waits_for_nor_gets_the_anonymous_render(
    headers: dict[str, str], body: str
) -> None:
    # The anonymous render is held until the other request has rendered on its own while an
    # anonymous one waits (the rest may arrive after the page is kept: they are hits then).
    world = World(hold_until=lambda w: w.waiting() >= 1 and len(w.renders) == 2)
    answers = burst(world, [{}] * BURST + [headers])
    other = answers[-1]
    assert other.status_code == 200 and other.text == body
    assert other.headers["x-page-cache"] == "miss"
    assert len(world.renders) == 2
    assert {a.text for a in answers[:-1]} == {"page for anonymous"}


def test_waiters_render_on_their_own_when_the_render_in_progress_outlasts_their_patience() -> None:
    # The first render is held until every waiter has given up on it and rendered itself.
    world = World(hold_until=lambda w: len(w.renders) == BURST)
    world.middleware.flights = SingleFlight(patience_seconds=0.01)
    answers = burst(world, [{}] * BURST)
    assert len(world.renders) == BURST
    assert {a.status_code for a in answers} == {200}
    assert {a.text for a in answers} == {"page for anonymous"}
    assert world.waiting() == 0
    assert len(world.middleware.flights) == 0
