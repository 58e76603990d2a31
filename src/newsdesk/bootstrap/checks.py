"""Checks made before anything is served: one function per rule, and check_start running
them all, called by every command that serves or sends (`serve`, `run`, `web`, `worker`, and
each uvicorn worker of `--workers`)."""

from __future__ import annotations

import logging

from newsdesk.config import Settings
from newsdesk.config.groups import DEFAULT_SECRET_KEY
from newsdesk.domain import NewsdeskError
from newsdesk.domain.clients import is_loopback_url

HOW_TO_SET_A_KEY = (
    "Set a long random key before serving, e.g.\n"
    '  export NEWSDESK_SECRET_KEY="$(python3 -c '
    "'import secrets; print(secrets.token_urlsafe(32))')\"\n"
    "(or secret_key in newsdesk.toml). When you change a key that has signed links already "
    "mailed, list the old one in NEWSDESK_SECRET_KEYS_PREVIOUS so those links keep working."
)


# token_urlsafe(32), as HOW_TO_SET_A_KEY makes one, is 43 characters.
MIN_SECRET_KEY_CHARS = 32


class UnsafeSecretKeyError(NewsdeskError):
    """The site would be public while its links are signed with a key anyone knows."""


class UnsafeAdminPasswordError(NewsdeskError):
    """The admin pages would open with a password too short to resist guessing."""


def require_safe_secret_key(settings: Settings) -> None:
    """Refuse (UnsafeSecretKeyError) to serve a non-loopback base_url with the default, an
    empty or a short NEWSDESK_SECRET_KEY: anyone could forge (or, short, guess offline from
    one signed link) unsubscribe, preference and confirmation links and admin form tokens.
    On loopback (the demo, tests) the default is allowed."""
    key = settings.security.secret_key.get_secret_value()
    problem = (
        "empty"
        if not key.strip()
        else "the default"
        if key == DEFAULT_SECRET_KEY
        else f"{len(key)} characters long (at least {MIN_SECRET_KEY_CHARS})"
        if len(key) < MIN_SECRET_KEY_CHARS
        else None
    )
    base_url = settings.site.base_url
    if problem is None or is_loopback_url(base_url):
        return
    raise UnsafeSecretKeyError(
        f"NEWSDESK_SECRET_KEY is {problem}, and the site is served as {base_url} (not "
        "loopback): anyone could forge its unsubscribe, preference and confirmation links and "
        f"its admin form tokens. {HOW_TO_SET_A_KEY}"
    )


def require_safe_admin_password(settings: Settings) -> None:
    """Refuse (UnsafeAdminPasswordError) an admin password under 12 characters, spaces at
    either end not counted; an empty one turns the admin pages off and is fine."""
    from newsdesk.publish.web.security import admin_password_problem

    problem = admin_password_problem(settings.site.admin_password.get_secret_value() or None)
    if problem is not None:
        raise UnsafeAdminPasswordError(f"refusing to start: {problem}")


class PaymentsSetupError(NewsdeskError):
    """Stripe is half configured, or configured without the stripe package installed."""


def require_usable_payments(settings: Settings) -> None:
    """Refuse (PaymentsSetupError) a Stripe configuration that cannot work: some of the
    secret key, webhook secret and price set but not all, or all set without the [payments]
    extra installed. None set is fine: the Pro page then offers the lead form."""
    import importlib.util

    from newsdesk.bootstrap.options import payment_options

    options = payment_options(settings)
    problem = options.problem()
    if problem is not None:
        raise PaymentsSetupError(f"refusing to start: {problem}")
    if options.enabled and importlib.util.find_spec("stripe") is None:
        raise PaymentsSetupError(
            "refusing to start: Stripe is configured but the stripe package is missing; "
            "install it with: pip install 'newsdesk[payments]'"
        )


def start_warnings(settings: Settings) -> list[str]:
    """What the operator should hear before a public site starts, though it may run without.
    On loopback (the demo, tests) nothing is said."""
    if is_loopback_url(settings.site.base_url):
        return []
    warnings = []
    if not settings.subscribe.privacy_url:
        warnings.append(
            "NEWSDESK_PRIVACY_URL is empty: the sign-up box asks readers to agree to a privacy "
            "policy it does not link. Set it to your policy's https URL (or a path on the site)."
        )
    return warnings


def check_start(settings: Settings) -> None:
    """Every rule a process checks before it serves the site; the first broken one raises.
    Warnings (start_warnings) are logged and do not stop it."""
    require_safe_secret_key(settings)
    require_safe_admin_password(settings)
    require_usable_payments(settings)
    for warning in start_warnings(settings):
        logging.getLogger("newsdesk.start").warning("%s", warning)
