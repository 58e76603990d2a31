"""Turning page bytes or text into one parsed tree, refusing what is too big to parse."""

from __future__ import annotations

from lxml.html import HtmlElement
from trafilatura.utils import load_html

from newsdesk.domain import ExtractionError


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
        tree = load_html(html)
    except (ValueError, TypeError) as error:
        raise ExtractionError(f"unparseable page: {error}") from error
    if tree is None or len(tree) == 0:
        raise ExtractionError("unparseable page: no HTML tree")
    return tree
