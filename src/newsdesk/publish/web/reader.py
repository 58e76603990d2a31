"""Who is asking, once per request: the one viewer dependency every surface reads through.

    @router.get("/x")
    def page(site: Site, reader: CurrentReader) -> ...:
        decision = reader.article(detail.visibility)   # full | preview | none, with a reason
        site.store.search(q, scope=reader.scope)      # lists within what the viewer may read

CurrentReader builds on context.CurrentViewer, which asks the site's ViewerResolver (the
members package's, passed in by bootstrap; else everyone is anonymous) on every request:
nothing about a viewer is cached across requests. A response that went through it is
viewer-dependent: publish.web.caching adds ``Vary: Cookie, Authorization`` to it (also when
the resolver refused a credential), ``Cache-Control: private, no-cache`` when the viewer is
not anonymous, and ETags that depend on the viewer's access, so no shared cache hands one
viewer's page to another.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from newsdesk.domain.access import (
    ANONYMOUS,
    AccessDecision,
    AccessPolicy,
    Item,
    QuotaSurface,
    ReadScope,
    Resource,
    Viewer,
    Visibility,
    decide,
    quota_counter,
    read_scope,
    request_quota,
    window_start,
)
from newsdesk.domain.clients import rate_key
from newsdesk.domain.models import utcnow
from newsdesk.domain.preview import preview_length
from newsdesk.domain.ratelimit import RateLimit
from newsdesk.publish.web.context import CurrentViewer, Site


@dataclass(frozen=True)
class Reader:
    """The viewer of one request with the policy and instant its decisions are made at."""

    viewer: Viewer
    now: datetime
    policy: AccessPolicy
    scope: ReadScope

    @classmethod
    def of(cls, viewer: Viewer, now: datetime, policy: AccessPolicy) -> Reader:
        return cls(viewer, now, policy, read_scope(viewer, now, policy))

    def decide(self, item: Item) -> AccessDecision:
        return decide(self.viewer, item, self.now, self.policy)

    def article(self, visibility: Visibility) -> AccessDecision:
        return self.decide(Item(Resource.ARTICLE, visibility))

    def preview_length(self, own: int | None) -> int:
        return preview_length(own, self.policy.preview_paragraphs)

    def window_start(self, resource: Resource) -> datetime | None:
        """The oldest time of a windowed resource this reader sees; None: no limit."""
        return window_start(self.viewer, resource, self.now, self.policy)

    @property
    def signed_in(self) -> bool:
        return self.viewer.signed_in


def current_reader(request: Request, site: Site, viewer: CurrentViewer) -> Reader:
    # current_viewer marks the request; marked again here for a viewer given another way
    # (a dependency override), so the caching layer still treats the answer as the viewer's.
    request.state.viewer_dependent = True
    request.state.viewer = viewer
    reader = Reader.of(viewer, utcnow(), site.options.policy)
    enforce_quota(request, site, reader)
    return reader


def quota_surface(path: str) -> QuotaSurface | None:
    """The quota a request counts against: the API, full-text pages (articles and private
    feeds), or none (listings, search and analysis pages carry previews at most)."""
    if path.startswith("/api/"):
        return QuotaSurface.API
    if path.startswith(("/articles/", "/feeds/private/")):
        return QuotaSurface.PAGES
    return None


def uncounted_routes(routes: Iterable[APIRoute]) -> list[str]:
    """The routes a quota covers (by quota_surface of their path) that never ask
    CurrentReader, so no request to them would be counted: "METHODS path" each. create_app
    refuses to build an app with one, so a new API route cannot forget its quota."""
    return [
        f"{','.join(sorted(route.methods or ()))} {route.path}"
        for route in routes
        if quota_surface(route.path) is not None and not _asks_reader(route.dependant)
    ]


def _asks_reader(dependant: Dependant) -> bool:
    return any(sub.call is current_reader or _asks_reader(sub) for sub in dependant.dependencies)


def enforce_quota(request: Request, site: Site, reader: Reader) -> None:
    """Count the request against its viewer's quota (the site's one rate limiter, shared by
    every web process when it counts in the database); 429 with Retry-After beyond it."""
    surface = quota_surface(request.url.path)
    if surface is None or reader.policy.quota_scale <= 0:
        return
    _, quota = request_quota(reader.viewer, surface, reader.now, reader.policy)
    counter = quota_counter(reader.viewer)
    key = counter or rate_key(request.client.host if request.client else None)
    limit = RateLimit(f"quota-{surface.value}-{quota.seconds}", quota.requests, quota.seconds)
    decision = site.limiter.hit(key, [limit])
    if not decision.allowed:
        raise HTTPException(
            status_code=429,
            detail="Too many requests; try again later"
            + ("." if reader.signed_in else ", or sign in: members get more."),
            headers={"Retry-After": str(decision.retry_after)},
        )


CurrentReader = Annotated[Reader, Depends(current_reader)]


def reader_viewer(reader: CurrentReader) -> Viewer:
    """The viewer dependency for routers of other packages (reports, alerts' account pages):
    the viewer of the request's CurrentReader, so their answers are marked viewer-dependent
    (Vary, private; also a refused credential's 401) and count against the same quotas."""
    return reader.viewer


def anonymous_reader(site: Site) -> Reader:
    """A reader for public surfaces that carry previews whoever asks (public feeds,
    sitemaps): the same response for every viewer, so it stays cacheable."""
    return Reader.of(ANONYMOUS, utcnow(), site.options.policy)


AnonymousReader = Annotated[Reader, Depends(anonymous_reader)]
