"""What every route needs, through one typed dependency: the store, the site's options and
the rate limiter.

    @router.get("/x")
    def page(site: Site) -> ...:
        site.store.article_detail(...); site.options.site_name

create_app puts one SiteContext on the app; nothing else reads the store, the options or the
limiter from app.state.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Protocol

from fastapi import Depends, Request

from newsdesk.domain.models import Source
from newsdesk.domain.ratelimit import RateLimiter
from newsdesk.publish.ports import InsightsStore, ReadingStore, SearchStore, SectorCorrectionStore
from newsdesk.publish.web.options import SiteOptions


class SiteStore(ReadingStore, SearchStore, InsightsStore, SectorCorrectionStore, Protocol):
    """Everything the site reads and the admin pages write (SqlStore implements it)."""

    def list_sources(self) -> list[Source]: ...


@dataclass(frozen=True)
class SiteContext:
    store: SiteStore
    options: SiteOptions
    limiter: RateLimiter  # the app's one rate limiter (admin login back-off; see security.py)


def site_context(request: Request) -> SiteContext:
    context: SiteContext = request.app.state.site
    return context


Site = Annotated[SiteContext, Depends(site_context)]
