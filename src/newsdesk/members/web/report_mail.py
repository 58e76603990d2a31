"""The member's weekly report email, on or off: the link in every report email
(/unsubscribe/weekly-report, RFC 8058 one-click) and the account page's form.

The link's signed token is its whole credential (domain.mail_off): mail clients post with no
cookie, no CSRF token and often no Origin. GET only shows what the link would do (link scanners
fetch every link of a message); POST turns the email off, and answers the same when repeated.
The account page turns it on again, behind the session and its CSRF token like its other forms.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import Response

from newsdesk.domain.mail_off import REPORT_MAIL_OFF_PATH, read_report_mail_off
from newsdesk.domain.members import Member
from newsdesk.domain.signing import BadTokenError
from newsdesk.members.web.common import (
    MembersContext,
    check_form,
    redirect,
    render_page,
    signed_in,
)

INVALID = (
    "This link is not valid: it may be cut short or too old. Sign in and use your account "
    "page instead."
)


class Standing(StrEnum):
    INVALID = "invalid"  # forged, expired, malformed, made for another purpose
    GONE = "gone"  # the account was deleted: it gets no email
    OFF = "off"
    ON = "on"


def standing(context: MembersContext, token: str) -> tuple[Standing, Member | None]:
    """Whose weekly report email the link names, and whether it is on."""
    try:
        claim = read_report_mail_off(context.options.signing, token)
    except BadTokenError:
        return Standing.INVALID, None
    member = context.store.get_member(claim.member_id)
    if member is None or not member.active:
        return Standing.GONE, None
    return (Standing.OFF if member.report_mail_off_at else Standing.ON), member


def build_report_mail_router(context: MembersContext) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    options = context.options

    def answer(request: Request, state: Standing, token: str, *, done: bool = False) -> Response:
        values = {
            "state": str(state),
            "token": token,
            "done": done,
            "problem": INVALID if state is Standing.INVALID else None,
        }
        status = 400 if state is Standing.INVALID else 200
        return render_page(request, "report_mail_off.html", values, status_code=status)

    @router.get(REPORT_MAIL_OFF_PATH)
    def confirm_page(request: Request, token: Annotated[str, Query()] = "") -> Response:
        state, _ = standing(context, token)
        return answer(request, state, token)

    @router.post(REPORT_MAIL_OFF_PATH)
    def turn_off(request: Request, token: Annotated[str, Query()] = "") -> Response:
        state, member = standing(context, token)
        if state is Standing.ON and member is not None:
            context.store.set_report_mail(member.id, on=False, now=context.clock())
            state = Standing.OFF
        return answer(request, state, token, done=state is Standing.OFF)

    @router.post("/account/report-mail")
    def account_switch(
        request: Request,
        csrf_token: Annotated[str, Form(max_length=100)] = "",
        mail: Annotated[str, Form(max_length=3)] = "",
    ) -> Response:
        me = signed_in(context, request)
        if me is None:
            return redirect("/signin?next=%2Faccount")
        check_form(request, options, me.session_token, csrf_token)
        if mail not in ("on", "off"):  # "ON" or a missing field must not turn the email off
            raise HTTPException(status_code=400, detail="mail must be on or off")
        on = mail == "on"
        context.store.set_report_mail(me.member.id, on=on, now=context.clock())
        return redirect("/account?done=" + ("report-mail-on" if on else "report-mail-off"))

    return router
