"""Screening of untrusted XML before any parser sees it.

Every XML document goes through ``prepare_xml``: it enforces the size cap, decodes with
replacement (invalid UTF-8 never crashes), drops NUL and other characters XML forbids,
re-encodes as UTF-8 and refuses DOCTYPEs that could declare entities or load a DTD. Parsers
then run with entity resolution, DTD loading and network access off as a second layer.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Collection

from lxml import etree

from newsdesk.domain import SourceParseError

# RSS 0.91 feeds carry this DOCTYPE; it only names a DTD, which is never loaded.
NETSCAPE_RSS_091_PUBLIC_ID = "-//Netscape Communications//DTD RSS 0.91//EN"

_XML_FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_DECLARATION = re.compile(r"^<\?xml[^>]*\?>")
_DECLARED_ENCODING = re.compile(rb"^<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]{1,40})[\"']")
_DOCTYPE_EXTERNAL_ID = re.compile(
    r"""^<!DOCTYPE\s+[^\s\[>]+\s+(?:PUBLIC\s+(["'])(?P<public>[^"']*)\1(?:\s+(["'])[^"']*\3)?|"""
    r"""SYSTEM\s+(["'])[^"']*\4)\s*>$""",
    re.IGNORECASE,
)
_BARE_DOCTYPE = re.compile(r"^<!DOCTYPE\s+[^\s\[>]+\s*>$", re.IGNORECASE)
_ELEMENT_NAME = re.compile(r"<([A-Za-z_][\w:.-]*)")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

REFUSED = "DOCTYPE/entities refused"


def check_size(body: bytes, max_bytes: int, what: str) -> None:
    if len(body) > max_bytes:
        raise SourceParseError(f"{what} is {len(body)} bytes, over the {max_bytes} byte cap")


def decode_untrusted(body: bytes, default: str = "utf-8") -> str:
    """Text of an XML or JSON document: BOM, then XML declaration, then default; never raises."""
    encoding = default
    for bom, name in _BOMS:
        if body.startswith(bom):
            encoding, body = name, body[len(bom) :]
            break
    else:
        declared = _DECLARED_ENCODING.match(body)
        if declared:
            encoding = declared.group(1).decode("ascii")
    try:
        text = body.decode(encoding, errors="replace")
    except LookupError:  # unknown or non-text codec named by the document
        text = body.decode(default, errors="replace")
    return _XML_FORBIDDEN_CHARS.sub("", text).lstrip("\ufeff")


def prepare_xml(
    body: bytes,
    *,
    max_bytes: int,
    allowed_public_ids: Collection[str] = (),
    allow_bare_doctype: bool = False,
) -> bytes:
    """UTF-8 bytes safe to hand to an XML parser, or SourceParseError.

    A DOCTYPE is refused unless it has no internal subset and either no external identifier
    (when allow_bare_doctype) or a public identifier listed in allowed_public_ids; an allowed
    one is removed from the document.
    """
    check_size(body, max_bytes, "document")
    text = decode_untrusted(body).lstrip()
    for declaration in _prolog_declarations(text):
        if not _doctype_allowed(declaration, allowed_public_ids, allow_bare_doctype):
            raise SourceParseError(f"unsafe XML: {REFUSED}")
        # Even an allowed DOCTYPE is removed, so no parser downstream can act on its DTD.
        text = text.replace(declaration, "", 1)
    text = _XML_DECLARATION.sub('<?xml version="1.0" encoding="utf-8"?>', text, count=1)
    return text.encode("utf-8")


def root_element_name(text: str) -> str | None:
    """Local name of the first element after the prolog (``rss``, ``feed``, ``urlset``...)."""
    position = _skip_prolog(text.lstrip("\ufeff \t\r\n"))
    match = _ELEMENT_NAME.match(text.lstrip("\ufeff \t\r\n"), position)
    if match is None:
        return None
    return match.group(1).rsplit(":", 1)[-1].lower()


def hardened_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def iterparse_hardened(data: bytes, tag: tuple[str, ...] | None = None) -> etree.iterparse:
    return etree.iterparse(
        io.BytesIO(data),
        events=("end",),
        tag=tag,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def local_name(tag: object) -> str:
    """``{namespace}name`` -> ``name``; comments and PIs (non-string tags) give ''."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _doctype_allowed(
    declaration: str, allowed_public_ids: Collection[str], allow_bare_doctype: bool
) -> bool:
    if not declaration.upper().startswith("<!DOCTYPE"):
        return False  # ENTITY, ELEMENT... outside a DOCTYPE
    if _BARE_DOCTYPE.match(declaration):
        return allow_bare_doctype
    external = _DOCTYPE_EXTERNAL_ID.match(declaration)
    return bool(external and external.group("public") in allowed_public_ids)


def _prolog_declarations(text: str) -> list[str]:
    """Each ``<!...>`` declaration before the root element, comments and PIs skipped."""
    return _scan_prolog(text)[0]


def _skip_prolog(text: str) -> int:
    return _scan_prolog(text)[1]


def _scan_prolog(text: str) -> tuple[list[str], int]:
    declarations: list[str] = []
    position = 0
    while True:
        position = _skip_space(text, position)
        if text.startswith("<?", position):
            position = _after(text, "?>", position)
        elif text.startswith("<!--", position):
            position = _after(text, "-->", position + 4)
        elif text.startswith("<!", position):
            end = _declaration_end(text, position)
            declarations.append(text[position:end])
            position = end
        else:
            return declarations, position


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    return position


def _after(text: str, marker: str, start: int) -> int:
    found = text.find(marker, start)
    return len(text) if found < 0 else found + len(marker)


def _declaration_end(text: str, start: int) -> int:
    """Index just past the ``>`` closing a declaration, honouring quotes and ``[...]``."""
    quote: str | None = None
    depth = 0
    for index in range(start + 2, len(text)):
        char = text[index]
        if quote is not None:
            if char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif char == "[":
            depth += 1
        elif char == "]":
            depth = max(depth - 1, 0)
        elif char == ">" and depth == 0:
            return index + 1
    return len(text)
