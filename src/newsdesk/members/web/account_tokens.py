"""The account page's credentials: signed-in sessions (end one, or all), API keys (create,
shown once; revoke) and private feed URLs (create; revoke). Every form carries the session's
CSRF token; a member can only touch their own."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from newsdesk.members import accounts
from newsdesk.members.secrets import token_prefix
from newsdesk.members.web.account import account_page, to_signin
from newsdesk.members.web.common import (
    MembersContext,
    RowId,
    SignedIn,
    check_form,
    clear_cookie,
    redirect,
    signed_in,
)

Csrf = Annotated[str, Form(max_length=100)]


def build_tokens_router(context: MembersContext) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    options = context.options

    def member_form(request: Request, csrf_token: str) -> SignedIn | None:
        me = signed_in(context, request)
        if me is not None:
            check_form(request, options, me.session_token, csrf_token)
        return me

    @router.post("/account/sessions/{session_id}/end")
    def end_session(request: Request, session_id: RowId, csrf_token: Csrf = "") -> Response:
        me = member_form(request, csrf_token)
        if me is None:
            return to_signin("/account")
        context.store.end_session(me.member.id, session_id)
        if session_id == me.session_id:
            response = redirect("/")
            clear_cookie(response, options, options.session_cookie)
            return response
        return redirect("/account?done=session-ended")

    @router.post("/account/sessions/end-all")
    def end_all(request: Request, csrf_token: Csrf = "") -> Response:
        me = member_form(request, csrf_token)
        if me is None:
            return to_signin("/account")
        context.store.end_all_sessions(me.member.id)
        response = redirect("/")
        clear_cookie(response, options, options.session_cookie)
        return response

    @router.post("/account/keys")
    def create_key(
        request: Request,
        csrf_token: Csrf = "",
        name: Annotated[str, Form(max_length=200)] = "",
    ) -> Response:
        me = member_form(request, csrf_token)
        if me is None:
            return to_signin("/account")
        try:
            created = accounts.create_api_key(
                context.store, options, me.member, name, now=context.clock()
            )
        except accounts.TooManyTokensError as error:
            return account_page(context, request, me, status_code=400, key_problem=str(error))
        # Shown in this response only: the page is no-store and the key is not kept.
        return account_page(context, request, me, new_key=created.key, new_key_token=created.token)

    @router.post("/account/keys/{prefix}/revoke")
    def revoke_key(request: Request, prefix: str, csrf_token: Csrf = "") -> Response:
        return _revoke(request, prefix, csrf_token, "ndk_", "key-revoked")

    @router.post("/account/feeds")
    def create_feed(
        request: Request,
        csrf_token: Csrf = "",
        name: Annotated[str, Form(max_length=200)] = "",
    ) -> Response:
        me = member_form(request, csrf_token)
        if me is None:
            return to_signin("/account")
        try:
            accounts.create_feed_token(context.store, options, me.member, name, now=context.clock())
        except accounts.TooManyTokensError as error:
            return account_page(context, request, me, status_code=400, feed_problem=str(error))
        return redirect("/account?done=feed-created")

    @router.post("/account/feeds/{prefix}/revoke")
    def revoke_feed(request: Request, prefix: str, csrf_token: Csrf = "") -> Response:
        return _revoke(request, prefix, csrf_token, "ndf_", "feed-revoked")

    def _revoke(request: Request, prefix: str, csrf_token: str, mark: str, done: str) -> Response:
        me = member_form(request, csrf_token)
        if me is None:
            return to_signin("/account")
        wanted = token_prefix(prefix)
        if wanted is not None and wanted.startswith(mark):
            # Only the member's own: another member's prefix changes nothing.
            context.store.revoke_member_token(wanted, now=context.clock(), member_id=me.member.id)
        return redirect(f"/account?done={done}")

    return router
