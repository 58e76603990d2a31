"""The paid layer's settings groups: members and their sign-in, the access policy and the
Pro page, and payments (see groups.py for how a group becomes flat settings)."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, SecretStr

from newsdesk.config.groups import Flat, SettingsGroup
from newsdesk.domain.clients import is_loopback_url


class MembersSettings(SettingsGroup):
    env_prefix = "members_"

    open_signup: bool = Field(
        True,
        description="Anyone may create a member account by signing in with their address; "
        "false: only addresses that are members already (members add, CSV) can sign in.",
    )
    session_days: int = Field(
        30, ge=1, le=400, description="Days a member stays signed in on a browser."
    )
    trial_days: int = Field(
        0,
        ge=0,
        le=365,
        description="Days of the Pro trial a member can start once from the account page; "
        "0: no trial.",
    )
    signin_rate_per_address: int = Field(
        5, ge=1, description="Sign-in emails per hour for one address."
    )
    signin_rate_per_ip: int = Field(
        30, ge=1, description="Sign-in requests per hour from one client address."
    )


class ProSettings(SettingsGroup):
    """Who may read what (the access policy) and the Pro page."""

    env_prefix = "pro_"

    preview_paragraphs: Annotated[int, Flat("preview_paragraphs")] = Field(
        2,
        ge=0,
        le=50,
        description="Paragraphs of a members or Pro piece everyone may read (its preview), "
        "unless the piece has an explicit break; 0 shows the title only.",
    )
    quota_scale: float = Field(
        1.0,
        ge=0,
        le=1000,
        description="Multiplies every request quota on full-text pages and the API (per "
        "client address, member or API key; a refused request gets 429 and Retry-After); "
        "0 turns quotas off.",
    )
    price: str = Field(
        "",
        max_length=200,
        description="The price the Pro page shows, e.g. '€49 a month'; empty: 'talk to us'.",
    )
    sales_address: str | None = Field(
        None,
        description="Where the Pro page's lead form ('Interested in learning more?') is mailed; "
        "unset: leads are only stored and listed at /admin/leads. The form shows while Stripe "
        "is not configured.",
    )
    lead_rate_per_ip: int = Field(
        10, ge=1, description="Lead form submissions accepted per hour from one client address."
    )
    lead_rate_per_address: int = Field(
        3, ge=1, description="Lead form submissions accepted per hour for one email address."
    )


def _stripe_api_base(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    value = value.strip().rstrip("/")
    if not value.startswith("https://") and not is_loopback_url(value):
        raise ValueError("must be an https:// URL, or http:// on loopback (stripe-mock)")
    return value


def _web_url(value: str) -> str:
    value = value.strip()
    if value and not value.lower().startswith(("https://", "http://")):
        raise ValueError("must be an http:// or https:// URL (or empty)")
    return value


WebUrl = Annotated[str, AfterValidator(_web_url)]


class PaymentsSettings(SettingsGroup):
    """Stripe Checkout and its webhook (the [payments] extra). All three of secret_key,
    webhook_secret and price_id set: the Pro page offers subscribing; none set: it offers
    the lead form and nothing about Stripe is served."""

    env_prefix = "stripe_"

    secret_key: SecretStr | None = Field(
        None,
        description="Stripe secret API key (sk_live_… or sk_test_…; a restricted key needs "
        "write access to Checkout Sessions). Never logged.",
    )
    webhook_secret: SecretStr | None = Field(
        None,
        description="Signing secret of the webhook endpoint {base_url}/payments/stripe/webhook "
        "(whsec_…), from the Stripe dashboard or `stripe listen`. Never logged.",
    )
    price_id: str = Field(
        "",
        max_length=255,
        description="The Stripe Price (price_…) a Pro subscription is sold at in Checkout.",
    )
    grace_days: int = Field(
        7,
        ge=0,
        le=90,
        description="Days a member keeps Pro after a renewal payment fails (Stripe retries "
        "meanwhile); then free unless the payment goes through.",
    )
    success_url: WebUrl = Field(
        "",
        max_length=2000,
        description="Where Checkout sends the member after paying; empty: the account page.",
    )
    cancel_url: WebUrl = Field(
        "",
        max_length=2000,
        description="Where Checkout sends the member who goes back; empty: the Pro page.",
    )
    api_base: Annotated[str | None, AfterValidator(_stripe_api_base)] = Field(
        None,
        description="Base URL of the Stripe API, for testing against stripe-mock on loopback; "
        "unset: Stripe's own.",
    )
    webhook_tolerance: int = Field(
        300,
        ge=30,
        le=3600,
        description="Seconds a webhook's signed timestamp may be old (replays of older "
        "deliveries are refused).",
    )
