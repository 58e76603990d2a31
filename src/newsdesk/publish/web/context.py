"""What every route needs, through typed dependencies: the store, the site's options and the
rate limiter (``Site``), and who is asking (``CurrentViewer``; routes that show content use the
``CurrentReader`` of publish.web.reader, built on it).

    @router.get("/x")
    def page(site: Site, viewer: CurrentViewer) -> ...:
        site.store.article_detail(...); site.options.site_name
        decide(viewer, item, now)  # newsdesk.domain.access

create_app puts one SiteContext on the app; nothing else reads the store, the options, the
limiter or the viewer resolver from app.state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Protocol

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from newsdesk.domain.access import Viewer
from newsdesk.domain.models import Source
from newsdesk.domain.ratelimit import RateLimiter
from newsdesk.publish.ports import (
    ContentVersionStore,
    HouseDesk,
    InsightsStore,
    ProOffer,
    ReadingStore,
    SearchStore,
    SectorCorrectionStore,
    TrendsStore,
    ViewerResolver,
    anonymous_viewer,
)
from newsdesk.publish.web.options import SiteOptions


class SiteStore(
    ReadingStore,
    SearchStore,
    InsightsStore,
    SectorCorrectionStore,
    TrendsStore,
    ContentVersionStore,
    Protocol,
):
    """Everything the site reads and the admin pages write (SqlStore implements it)."""

    def list_sources(self) -> list[Source]: ...


@dataclass(frozen=True)
class SiteContext:
    store: SiteStore
    options: SiteOptions
    limiter: RateLimiter  # the app's one rate limiter (admin login back-off; see security.py)
    viewer_resolver: ViewerResolver = field(default=anonymous_viewer)
    house: HouseDesk | None = None  # the house analysis editor (None: its pages answer 404)
    pro_offer: ProOffer | None = None  # the Pro page's lead form or sign-up (members')


def site_context(request: Request) -> SiteContext:
    context: SiteContext = request.app.state.site
    return context


Site = Annotated[SiteContext, Depends(site_context)]


# Declared so that /openapi.json documents the API key scheme on every route that reads the
# viewer; the resolver does the checking (an absent key is simply anonymous).
api_key_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="apiKey",
    bearerFormat="ndk_…",
    description="A member's read-only API key (account page or `newsdesk apikeys create`), "
    "sent as `Authorization: Bearer ndk_…`. Without one, the API answers as for an anonymous "
    "reader; a revoked or unknown key is refused with 401.",
)


def current_viewer(
    request: Request,
    site: Site,
    _key: Annotated[HTTPAuthorizationCredentials | None, Depends(api_key_scheme)],
) -> Viewer:
    """The viewer of this request, resolved afresh (never cached across requests). The
    response is marked as depending on the viewer before the resolver runs, so even a refused
    credential's answer varies on the credentials (publish.web.caching reads the marks)."""
    request.state.viewer_dependent = True
    viewer = site.viewer_resolver(request)
    request.state.viewer = viewer
    return viewer


CurrentViewer = Annotated[Viewer, Depends(current_viewer)]
