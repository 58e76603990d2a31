"""GET/POST /signin, POST /signin/code, GET/POST /signin/confirm and POST /signout.

POST /signin answers the same page for every well-formed address, known or not, before
anything depends on which it is: the member lookup and the email run after the response.
The emailed link opens a page whose button POSTs (scanners that open links sign no one in);
the code is typed on the page that asked. Either way the session id is new, the browser's
previous session ends, and the redirect goes to a local path only (safe_next).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Form, Query, Request
from fastapi.responses import Response

from newsdesk.domain.members import SignInUse
from newsdesk.domain.redirects import safe_next
from newsdesk.members import signin
from newsdesk.members.secrets import digest
from newsdesk.members.signin import SignInLimitedError
from newsdesk.members.web.common import (
    MembersContext,
    attempt_binding,
    check_form,
    check_origin,
    clear_cookie,
    client_ip,
    ensure_attempt_cookie,
    form_token,
    redirect,
    render_page,
    set_cookie,
    signed_in,
    user_agent,
)
from newsdesk.text.emails import InvalidEmailError, normalise_email

SENT_MESSAGE = (
    "If this address can sign in, an email with a sign-in link and a code is on its way. "
    "Type the code below, or open the link in the email."
)
BAD_CODE = "That code did not work. Check the newest email, or ask for a new one."
BAD_LINK = "This sign-in link has expired or was used already. Ask for a new one."


def build_signin_router(context: MembersContext) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    options = context.options

    @router.get("/signin")
    def signin_page(
        request: Request, next: Annotated[str, Query(max_length=2048)] = ""
    ) -> Response:
        current = signed_in(context, request)
        page = {"next": safe_next(next, ""), "current": current}
        return render_page(request, "signin.html", page)

    @router.post("/signin")
    def signin_request(
        request: Request,
        background: BackgroundTasks,
        email: Annotated[str, Form(max_length=320)] = "",
        next: Annotated[str, Form(max_length=2048)] = "",
    ) -> Response:
        # The request form needs no token: it acts for nobody (an address is only mailed);
        # cross-site posts are refused, and the limits below hold for every address alike.
        check_origin(request, options)
        try:
            address = normalise_email(email)
        except InvalidEmailError as error:
            page = {"problem": str(error), "email": email, "next": safe_next(next, "")}
            return render_page(request, "signin.html", page, status_code=400)
        try:
            pending = signin.start(
                context.store,
                options,
                context.limiter,
                address,
                next_path=next,
                client=client_ip(request),
                now=context.clock(),
            )
        except SignInLimitedError as limited:
            page = {"problem": "Too many sign-in requests; please try again later."}
            retry = str(max(limited.retry_after, 1))
            return render_page(
                request, "signin.html", page, status_code=429, headers={"Retry-After": retry}
            )
        background.add_task(
            signin.deliver_signin_email, context.store, options, pending, context.mailer
        )
        page = {"message": SENT_MESSAGE, "csrf": form_token(options, pending.attempt)}
        response = render_page(request, "signin_sent.html", page)
        age = int(options.signin_ttl.total_seconds())
        set_cookie(response, options, options.attempt_cookie, pending.attempt, age)
        return response

    @router.post("/signin/code")
    def signin_code(
        request: Request,
        code: Annotated[str, Form(max_length=40)] = "",
        csrf_token: Annotated[str, Form(max_length=100)] = "",
    ) -> Response:
        attempt = attempt_binding(request, options)
        check_form(request, options, attempt, csrf_token)
        use = signin.use_code(context.store, options, attempt, code, now=context.clock())
        if use is None:
            page = {"problem": BAD_CODE, "csrf": csrf_token}
            return render_page(request, "signin_sent.html", page, status_code=400)
        return finish_signin(context, request, use)

    @router.get("/signin/confirm")
    def confirm_page(request: Request, token: Annotated[str, Query()] = "") -> Response:
        if not signin.link_is_live(context.store, token, now=context.clock()):
            return render_page(
                request, "signin_confirm.html", {"problem": BAD_LINK}, status_code=400
            )
        attempt, new = ensure_attempt_cookie(request, options)
        page = {"token": token, "csrf": form_token(options, attempt)}
        response = render_page(request, "signin_confirm.html", page)
        if new:
            age = int(options.signin_ttl.total_seconds())
            set_cookie(response, options, options.attempt_cookie, attempt, age)
        return response

    @router.post("/signin/confirm")
    def confirm_submit(
        request: Request,
        token: Annotated[str, Form()] = "",
        csrf_token: Annotated[str, Form(max_length=100)] = "",
    ) -> Response:
        check_form(request, options, attempt_binding(request, options), csrf_token)
        use = signin.use_link(context.store, token, now=context.clock())
        if use is None:
            return render_page(
                request, "signin_confirm.html", {"problem": BAD_LINK}, status_code=400
            )
        return finish_signin(context, request, use)

    @router.post("/signout")
    def signout(
        request: Request, csrf_token: Annotated[str, Form(max_length=100)] = ""
    ) -> Response:
        session = request.cookies.get(options.session_cookie)
        check_form(request, options, session, csrf_token)
        if session:
            context.store.end_session_by_hash(digest(session))
        response = redirect("/")
        clear_cookie(response, options, options.session_cookie)
        return response

    return router


def finish_signin(context: MembersContext, request: Request, use: SignInUse) -> Response:
    """The new session's cookie and the redirect to where the member was going."""
    options = context.options
    session = signin.complete(
        context.store,
        options,
        use,
        previous_session=request.cookies.get(options.session_cookie),
        user_agent=user_agent(request),
        ip=client_ip(request),
        now=context.clock(),
    )
    if session is None:  # sign-up closed and the address is not a member
        page = {"problem": BAD_LINK}
        return render_page(request, "signin_confirm.html", page, status_code=400)
    response = redirect(session.next_path)
    age = int(options.session_lifetime.total_seconds())
    set_cookie(response, options, options.session_cookie, session.token, age)
    clear_cookie(response, options, options.attempt_cookie)
    return response
