"""POST /account/team/seats (give a seat) and /account/team/seats/{id}/remove (take it back)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Form, Request
from fastapi.responses import Response

from newsdesk.members.team import give_seat, tell_seat_holder
from newsdesk.members.web.account import account_page, to_signin
from newsdesk.members.web.common import (
    MembersContext,
    RowId,
    check_form,
    redirect,
    signed_in,
)
from newsdesk.text.emails import InvalidEmailError, normalise_email

Csrf = Annotated[str, Form(max_length=100)]


def build_team_router(context: MembersContext) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    options = context.options

    @router.post("/account/team/seats")
    def add_seat(
        request: Request,
        background: BackgroundTasks,
        csrf_token: Csrf = "",
        email: Annotated[str, Form(max_length=320)] = "",
    ) -> Response:
        me = signed_in(context, request)
        if me is None:
            return to_signin("/account")
        check_form(request, options, me.session_token, csrf_token)
        try:
            address = normalise_email(email)
        except InvalidEmailError as error:
            return account_page(context, request, me, status_code=400, seat_problem=str(error))
        seat = give_seat(context.store, me.member, address, now=context.clock())
        if seat is None:
            return redirect("/account?done=seat-not-added")
        background.add_task(tell_seat_holder, options, context.mailer, me.member, address)
        return redirect("/account?done=seat-added")

    @router.post("/account/team/seats/{seat_id}/remove")
    def remove_seat(request: Request, seat_id: RowId, csrf_token: Csrf = "") -> Response:
        me = signed_in(context, request)
        if me is None:
            return to_signin("/account")
        check_form(request, options, me.session_token, csrf_token)
        context.store.remove_team_seat(
            me.member.id, seat_id, now=context.clock(), actor=f"member {me.member.id}"
        )
        return redirect("/account?done=seat-removed")

    return router
