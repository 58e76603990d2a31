"""The whole site for a viewer the test chooses: the site's one viewer dependency
(publish.web.context.current_viewer) answers who[0]. The members are real (alert_world.Owners);
sign-in itself is the members package's, tested there."""

from __future__ import annotations

from fastapi import FastAPI

from newsdesk.bootstrap import build_site
from newsdesk.config import Settings
from newsdesk.domain.access import Viewer
from newsdesk.publish.web.context import current_viewer
from newsdesk.store import SqlStore


def alert_site(settings: Settings, store: SqlStore, who: list[Viewer]) -> FastAPI:
    """build_site as `newsdesk serve` builds it; who[0] is the viewer of every request."""
    app = build_site(settings, store)
    app.dependency_overrides[current_viewer] = lambda: who[0]
    return app
