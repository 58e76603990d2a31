"""Alerts on the site: each alert's private feed. Built by bootstrap with the store and the
members' directory (alerts.ports.AlertOwners) when the store has members."""

from newsdesk.alerts.web.feeds import AlertsWebContext, build_feed_router

__all__ = ["AlertsWebContext", "build_feed_router"]
