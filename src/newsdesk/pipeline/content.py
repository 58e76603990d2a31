"""Helpers that run inside extraction workers: they must be importable and picklable."""

from __future__ import annotations

import html as html_lib

from newsdesk.domain import ExtractedArticle, NewsdeskError
from newsdesk.extract import ExtractOptions, extract_article, sanitize_html

BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr", "br"}


def html_to_text(html: str) -> str:
    """Paragraph-separated plain text of an HTML fragment (scripts and styles dropped)."""
    import lxml.html

    try:
        root = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return ""
    for bad in root.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    parts: list[str] = []
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in BLOCKS:
            element.tail = "\n\n" + (element.tail or "")
    text = root.text_content()
    for block in text.split("\n\n"):
        cleaned = " ".join(block.split())
        if cleaned:
            parts.append(cleaned)
    return "\n\n".join(parts)


def feed_content_document(title: str, content_html: str) -> str:
    """Wrap a feed item's own content in a minimal page so the extractor sees a document."""
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{html_lib.escape(title)}</title></head>"
        f"<body><article>{content_html}</article></body></html>"
    )


def extract_safely(
    html: str, url: str, options: ExtractOptions, from_feed: bool
) -> ExtractedArticle | str:
    """The extracted article, or an error message (exceptions do not cross process pools well)."""
    try:
        return extract_article(html, url=url, options=options)
    except NewsdeskError as error:
        if not from_feed:
            return str(error)
    # Feed content is already the article: when the extractor finds it too short to trust,
    # its sanitized text is still the best available result.
    text = html_to_text(html)
    if not text.strip():
        return "feed content has no text"
    return ExtractedArticle(
        text=text, html=sanitize_html(html, base_url=url), extractor="feed-content"
    )
