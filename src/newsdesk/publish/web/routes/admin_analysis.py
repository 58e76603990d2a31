"""/admin/analysis: write and edit house analysis in Markdown, with a preview.

A piece has front matter's fields as form fields (title, authors, sectors, visibility,
published) and a Markdown body with an optional `<!-- more -->` line, the preview break. The
preview renders the draft exactly as it would be stored (markdown-it-py, then the nh3
allow-list) and shows where the break falls; saving stores it under the site's own source and
enriches it, like `newsdesk import piece.md`. Every POST carries a CSRF token bound to the form.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from markupsafe import Markup
from pydantic import BaseModel, Field

from newsdesk.domain.access import Visibility
from newsdesk.domain.house import HOUSE_EXTRA, HOUSE_SOURCE_URL
from newsdesk.publish.ports import HouseDesk
from newsdesk.publish.web.context import Site, SiteContext
from newsdesk.publish.web.params import ArticleId
from newsdesk.publish.web.security import check_csrf, csrf_token, require_admin
from newsdesk.publish.web.templating import render
from newsdesk.sources.house import MAX_PIECE_BYTES, HousePieceError, piece_from_fields

router = APIRouter(include_in_schema=False)  # not part of the public API
Admin = Annotated[str, Depends(require_admin)]
MAX_FIELD_CHARS = 1000
LISTED = 200


def _desk(site: SiteContext) -> HouseDesk:
    if site.house is None:
        raise HTTPException(status_code=404, detail="house analysis is not set up on this site")
    return site.house


def form_name(article_id: int | None) -> str:
    """The CSRF form name, bound to the piece (a token cannot save over another one)."""
    return f"analysis:{article_id or 'new'}"


@router.get("/admin/analysis", response_class=HTMLResponse)
def list_pieces(request: Request, site: Site, _admin: Admin) -> HTMLResponse:
    _desk(site)
    house = next((s for s in site.store.list_sources() if s.url == HOUSE_SOURCE_URL), None)
    pieces = (
        site.store.list_article_briefs(limit=LISTED, source_id=house.id).items
        if house is not None and house.id is not None
        else ()
    )
    return render(request, "admin_analysis_list.html", {"pieces": pieces}, headers=_no_store())


@router.get("/admin/analysis/new", response_class=HTMLResponse)
def new_piece(request: Request, site: Site, _admin: Admin) -> HTMLResponse:
    _desk(site)
    draft = {"title": "", "authors": "", "sectors": [], "visibility": "pro", "published": ""}
    return _editor(request, site, None, {**draft, "body": _STARTER, "slug": ""})


@router.get("/admin/analysis/{article_id}", response_class=HTMLResponse)
def edit_piece(request: Request, site: Site, article_id: ArticleId, _admin: Admin) -> HTMLResponse:
    _desk(site)
    article = site.store.get_article(article_id)
    stored = article.extra.get(HOUSE_EXTRA) if article is not None else None
    if article is None or not isinstance(stored, dict):
        raise HTTPException(status_code=404, detail="no such house piece")
    draft = {
        "title": article.title,
        "authors": ", ".join(article.authors),
        "sectors": list(stored.get("sectors") or []),
        "visibility": str(article.visibility or Visibility.PUBLIC),
        "published": article.published.date().isoformat() if article.published else "",
        "body": str(stored.get("body") or ""),
        "slug": str(stored.get("slug") or ""),
    }
    return _editor(request, site, article_id, draft)


class PieceForm(BaseModel):
    """The editor's form: front matter's fields, the Markdown body, preview or save."""

    csrf_token: str | None = None
    title: str = Field("", max_length=MAX_FIELD_CHARS)
    authors: str = Field("", max_length=MAX_FIELD_CHARS)
    sector: list[str] = Field(default_factory=list, max_length=50)
    visibility: str = Field("pro", max_length=20)
    published: str = Field("", max_length=40)
    slug: str = Field("", max_length=MAX_FIELD_CHARS)
    body: str = ""
    action: str = Field("save", max_length=20)

    def draft(self, slug: str | None = None) -> dict[str, Any]:
        return {
            "title": self.title,
            "authors": self.authors,
            "sectors": list(dict.fromkeys(self.sector)),
            "visibility": self.visibility,
            "published": self.published,
            "slug": self.slug if slug is None else slug,
            "body": self.body.replace("\r\n", "\n"),
        }


@router.post("/admin/analysis", response_class=HTMLResponse, response_model=None)
def save_new(
    request: Request, site: Site, _admin: Admin, form: Annotated[PieceForm, Form()]
) -> HTMLResponse | RedirectResponse:
    return _submit(request, site, form, article_id=None, draft=form.draft())


@router.post("/admin/analysis/{article_id}", response_class=HTMLResponse, response_model=None)
def save_existing(
    request: Request,
    site: Site,
    article_id: ArticleId,
    _admin: Admin,
    form: Annotated[PieceForm, Form()],
) -> HTMLResponse | RedirectResponse:
    article = site.store.get_article(article_id)
    stored = article.extra.get(HOUSE_EXTRA) if article is not None else None
    if article is None or not isinstance(stored, dict):
        raise HTTPException(status_code=404, detail="no such house piece")
    # The slug is the piece's key: an edit stays the same piece.
    draft = form.draft(slug=str(stored.get("slug") or ""))
    return _submit(request, site, form, article_id=article_id, draft=draft)


def _submit(
    request: Request,
    site: SiteContext,
    form: PieceForm,
    *,
    article_id: int | None,
    draft: dict[str, Any],
) -> HTMLResponse | RedirectResponse:
    desk = _desk(site)
    check_csrf(site.options, form_name(article_id), form.csrf_token)
    if len(draft["body"].encode("utf-8")) > MAX_PIECE_BYTES:
        raise HTTPException(
            status_code=413, detail=f"the piece is over {MAX_PIECE_BYTES // 1024} KiB"
        )
    if form.action not in {"preview", "save"}:
        raise HTTPException(status_code=422, detail="action must be preview or save")
    try:
        piece = piece_from_fields(
            {
                "title": draft["title"],
                "authors": draft["authors"],
                "sectors": draft["sectors"],
                "visibility": draft["visibility"],
                "published": _day(draft["published"]),
                "slug": draft["slug"] or None,
            },
            draft["body"],
        )
        if form.action == "preview":
            return _editor(request, site, article_id, draft, preview=desk.render(piece.body))
        saved = desk.save(piece)
    except HousePieceError as error:
        return _editor(request, site, article_id, draft, problem=str(error), status_code=422)
    return RedirectResponse(f"/articles/{saved}", status_code=303)


def _day(value: str) -> date | str | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return value  # piece_from_fields says what is wrong with it


def _editor(
    request: Request,
    site: SiteContext,
    article_id: int | None,
    draft: dict[str, Any],
    *,
    preview: Any = None,
    problem: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    shown = None
    if preview is not None:
        shown = {
            # sanitized by the desk (nh3 allow-list) before it reaches the page
            "html": Markup(preview.html),  # noqa: S704
            "paragraphs": preview.text.split("\n\n") if preview.text else [],
            "break": preview.preview_paragraphs,
            "default_break": site.options.policy.preview_paragraphs,
        }
    return render(
        request,
        "admin_analysis_edit.html",
        {
            "article_id": article_id,
            "draft": draft,
            "preview": shown,
            "problem": problem,
            "visibilities": [v.value for v in Visibility],
            "csrf_token": csrf_token(site.options, form_name(article_id)),
            "action_url": f"/admin/analysis/{article_id}" if article_id else "/admin/analysis",
        },
        status_code=status_code,
        headers=_no_store(),
    )


def _no_store() -> dict[str, str]:
    return {"cache-control": "no-store"}


_STARTER = """The paragraphs before the break are the preview everyone reads.

<!-- more -->

What members or Pro readers get: the rest of the analysis.
"""
