"""The site's report pages and their API: built by bootstrap with the site's viewer dependency
(publish's one `current_viewer`; anonymous until members are wired) and added to the app."""

from __future__ import annotations

from fastapi import APIRouter

from newsdesk.reports.web.common import ReportsContext, ViewerDependency, anonymous_viewer
from newsdesk.reports.web.pages import build_pages_router


def build_router(context: ReportsContext) -> APIRouter:
    router = APIRouter()
    router.include_router(build_pages_router(context))
    return router


__all__ = ["ReportsContext", "ViewerDependency", "anonymous_viewer", "build_router"]
