"""GET /admin/members (search, plans), /admin/members/{id} (records, seats, credentials) and the
admin's changes: grant a plan (complimentary grants with an end date included), revoke, end a
member's sessions, import grants from a CSV. Each change is an entitlement record with source
"admin"; every form carries a signed, expiring token."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from newsdesk.domain.members import EntitlementSource, Member, TokenKind
from newsdesk.domain.signing import BadTokenError, sign, verify
from newsdesk.members.plans import (
    PlanChangeError,
    apply_change,
    describe,
    import_grants,
    parse_change,
)
from newsdesk.members.web.common import (
    MembersContext,
    RowId,
    check_origin,
    redirect,
    render_page,
)

ADMIN_FORM = "csrf:admin-members"
FORM_MAX_AGE = 4 * 3600
LIST_LIMIT = 500
MAX_CSV_BYTES = 5 * 1024 * 1024
Csrf = Annotated[str, Form(max_length=4096)]


def admin_token(context: MembersContext) -> str:
    return sign(
        context.options.signing,
        ADMIN_FORM,
        {"n": secrets.token_urlsafe(8)},
        max_age=FORM_MAX_AGE,
    )


def check_admin_form(context: MembersContext, request: Request, token: str) -> None:
    check_origin(request, context.options)
    if not token.isascii():
        raise HTTPException(status_code=403, detail="invalid or expired form token")
    try:
        verify(context.options.signing, ADMIN_FORM, token)
    except BadTokenError as error:
        raise HTTPException(status_code=403, detail="invalid or expired form token") from error


def build_admin_router(context: MembersContext, admin: Callable[..., Any]) -> APIRouter:
    router = APIRouter(include_in_schema=False, dependencies=[Depends(admin)])
    store = context.store

    def member_or_404(member_id: RowId) -> Member:
        member = store.get_member(member_id)
        if member is None or not member.active:
            raise HTTPException(status_code=404, detail="no such member")
        return member

    @router.get("/admin/members")
    def member_list(request: Request, q: Annotated[str, Query(max_length=254)] = "") -> Response:
        now = context.clock()
        needle = q.strip().lower()
        rows = []
        for member in store.iter_members():
            if needle and needle not in (member.email or "").lower():
                continue
            rows.append((member, describe(store.plan_of(member.id, now))))
            if len(rows) >= LIST_LIMIT:
                break
        page = {"rows": rows, "q": q, "csrf": admin_token(context)}
        return render_page(request, "admin_members.html", page)

    @router.get("/admin/members/{member_id}")
    def member_detail(request: Request, member_id: RowId) -> Response:
        return _detail(request, member_or_404(member_id))

    def _detail(
        request: Request, member: Member, *, status_code: int = 200, **extra: Any
    ) -> Response:
        now = context.clock()
        page = {
            "member": member,
            "plan": store.plan_of(member.id, now),
            "plan_line": describe(store.plan_of(member.id, now)),
            "records": store.entitlement_records(member.id),
            "seats": store.team_seats(member.id),
            "seats_held": store.seats_held(member.email or ""),
            "sessions": store.member_sessions(member.id, now=now),
            "api_keys": store.member_tokens(member.id, TokenKind.API_KEY),
            "feeds": store.member_tokens(member.id, TokenKind.FEED),
            "subscriptions": store.payment_subscriptions_of(member.id),
            "csrf": admin_token(context),
            **extra,
        }
        return render_page(request, "admin_member.html", page, status_code=status_code)

    @router.post("/admin/members/{member_id}/grant")
    def grant(
        request: Request,
        member_id: RowId,
        *,
        csrf_token: Csrf = "",
        plan: Annotated[str, Form(max_length=10)] = "",
        until: Annotated[str, Form(max_length=20)] = "",
        seats: Annotated[str, Form(max_length=10)] = "",
        reason: Annotated[str, Form(max_length=500)] = "",
    ) -> Response:
        check_admin_form(context, request, csrf_token)
        member = member_or_404(member_id)
        now = context.clock()
        try:
            change = parse_change(plan, until or None, seats or None, now=now)
        except PlanChangeError as error:
            return _detail(request, member, status_code=400, problem=str(error))
        if not reason.strip():
            return _detail(request, member, status_code=400, problem="Say why (kept on record).")
        apply_change(
            store,
            member,
            change,
            source=EntitlementSource.ADMIN,
            reason=reason,
            actor="admin",
            now=now,
        )
        return redirect(f"/admin/members/{member.id}")

    @router.post("/admin/members/{member_id}/revoke")
    def revoke(
        request: Request,
        member_id: RowId,
        csrf_token: Csrf = "",
        reason: Annotated[str, Form(max_length=500)] = "",
    ) -> Response:
        check_admin_form(context, request, csrf_token)
        member = member_or_404(member_id)
        if not reason.strip():
            return _detail(request, member, status_code=400, problem="Say why (kept on record).")
        store.revoke_plan(
            member.id,
            source=EntitlementSource.ADMIN,
            reason=reason.strip()[:500],
            actor="admin",
            now=context.clock(),
        )
        return redirect(f"/admin/members/{member.id}")

    @router.post("/admin/members/{member_id}/sessions/end-all")
    def end_sessions(request: Request, member_id: RowId, csrf_token: Csrf = "") -> Response:
        check_admin_form(context, request, csrf_token)
        store.end_all_sessions(member_or_404(member_id).id)
        return redirect(f"/admin/members/{member_id}")

    @router.post("/admin/members/import")
    async def import_csv(
        request: Request,
        csrf_token: Annotated[str, Form(max_length=4096)] = "",
        file: Annotated[UploadFile | None, File()] = None,
    ) -> Response:
        check_admin_form(context, request, csrf_token)
        raw = await file.read(MAX_CSV_BYTES + 1) if file is not None else b""
        page: dict[str, Any] = {"rows": [], "q": "", "csrf": admin_token(context)}
        if not raw or len(raw) > MAX_CSV_BYTES:
            page["problem"] = "Choose a CSV file of at most 5 MB."
            return render_page(request, "admin_members.html", page, status_code=400)
        try:
            lines = raw.decode("utf-8-sig").splitlines(keepends=True)
            report = await run_in_threadpool(
                import_grants, store, lines, actor="admin", now=context.clock()
            )
        except (UnicodeDecodeError, PlanChangeError) as error:
            page["problem"] = f"That file could not be imported: {error}"
            return render_page(request, "admin_members.html", page, status_code=400)
        page["report"] = report
        return render_page(request, "admin_members.html", page)

    return router
