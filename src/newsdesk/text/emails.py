"""Email addresses as newsdesk stores and compares them: the one normalisation, shared by
digest subscribers and members (the same address is the same person on both sides), and how a
page shows an address to whoever holds a link.

An address's identity is case-insensitive: ``Alice@Example.com`` and ``alice@example.com``
are one person, so a suppressed or unsubscribed address cannot come back in another case.
Addresses are stored and mailed lower-cased, local part included: RFC 5321 lets a server tell
cases apart, no mailbox provider does, and one identity matters more.
"""

from __future__ import annotations

MAX_ADDRESS = 254
MASK = "•••"


class InvalidEmailError(ValueError):
    """Not an address newsdesk accepts (syntax, length, non-ASCII, an encoded word); the
    message is fit to show."""


def email_key(address: str) -> str:
    """The identity of an address: without surrounding spaces, lower-cased whole. The store
    keys subscribers by it, whatever spelling a caller passes."""
    return address.strip().lower()


def normalise_email(raw: str) -> str:
    """The address as stored: syntax checked (no DNS lookup), ASCII only (a Unicode domain in
    its xn-- form), its email_key; InvalidEmailError otherwise."""
    from email_validator import EmailNotValidError, validate_email

    candidate = raw.strip()
    # "=?" would read as an RFC 2047 encoded word in a header: legal, never worth the risk.
    if not candidate or len(candidate) > MAX_ADDRESS or "=?" in candidate:
        raise InvalidEmailError("Please enter a valid email address.")
    try:
        checked = validate_email(candidate, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as error:
        raise InvalidEmailError("Please enter a valid email address.") from error
    # The ASCII form: an internationalised domain as IDNA (xn--), which mail can be sent to
    # without SMTPUTF8 (.normalized spells it in Unicode, and no message to it could be built).
    if checked.ascii_email is None:
        raise InvalidEmailError("Please enter a valid email address.")
    return email_key(checked.ascii_email)


def mask_email(address: str) -> str:
    """``a•••@e•••.com``: enough for its owner to recognise which address it is, nothing for
    anyone else a link was forwarded to (neither the mailbox nor the organisation)."""
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain:
        return MASK
    name, dot, suffix = domain.rpartition(".")
    shown_domain = f"{name[:1]}{MASK}.{suffix}" if dot and name else f"{domain[:1]}{MASK}"
    return f"{local[:1]}{MASK}@{shown_domain}"
