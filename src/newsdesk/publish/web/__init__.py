"""The insights site and JSON API: FastAPI + Jinja2, server-rendered, JS optional."""

from newsdesk.publish.web.app import create_app
from newsdesk.publish.web.options import SectorInfo, SiteOptions

__all__ = ["SectorInfo", "SiteOptions", "create_app"]
