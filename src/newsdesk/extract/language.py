"""Language of a page: declared in the markup, else detected from its text (newsdesk.text)."""

from __future__ import annotations

from lxml.html import HtmlElement

from newsdesk.text.language import detect_language, normalize_language


def declared_language(tree: HtmlElement) -> str | None:
    for path in (
        "/html/@lang",
        "/html/@xml:lang",
        "//meta[@http-equiv='content-language' or @http-equiv='Content-Language']/@content",
        "//meta[@property='og:locale']/@content",
    ):
        values = tree.xpath(path) if not path.startswith("/html") else _root_attr(tree, path)
        for value in values:
            code = normalize_language(str(value).split(",")[0])
            if code:
                return code
    return None


def _root_attr(tree: HtmlElement, path: str) -> list[str]:
    root = tree.getroottree().getroot()
    name = path.rsplit("@", 1)[1]
    if name == "xml:lang":
        name = "{http://www.w3.org/XML/1998/namespace}lang"
    value = root.get(name)
    return [value] if value else []


def page_language(tree: HtmlElement, text: str) -> str | None:
    """The language the page declares, else the one its extracted text is written in."""
    return declared_language(tree) or detect_language(text)
