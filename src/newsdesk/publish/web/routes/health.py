"""GET /healthz: the site is up and its database answers."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

router = APIRouter()


@router.get("/healthz", include_in_schema=False)
def health(request: Request) -> JSONResponse:
    store = request.app.state.store
    return JSONResponse({"status": "ok", "articles": store.count_articles()})
