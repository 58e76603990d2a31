"""Building outgoing emails that a bulk sender can be held to: one recipient, Message-ID and
Date always, a plain-text part always, and header values that can never inject headers."""

from __future__ import annotations

import re
from collections.abc import Mapping
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import Policy
from email.utils import format_datetime, getaddresses, make_msgid, parseaddr

from newsdesk.domain.models import utcnow

# Python's email package decodes RFC 2047 words when a header is set, so an encoded CR/LF in
# a title would become a real line break on the wire; they are decoded and cleaned here.
_ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=")
HEADER_NAME = re.compile(r"^[!-9;-~]+$")  # printable ASCII without ':' (RFC 5322 ftext)
_ADDR_SPEC = re.compile(r"^[^@\s,<>]+@[^@\s,<>]+$")
MANAGED_HEADERS = frozenset({"from", "to", "cc", "bcc", "subject", "message-id", "date"})
MAX_HEADER_CHARS = 900
# Every character of Unicode categories Cc, Zl, Zp and Cs (controls incl. CR, LF, NUL and
# U+0085, the line and paragraph separators, surrogates): a test checks the set is exact.
LINE_BREAKING = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


class _AsciiHeader(str):
    """An ASCII header value written as is, folded only after ", ".

    Python's email package would turn any word longer than a line (a List-Unsubscribe URL)
    into RFC 2047 encoded words, which mail clients do not decode in such headers.
    """

    name: str

    @classmethod
    def of(cls, name: str, value: str) -> _AsciiHeader:
        header = cls(value)
        header.name = name
        return header

    def fold(self, *, policy: Policy) -> str:
        linesep = policy.linesep or "\n"
        return f"{self.name}: {self.replace(', ', ',' + linesep + ' ')}{linesep}"


def clean_header(value: str) -> str:
    """One line of text safe as a header value: encoded words decoded, every control,
    line or paragraph separator (CR, LF, NUL, U+0085, U+2028, U+2029…) turned into a space."""
    text = str(value)
    for _ in range(3):  # encoded words may hide further encoded words
        decoded = _ENCODED_WORD.sub(_decode_word, text)
        if decoded == text:
            break
        text = decoded
    text = _strip_line_breaks(text)
    text = text.replace("=?", "= ?")  # whatever is left must not decode later
    return " ".join(text.split())[:MAX_HEADER_CHARS]


def _strip_line_breaks(text: str) -> str:
    return LINE_BREAKING.sub(" ", text)


def _decode_word(match: re.Match[str]) -> str:
    from email.header import decode_header, make_header

    try:
        return str(make_header(decode_header(match.group(0))))
    except (LookupError, ValueError, UnicodeError):
        return " "


def sender_domain(sender: str) -> str:
    address = parseaddr(clean_header(sender))[1]
    domain = address.rpartition("@")[2]
    return domain or "localhost"


def single_address(value: str, role: str) -> str:
    parsed = getaddresses([" ".join(_strip_line_breaks(value).split())])
    if len(parsed) != 1 or not _ADDR_SPEC.match(parsed[0][1]) or "=?" in parsed[0][1]:
        raise ValueError(f"{role} must be exactly one email address, got {value!r}")
    name, address = parsed[0]
    local, _, domain = address.rpartition("@")
    return str(Address(display_name=clean_header(name), username=local, domain=domain))


def build_message(
    *,
    sender: str,
    recipient: str,
    subject: str,
    text: str,
    html: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> EmailMessage:
    """An email to exactly one recipient: text/plain always, multipart/alternative with html."""
    message = EmailMessage(policy=policy.SMTP)
    message["From"] = single_address(sender, "sender")
    message["To"] = single_address(recipient, "recipient")
    message["Subject"] = clean_header(subject)
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = make_msgid(domain=sender_domain(sender))
    for name, value in (headers or {}).items():
        if not HEADER_NAME.match(name) or name.lower() in MANAGED_HEADERS:
            raise ValueError(f"header name {name!r} is not allowed")
        cleaned = clean_header(value)
        message[name] = _AsciiHeader.of(name, cleaned) if cleaned.isascii() else cleaned
    message.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    if html is not None:
        message.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    return message


def envelope_addresses(message: EmailMessage) -> tuple[str, str]:
    """(MAIL FROM, RCPT TO) of a message build_message made."""
    sender = parseaddr(str(message["From"]))[1]
    recipient = parseaddr(str(message["To"]))[1]
    return sender, recipient
