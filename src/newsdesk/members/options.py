"""What the members package needs to know, passed in by bootstrap (it never reads settings)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from newsdesk.domain.signing import SigningKeys

SESSION_COOKIE = "nd_session"
SECURE_SESSION_COOKIE = "__Host-nd_session"  # https: the browser pins it to this host
ATTEMPT_COOKIE = "nd_signin"
SECURE_ATTEMPT_COOKIE = "__Host-nd_signin"


@dataclass(frozen=True)
class PaymentOptions:
    """Stripe Checkout and its webhook (settings group "payments"); off unless the secret key,
    the webhook secret and the price are all set. The secrets are left out of repr."""

    secret_key: str | None = field(default=None, repr=False)
    webhook_secret: str | None = field(default=None, repr=False)
    price_id: str = ""
    grace_days: int = 7
    success_url: str = ""  # empty: {base_url}/account?done=subscribed
    cancel_url: str = ""  # empty: {base_url}/pro
    api_base: str | None = None  # stripe-mock or a test's fake server; None: Stripe's own
    webhook_tolerance: int = 300
    checkouts_per_hour: int = 10  # Checkout Sessions one member may start in an hour

    @property
    def enabled(self) -> bool:
        return bool(self.secret_key and self.webhook_secret and self.price_id)

    def problem(self) -> str | None:
        """Why a partial configuration cannot start (None: all three set, or none)."""
        given = {
            "NEWSDESK_STRIPE_SECRET_KEY": bool(self.secret_key),
            "NEWSDESK_STRIPE_WEBHOOK_SECRET": bool(self.webhook_secret),
            "NEWSDESK_STRIPE_PRICE_ID": bool(self.price_id),
        }
        if all(given.values()) or not any(given.values()):
            return None
        missing = ", ".join(name for name, set_ in given.items() if not set_)
        return f"Stripe is half configured: set {missing} too, or unset all three"


@dataclass(frozen=True)
class LeadOptions:
    """The Pro page's lead form (settings group "pro")."""

    sales_address: str | None = None  # None: leads are stored and listed, not mailed
    lead_rate_per_ip: int = 10
    lead_rate_per_address: int = 3


@dataclass(frozen=True)
class MembersOptions:
    base_url: str = "http://127.0.0.1:8000"
    signing: SigningKeys = field(
        default_factory=lambda: SigningKeys("change-me")
    )  # bootstrap: keys
    site_name: str = "newsdesk insights"
    mail_from: str = "newsdesk <insights@localhost>"
    open_signup: bool = True  # False: only addresses that are members already can sign in
    signin_ttl: timedelta = timedelta(minutes=15)
    code_attempts: int = 5  # wrong codes that burn one sign-in request
    signin_rate_per_address: int = 5  # sign-in emails per address per hour
    signin_rate_per_ip: int = 30  # sign-in requests per client address per hour
    codes_per_address: int = 10  # wrong codes per address per hour, across its requests
    session_days: int = 30
    trial_days: int = 0  # 0: no self-service trial
    max_api_keys: int = 10
    max_feed_tokens: int = 5
    payments: PaymentOptions = field(default_factory=PaymentOptions)
    leads: LeadOptions = field(default_factory=LeadOptions)

    @property
    def session_lifetime(self) -> timedelta:
        return timedelta(days=self.session_days)

    @property
    def secure_cookies(self) -> bool:
        return self.base_url.lower().startswith("https://")

    @property
    def session_cookie(self) -> str:
        return SECURE_SESSION_COOKIE if self.secure_cookies else SESSION_COOKIE

    @property
    def attempt_cookie(self) -> str:
        return SECURE_ATTEMPT_COOKIE if self.secure_cookies else ATTEMPT_COOKIE

    def url(self, path: str) -> str:
        return self.base_url.rstrip("/") + path
