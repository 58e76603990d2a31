"""GET /healthz: the site is up and its database answers, with how many articles it holds
(exact for a small site; at a million articles an estimate, so that the check stays as cheap
as it is frequent)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from newsdesk.publish.web.context import Site

router = APIRouter()


@router.get("/healthz", include_in_schema=False)
def health(site: Site) -> JSONResponse:
    return JSONResponse({"status": "ok", "articles": site.store.estimate_articles()})
