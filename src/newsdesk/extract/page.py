"""Turning page bytes or text into one parsed tree, refusing what is too big to parse.

The page is parsed as trafilatura's `load_html` parses it (its decoding, repairs, parser
options, bytes fallback and dubious-HTML check), but by a parser whose elements all come as
`HtmlElement` through lxml's built-in class lookup. lxml.html's own lookup is a Python method
that lxml calls each time Python code touches an element of the tree or of a copy of it (and
trafilatura's passes, htmldate and newsdesk touch ~5,000 a dev page): 1-3 CPU ms a page, a
few percent of an extraction. It differs from the built-in one only in giving `<form>`,
`<input>`, `<select>`, `<textarea>` and `<label>` their form classes, whose form methods
nothing in extraction calls.
`load_tree` is held to trafilatura's function by its source (`LOAD_HTML_SOURCES`): when a
trafilatura upgrade changes it, trafilatura's own `load_html` parses the page.
"""

from __future__ import annotations

import hashlib
import inspect
import logging
from functools import cache

from lxml import etree
from lxml.html import (
    HtmlComment,
    HtmlElement,
    HtmlEntity,
    HtmlProcessingInstruction,
    fromstring,
)
from trafilatura.utils import (
    HTML_PARSER,
    decode_file,
    fromstring_bytes,
    is_dubious_html,
    load_html,
    repair_faulty_html,
)

from newsdesk.domain import ExtractionError

logger = logging.getLogger(__name__)

# trafilatura's parser configuration, with lxml's built-in element class lookup.
PARSER = HTML_PARSER.copy()
PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=HtmlElement,
        comment=HtmlComment,
        pi=HtmlProcessingInstruction,
        entity=HtmlEntity,
    )
)

# SHA-256 of the sources of trafilatura's `load_html` and `fromstring_bytes` that `load_tree`
# follows (trafilatura 2.3).
LOAD_HTML_SOURCES = "9a7bc54a738281c05a25db8e91965e8d130e21b308ace3629301672760fc03b2"


def load_html_digest() -> str:
    sources = [inspect.getsource(function) for function in (load_html, fromstring_bytes)]
    return hashlib.sha256("\n\x00\n".join(sources).encode()).hexdigest()


@cache
def same_load_html() -> bool:
    """Whether trafilatura's `load_html` is still the one `load_tree` follows (read once, on
    the first page, so that importing the package stays cheap)."""
    try:
        return load_html_digest() == LOAD_HTML_SOURCES
    except (OSError, TypeError):  # no source to read: trust only trafilatura's own function
        return False


def _parse_bytes(text: str) -> HtmlElement | None:
    """trafilatura's `fromstring_bytes` with PARSER."""
    try:
        return fromstring(text.encode("utf8", "surrogatepass"), parser=PARSER)
    except Exception:  # as trafilatura's: any parser failure is "no tree"
        logger.debug("lxml parser bytestring failed", exc_info=True)
    return None


def load_tree(html: str | bytes) -> HtmlElement | None:
    """The page's tree as trafilatura's `load_html` gives it, parsed with PARSER (None when it
    is not HTML)."""
    if not same_load_html():
        return load_html(html)
    text = decode_file(html)
    beginning = text[:50].lower()
    check_flag = is_dubious_html(beginning)
    text = repair_faulty_html(text, beginning)
    tree = None
    fallback_parse = False
    try:
        tree = fromstring(text, parser=PARSER)
    except ValueError:  # "Unicode strings with encoding declaration are not supported."
        tree = _parse_bytes(text)
        fallback_parse = True
    except Exception:  # as trafilatura's: any parser failure is "no tree"
        logger.debug("lxml parsing failed", exc_info=True)
    if (tree is None or len(tree) < 1) and not fallback_parse:
        tree = _parse_bytes(text)
    if tree is not None and check_flag and len(tree) < 2:
        logger.debug("parsed tree length: %s, wrong data type or not valid HTML", len(tree))
        tree = None
    return tree


def parse_page(html: str | bytes, *, max_html_bytes: int) -> HtmlElement:
    """The page as an lxml tree. Bytes are decoded by their declared or detected charset.

    Raises ExtractionError for empty, oversized or unparseable pages.
    """
    size = len(html)
    if size == 0 or not html.strip():
        raise ExtractionError("empty page")
    if size > max_html_bytes:
        raise ExtractionError(f"page too large: {size} bytes (limit {max_html_bytes})")
    if isinstance(html, str) and "\x00" in html:
        html = html.replace("\x00", "")
    elif (
        isinstance(html, bytes)
        and b"\x00" in html
        and not html.startswith((b"\xff\xfe", b"\xfe\xff"))
    ):
        html = html.replace(b"\x00", b"")
    try:
        tree = load_tree(html)
    except (ValueError, TypeError) as error:
        raise ExtractionError(f"unparseable page: {error}") from error
    if tree is None or len(tree) == 0:
        raise ExtractionError("unparseable page: no HTML tree")
    return tree
