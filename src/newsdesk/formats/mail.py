"""Mail written straight to SMTP DATA bytes: the one MIME builder, without the email package.

Serialising through email.message/email.policy costs milliseconds a message; a bulk send needs
a fraction of that, and one builder for every message (digests, confirmations, notes) keeps one
set of guarantees: exactly one recipient, Message-ID and Date always, a text/plain part always,
header values cleaned by ``clean_header`` so titles and names can never inject headers. The
output is 7-bit: bodies are quoted-printable (so the "=_" boundary can never occur in them),
non-ASCII header text is RFC 2047 encoded words, and every line is CRLF-terminated and at most
998 octets. List-Unsubscribe URLs go out whole (folded only after ", ").
"""

from __future__ import annotations

import base64
import binascii
import random
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.headerregistry import Address
from email.utils import format_datetime, formataddr, getaddresses, make_msgid, parseaddr
from html import escape

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


# The body style of a plain transactional email (sign-in, sign-up, seats, alerts).
_BODY_STYLE = (
    "font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;"
    "color:#1a1a1a;max-width:36em;margin:0 auto;padding:16px"
)


def html_document(body: str, *, title: str, lang: str = "en") -> str:
    """A whole HTML part around body (already escaped HTML): its language for screen readers,
    charset, a phone's width and the title (escaped here). The alert email went out as a bare
    fragment, and other messages each wrote a head of their own, with no language."""
    return (
        f'<!doctype html><html lang="{escape(lang, quote=True)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title></head>"
        f'<body style="{_BODY_STYLE}">{body}</body></html>'
    )


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


CRLF = "\r\n"
FOLD_AT = 78  # RFC 5322 "SHOULD" line length; 998 is the hard limit
ENCODED_WORD_BYTES = 45  # base64 of 45 bytes is 60 characters: one word fits a line
# An address that needs no parsing: ASCII dot-atom local part and domain.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_PLAIN_ADDRESS = re.compile(rf"^{_ATOM}(?:\.{_ATOM})*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$")
MAX_ADDRESS_CHARS = 254  # RFC 5321 path limit, less the angle brackets
MAX_HEADER_NAME_CHARS = 76


@dataclass(frozen=True, slots=True)
class WireMessage:
    """A message serialised for SMTP DATA, with its envelope."""

    envelope_from: str
    envelope_to: str
    message_id: str
    header_names: frozenset[str]  # lower-case, to choose what a DKIM signature covers
    data: bytes


def encode_header(name: str, value: str) -> str:
    """One header field (with its CRLF) for an already cleaned one-line value: ASCII folded
    at spaces, anything else as UTF-8 encoded words."""
    if value.isascii():
        return _fold_ascii(f"{name}: {value}") + CRLF
    words = [
        "=?utf-8?b?" + base64.b64encode(chunk).decode("ascii") + "?="
        for chunk in _utf8_chunks(value, ENCODED_WORD_BYTES)
    ]
    return f"{name}: " + (CRLF + " ").join(words) + CRLF


def _fold_ascii(line: str) -> str:
    if len(line) <= FOLD_AT:
        return line
    lines: list[str] = []
    current = ""
    for word in line.split(" "):
        if current and len(current) + 1 + len(word) > FOLD_AT:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(current)
    return (CRLF + " ").join(lines)


def _utf8_chunks(text: str, size: int) -> list[bytes]:
    """UTF-8 of text in pieces of at most size bytes, never splitting a character."""
    data = text.encode("utf-8")
    chunks: list[bytes] = []
    start = 0
    while start < len(data):
        end = min(start + size, len(data))
        while end < len(data) and data[end] & 0xC0 == 0x80:  # a continuation byte
            end -= 1
        chunks.append(data[start:end])
        start = end
    return chunks


def quoted_printable(text: str) -> bytes:
    """text as UTF-8 quoted-printable with CRLF line ends (lines ≤ 76 octets)."""
    normal = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", CRLF)
    if not normal.endswith(CRLF):
        normal += CRLF
    return binascii.b2a_qp(normal.encode("utf-8"), istext=True)


def _address_header(value: str, role: str) -> tuple[str, str]:
    """(header value, addr-spec) of exactly one ASCII address; ValueError otherwise."""
    if len(value) > 2 * MAX_ADDRESS_CHARS:
        raise ValueError(f"{role} must be exactly one email address of usable length")
    if len(value) <= MAX_ADDRESS_CHARS and "=?" not in value and _PLAIN_ADDRESS.match(value):
        return value, value
    checked = single_address(value, role)
    name, address = getaddresses([checked])[0]
    if len(address) > MAX_ADDRESS_CHARS:
        raise ValueError(f"{role} must be exactly one email address of usable length")
    if not address.isascii():
        raise ValueError(f"{role} address {address!r} needs SMTPUTF8, which is not supported")
    return formataddr((clean_header(name), address)).replace("\n", CRLF), address


class WireMessageBuilder:
    """Builds the digest emails of one sender; the From header is prepared once."""

    def __init__(self, sender: str) -> None:
        from_value, self._envelope_from = _address_header(sender, "sender")
        self._from_field = encode_header("From", from_value)
        self._domain = sender_domain(sender)

    def build(
        self,
        *,
        recipient: str,
        subject: str,
        text: str,
        html: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> WireMessage:
        """An email to exactly one recipient: text/plain always, multipart/alternative with
        html. ValueError for an unusable recipient or a header name that is not allowed."""
        to_value, envelope_to = _address_header(recipient, "recipient")
        message_id = make_msgid(domain=self._domain)
        fields = [
            self._from_field,
            encode_header("To", to_value),
            encode_header("Subject", clean_header(subject)),
            "Date: " + format_datetime(datetime.now(UTC)) + CRLF,
            "Message-ID: " + message_id + CRLF,
            "MIME-Version: 1.0" + CRLF,
        ]
        names = {"from", "to", "subject", "date", "message-id", "mime-version", "content-type"}
        for name, value in (headers or {}).items():
            lower = name.lower()
            if (
                not HEADER_NAME.match(name)
                or len(name) > MAX_HEADER_NAME_CHARS
                or lower in MANAGED_HEADERS
                or lower in names
            ):
                raise ValueError(f"header name {name!r} is not allowed")
            names.add(lower)
            fields.append(_encode_extra(name, clean_header(value)))
        plain = quoted_printable(text)
        if html is None:
            fields.append('Content-Type: text/plain; charset="utf-8"' + CRLF)
            fields.append("Content-Transfer-Encoding: quoted-printable" + CRLF)
            body = plain
        else:
            # QP never writes "=_", so the boundary only has to differ from its own parts'
            # header lines; it needs no secrecy and no system entropy.
            boundary = f"=_{random.getrandbits(64):016x}"
            fields.append(f'Content-Type: multipart/alternative; boundary="{boundary}"' + CRLF)
            # The CRLF before a boundary belongs to the boundary: each part ends with one more.
            body = b"".join(
                (
                    _part_head(boundary, "plain"),
                    plain,
                    b"\r\n",
                    _part_head(boundary, "html"),
                    quoted_printable(html),
                    f"{CRLF}--{boundary}--{CRLF}".encode("ascii"),
                )
            )
        head = "".join(fields) + CRLF
        return WireMessage(
            envelope_from=self._envelope_from,
            envelope_to=envelope_to,
            message_id=message_id,
            header_names=frozenset(names),
            data=head.encode("ascii") + body,
        )


def _encode_extra(name: str, value: str) -> str:
    """Extra ASCII headers (List-Unsubscribe) fold only after ", ": a URL must stay whole."""
    if value.isascii():
        return f"{name}: " + value.replace(", ", "," + CRLF + " ") + CRLF
    return encode_header(name, value)


def _part_head(boundary: str, subtype: str) -> bytes:
    return (
        f"--{boundary}{CRLF}"
        f'Content-Type: text/{subtype}; charset="utf-8"{CRLF}'
        f"Content-Transfer-Encoding: quoted-printable{CRLF}{CRLF}"
    ).encode("ascii")
