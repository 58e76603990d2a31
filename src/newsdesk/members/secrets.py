"""The secrets members hold, how they look and how they are stored (as SHA-256 hashes).

Every secret here is random with at least 190 bits (a code has 20 bits but is bound to one
sign-in attempt and dies after a few wrong guesses), so a plain SHA-256 is the right hash: a
slow password hash would add nothing but latency to every API call.

- API key ``ndk_`` + 8 + 32 letters/digits; ``ndk_`` + the 8 are its visible prefix.
- Private feed token ``ndf_`` + 8 + 32, likewise.
- Session cookie, sign-in link token, sign-in attempt id: 32 random bytes, URL-safe.
- Sign-in code: 6 digits, shown as ``123 456``; spaces and dashes are ignored when typed.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import string

from newsdesk.domain.members import TokenKind

ALPHABET = string.ascii_letters + string.digits
PREFIX_CHARS = 8
SECRET_CHARS = 32
TOKEN_MARKS = {TokenKind.API_KEY: "ndk_", TokenKind.FEED: "ndf_"}
_TOKEN = re.compile(r"^(nd[kf]_[A-Za-z0-9]{8})([A-Za-z0-9]{32})$")
_PREFIX = re.compile(r"^nd[kf]_[A-Za-z0-9]{8}$")
CODE_DIGITS = 6
_CODE_NOISE = re.compile(r"[\s\-]")


def digest(secret: str) -> str:
    """The stored form of a secret: SHA-256, hex."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def same_digest(secret: str, stored: str) -> bool:
    return hmac.compare_digest(digest(secret), stored)


def random_text(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def new_member_token(kind: TokenKind) -> tuple[str, str]:
    """(the whole token, shown once; its visible prefix)."""
    prefix = TOKEN_MARKS[kind] + random_text(PREFIX_CHARS)
    return prefix + random_text(SECRET_CHARS), prefix


def split_member_token(token: str, kind: TokenKind) -> str | None:
    """The prefix of a well-formed token of this kind, or None."""
    match = _TOKEN.match(token)
    if match is None or not token.startswith(TOKEN_MARKS[kind]):
        return None
    return match.group(1)


def token_prefix(text: str) -> str | None:
    """The prefix named by text: a prefix as shown, or a whole token; None otherwise."""
    text = text.strip()
    if _PREFIX.match(text):
        return text
    match = _TOKEN.match(text)
    return match.group(1) if match else None


def new_opaque() -> str:
    """A session id, link token or attempt id."""
    return secrets.token_urlsafe(32)


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def shown_code(code: str) -> str:
    half = len(code) // 2
    return f"{code[:half]} {code[half:]}"


def typed_code(text: str) -> str | None:
    """The digits of a code as typed ("123 456", "123-456"), or None if it cannot be one."""
    cleaned = _CODE_NOISE.sub("", text)
    if len(cleaned) != CODE_DIGITS or not cleaned.isascii() or not cleaned.isdigit():
        return None
    return cleaned


def code_digest(attempt_hash: str, code: str) -> str:
    """A code is stored bound to its attempt: the same digits for another attempt differ."""
    return digest(f"{attempt_hash}:{code}")
