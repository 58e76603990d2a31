"""The member pages: sign-in and sign-out, the account page and its forms, the admin pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter

from newsdesk.members.web.account import build_account_router
from newsdesk.members.web.account_tokens import build_tokens_router
from newsdesk.members.web.admin import build_admin_router
from newsdesk.members.web.admin_leads import build_admin_leads_router
from newsdesk.members.web.checkout import build_checkout_router
from newsdesk.members.web.common import MembersContext
from newsdesk.members.web.leads import build_leads_router
from newsdesk.members.web.pro_offer import ProOfferView, build_pro_offer
from newsdesk.members.web.report_mail import build_report_mail_router
from newsdesk.members.web.signin import build_signin_router
from newsdesk.members.web.stripe_webhook import MAX_EVENT_BYTES, WEBHOOK_PATH, build_webhook_router
from newsdesk.members.web.team import build_team_router


def build_members_router(context: MembersContext, admin: Callable[..., Any]) -> APIRouter:
    """Every member route; admin is the dependency that guards the /admin pages. With Stripe
    (context.payments) the Pro page's subscribe form and the webhook are served, without it
    the lead form; nothing about Stripe is served when it is not configured."""
    router = APIRouter()
    router.include_router(build_signin_router(context))
    router.include_router(build_account_router(context))
    router.include_router(build_tokens_router(context))
    router.include_router(build_report_mail_router(context))
    router.include_router(build_team_router(context))
    router.include_router(build_admin_router(context, admin))
    router.include_router(build_admin_leads_router(context, admin))
    if context.payments is not None:
        router.include_router(build_checkout_router(context, context.payments))
        router.include_router(build_webhook_router(context, context.payments))
    else:
        router.include_router(build_leads_router(context))
    return router


__all__ = [
    "MAX_EVENT_BYTES",
    "WEBHOOK_PATH",
    "MembersContext",
    "ProOfferView",
    "build_members_router",
    "build_pro_offer",
]
