"""The site with the alerts' account pages and feeds, for a viewer the test chooses (sign-in
is the members package's; these tests stand in its resolver with a fixed member)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from alert_world import Owners
from fastapi import FastAPI

from newsdesk.alerts.web import (
    AccountContext,
    AlertsWebContext,
    build_account_router,
    build_feed_router,
)
from newsdesk.bootstrap import build_site
from newsdesk.config import Settings
from newsdesk.domain.access import Viewer
from newsdesk.store import SqlStore


def alert_site(settings: Settings, store: SqlStore, owners: Owners, who: list[Viewer]) -> FastAPI:
    """The whole site plus the alert routers; who[0] is the viewer of every request."""
    app = build_site(settings, store)
    clock: Any = lambda: datetime.now(UTC)  # noqa: E731
    account = AccountContext(
        store=store,
        owners=owners,
        viewer=lambda: who[0],
        signing=settings.security.signing_keys,
        base_url=settings.site.base_url,
        sectors=(("mining-metals", "Mining & Metals"), ("oil-gas", "Oil & Gas")),
        allow_hosts=settings.fetch.allow_hosts,
        clock=clock,
    )
    feeds = AlertsWebContext(store, owners, settings.site.base_url, "site", clock=clock)
    app.include_router(build_account_router(account))
    app.include_router(build_feed_router(feeds))
    from jinja2 import ChoiceLoader, PackageLoader

    templates = app.state.templates
    templates.loader = ChoiceLoader(
        [templates.loader, PackageLoader("newsdesk.alerts.web", "templates")]
    )
    return app
