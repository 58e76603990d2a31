"""Alerts on the site: a member's alerts and webhook delivery log (/account/alerts,
/account/webhooks/ID) and each alert's private feed. Built by bootstrap with the store, the
members' directory (alerts.ports.AlertOwners) and the site's viewer dependency."""

from newsdesk.alerts.web.account import AccountContext, build_account_router
from newsdesk.alerts.web.feeds import AlertsWebContext, build_feed_router

__all__ = ["AccountContext", "AlertsWebContext", "build_account_router", "build_feed_router"]
