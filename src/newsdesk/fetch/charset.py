"""Which text encoding a body is in: HTTP header, then BOM, then in-document declaration,
then a statistical guess (charset-normalizer). Pure."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([^"';\s]+)""", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SNIFF_BYTES = 4096
_GUESS_BYTES = 64 * 1024


def known_encoding(name: str | None) -> str | None:
    """Python's name for a declared charset, or None if Python does not know it."""
    if not name:
        return None
    try:
        encoding = codecs.lookup(name.strip().strip("\"'")).name
    except (LookupError, ValueError):
        return None
    # A document that decodes as pure ASCII may still hold UTF-8 further on.
    return "utf-8" if encoding == "ascii" else encoding


def charset_from_content_type(content_type: str) -> str | None:
    match = _HEADER_CHARSET.search(content_type)
    return known_encoding(match.group(1)) if match else None


def charset_from_document(body: bytes) -> str | None:
    """From a byte-order mark, an XML declaration or an HTML <meta> near the start."""
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return encoding
    head = body[:_SNIFF_BYTES]
    for pattern in (_XML_ENCODING, _META_CHARSET):
        match = pattern.search(head.lstrip())
        if match:
            declared = known_encoding(match.group(1).decode("ascii"))
            if declared in {"utf-16", "utf-16-le", "utf-16-be", "utf-32"}:
                return "utf-8"  # a declaration readable as ASCII cannot be in UTF-16/32
            if declared:
                return declared
    return None


def guess_charset(body: bytes) -> str | None:
    sample = body[:_GUESS_BYTES]
    if not sample:
        return None
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(sample) - 4:  # not merely a character cut by the sample's end
            best = from_bytes(sample).best()
            return known_encoding(best.encoding) if best is not None else None
    return "utf-8"


def detect_encoding(content_type: str, body: bytes) -> str | None:
    return (
        charset_from_content_type(content_type)
        or charset_from_document(body)
        or guess_charset(body)
    )
