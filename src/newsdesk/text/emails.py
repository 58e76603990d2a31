"""Email addresses as newsdesk stores and compares them: the one normalisation, shared by
digest subscribers and members (the same address is the same person on both sides)."""

from __future__ import annotations

MAX_ADDRESS = 254


class InvalidEmailError(ValueError):
    """Not an address newsdesk accepts (the message is fit to show)."""


def normalise_email(raw: str) -> str:
    """The address as stored: syntax checked (no DNS), domain lower-cased, ASCII only."""
    from email_validator import EmailNotValidError, validate_email

    candidate = raw.strip()
    # "=?" would read as an RFC 2047 encoded word in a header: legal, never worth the risk.
    if not candidate or len(candidate) > MAX_ADDRESS or "=?" in candidate:
        raise InvalidEmailError("Please enter a valid email address.")
    try:
        checked = validate_email(candidate, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as error:
        raise InvalidEmailError("Please enter a valid email address.") from error
    return str(checked.normalized)
