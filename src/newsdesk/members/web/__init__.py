"""The member pages: sign-in and sign-out, the account page and its forms, the admin pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter

from newsdesk.members.web.account import build_account_router
from newsdesk.members.web.account_tokens import build_tokens_router
from newsdesk.members.web.admin import build_admin_router
from newsdesk.members.web.common import MembersContext
from newsdesk.members.web.signin import build_signin_router
from newsdesk.members.web.team import build_team_router


def build_members_router(context: MembersContext, admin: Callable[..., Any]) -> APIRouter:
    """Every member route; admin is the dependency that guards the /admin pages."""
    router = APIRouter()
    router.include_router(build_signin_router(context))
    router.include_router(build_account_router(context))
    router.include_router(build_tokens_router(context))
    router.include_router(build_team_router(context))
    router.include_router(build_admin_router(context, admin))
    return router


__all__ = ["MembersContext", "build_members_router"]
