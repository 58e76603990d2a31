"""POST /pro/lead: the Pro page's "Interested in learning more?" form (mounted while Stripe
is not configured). The form carries a signed, expiring token and must come from this site;
submissions are limited per client address and per email address; the lead is stored at once
and mailed to the sales address after the response."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Form, HTTPException, Request
from fastapi.responses import Response

from newsdesk.domain.ratelimit import RateDecision, RateLimit
from newsdesk.domain.signing import BadTokenError, sign, verify
from newsdesk.members.leads import (
    MAX_COMPANY,
    MAX_MESSAGE,
    MAX_NAME,
    LeadFormError,
    mail_lead,
    new_lead,
    parse_lead,
)
from newsdesk.members.web.common import (
    MembersContext,
    check_origin,
    client_ip,
    render_page,
    signed_in,
)

LEAD_FORM = "csrf:pro-lead"
LEAD_FORM_MAX_AGE = 24 * 3600
HOUR = 3600.0
THANKS = "Thank you! We will be in touch soon."


def lead_token(context: MembersContext) -> str:
    """The lead form's token: signed with the site's keys, for a day."""
    nonce = {"n": secrets.token_urlsafe(8)}
    return sign(context.options.signing, LEAD_FORM, nonce, max_age=LEAD_FORM_MAX_AGE)


def check_lead_form(context: MembersContext, request: Request, token: str) -> None:
    check_origin(request, context.options)
    if not token or not token.isascii():
        raise HTTPException(status_code=403, detail="this form has expired; reload the page")
    try:
        verify(context.options.signing, LEAD_FORM, token)
    except BadTokenError as error:
        raise HTTPException(
            status_code=403, detail="this form has expired; reload the page"
        ) from error


def build_leads_router(context: MembersContext) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    options = context.options
    per_ip = RateLimit("lead-ip", options.leads.lead_rate_per_ip, HOUR)
    per_address = RateLimit("lead-address", options.leads.lead_rate_per_address, HOUR)

    def allowed(client: str, email: str) -> RateDecision:
        """Count one lead from this client for this address if both limits allow it (a
        refused one counts under neither), as the sign-up form does."""
        limiter = context.limiter
        waiting = RateDecision.combine(
            [limiter.check(client, [per_ip]), limiter.check(email, [per_address])]
        )
        if not waiting.allowed:
            return waiting
        return RateDecision.combine(
            [limiter.hit(client, [per_ip]), limiter.hit(email, [per_address])]
        )

    @router.post("/pro/lead")
    def send_lead(
        request: Request,
        background: BackgroundTasks,
        *,
        csrf_token: Annotated[str, Form(max_length=4096)] = "",
        name: Annotated[str, Form(max_length=MAX_NAME * 4)] = "",
        email: Annotated[str, Form(max_length=320)] = "",
        company: Annotated[str, Form(max_length=MAX_COMPANY * 4)] = "",
        message: Annotated[str, Form(max_length=MAX_MESSAGE * 2)] = "",
    ) -> Response:
        check_lead_form(context, request, csrf_token)
        typed = {"name": name, "email": email, "company": company, "message": message}
        try:
            form = parse_lead(name, email, company, message)
        except LeadFormError as error:
            page = {"problem": str(error), "typed": typed, "csrf": lead_token(context)}
            return render_page(request, "pro_lead_result.html", page, status_code=400)
        decision = allowed(client_ip(request), form.email)
        if not decision.allowed:
            page = {"problem": "Too many messages; please try again later.", "typed": typed}
            headers = {"Retry-After": str(max(decision.retry_after, 1))}
            return render_page(
                request, "pro_lead_result.html", page, status_code=429, headers=headers
            )
        me = signed_in(context, request)
        now = context.clock()
        lead = context.store.add_lead(
            new_lead(form, member_id=me.member.id if me else None, options=options, now=now)
        )
        background.add_task(mail_lead, context.store, options, context.mailer, lead, now)
        return render_page(request, "pro_lead_result.html", {"message": THANKS})

    return router
