"""The subscriber pages: sign-up, confirmation, preference centre, unsubscribe, admin list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter

from newsdesk.deliver.ports import SubscriberStore
from newsdesk.deliver.subscriptions import SubscribeOptions
from newsdesk.deliver.web.admin import build_admin_router
from newsdesk.deliver.web.common import SubscribeContext
from newsdesk.deliver.web.confirm import build_confirm_router
from newsdesk.deliver.web.mail import build_mail_router
from newsdesk.deliver.web.preferences import build_preferences_router
from newsdesk.deliver.web.subscribe import build_subscribe_router
from newsdesk.deliver.web.unsubscribe import build_unsubscribe_router
from newsdesk.domain.ratelimit import RateLimiter


def build_router(
    options: SubscribeOptions,
    store: SubscriberStore,
    admin: Callable[..., Any],
    limiter: RateLimiter,
    viewer: Callable[..., Any],
) -> APIRouter:
    """Every subscriber route; admin is the dependency that guards /admin pages, limiter the
    app's rate limiter (sign-ups per IP and per address count there), viewer the site's
    viewer dependency (the JSON sign-up counts against the API quota through it)."""
    context = SubscribeContext(options, store, limiter, viewer)
    router = APIRouter()
    router.include_router(build_subscribe_router(context))
    router.include_router(build_confirm_router(context))
    router.include_router(build_preferences_router(context))
    router.include_router(build_unsubscribe_router(context))
    router.include_router(build_admin_router(context, admin))
    router.include_router(build_mail_router(context, admin))
    return router


__all__ = ["SubscribeOptions", "build_router"]
