"""What the Pro page offers each visitor below what Pro includes (publish's /pro asks through
its ProOffer port; bootstrap passes this one):

- Stripe configured: subscribing. An anonymous visitor is asked to sign in first (and comes
  back to /pro); a member on a paid plan is told so; any other member gets the subscribe
  button, a form with the session's CSRF token that POSTs to /pro/subscribe.
- Otherwise: "Interested in learning more?", the lead form (POST /pro/lead), prefilled with
  a signed-in member's address; a member on a paid plan is told their plan above it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from fastapi import Request

from newsdesk.members.plans import describe
from newsdesk.members.web.common import MembersContext, form_token, signed_in
from newsdesk.members.web.leads import lead_token


@dataclass(frozen=True)
class ProOfferView:
    """The template the Pro page includes and its values (publish.ports.ProOfferView)."""

    template: str
    values: Mapping[str, object] = field(default_factory=dict)


def build_pro_offer(context: MembersContext) -> Callable[[Request], ProOfferView]:
    options = context.options

    def offer(request: Request) -> ProOfferView:
        me = signed_in(context, request)
        if context.payments is None:
            values: dict[str, object] = {"csrf": lead_token(context)}
            if me is not None:
                values["email"] = me.member.email
                if me.plan.paid:  # told so above the form (still there: more seats, a team)
                    values["current"] = describe(me.plan)
            return ProOfferView("pro_lead_form.html", values)
        if me is None:
            signin = "/signin?" + urlencode({"next": "/pro"})
            return ProOfferView("pro_signup.html", {"signin": signin})
        if me.plan.paid:
            return ProOfferView("pro_signup.html", {"current": describe(me.plan)})
        csrf = form_token(options, me.session_token)
        return ProOfferView("pro_signup.html", {"csrf": csrf, "email": me.member.email})

    return offer
