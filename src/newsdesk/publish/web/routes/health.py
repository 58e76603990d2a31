"""GET /healthz: the site is up and its database answers."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from newsdesk.publish.web.context import Site

router = APIRouter()


@router.get("/healthz", include_in_schema=False)
def health(site: Site) -> JSONResponse:
    return JSONResponse({"status": "ok", "articles": site.store.count_articles()})
