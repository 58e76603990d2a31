"""/favicon.ico: the site's icon for clients that ask for it by its old name (crawlers, feed
readers, pages without a <link rel="icon">, such as a PDF or JSON opened in a tab)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import RedirectResponse

router = APIRouter()

ICON = "/static/favicon.svg"


@router.get("/favicon.ico", include_in_schema=False)
def favicon() -> RedirectResponse:
    return RedirectResponse(
        ICON, status_code=301, headers={"Cache-Control": "public, max-age=86400"}
    )
