"""GET /admin/leads: the Pro page's leads, newest first, and whether each reached sales."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from newsdesk.members.web.common import MembersContext, render_page

LIST_LIMIT = 500


def build_admin_leads_router(context: MembersContext, admin: Callable[..., Any]) -> APIRouter:
    router = APIRouter(include_in_schema=False, dependencies=[Depends(admin)])

    @router.get("/admin/leads")
    def lead_list(request: Request) -> Response:
        page = {
            "leads": context.store.recent_leads(LIST_LIMIT),
            "limit": LIST_LIMIT,
            "sales_address": context.options.leads.sales_address,
            "payments": context.options.payments.enabled,
        }
        return render_page(request, "admin_leads.html", page)

    return router
