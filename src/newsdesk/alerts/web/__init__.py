"""Alerts on the site: a member's alerts and webhook delivery log (/account/alerts,
/account/webhooks/ID), each alert's private feed, and the link in alert emails that turns an
alert's email off (/unsubscribe/alert). Built by bootstrap with the store, the
members' directory (alerts.ports.AlertOwners) and the site's viewer dependency."""

from newsdesk.alerts.web.account import AccountContext, build_account_router
from newsdesk.alerts.web.feeds import AlertsWebContext, build_feed_router
from newsdesk.alerts.web.mail_off import MailOffContext, build_mail_off_router

__all__ = [
    "AccountContext",
    "AlertsWebContext",
    "MailOffContext",
    "build_account_router",
    "build_feed_router",
    "build_mail_off_router",
]
