"""A story set as one paragraph of `<br>`-separated lines: its first line (a date line) and its
last line (a contact line) get the boilerplate rules a block of their own would
(`edge_lines`, ExtractOptions.drop_edge_lines); lines inside the body, lines that read as
text, and a block that is nothing but the furniture line stay."""

from __future__ import annotations

import pytest
from lxml import etree
from lxml.html import fromstring

from article_paragraphs import PARAGRAPHS
from newsdesk.extract import ExtractOptions, extract_article
from newsdesk.extract.edge_lines import (
    drop_first_line,
    drop_last_line,
    edge_line_reason,
    remove_edge_lines,
)

CONTACT = "To reach the reporter behind this story, contact ann@example.org."
DATE = "July 7, 2020"
URL = "https://example.org/news/harbour"


def page(inner: str) -> bytes:
    return (
        "<html><head><title>Harbour</title></head><body><article><h1>Harbour</h1>"
        f"<div class='entry'><p>{inner}</p></div></article></body></html>"
    ).encode()


def lines(html: bytes, **options: bool) -> list[str]:
    return extract_article(html, url=URL, options=ExtractOptions(**options)).text.splitlines()


STORY = "<br><br>".join(PARAGRAPHS)


@pytest.mark.parametrize(
    ("inner", "furniture"),
    [
        (f"{STORY}<br><br>{CONTACT}", CONTACT),
        (f"{DATE}<br>{STORY}", DATE),
    ],
)
def test_an_edge_line_leaves_and_the_switch_keeps_it(inner: str, furniture: str) -> None:
    assert lines(page(inner)) == PARAGRAPHS
    kept = lines(page(inner), drop_edge_lines=False)
    assert furniture in kept
    assert [line for line in kept if line != furniture] == PARAGRAPHS


def test_the_same_line_inside_the_body_stays() -> None:
    inner = "<br><br>".join([*PARAGRAPHS[:3], CONTACT, *PARAGRAPHS[3:]])
    assert CONTACT in lines(page(inner))


def test_a_last_line_that_reads_as_text_stays() -> None:
    ending = "Вечером в гавани снова зажглись огни, и паром ушёл в море по расписанию."
    assert ending in lines(page(f"{STORY}<br><br>{ending}"))


def block(html: str) -> etree._Element:
    return fromstring(f"<div>{html}</div>").find("p")


def test_a_block_that_is_only_the_furniture_line_stays() -> None:
    alone = block(f"<p>{CONTACT}</p>")
    assert drop_last_line(alone) is None and drop_first_line(alone) is None
    only = block(f"<p><br>{CONTACT}</p>")
    assert drop_last_line(only) is None
    assert " ".join(only.text_content().split()) == CONTACT


def test_inline_markup_on_the_line_goes_with_it_and_the_rest_is_kept() -> None:
    last = block(
        f"<p>{PARAGRAPHS[0]}<br><em>To reach the editor, <a href='#'>write</a></em> here</p>"
    )
    assert drop_last_line(last) == "To reach the editor, write here"
    assert etree.tostring(last, encoding=str) == f"<p>{PARAGRAPHS[0]}</p>"
    first = block(f"<p><b>{DATE}</b> <br>{PARAGRAPHS[1]}<br>{PARAGRAPHS[2]}</p>")
    assert drop_first_line(first) == DATE
    assert first.text == PARAGRAPHS[1]
    assert [child.tag for child in first] == ["br"]


def test_breaks_nested_in_inline_markup_do_not_split_the_block() -> None:
    nested = block(f"<p><span>{PARAGRAPHS[0]}<br>{CONTACT}</span></p>")
    assert drop_last_line(nested) is None


def test_an_empty_body_and_an_empty_line_change_nothing() -> None:
    assert remove_edge_lines(fromstring("<div></div>"), ("p",)) == []
    assert edge_line_reason("", "text") == (False, "no text on the line")
    assert edge_line_reason(CONTACT, "") == (False, "nothing else in the block")
    assert edge_line_reason(CONTACT, "text")[0]
    assert edge_line_reason(PARAGRAPHS[0], "text") == (False, "reads as text")
