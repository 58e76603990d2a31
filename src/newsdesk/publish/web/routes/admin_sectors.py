"""/admin/articles/{id}/sectors: an editor corrects an article's sectors.

The correction replaces the automatic labels, survives re-enrichment and becomes a training
example (`newsdesk sectors corrections`). Ticking no sector records "belongs to no sector";
"use automatic labels" withdraws the correction.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from newsdesk.domain import Article
from newsdesk.publish.ports import SectorCorrectionStore
from newsdesk.publish.web.context import Site
from newsdesk.publish.web.params import ArticleId
from newsdesk.publish.web.security import check_csrf, csrf_token, require_admin
from newsdesk.publish.web.templating import render

router = APIRouter(include_in_schema=False)  # not part of the public API

Admin = Annotated[str, Depends(require_admin)]


def form_name(article_id: int) -> str:
    """The CSRF form name; bound to the article so a token cannot correct another one."""
    return f"article-sectors:{article_id}"


@router.get("/admin/articles/{article_id}/sectors", response_class=HTMLResponse)
def edit_sectors(
    request: Request, site: Site, article_id: ArticleId, _admin: Admin
) -> HTMLResponse:
    store = site.store
    article = _article(store, article_id)
    enrichment = store.get_enrichment(article_id)
    correction = store.editor_corrections([article_id]).get(article_id)
    automatic = [s for s in enrichment.sectors if not s.by_editor] if enrichment else []
    if correction is None:
        checked = {label.sector_id for label in automatic if label.score >= 0.5}
    else:
        checked = set(correction)
    options = site.options
    return render(
        request,
        "admin_sectors.html",
        {
            "article": article,
            "automatic": automatic,
            "correction": correction,
            "checked": checked,
            "csrf_token": csrf_token(options, form_name(article_id)),
        },
    )


@router.post("/admin/articles/{article_id}/sectors")
def save_sectors(
    site: Site,
    article_id: ArticleId,
    _admin: Admin,
    csrf_token: Annotated[str | None, Form()] = None,
    sector: Annotated[list[str] | None, Form()] = None,
    action: Annotated[str, Form()] = "save",
) -> RedirectResponse:
    options = site.options
    check_csrf(options, form_name(article_id), csrf_token)
    store = site.store
    _article(store, article_id)
    known = {s.id for s in options.sectors}
    chosen = list(dict.fromkeys(sector or []))
    unknown = sorted(set(chosen) - known)
    if unknown:
        raise HTTPException(status_code=422, detail=f"unknown sectors: {', '.join(unknown)}")
    if action == "withdraw":
        store.set_editor_sectors(article_id, [])
    elif action != "save":
        raise HTTPException(status_code=422, detail="action must be save or withdraw")
    elif chosen:
        store.set_editor_sectors(article_id, chosen)
    else:
        store.set_editor_no_sector(article_id)
    return RedirectResponse(f"/articles/{article_id}", status_code=303)


def _article(store: SectorCorrectionStore, article_id: int) -> Article:
    article = store.get_article(article_id)
    if article is None:
        raise HTTPException(status_code=404, detail="no such article")
    return article
