"""GET /admin: the admin pages this site serves, one link each (the operator's way in).

Which pages exist depends on the site's set-up (members, the digest, house analysis, a mail
folder), so the list is read from the app's routes when it is built, not written here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute

from newsdesk.publish.web.security import require_admin
from newsdesk.publish.web.templating import render

router = APIRouter(include_in_schema=False)  # not part of the public API
Admin = Annotated[str, Depends(require_admin)]

# What each known page is for; a page not named here is listed by its path.
DESCRIPTIONS: dict[str, tuple[str, str]] = {
    "/admin/analysis": ("House analysis", "Write, preview and edit the site's own pieces."),
    "/admin/members": ("Members", "Find a member, grant or revoke a plan, import grants."),
    "/admin/subscribers": ("Subscribers", "Who gets the digest, with each consent record."),
    "/admin/leads": ("Pro leads", "Messages from the Pro page's form, and whether sales got them."),
    "/admin/mail": ("Outgoing mail", "Messages written to the mail folder (no SMTP server set)."),
}


@dataclass(frozen=True, slots=True)
class AdminPage:
    path: str
    title: str
    description: str


def admin_pages(paths: Iterable[str]) -> tuple[AdminPage, ...]:
    """The admin pages among these GET route paths: those under /admin/ that need no id."""
    listed = sorted(
        {p for p in paths if p.startswith("/admin/") and "{" not in p and not p.endswith("/new")}
    )
    known = [p for p in listed if p in DESCRIPTIONS]
    others = [p for p in listed if p not in DESCRIPTIONS]
    pages = [AdminPage(p, *DESCRIPTIONS[p]) for p in sorted(known, key=list(DESCRIPTIONS).index)]
    return (*pages, *(AdminPage(p, p, "") for p in others))


def standalone_pages(routes: Iterable[APIRoute]) -> list[str]:
    """The paths of GET routes that open without a query (a preview needing ?email= does not)."""
    return [
        route.path
        for route in routes
        if "GET" in (route.methods or ())
        and not any(p.field_info.is_required() for p in route.dependant.query_params)
    ]


@router.get("/admin", response_class=HTMLResponse)
def admin_index(request: Request, _admin: Admin) -> HTMLResponse:
    pages: tuple[AdminPage, ...] = getattr(request.app.state, "admin_pages", ())
    return render(
        request, "admin_index.html", {"pages": pages}, headers={"cache-control": "no-store"}
    )
