"""The page parse (page.load_tree) gives the tree trafilatura's load_html gives, on hostile
input, with every element an HtmlElement from lxml's built-in class lookup."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from lxml import etree
from lxml.html import FormElement, HtmlComment, HtmlElement
from trafilatura.utils import load_html

import newsdesk.extract.page as page_module
from newsdesk.domain import ExtractionError
from newsdesk.extract.page import load_tree, parse_page

BODY = "<p>The harbour reopened on Monday after the storm.</p>"
PAGES: list[str | bytes] = [
    "",
    " ",
    f"<html><body>{BODY}</body></html>",
    f"<!DOCTYPE html>\n<html><head><title>T</title></head><body>{BODY}</body></html>",
    f"<!DOCTYPE html PUBLIC '-//W3C//DTD XHTML 1.0 Strict//EN'><html><body>{BODY}</body></html>",
    f"<html/>\n<body>{BODY}</body>",
    # comments and processing instructions (the parser drops both)
    f"<html><!-- a comment --><?php echo 1; ?><body><!--c-->{BODY}<?pi x?></body></html>",
    "<!-- only a comment -->",
    # script, style, template, noscript
    f"<html><head><style>p {{ color: red }}</style><script>var a = '<p>x</p>';</script>"
    f"</head><body><template><p>t</p></template><noscript>n</noscript>{BODY}</body></html>",
    # a huge attribute and many attributes
    f"<html><body><div data-x='{'y' * 200_000}' class='a b'>{BODY}</div></body></html>",
    "<html><body>" + "".join(f"<p a{i}='{i}'>x</p>" for i in range(300)) + "</body></html>",
    # malformed markup
    f"<html><body><div><p>open<b>bold<i>both</div></p>{BODY}<td>cell</body>",
    "<p>a lone fragment</p>",
    "<div><p>a fragment in a div</p></div>",
    "just some text, no markup at all",
    "<html><body><p>unclosed <a href='x>broken attr</p></body></html>",
    "<<<>>><html></html>",
    "<html><body>&nbsp;&amp;&lt;&unknown;&#xFFFF;&#0;</body></html>",
    f"<html><body>{BODY}\x0b\x0c\x1f text with control characters</body></html>",
    # forms: their elements come as HtmlElement here, as FormElement from trafilatura
    "<html><body><form action='/s'><label for='q'>Q</label><input id='q' value='1'>"
    "<select><option>o</option></select><textarea>t</textarea></form>" + BODY + "</body></html>",
    # a str declaring an encoding (lxml refuses it: the bytes fallback parses it)
    f"<?xml version='1.0' encoding='utf-8'?><html><body>{BODY}</body></html>",
    # bytes: UTF-8, declared and undeclared Latin-1, broken UTF-8, UTF-16 with BOM
    f"<html><body>{BODY}<p>Zürich</p></body></html>".encode(),
    "<html><head><meta charset='iso-8859-1'></head><body><p>Zürich Straße</p></body></html>".encode(
        "latin-1"
    ),
    "<html><body><p>Café crème brûlée à la française</p></body></html>".encode("latin-1"),
    b"<html><body><p>two \xff\xfe years \xc3</p></body></html>",
    "<html><body><p>UTF-16 page</p></body></html>".encode("utf-16"),
    b"\x00\x01\x02 binary \xff\xd8\xff\xe0 not html",
]


def serialised(tree: HtmlElement | None) -> bytes | None:
    return None if tree is None else etree.tostring(tree.getroottree())


@pytest.mark.parametrize("html", PAGES)
def test_the_tree_is_trafilaturas(html: str | bytes) -> None:
    assert serialised(load_tree(html)) == serialised(load_html(html))


def elements(tree: HtmlElement) -> Iterator[etree._Element]:
    yield from tree.iter()


def test_every_element_is_a_plain_html_element() -> None:
    tree = load_tree(PAGES[19])
    assert tree is not None
    tags = {element.tag for element in elements(tree)}
    assert {"form", "input", "select", "textarea", "label"} <= tags
    assert {type(element) for element in elements(tree)} == {HtmlElement}
    assert isinstance(load_html(PAGES[19]).find(".//form"), FormElement)  # type: ignore[union-attr]


def test_copies_keep_the_lookup_and_comments_added_later_are_html_comments() -> None:
    tree = load_tree(PAGES[19])
    assert tree is not None
    copy = tree.__copy__()
    assert {type(element) for element in elements(copy)} == {HtmlElement}
    copy.append(etree.Comment("added"))
    assert isinstance(copy[-1], HtmlComment)


def test_the_parser_keeps_trafilaturas_options() -> None:
    tree = load_tree("<html><!--c--><?pi x?><body><p id='a'>x</p><p id='a'>y</p></body></html>")
    assert tree is not None
    assert etree.tostring(tree) == b'<html><body><p id="a">x</p><p id="a">y</p></body></html>'
    assert tree.getroottree().docinfo.doctype == ""  # no default doctype


def test_load_html_is_the_one_it_was_written_from() -> None:
    # Fails when a trafilatura upgrade changes load_html or fromstring_bytes: load_tree then
    # hands every page to trafilatura's own function until it is brought in line.
    assert page_module.load_html_digest() == page_module.LOAD_HTML_SOURCES
    assert page_module.same_load_html()


def test_another_load_html_parses_with_trafilaturas(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(page_module, "LOAD_HTML_SOURCES", "0" * 64)
    page_module.same_load_html.cache_clear()
    try:
        tree = load_tree(PAGES[19])
        assert tree is not None
        assert isinstance(tree.find(".//form"), FormElement)
    finally:
        monkeypatch.undo()
        page_module.same_load_html.cache_clear()
    assert page_module.same_load_html()


@pytest.mark.parametrize("html", ["", "   ", b"", b"  \n"])
def test_an_empty_page_is_refused(html: str | bytes) -> None:
    with pytest.raises(ExtractionError, match="empty page"):
        parse_page(html, max_html_bytes=1000)


@pytest.mark.parametrize("html", ["<!-- only a comment -->", "<p>a lone fragment</p>"])
def test_a_page_without_a_tree_is_refused(html: str) -> None:
    with pytest.raises(ExtractionError, match="unparseable page"):
        parse_page(html, max_html_bytes=1000)


def test_nul_characters_are_dropped_before_parsing() -> None:
    tree = parse_page(f"<html><body>\x00{BODY}\x00</body></html>", max_html_bytes=1000)
    assert "\x00" not in etree.tostring(tree, encoding=str)
    assert "harbour reopened" in tree.text_content()
