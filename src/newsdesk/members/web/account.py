"""GET /account and what it does: the plan and its end, the digest of the same address, API
keys, private feed URLs, sessions, team seats, the trial, the export and deleting the account.

Every page here is the signed-in member's own (no-store, private); every form carries the
session's CSRF token; an anonymous visitor is sent to sign in and brought back.
"""

from __future__ import annotations

import json
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from newsdesk.domain.access import Plan
from newsdesk.domain.members import TokenKind
from newsdesk.formats.disposition import attachment
from newsdesk.members import accounts
from newsdesk.members.plans import describe, start_trial
from newsdesk.members.web.common import (
    PRIVATE_HEADERS,
    MembersContext,
    SignedIn,
    check_form,
    clear_cookie,
    client_ip,
    form_token,
    redirect,
    render_page,
    signed_in,
)

DONE = {
    "session-ended": "That session is signed out.",
    "key-revoked": "The API key is revoked: requests made with it are refused from now on.",
    "feed-created": "A new private feed URL is ready below.",
    "feed-revoked": "That feed URL no longer works.",
    "trial-started": "Your Pro trial has started.",
    "no-trial": "The trial is not available for this account.",
    "seat-added": "The seat is given; we emailed them.",
    "seat-not-added": "That seat could not be given (no seats left, or they have one already).",
    "seat-removed": "The seat is taken back; they lose access on their next request.",
    "subscribed": "Thank you! Pro starts as soon as Stripe confirms the payment, usually within "
    "a minute: reload this page to see it.",
    "already-pro": "You are on a paid plan already.",
    "report-mail-on": "The weekly report email is on: it comes on Mondays while your plan "
    "includes reports.",
    "report-mail-off": "The weekly report email is off.",
}


def to_signin(path: str) -> Response:
    return redirect("/signin?" + urlencode({"next": path}))


def account_page(
    context: MembersContext,
    request: Request,
    me: SignedIn,
    *,
    status_code: int = 200,
    **extra: Any,
) -> Response:
    store, options = context.store, context.options
    now = context.clock()
    member = me.member
    email = member.email or ""
    subscriber = store.get_subscriber_by_email(email)
    preferences_url = None
    if subscriber is not None and subscriber.id is not None and context.digest_links:
        preferences_url = context.digest_links(subscriber)
    feeds = [
        (token, accounts.private_feed_urls(options, token))
        for token in store.member_tokens(member.id, TokenKind.FEED)
    ]
    own_plan = store.plan_of(member.id, now)
    team_seats = store.team_seats(member.id) if me.plan.plan is Plan.TEAM else []
    trial_open = (
        options.trial_days > 0
        and not me.plan.paid
        and not store.has_entitlement_from(member.id, "trial")
    )
    held = [(seat, store.get_member(seat.owner_id)) for seat in store.seats_held(email)]
    page = {
        "me": me,
        "plan_line": describe(me.plan),
        "own_plan": own_plan,
        "csrf": form_token(options, me.session_token),
        "subscriber": subscriber,
        "preferences_url": preferences_url,
        "api_keys": store.member_tokens(member.id, TokenKind.API_KEY),
        "feeds": feeds,
        "sessions": store.member_sessions(member.id, now=now),
        "team_seats": team_seats,
        "seats_left": max(me.plan.seats - 1 - len(team_seats), 0),
        "seats_held": held,
        "trial_days": options.trial_days if trial_open else 0,
        "done": DONE.get(request.query_params.get("done", "")),
        **extra,
    }
    return render_page(request, "account.html", page, status_code=status_code)


def build_account_router(context: MembersContext) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    options = context.options

    @router.get("/account")
    def account(request: Request) -> Response:
        me = signed_in(context, request)
        if me is None:
            return to_signin("/account")
        return account_page(context, request, me)

    @router.get("/account/export")
    def export(request: Request) -> Response:
        me = signed_in(context, request)
        if me is None:
            return to_signin("/account")
        data = accounts.export_data(context.store, options, me.member, now=context.clock())
        body = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
        return Response(
            body,
            media_type="application/json",
            headers={
                **PRIVATE_HEADERS,
                "Content-Disposition": attachment("newsdesk-account.json"),
            },
        )

    @router.post("/account/trial")
    def trial(request: Request, csrf_token: Annotated[str, Form(max_length=100)] = "") -> Response:
        me = signed_in(context, request)
        if me is None:
            return to_signin("/account")
        check_form(request, options, me.session_token, csrf_token)
        started = start_trial(
            context.store, me.member, days=options.trial_days, now=context.clock()
        )
        return redirect("/account?done=" + ("trial-started" if started else "no-trial"))

    @router.post("/account/delete")
    def delete(
        request: Request,
        csrf_token: Annotated[str, Form(max_length=100)] = "",
        confirm_email: Annotated[str, Form(max_length=320)] = "",
    ) -> Response:
        me = signed_in(context, request)
        if me is None:
            return to_signin("/account")
        check_form(request, options, me.session_token, csrf_token)
        if confirm_email.strip().lower() != (me.member.email or "").lower():
            problem = "Type your email address exactly to delete the account."
            return account_page(context, request, me, status_code=400, delete_problem=problem)
        accounts.delete_account(
            context.store,
            me.member,
            ip=client_ip(request),
            now=context.clock(),
            actor=f"member {me.member.id}",
        )
        response = render_page(request, "account_deleted.html")
        clear_cookie(response, options, options.session_cookie)
        return response

    return router
